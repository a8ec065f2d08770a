"""Questions asked, whether they were answered, and the feedback on each answer (SQLite)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.answer import AbstainReason
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
    reason: AbstainReason | None = None
    reason_detail: str = ""


@dataclass(frozen=True)
class Trouble:
    """A question (grouped by its folded text) that went unanswered or was marked unhelpful.

    `reason` and `reason_detail` are those of the group's most recent abstention (None and ""
    when none was recorded: only unhelpful answers, or rows stored before reasons were kept).
    """

    question: str
    asked: int
    unanswered: int
    not_helpful: int
    last_asked: str
    reason: AbstainReason | None = None
    reason_detail: str = ""


class QuestionsRepo:
    """Reads and writes `questions` and `question_feedback`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, *, user_id: int | None, chat_id: int | None, language: str, question: str,
            normalized: str, kind: str, abstained: bool, sources: str, now: datetime,
            reason: AbstainReason | None = None, reason_detail: str = "") -> int:
        """Store an asked question (with why it was not answered, if known); returns its id."""
        with self.db.tx() as conn:
            cursor = conn.execute(
                "INSERT INTO questions(asked_at, user_id, chat_id, language, question, normalized,"
                " kind, abstained, sources, reason, reason_detail)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (now.isoformat(), user_id, chat_id, language, question, normalized, kind,
                 int(abstained), sources, None if reason is None else str(reason),
                 reason_detail or None),
            )
            return int(cursor.lastrowid or 0)

    def get(self, question_id: int) -> QuestionRecord | None:
        """One question by id."""
        rows = self.db.query("SELECT id, asked_at, user_id, language, question, kind, abstained,"
                             " reason, reason_detail FROM questions WHERE id = ?", (question_id,))
        if not rows:
            return None
        r = rows[0]
        reason, detail = _reason(r["reason"], r["reason_detail"])
        return QuestionRecord(r["id"], r["asked_at"], r["user_id"], r["language"], r["question"],
                              r["kind"], bool(r["abstained"]), reason, detail)

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
            "WITH recent AS (SELECT * FROM questions WHERE asked_at >= ? AND kind != 'none'),"
            " last_abstention AS (SELECT normalized, reason, reason_detail, ROW_NUMBER() OVER"
            "   (PARTITION BY normalized ORDER BY asked_at DESC, id DESC) AS position"
            "   FROM recent WHERE abstained = 1)"
            " SELECT q.normalized AS normalized, MAX(q.question) AS question,"
            " COUNT(*) AS asked, SUM(q.abstained) AS unanswered,"
            " SUM((SELECT COUNT(*) FROM question_feedback f"
            "      WHERE f.question_id = q.id AND f.helpful = 0)) AS not_helpful,"
            " MAX(q.asked_at) AS last_asked,"
            " MAX(a.reason) AS reason, MAX(a.reason_detail) AS reason_detail"  # one row per group
            " FROM recent q LEFT JOIN last_abstention a"
            "   ON a.normalized = q.normalized AND a.position = 1"
            " GROUP BY q.normalized HAVING unanswered > 0 OR not_helpful > 0"
            " ORDER BY unanswered + not_helpful DESC, last_asked DESC LIMIT ?",
            (since.isoformat(), limit),
        )
        return [Trouble(r["question"], r["asked"], r["unanswered"], r["not_helpful"],
                        r["last_asked"], *_reason(r["reason"], r["reason_detail"]))
                for r in rows]


def _reason(code: str | None, detail: str | None) -> tuple[AbstainReason | None, str]:
    """The stored reason as an AbstainReason; a code this version does not know (written by
    a newer one) becomes None with the code kept in the detail, so nothing is lost."""
    if code is None:
        return None, detail or ""
    try:
        return AbstainReason(code), detail or ""
    except ValueError:
        return None, f"{code}: {detail}" if detail else code
