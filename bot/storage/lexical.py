"""The lexical (BM25) side of the knowledge index: one SQLite FTS5 table per index generation.

Only `bot.storage.knowledge` uses this module; it owns the connection and the locking. SQLite's
FTS5 does the BM25 ranking (`bm25()`), so nothing here scores by hand. Tables are named
`lex_g<N>`; a generation's table is filled while staging and becomes visible when the published
generation number (kept by the caller) moves to it.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

# Columns after `text` and `heading` are stored but not indexed (FTS5 UNINDEXED).
COLUMNS = ("text", "heading", "chunk_id", "file", "document", "page", "page_label", "section",
           "language", "url", "char_start", "char_end", "document_key")
# Columns added after the first layout: read as NULL from a generation made before them, so a
# bot keeps answering from an old index until the next run rebuilds it.
_ADDED = ("document_key",)
# BM25 weights: the chunk text counts fully, its document title and section heading half.
_WEIGHTS = "1.0, 0.5"
_MAX_TERMS = 64
_WORD = re.compile(r"\w+", re.UNICODE)


def table_name(generation: int) -> str:
    """The FTS5 table that holds one generation."""
    return f"lex_g{int(generation)}"


def create_table(conn: sqlite3.Connection, generation: int) -> None:
    """Create (or empty) the table of a generation."""
    name = table_name(generation)
    conn.execute(f"DROP TABLE IF EXISTS {name}")
    unindexed = ", ".join(f"{c} UNINDEXED" for c in COLUMNS[2:])
    conn.execute(
        f"CREATE VIRTUAL TABLE {name} USING fts5(text, heading, {unindexed}, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )


def drop_table(conn: sqlite3.Connection, generation: int) -> None:
    """Remove a generation's table if it exists."""
    conn.execute(f"DROP TABLE IF EXISTS {table_name(generation)}")


def generations(conn: sqlite3.Connection) -> list[int]:
    """Generation numbers that have a table."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'lex_g[0-9]*'"
    ).fetchall()
    found = []
    for (name,) in rows:
        suffix = name[len("lex_g"):]
        if suffix.isdigit():
            found.append(int(suffix))
    return sorted(found)


def insert_rows(conn: sqlite3.Connection, generation: int, rows: Iterable[Sequence[Any]]) -> None:
    """Add rows given in COLUMNS order."""
    marks = ", ".join("?" for _ in COLUMNS)
    conn.executemany(
        f"INSERT INTO {table_name(generation)} ({', '.join(COLUMNS)}) VALUES ({marks})", rows
    )


def copy_files(conn: sqlite3.Connection, source: int, target: int, files: Sequence[str]) -> int:
    """Copy every row of `files` from one generation to another; returns the row count."""
    columns = ", ".join(COLUMNS)
    selected = _select_list(conn, source)
    copied = 0
    for start in range(0, len(files), 500):
        batch = list(files[start:start + 500])
        marks = ", ".join("?" for _ in batch)
        cursor = conn.execute(
            f"INSERT INTO {table_name(target)} ({columns}) SELECT {selected} "
            f"FROM {table_name(source)} WHERE file IN ({marks}) ORDER BY rowid",
            batch,
        )
        copied += max(cursor.rowcount, 0)
    return copied


def match_expression(query: str) -> str | None:
    """An FTS5 query that ORs the words of a free-text question (None when it has none)."""
    terms: list[str] = []
    for word in _WORD.findall(query.casefold()):
        if word not in terms:
            terms.append(word)
    if not terms:
        return None
    # Each word is quoted, so FTS5 operators or column names in the question are inert.
    return " OR ".join(f'"{term}"' for term in terms[:_MAX_TERMS])


def search(conn: sqlite3.Connection, generation: int, query: str,
           k: int) -> list[tuple[sqlite3.Row, float]]:
    """The k best rows by BM25 with their score (higher is better)."""
    expression = match_expression(query)
    if expression is None or k <= 0:
        return []
    name = table_name(generation)
    rows = conn.execute(
        f"SELECT {_select_list(conn, generation)}, bm25({name}, {_WEIGHTS}) AS rank FROM {name} "
        f"WHERE {name} MATCH ? ORDER BY rank LIMIT ?",
        (expression, int(k)),
    ).fetchall()
    return [(row, -float(row["rank"])) for row in rows]


def all_rows(conn: sqlite3.Connection, generation: int) -> list[sqlite3.Row]:
    """Every row of a generation, in insertion order."""
    return conn.execute(
        f"SELECT {_select_list(conn, generation)} FROM {table_name(generation)} ORDER BY rowid"
    ).fetchall()


def count(conn: sqlite3.Connection, generation: int) -> int:
    """Number of rows in a generation."""
    return int(conn.execute(f"SELECT count(*) FROM {table_name(generation)}").fetchone()[0])


def _select_list(conn: sqlite3.Connection, generation: int) -> str:
    """COLUMNS for a SELECT, with NULL for the added columns an older table lacks."""
    present = {row[1] for row in conn.execute(f"PRAGMA table_info({table_name(generation)})")}
    return ", ".join(column if column in present or column not in _ADDED
                     else f"NULL AS {column}" for column in COLUMNS)
