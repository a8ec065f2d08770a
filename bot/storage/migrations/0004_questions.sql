-- Questions asked (for /unanswered) and the feedback on each answer.
CREATE TABLE questions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    asked_at    TEXT NOT NULL,
    user_id     INTEGER,
    chat_id     INTEGER,
    language    TEXT NOT NULL DEFAULT 'en',
    question    TEXT NOT NULL,
    normalized  TEXT NOT NULL,          -- folded text, groups repeats for the counts
    kind        TEXT NOT NULL CHECK (kind IN ('schedule', 'rules', 'content', 'none')),
    abstained   INTEGER NOT NULL DEFAULT 0,
    sources     TEXT NOT NULL DEFAULT '' -- "document p. N" labels, for the organisers
);
CREATE INDEX questions_asked_at ON questions(asked_at);
CREATE INDEX questions_unanswered ON questions(abstained, asked_at);

-- One row per (question, user): a second press replaces the first.
CREATE TABLE question_feedback (
    question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL,
    helpful     INTEGER NOT NULL CHECK (helpful IN (0, 1)),
    at          TEXT NOT NULL,
    PRIMARY KEY (question_id, user_id)
);
