-- Reminders sent-log, organiser broadcasts (immediate and scheduled) and their per-recipient log.

-- One row per (reminder, participant) ever attempted: the UNIQUE key is the exactly-once claim.
CREATE TABLE reminder_deliveries (
    reminder_key   TEXT NOT NULL,            -- "<item id>@<minutes before>"
    participant_id INTEGER NOT NULL,
    status         TEXT NOT NULL CHECK (status IN
                   ('sending', 'delivered', 'blocked', 'failed', 'unconfirmed')),
    attempts       INTEGER NOT NULL DEFAULT 0,
    error          TEXT NOT NULL DEFAULT '',
    updated_at     TEXT NOT NULL,
    UNIQUE (reminder_key, participant_id)
);

CREATE TABLE broadcasts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    created_by      INTEGER NOT NULL,
    report_chat_id  INTEGER NOT NULL,        -- where the preview, progress and report go
    audience        TEXT NOT NULL CHECK (audience IN ('all', 'remote', 'room', 'panelists')),
    text            TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN
                    ('draft', 'scheduled', 'sending', 'done', 'cancelled', 'expired')),
    scheduled_for   TEXT,                    -- UTC ISO time for /schedule, NULL otherwise
    created_at      TEXT NOT NULL,
    started_at      TEXT,
    finished_at     TEXT,
    rate_limited    INTEGER NOT NULL DEFAULT 0,  -- 429 answers waited out
    progress_message_id INTEGER              -- the message edited with progress and report
);
CREATE INDEX broadcasts_status ON broadcasts(status);

-- The audience snapshot taken when sending starts; resumable after a restart.
CREATE TABLE broadcast_deliveries (
    broadcast_id   INTEGER NOT NULL REFERENCES broadcasts(id),
    participant_id INTEGER NOT NULL,
    chat_id        INTEGER NOT NULL,
    status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN
                   ('pending', 'sending', 'delivered', 'blocked', 'failed', 'unconfirmed')),
    attempts       INTEGER NOT NULL DEFAULT 0,
    error          TEXT NOT NULL DEFAULT '',
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (broadcast_id, participant_id)
);
CREATE INDEX broadcast_deliveries_status ON broadcast_deliveries(broadcast_id, status);
