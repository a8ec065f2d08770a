"""The chair's floor actions in SQLite (table floor_actions): what each changed, for /undo.

The functions take the connection of an open floor transaction (`FloorTx.conn`), so an action
and its record, or an undo and its mark, are committed together or not at all.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.domain.floor_model import ChairAction, Request
from bot.domain.floor_undo import ActionRecord
from bot.storage.db import Database
from bot.storage.floor_repo import COLUMNS, request_from_row, request_to_row


@dataclass(frozen=True)
class StoredAction:
    """The last recorded action and whether it was undone already."""

    record: ActionRecord
    undone: bool


def next_id(conn: sqlite3.Connection) -> int:
    """The id the next recorded action gets (the transaction is serialised)."""
    return int(conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM floor_actions").fetchone()[0])


def save(conn: sqlite3.Connection, record: ActionRecord) -> None:
    """Record an action."""
    conn.execute(
        "INSERT INTO floor_actions(id, action, actor_id, at, before, after, was_open, is_open)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (record.id, record.action.value, record.actor_id, record.at.isoformat(),
         _dump(record.before), _dump(record.after), int(record.was_open), int(record.is_open)),
    )


def last(conn: sqlite3.Connection) -> StoredAction | None:
    """The most recent action, if any."""
    row = conn.execute(
        "SELECT id, action, actor_id, at, before, after, was_open, is_open, undone_at"
        " FROM floor_actions ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    record = ActionRecord(
        id=int(row["id"]),
        action=ChairAction(row["action"]),
        actor_id=row["actor_id"],
        at=datetime.fromisoformat(row["at"]),
        before=_load(row["before"]),
        after=_load(row["after"]),
        was_open=bool(row["was_open"]),
        is_open=bool(row["is_open"]),
    )
    return StoredAction(record, row["undone_at"] is not None)


def last_offer(db: Database) -> tuple[int, ChairAction, datetime] | None:
    """The id, action and time of the most recent action not undone (a read, no JSON): what the
    chair's status message may offer to undo, asked at every refresh."""
    rows = db.query("SELECT id, action, at, undone_at FROM floor_actions ORDER BY id DESC LIMIT 1")
    if not rows or rows[0]["undone_at"] is not None:
        return None
    row = rows[0]
    return int(row["id"]), ChairAction(row["action"]), datetime.fromisoformat(row["at"])


def mark_undone(conn: sqlite3.Connection, action_id: int, now: datetime) -> None:
    """The action was undone (it cannot be undone again)."""
    conn.execute("UPDATE floor_actions SET undone_at = ? WHERE id = ?",
                 (now.isoformat(), action_id))


def _dump(requests: tuple[Request, ...]) -> str:
    return json.dumps([dict(zip(COLUMNS, request_to_row(r), strict=True)) for r in requests])


def _load(text: str) -> tuple[Request, ...]:
    return tuple(request_from_row(row) for row in json.loads(text))
