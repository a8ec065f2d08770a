-- The chair's floor actions, each with what it changed, so that the last one can be undone
-- (/undo, or the button on the chair's status message): the requests it changed, as JSON
-- objects of floor_requests columns, before and after. Kept for the whole meeting; the undo of
-- an action is the moment in undone_at (an action is undone at most once).
CREATE TABLE floor_actions (
    id        INTEGER PRIMARY KEY,
    action    TEXT NOT NULL CHECK (action IN
              ('next', 'done', 'pause', 'resume', 'skip', 'move', 'remove', 'add', 'open',
               'close')),
    actor_id  INTEGER,
    at        TEXT NOT NULL,                 -- ISO 8601, UTC
    before    TEXT NOT NULL,                 -- JSON array of request rows
    after     TEXT NOT NULL,                 -- JSON array of request rows
    was_open  INTEGER NOT NULL,
    is_open   INTEGER NOT NULL,
    undone_at TEXT
);
