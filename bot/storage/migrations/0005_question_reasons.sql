-- Why the assistant abstained on a question (shown to organisers in /unanswered).
-- Both columns stay NULL on rows stored before this migration and on answered questions.
ALTER TABLE questions ADD COLUMN reason TEXT;        -- an AbstainReason value (bot/domain/answer.py)
ALTER TABLE questions ADD COLUMN reason_detail TEXT; -- what it is about ("Webex"), or a free-text note
