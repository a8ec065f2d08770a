"""The bot's SQLite database: one file, numbered migrations, serialised transactions.

Migrations are the files `migrations/NNNN_name.sql`, applied in order once each and recorded in
`schema_migrations`. A single connection is shared between the event loop and worker threads,
guarded by a lock. In WAL mode with synchronous=NORMAL a committed transaction survives the
process being killed (`kill -9`): it is in the WAL file, handed to the OS; only a power loss or an
OS crash can lose the last commits. FULL would add an fsync to every commit, which under a burst of
messages blocks the event loop for seconds; set PANEL_SQLITE_SYNC=FULL (read by `Env`, passed in
as `synchronous`) to choose it anyway.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from importlib import resources
from pathlib import Path

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migration_files() -> list[tuple[int, str, str]]:
    """(number, name, sql) of every packaged migration, in order."""
    found = []
    for entry in resources.files("bot.storage.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [n for n, _, _ in found]
    if len(set(numbers)) != len(numbers):
        raise RuntimeError(f"two migrations share a number: {numbers}")
    return found


@contextmanager
def immediate_transaction(conn: sqlite3.Connection,
                          lock: threading.RLock) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE under `lock` (the connection is shared between threads); COMMIT on
    success, ROLLBACK on any error. The connection must be in autocommit mode."""
    with lock:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def create_private(path: Path) -> Path:
    """Create `path` readable by the owner only if it does not exist (SQLite gives its -wal and
    -shm files the same mode)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass
    return path


class Database:
    """A SQLite file with migrations applied; use `tx()` for every read-modify-write."""

    def __init__(self, path: Path, synchronous: str = "NORMAL") -> None:
        if synchronous not in ("NORMAL", "FULL"):
            raise ValueError(f"synchronous must be NORMAL or FULL, not {synchronous!r}")
        self.path = create_private(Path(path))
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            self.path, check_same_thread=False, isolation_level=None, timeout=30
        )
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute(f"PRAGMA synchronous={synchronous}")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self.migrate()

    def migrate(self) -> list[str]:
        """Apply the migrations not applied yet; returns their names."""
        applied: list[str] = []
        with self.tx() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL"
                " DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))"
            )
            done = {row[0] for row in conn.execute("SELECT number FROM schema_migrations")}
            for number, name, sql in migration_files():
                if number in done:
                    continue
                for statement in _statements(sql):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations(number, name) VALUES (?, ?)", (number, name)
                )
                applied.append(name)
        if applied:
            log.info("applied migrations: %s", ", ".join(applied))
        return applied

    def tx(self) -> AbstractContextManager[sqlite3.Connection]:
        """An immediate (write-locked) transaction, committed on success, rolled back on error."""
        return immediate_transaction(self._conn, self._lock)

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        """Run a read-only query and return all rows."""
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()


def _statements(sql: str) -> Iterator[str]:
    """Split a migration script into statements (sqlite3.complete_statement aware)."""
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer.strip()
            buffer = ""
    if buffer.strip() and not buffer.strip().startswith("--"):
        yield buffer.strip()
