"""Questions asked, whether they were answered, and the feedback on each answer (SQLite)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.storage.db import Database


@dataclass(frozen=True)
class QuestionRecord:
    """One question as stored."""

    id: int
    asked_at: str
    user_id: int | None
    language: str
    question: str
    kind: str
    abstained: bool


@dataclass(frozen=True)
class Trouble:
    """A question (grouped by its folded text) that went unanswered or was marked unhelpful."""

    question: str
    asked: int
    unanswered: int
    not_helpful: int
    last_asked: str


class QuestionsRepo:
    """Reads and writes `questions` and `question_feedback`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, *, user_id: int | None, chat_id: int | None, language: str, question: str,
            normalized: str, kind: str, abstained: bool, sources: str, now: datetime) -> int:
        """Store an asked question; returns its id."""
        with self.db.tx() as conn:
            cursor = conn.execute(
                "INSERT INTO questions(asked_at, user_id, chat_id, language, question, normalized,"
                " kind, abstained, sources) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (now.isoformat(), user_id, chat_id, language, question, normalized, kind,
                 int(abstained), sources),
            )
            return int(cursor.lastrowid or 0)

    def get(self, question_id: int) -> QuestionRecord | None:
        """One question by id."""
        rows = self.db.query("SELECT id, asked_at, user_id, language, question, kind, abstained"
                             " FROM questions WHERE id = ?", (question_id,))
        if not rows:
            return None
        r = rows[0]
        return QuestionRecord(r["id"], r["asked_at"], r["user_id"], r["language"], r["question"],
                              r["kind"], bool(r["abstained"]))

    def set_feedback(self, question_id: int, user_id: int, helpful: bool, now: datetime,
                     chat_id: int) -> bool:
        """Record (or replace) a user's feedback; False when the question does not exist or its
        answer was not sent to `chat_id` (a forged press from another chat)."""
        with self.db.tx() as conn:
            row = conn.execute("SELECT chat_id FROM questions WHERE id = ?",
                               (question_id,)).fetchone()
            if row is None or row["chat_id"] != chat_id:
                return False
            conn.execute(
                "INSERT INTO question_feedback(question_id, user_id, helpful, at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT(question_id, user_id)"
                " DO UPDATE SET helpful = excluded.helpful, at = excluded.at",
                (question_id, user_id, int(helpful), now.isoformat()),
            )
            return True

    def feedback(self, question_id: int) -> dict[int, bool]:
        """user id -> helpful, for one question."""
        rows = self.db.query("SELECT user_id, helpful FROM question_feedback"
                             " WHERE question_id = ?", (question_id,))
        return {r["user_id"]: bool(r["helpful"]) for r in rows}

    def troubles(self, since: datetime, limit: int = 20) -> list[Trouble]:
        """Questions asked since `since` that were unanswered or marked not helpful, with
        counts, most frequent first."""
        rows = self.db.query(
            "SELECT q.normalized AS normalized, MAX(q.question) AS question,"
            " COUNT(*) AS asked, SUM(q.abstained) AS unanswered,"
            " SUM((SELECT COUNT(*) FROM question_feedback f"
            "      WHERE f.question_id = q.id AND f.helpful = 0)) AS not_helpful,"
            " MAX(q.asked_at) AS last_asked"
            " FROM questions q WHERE q.asked_at >= ? AND q.kind != 'none'"
            " GROUP BY q.normalized HAVING unanswered > 0 OR not_helpful > 0"
            " ORDER BY unanswered + not_helpful DESC, last_asked DESC LIMIT ?",
            (since.isoformat(), limit),
        )
        return [Trouble(r["question"], r["asked"], r["unanswered"], r["not_helpful"],
                        r["last_asked"]) for r in rows]
