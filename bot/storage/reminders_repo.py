"""The reminder sent-log: one row per (reminder key, participant), claimed before sending."""

from __future__ import annotations

from datetime import datetime

from bot.storage.db import Database

_FINAL = ("delivered", "blocked", "failed", "unconfirmed")


class RemindersRepo:
    """Reads and writes `reminder_deliveries` (migration 0003)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def sent_pairs(self) -> set[tuple[str, int]]:
        """Every (reminder key, participant) already attempted: the planner's sent-log."""
        rows = self.db.query("SELECT reminder_key, participant_id FROM reminder_deliveries")
        return {(row["reminder_key"], row["participant_id"]) for row in rows}

    def claim(self, key: str, participant_id: int, now: datetime) -> bool:
        """Mark a delivery as in flight; False when it was already claimed (never send twice)."""
        with self.db.tx() as conn:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO reminder_deliveries"
                "(reminder_key, participant_id, status, updated_at) VALUES (?, ?, 'sending', ?)",
                (key, participant_id, now.isoformat()),
            )
            return cursor.rowcount == 1

    def settle(
        self, key: str, participant_id: int, status: str, attempts: int, error: str, now: datetime
    ) -> None:
        """Record how a claimed delivery ended."""
        if status not in _FINAL:
            raise ValueError(f"not a final delivery state: {status!r}")
        with self.db.tx() as conn:
            conn.execute(
                "UPDATE reminder_deliveries SET status = ?, attempts = ?, error = ?,"
                " updated_at = ? WHERE reminder_key = ? AND participant_id = ?",
                (status, attempts, error[:500], now.isoformat(), key, participant_id),
            )

    def release(self, key: str, participant_id: int) -> None:
        """Give a claim back (the delivery is waiting for a retry and was not sent)."""
        with self.db.tx() as conn:
            conn.execute(
                "DELETE FROM reminder_deliveries WHERE reminder_key = ? AND participant_id = ?"
                " AND status = 'sending'",
                (key, participant_id),
            )

    def mark_interrupted(self, now: datetime) -> int:
        """Claims left in flight by a crash become 'unconfirmed' (not resent); returns how many."""
        with self.db.tx() as conn:
            cursor = conn.execute(
                "UPDATE reminder_deliveries SET status = 'unconfirmed', updated_at = ?"
                " WHERE status = 'sending'",
                (now.isoformat(),),
            )
            return cursor.rowcount

    def states(self, key: str) -> dict[int, str]:
        """participant id -> delivery state for one reminder."""
        rows = self.db.query(
            "SELECT participant_id, status FROM reminder_deliveries WHERE reminder_key = ?",
            (key,),
        )
        return {row["participant_id"]: row["status"] for row in rows}
