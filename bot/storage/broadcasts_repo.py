"""Broadcasts (drafts, scheduled, sending, done) and their per-recipient delivery log."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.storage.db import Database

_FINAL = ("delivered", "blocked", "failed", "unconfirmed")
_COLUMNS = (
    "id, created_by, report_chat_id, audience, text, status, scheduled_for, created_at,"
    " started_at, finished_at, rate_limited, progress_message_id"
)


@dataclass(frozen=True)
class BroadcastRecord:
    """One row of `broadcasts`."""

    id: int
    created_by: int
    report_chat_id: int
    audience: str
    text: str
    status: str
    scheduled_for: datetime | None
    created_at: datetime
    rate_limited: int
    progress_message_id: int | None


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _record(row: sqlite3.Row) -> BroadcastRecord:
    created = _moment(row["created_at"])
    assert created is not None
    return BroadcastRecord(
        id=row["id"],
        created_by=row["created_by"],
        report_chat_id=row["report_chat_id"],
        audience=row["audience"],
        text=row["text"],
        status=row["status"],
        scheduled_for=_moment(row["scheduled_for"]),
        created_at=created,
        rate_limited=row["rate_limited"],
        progress_message_id=row["progress_message_id"],
    )


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


class BroadcastsRepo:
    """Reads and writes `broadcasts` and `broadcast_deliveries` (migration 0003)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- broadcasts ----------------------------------------------------------------------------
    def create(
        self,
        created_by: int,
        report_chat_id: int,
        audience: str,
        text: str,
        now: datetime,
        scheduled_for: datetime | None = None,
    ) -> int:
        """Store a draft (or a scheduled broadcast when `scheduled_for` is set); returns its id."""
        status = "draft" if scheduled_for is None else "scheduled"
        with self.db.tx() as conn:
            cursor = conn.execute(
                "INSERT INTO broadcasts(created_by, report_chat_id, audience, text, status,"
                " scheduled_for, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    created_by,
                    report_chat_id,
                    audience,
                    text,
                    status,
                    _utc(scheduled_for) if scheduled_for else None,
                    _utc(now),
                ),
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    def get(self, broadcast_id: int) -> BroadcastRecord | None:
        """One broadcast, or None."""
        rows = self.db.query(f"SELECT {_COLUMNS} FROM broadcasts WHERE id = ?", (broadcast_id,))
        return _record(rows[0]) if rows else None

    def with_status(self, *statuses: str) -> list[BroadcastRecord]:
        """Broadcasts in any of `statuses`, by scheduled time then id."""
        marks = ", ".join("?" for _ in statuses)
        rows = self.db.query(
            f"SELECT {_COLUMNS} FROM broadcasts WHERE status IN ({marks})"
            " ORDER BY scheduled_for, id",
            tuple(statuses),
        )
        return [_record(row) for row in rows]

    def start_sending(
        self,
        broadcast_id: int,
        recipients: Iterable[tuple[int, int]],
        now: datetime,
        from_statuses: tuple[str, ...],
    ) -> bool:
        """Atomically move a broadcast to 'sending' and snapshot its (participant, chat) list.

        False when it was not in `from_statuses` (already sent, cancelled, pressed twice...).
        """
        marks = ", ".join("?" for _ in from_statuses)
        stamp = _utc(now)
        with self.db.tx() as conn:
            cursor = conn.execute(
                "UPDATE broadcasts SET status = 'sending', started_at = ?"
                f" WHERE id = ? AND status IN ({marks})",
                (stamp, broadcast_id, *from_statuses),
            )
            if cursor.rowcount != 1:
                return False
            conn.executemany(
                "INSERT OR IGNORE INTO broadcast_deliveries"
                "(broadcast_id, participant_id, chat_id, updated_at) VALUES (?, ?, ?, ?)",
                [(broadcast_id, pid, chat, stamp) for pid, chat in recipients],
            )
            return True

    def transition(
        self, broadcast_id: int, to_status: str, from_statuses: tuple[str, ...], now: datetime
    ) -> bool:
        """Change the status if it is one of `from_statuses`; False otherwise."""
        marks = ", ".join("?" for _ in from_statuses)
        finished = _utc(now) if to_status in ("done", "cancelled", "expired") else None
        with self.db.tx() as conn:
            cursor = conn.execute(
                "UPDATE broadcasts SET status = ?, finished_at = COALESCE(?, finished_at)"
                f" WHERE id = ? AND status IN ({marks})",
                (to_status, finished, broadcast_id, *from_statuses),
            )
            return cursor.rowcount == 1

    def add_rate_limited(self, broadcast_id: int, count: int) -> None:
        """Add 429 answers waited out to the broadcast's count."""
        with self.db.tx() as conn:
            conn.execute(
                "UPDATE broadcasts SET rate_limited = rate_limited + ? WHERE id = ?",
                (count, broadcast_id),
            )

    def set_progress_message(self, broadcast_id: int, message_id: int) -> None:
        """Remember the organiser's message that shows progress and the report."""
        with self.db.tx() as conn:
            conn.execute(
                "UPDATE broadcasts SET progress_message_id = ? WHERE id = ?",
                (message_id, broadcast_id),
            )

    # --- per-recipient log -----------------------------------------------------------------------
    def pending(self, broadcast_id: int) -> list[tuple[int, int]]:
        """(participant, chat) still to send, in participant order."""
        rows = self.db.query(
            "SELECT participant_id, chat_id FROM broadcast_deliveries"
            " WHERE broadcast_id = ? AND status = 'pending' ORDER BY participant_id",
            (broadcast_id,),
        )
        return [(row["participant_id"], row["chat_id"]) for row in rows]

    def claim(self, broadcast_id: int, participant_id: int, now: datetime) -> bool:
        """pending -> sending; False when someone else already has it."""
        with self.db.tx() as conn:
            cursor = conn.execute(
                "UPDATE broadcast_deliveries SET status = 'sending', updated_at = ?"
                " WHERE broadcast_id = ? AND participant_id = ? AND status = 'pending'",
                (_utc(now), broadcast_id, participant_id),
            )
            return cursor.rowcount == 1

    def settle(
        self,
        broadcast_id: int,
        participant_id: int,
        status: str,
        attempts: int,
        error: str,
        now: datetime,
    ) -> None:
        """Record how a claimed delivery ended."""
        if status not in _FINAL:
            raise ValueError(f"not a final delivery state: {status!r}")
        with self.db.tx() as conn:
            conn.execute(
                "UPDATE broadcast_deliveries SET status = ?, attempts = ?, error = ?,"
                " updated_at = ? WHERE broadcast_id = ? AND participant_id = ?",
                (status, attempts, error[:500], _utc(now), broadcast_id, participant_id),
            )

    def release(self, broadcast_id: int, participant_id: int, attempts: int, now: datetime) -> None:
        """sending -> pending: waiting for a retry, nothing was delivered."""
        with self.db.tx() as conn:
            conn.execute(
                "UPDATE broadcast_deliveries SET status = 'pending', attempts = ?, updated_at = ?"
                " WHERE broadcast_id = ? AND participant_id = ? AND status = 'sending'",
                (attempts, _utc(now), broadcast_id, participant_id),
            )

    def mark_interrupted(self, broadcast_id: int, now: datetime) -> int:
        """Deliveries in flight when the process died become 'unconfirmed' (never resent)."""
        with self.db.tx() as conn:
            cursor = conn.execute(
                "UPDATE broadcast_deliveries SET status = 'unconfirmed', updated_at = ?"
                " WHERE broadcast_id = ? AND status = 'sending'",
                (_utc(now), broadcast_id),
            )
            return cursor.rowcount

    def states(self, broadcast_id: int) -> list[str]:
        """The delivery state of every recipient."""
        rows = self.db.query(
            "SELECT status FROM broadcast_deliveries WHERE broadcast_id = ?", (broadcast_id,)
        )
        return [row["status"] for row in rows]

    def deliveries(self, broadcast_id: int) -> dict[int, str]:
        """participant id -> state."""
        rows = self.db.query(
            "SELECT participant_id, status FROM broadcast_deliveries WHERE broadcast_id = ?",
            (broadcast_id,),
        )
        return {row["participant_id"]: row["status"] for row in rows}
