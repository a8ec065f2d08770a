-- The room screen's secret: one unguessable key in the links of the room screen and the booth
-- view (/screen), replaced by /screen reset (old links then get 404). One row at most.
CREATE TABLE screen_key (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by INTEGER
);
