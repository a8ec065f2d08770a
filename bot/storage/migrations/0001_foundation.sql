-- Participants, run-time roles, invite codes and the organisers' audit log.
CREATE TABLE participants (
    telegram_id   INTEGER PRIMARY KEY,
    display_name  TEXT NOT NULL DEFAULT '',
    username      TEXT,
    delegation    TEXT NOT NULL DEFAULT '',
    mode          TEXT NOT NULL DEFAULT 'remote' CHECK (mode IN ('room', 'remote')),
    language      TEXT,                 -- chosen with /language; NULL: from Telegram
    telegram_language TEXT,             -- last language_code Telegram sent
    timezone      TEXT,                 -- IANA zone chosen with /timezone
    subscribed    INTEGER NOT NULL DEFAULT 1,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE roles (
    telegram_id INTEGER NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('organiser', 'panelist', 'high_level')),
    granted_by  INTEGER,
    granted_at  TEXT NOT NULL,
    PRIMARY KEY (telegram_id, role)
);

CREATE TABLE invites (
    code        TEXT PRIMARY KEY,
    role        TEXT NOT NULL CHECK (role IN ('organiser', 'panelist', 'high_level')),
    created_by  INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    used_by     INTEGER,
    used_at     TEXT
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    actor_id    INTEGER,
    action      TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '',
    allowed     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX audit_log_at ON audit_log(at);
