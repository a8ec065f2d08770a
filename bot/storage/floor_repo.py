"""The floor queue in SQLite: requests and their accounting, the list flag, status messages.

Every change goes through `transaction()`: an IMMEDIATE transaction in which the state is loaded,
decided on and written back, so two organisers pressing /next at once are serialised and the
second one sees the first one's speaker. The audit entry is written in the same transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import datetime

from bot.domain.floor_model import FloorState, Mode, Request, RequestState
from bot.domain.floor_rules import Category
from bot.storage.db import Database

COLUMNS = tuple(f.name for f in fields(Request))
_BOOLEANS = {"heads_up", "warned", "timed_up"}
_TIMES = {"requested_at", "started_at", "paused_at", "ended_at"}


def request_to_row(request: Request) -> tuple[object, ...]:
    values: list[object] = []
    for value in (getattr(request, name) for name in COLUMNS):  # astuple deep-copies: slow
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, bool):
            value = int(value)
        values.append(value)
    return tuple(values)


def request_from_row(row: sqlite3.Row) -> Request:
    values: dict[str, object] = {}
    for name in COLUMNS:
        value = row[name]
        if name in _TIMES and value is not None:
            value = datetime.fromisoformat(value)
        elif name in _BOOLEANS:
            value = bool(value)
        values[name] = value
    values["state"] = RequestState(str(values["state"]))
    values["category"] = Category(str(values["category"]))
    values["mode"] = Mode(str(values["mode"]))
    return Request(**values)  # type: ignore[arg-type]


_VERSION = "SELECT version FROM floor_list WHERE id = 1"


def _version(conn: sqlite3.Connection) -> int:
    return int(conn.execute(_VERSION).fetchone()[0])


def _load(conn: sqlite3.Connection) -> FloorState:
    rows = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM floor_requests ORDER BY id").fetchall()
    flag = conn.execute("SELECT is_open FROM floor_list WHERE id = 1").fetchone()
    return FloorState(requests=tuple(request_from_row(r) for r in rows),
                      is_open=bool(flag["is_open"]))


@dataclass
class _Committed:
    """The last committed list and its version: every change bumps `floor_list.version` in the
    same transaction, so an equal version means the rows are unchanged (whichever process wrote
    them) and the list need not be read again. FloorState is immutable: sharing it is safe."""

    entry: tuple[int, FloorState] | None = None  # one attribute: replaced atomically


@dataclass
class FloorTx:
    """One open transaction on the floor tables."""

    conn: sqlite3.Connection
    committed: _Committed = field(default_factory=_Committed)
    written: tuple[int, FloorState] | None = None  # what this transaction will have committed

    def load(self) -> FloorState:
        """The whole list, as committed (read again only when its version changed)."""
        version = _version(self.conn)
        entry = self.committed.entry
        if entry is not None and entry[0] == version:
            return entry[1]
        state = _load(self.conn)
        if self.written is None:  # after a save, this transaction reads its own uncommitted rows
            self.committed.entry = (version, state)
        return state

    def save(self, before: FloorState, after: FloorState, *, added_by: int | None = None) -> None:
        """Write what changed between `before` and `after`."""
        old = {r.id: r for r in before.requests}
        # Unchanged requests are the very same objects (the domain replaces only what changes):
        # `is` spares comparing every field of every row on a long list.
        changed = [r for r in after.requests
                   if (known := old.get(r.id)) is not r and known != r]
        # Rows leaving the floor first: the one-speaker index holds after every statement.
        changed.sort(key=lambda r: r.is_current)
        placeholders = ", ".join("?" for _ in COLUMNS)
        updates = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS if c != "id")
        for request in changed:
            self.conn.execute(
                f"INSERT INTO floor_requests({', '.join(COLUMNS)}, added_by)"
                f" VALUES ({placeholders}, ?) ON CONFLICT(id) DO UPDATE SET {updates}",
                (*request_to_row(request), added_by if request.id not in old else None),
            )
        if before.is_open != after.is_open:
            self.conn.execute("UPDATE floor_list SET is_open = ? WHERE id = 1",
                              (int(after.is_open),))
        if changed or before.is_open != after.is_open:
            self.conn.execute("UPDATE floor_list SET version = version + 1 WHERE id = 1")
            self.written = (_version(self.conn), after)

    def audit(self, actor_id: int | None, action: str, detail: str, now: datetime,
              allowed: bool = True) -> None:
        """An audit-log entry committed with the change it describes (the foundation's table)."""
        self.conn.execute(
            "INSERT INTO audit_log(at, actor_id, action, detail, allowed) VALUES (?, ?, ?, ?, ?)",
            (now.isoformat(), actor_id, action, detail, int(allowed)),
        )


class FloorRepo:
    """Reads and writes the floor tables of the bot's database."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._committed = _Committed()

    @contextmanager
    def transaction(self) -> Iterator[FloorTx]:
        """A serialised read-modify-write transaction."""
        with self.db.tx() as conn:
            tx = FloorTx(conn, self._committed)
            yield tx
            written = tx.written
        # Committed (a rollback or a failed COMMIT raised above): `after` is now the list. A
        # stale entry set by a slower thread is harmless: load() checks the version first.
        if written is not None:
            self._committed.entry = written

    def load(self) -> FloorState:
        """The committed state (read only)."""
        with self.transaction() as tx:
            return tx.load()

    def version(self) -> int:
        """A counter bumped by every change of the list."""
        return int(self.db.query(_VERSION)[0]["version"])

    # --- the chairs' messages ----------------------------------------------------------------
    def status_messages(self) -> dict[int, int]:
        """chat id -> message id of every live status message."""
        rows = self.db.query("SELECT chat_id, message_id FROM floor_status_messages")
        return {int(r["chat_id"]): int(r["message_id"]) for r in rows}

    def set_status_message(self, chat_id: int, message_id: int, now: datetime) -> None:
        """Remember the live status message of a chat."""
        with self.db.tx() as conn:
            conn.execute(
                "INSERT INTO floor_status_messages(chat_id, message_id, updated_at)"
                " VALUES (?, ?, ?) ON CONFLICT(chat_id) DO UPDATE SET"
                " message_id = excluded.message_id, updated_at = excluded.updated_at",
                (chat_id, message_id, now.isoformat()),
            )

    def forget_status_message(self, chat_id: int) -> None:
        """Stop updating a chat's status message (e.g. the chat is gone)."""
        with self.db.tx() as conn:
            conn.execute("DELETE FROM floor_status_messages WHERE chat_id = ?", (chat_id,))

    def add_notice(self, request_id: int, chat_id: int, message_id: int) -> None:
        """Remember a chair's time-up message for a request."""
        with self.db.tx() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO floor_notices(request_id, chat_id, message_id)"
                " VALUES (?, ?, ?)",
                (request_id, chat_id, message_id),
            )

    def notices(self, request_id: int) -> dict[int, int]:
        """chat id -> message id of the time-up messages of a request."""
        rows = self.db.query(
            "SELECT chat_id, message_id FROM floor_notices WHERE request_id = ?", (request_id,)
        )
        return {int(r["chat_id"]): int(r["message_id"]) for r in rows}
