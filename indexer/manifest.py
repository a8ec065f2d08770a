"""The manifest: which file, with which content hash, is in which index generation.

Rows live in PANEL_DATA_DIR/index.sqlite beside the lexical index and are keyed by generation,
so a run writes the rows of the generation it stages and they count only once that generation
is published. `plan_changes` is the pure decision: what to skip, (re)load, drop or report.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.storage.db import create_private

_SCHEMA = """
CREATE TABLE IF NOT EXISTS manifest (
    generation INTEGER NOT NULL,
    file TEXT NOT NULL,
    sha256 TEXT,            -- content of the indexed version (NULL: never indexed)
    title TEXT,
    pages INTEGER NOT NULL DEFAULT 0,
    chunks INTEGER NOT NULL DEFAULT 0,
    failed_sha256 TEXT,     -- content that could not be read, and why
    error TEXT,
    language TEXT,          -- the indexed version's language (NULL: unknown)
    document_key TEXT,      -- the same for every language version of a document
    PRIMARY KEY (generation, file)
)
"""
# Columns added after the first layout, for a manifest made before them.
_ADDED_COLUMNS = (("language", "TEXT"), ("document_key", "TEXT"))
_FIELDS = ("file", "sha256", "title", "pages", "chunks", "failed_sha256", "error", "language",
           "document_key")


@dataclass(frozen=True)
class Entry:
    """One file of one generation."""

    file: str
    sha256: str | None
    title: str | None = None
    pages: int = 0
    chunks: int = 0
    failed_sha256: str | None = None
    error: str | None = None
    language: str | None = None
    document_key: str | None = None

    @property
    def indexed(self) -> bool:
        """The index holds a version of this file."""
        return self.sha256 is not None


@dataclass(frozen=True)
class Plan:
    """What a run does with each file found (or no longer found) in the knowledge folder."""

    unchanged: tuple[str, ...] = ()
    added: tuple[str, ...] = ()      # new, or never indexed successfully
    updated: tuple[str, ...] = ()    # indexed before, content changed
    removed: tuple[str, ...] = ()    # indexed before, file gone
    known_failures: Mapping[str, str] = field(default_factory=dict)  # same bytes failed before
    forgotten: tuple[str, ...] = ()  # failure records of files that are gone

    @property
    def changes_index(self) -> bool:
        """The index content changes (a new generation is needed)."""
        return bool(self.added or self.updated or self.removed)


def plan_changes(hashes: Mapping[str, str], entries: Mapping[str, Entry], *,
                 rebuild: bool = False) -> Plan:
    """Compare the files on disk (name -> content hash) with the manifest of the index."""
    unchanged: list[str] = []
    added: list[str] = []
    updated: list[str] = []
    known: dict[str, str] = {}
    for name in sorted(hashes):
        digest = hashes[name]
        entry = entries.get(name)
        if entry is None or rebuild:
            (updated if entry is not None and entry.indexed else added).append(name)
        elif entry.sha256 == digest:
            unchanged.append(name)
        elif entry.failed_sha256 == digest and entry.error:
            known[name] = entry.error
            if entry.indexed:
                unchanged.append(name)  # the previous readable version stays indexed
        elif entry.indexed:
            updated.append(name)
        else:
            added.append(name)
    gone = sorted(set(entries) - set(hashes))
    return Plan(
        unchanged=tuple(unchanged), added=tuple(added), updated=tuple(updated),
        removed=tuple(n for n in gone if entries[n].indexed),
        known_failures=known,
        forgotten=tuple(n for n in gone if not entries[n].indexed),
    )


def content_hash(path: Path, extra: str = "") -> str:
    """SHA-256 of a file's bytes (and of what else decides its chunks, such as its URL)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if extra:
        digest.update(b"\0" + extra.encode())
    return digest.hexdigest()


class Manifest:
    """Reads and writes manifest rows (its own connection to the index database)."""

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(create_private(path), timeout=30, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute(_SCHEMA)
        present = {row[1] for row in self._conn.execute("PRAGMA table_info(manifest)")}
        for column, kind in _ADDED_COLUMNS:
            if column not in present:
                self._conn.execute(f"ALTER TABLE manifest ADD COLUMN {column} {kind}")

    def entries(self, generation: int | None) -> dict[str, Entry]:
        """The files of a generation."""
        if generation is None:
            return {}
        rows = self._conn.execute(
            f"SELECT {', '.join(_FIELDS)} FROM manifest WHERE generation = ? ORDER BY file",
            (generation,))
        return {row[0]: Entry(*row) for row in rows}

    def write(self, generation: int, entries: Iterable[Entry]) -> None:
        """Replace the rows of a generation, in one transaction."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            self._conn.execute("DELETE FROM manifest WHERE generation = ?", (generation,))
            self._conn.executemany(
                f"INSERT INTO manifest (generation, {', '.join(_FIELDS)}) "
                f"VALUES (?, {', '.join('?' for _ in _FIELDS)})",
                [(generation, *(getattr(e, name) for name in _FIELDS)) for e in entries])
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise

    def prune(self, keep: int | None) -> None:
        """Forget the rows of every other generation (staged by crashed or older runs)."""
        if keep is None:
            self._conn.execute("DELETE FROM manifest")
        else:
            self._conn.execute("DELETE FROM manifest WHERE generation != ?", (keep,))

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()
