"""The room screen's key (SQLite table `screen_key`, one row)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.storage.db import Database


class ScreenRepo:
    """Reads and replaces the key of the room screen and booth view links."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def key(self) -> str | None:
        """The current key, or None before the first one is made."""
        rows = self.db.query("SELECT key FROM screen_key WHERE id = 1")
        return str(rows[0]["key"]) if rows else None

    def key_or_create(self, make: Callable[[], str], now: datetime) -> str:
        """The current key; a new one from `make()` when there is none yet."""
        with self.db.tx() as conn:
            row = conn.execute("SELECT key FROM screen_key WHERE id = 1").fetchone()
            if row is not None:
                return str(row["key"])
            key = make()
            conn.execute("INSERT INTO screen_key(id, key, created_at) VALUES (1, ?, ?)",
                         (key, now.isoformat()))
            return key

    def replace(self, key: str, now: datetime, by: int | None) -> None:
        """Store a new key in place of the old one."""
        with self.db.tx() as conn:
            conn.execute(
                "INSERT INTO screen_key(id, key, created_at, created_by) VALUES (1, ?, ?, ?)"
                " ON CONFLICT(id) DO UPDATE SET key = excluded.key,"
                " created_at = excluded.created_at, created_by = excluded.created_by",
                (key, now.isoformat(), by))
