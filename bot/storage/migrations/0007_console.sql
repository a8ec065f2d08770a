-- The chair's console: one-time sign-in links and browser sessions (bot/web/console.py).
-- Secrets are never stored: only a digest keyed with a key derived from the bot token
-- (bot/web/auth.py), so a copy of this database cannot be used to sign in.

CREATE TABLE console_signins (
    token_hash TEXT PRIMARY KEY,          -- digest of the token in the link
    user_id    INTEGER NOT NULL,          -- the organiser it was given to
    created_at TEXT NOT NULL,             -- ISO 8601, UTC
    expires_at TEXT NOT NULL,
    used_at    TEXT                       -- set when the link is opened (valid once)
);

CREATE TABLE console_sessions (
    session_hash TEXT PRIMARY KEY,        -- digest of the session id (cookie or header)
    user_id      INTEGER NOT NULL,
    csrf         TEXT NOT NULL,           -- every change must carry it (X-CSRF-Token)
    via          TEXT NOT NULL CHECK (via IN ('link', 'webapp')),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX console_sessions_expiry ON console_sessions(expires_at);
CREATE INDEX console_signins_expiry ON console_signins(expires_at);
