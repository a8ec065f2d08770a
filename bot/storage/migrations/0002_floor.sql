-- The floor queue: requests for the floor and the accounting of each intervention, the list's
-- open/closed flag, the chairs' live status messages and their time-up notices.

-- One row per request. A running intervention is its start and pause accounting, never a
-- countdown, so that after a restart the time left and the remote budget are exact.
CREATE TABLE floor_requests (
    id             INTEGER PRIMARY KEY,
    participant_id INTEGER,                  -- Telegram user id; NULL for people added by /add
    name           TEXT NOT NULL,
    delegation     TEXT NOT NULL DEFAULT '',
    category       TEXT NOT NULL CHECK (category IN
                   ('panelist', 'in_room', 'remote_high_level', 'remote')),
    mode           TEXT NOT NULL CHECK (mode IN ('room', 'remote')),
    topic          TEXT NOT NULL DEFAULT '',
    requested_at   TEXT NOT NULL,            -- ISO 8601, UTC, microseconds
    state          TEXT NOT NULL CHECK (state IN
                   ('waiting', 'speaking', 'paused', 'finished', 'withdrawn', 'skipped')),
    position       INTEGER,                  -- 1..n among waiting requests, NULL otherwise
    started_at     TEXT,
    paused_at      TEXT,                     -- set while paused
    paused_seconds REAL NOT NULL DEFAULT 0,  -- completed pauses
    ended_at       TEXT,
    limit_seconds  REAL,                     -- granted when the floor was given
    skips          INTEGER NOT NULL DEFAULT 0,
    heads_up       INTEGER NOT NULL DEFAULT 0,
    warned         INTEGER NOT NULL DEFAULT 0,
    timed_up       INTEGER NOT NULL DEFAULT 0,
    added_by       INTEGER                   -- the organiser who used /add
);
-- At most one speaker, and one waiting request per person, whatever the code does.
CREATE UNIQUE INDEX floor_one_speaker ON floor_requests((state IN ('speaking', 'paused')))
    WHERE state IN ('speaking', 'paused');
CREATE UNIQUE INDEX floor_one_waiting_per_person ON floor_requests(participant_id)
    WHERE state = 'waiting' AND participant_id IS NOT NULL;

CREATE TABLE floor_list (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    is_open INTEGER NOT NULL DEFAULT 1,
    version INTEGER NOT NULL DEFAULT 0       -- bumped by every change
);
INSERT INTO floor_list(id, is_open, version) VALUES (1, 1, 0);

-- The live status message of each chair's chat (edited, never resent).
CREATE TABLE floor_status_messages (
    chat_id    INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

-- The chairs' "time is up" messages, edited to count the overrun until the speaker ends.
CREATE TABLE floor_notices (
    request_id INTEGER NOT NULL REFERENCES floor_requests(id),
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    PRIMARY KEY (request_id, chat_id)
);
