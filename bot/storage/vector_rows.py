"""The stored vectors of an index generation: one SQLite table `vec_g<N>` per generation.

Beside the FTS5 table `lex_g<N>` (bot.storage.lexical) it holds, for every chunk, its passage
vector (the one Chroma holds too), the passage vectors of its sentences
(`bot.domain.derived.sentences_of`) and the query vectors of its names (`names_of`), as
little-endian float32 blobs. Only `bot.storage.knowledge` uses this module; it owns the
connection, the locking and the generation numbers. The indexer computes the vectors once, so
a reader only loads them (`load`: one query, one `numpy.frombuffer`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from bot.storage.chunk import Chunk
from bot.storage.vectors import IndexVectors, VectorTable

# Bump when the table layout changes (it is part of the index signature: a change re-embeds).
FORMAT_VERSION = 1
_DTYPE = np.dtype("<f4")
_PREFIX = "vec_g"

Row = tuple[int, str, str, int, str, bytes]  # kind, chunk_id, file, position, text, vector


class VectorKind(IntEnum):
    """What a stored vector embeds."""

    CHUNK = 0  # the chunk's passage (title, section and text), position 0
    SENTENCE = 1  # sentences_of(chunk.text)[position], as a passage
    NAME = 2  # names_of(chunk.text)[position], as a query


class VectorRowsError(Exception):
    """The stored vectors do not match the chunks (a damaged or half-written table)."""


@dataclass(frozen=True)
class DerivedVectors:
    """What the indexer embedded for one chunk besides its passage."""

    sentences: tuple[str, ...]
    sentence_vectors: np.ndarray  # (len(sentences), dim)
    names: tuple[str, ...]
    name_vectors: np.ndarray  # (len(names), dim)


def table_name(generation: int) -> str:
    """The table that holds one generation's vectors."""
    return f"{_PREFIX}{int(generation)}"


def create_table(conn: sqlite3.Connection, generation: int) -> None:
    """Create (or empty) the table of a generation."""
    name = table_name(generation)
    conn.execute(f"DROP TABLE IF EXISTS {name}")
    conn.execute(
        f"CREATE TABLE {name} (kind INTEGER NOT NULL, chunk_id TEXT NOT NULL, "
        "file TEXT NOT NULL, position INTEGER NOT NULL, text TEXT NOT NULL, "
        "vector BLOB NOT NULL, UNIQUE (chunk_id, kind, position))")


def drop_table(conn: sqlite3.Connection, generation: int) -> None:
    """Remove a generation's table if it exists."""
    conn.execute(f"DROP TABLE IF EXISTS {table_name(generation)}")


def generations(conn: sqlite3.Connection) -> list[int]:
    """Generation numbers that have a table."""
    rows = conn.execute(
        f"SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB '{_PREFIX}[0-9]*'"
    ).fetchall()
    return sorted(int(name[len(_PREFIX):]) for (name,) in rows
                  if name[len(_PREFIX):].isdigit())


def rows_of(chunks: Sequence[Chunk], passages: np.ndarray,
            derived: Sequence[DerivedVectors]) -> Iterator[Row]:
    """The rows of newly embedded chunks (passage vectors row by row, as in `chunks`)."""
    if not len(chunks) == len(passages) == len(derived):
        raise ValueError(f"{len(chunks)} chunks, {len(passages)} passage vectors and "
                         f"{len(derived)} derived sets")
    for chunk, passage, extra in zip(chunks, passages, derived, strict=True):
        yield (VectorKind.CHUNK, chunk.id, chunk.file, 0, chunk.text, _blob(passage))
        for kind, texts, matrix in ((VectorKind.SENTENCE, extra.sentences,
                                     extra.sentence_vectors),
                                    (VectorKind.NAME, extra.names, extra.name_vectors)):
            if len(texts) != len(matrix):
                raise ValueError(f"{chunk.id}: {len(texts)} texts, {len(matrix)} vectors")
            for position, (text, vector) in enumerate(zip(texts, matrix, strict=True)):
                yield (kind, chunk.id, chunk.file, position, text, _blob(vector))


def insert_rows(conn: sqlite3.Connection, generation: int, rows: Iterable[Row]) -> None:
    """Add rows (kind, chunk_id, file, position, text, vector)."""
    conn.executemany(
        f"INSERT INTO {table_name(generation)} (kind, chunk_id, file, position, text, vector) "
        "VALUES (?, ?, ?, ?, ?, ?)", ((int(r[0]), *r[1:]) for r in rows))


def copy_files(conn: sqlite3.Connection, source: int, target: int, files: Sequence[str]) -> int:
    """Copy every row of `files` from one generation to another; returns the chunk rows."""
    columns = "kind, chunk_id, file, position, text, vector"
    chunks = 0
    for start in range(0, len(files), 500):
        batch = list(files[start:start + 500])
        marks = ", ".join("?" for _ in batch)
        conn.execute(
            f"INSERT INTO {table_name(target)} ({columns}) SELECT {columns} "
            f"FROM {table_name(source)} WHERE file IN ({marks}) ORDER BY rowid", batch)
        chunks += int(conn.execute(
            f"SELECT count(*) FROM {table_name(target)} WHERE kind = ? AND file IN ({marks})",
            [int(VectorKind.CHUNK), *batch]).fetchone()[0])
    return chunks


def load(conn: sqlite3.Connection, generation: int, chunk_ids: Sequence[str],
         dim: int) -> IndexVectors:
    """Every vector of a generation, rows in the order of `chunk_ids` then by position.

    Raises VectorRowsError when a chunk has no passage vector, a row names an unknown chunk or
    a blob is not `dim` float32 values; sqlite3.OperationalError when the table is missing.
    """
    order = {chunk_id: i for i, chunk_id in enumerate(chunk_ids)}
    rows = conn.execute(
        f"SELECT kind, chunk_id, position, text, vector FROM {table_name(generation)}"
    ).fetchall()
    by_kind: dict[int, list[tuple[int, int, str, str, bytes]]] = {int(k): [] for k in VectorKind}
    width = dim * _DTYPE.itemsize
    for kind, chunk_id, position, text, vector in rows:
        ordinal = order.get(chunk_id)
        if ordinal is None:
            raise VectorRowsError(f"vectors of an unknown chunk {chunk_id}")
        if kind not in by_kind:
            raise VectorRowsError(f"a vector of unknown kind {kind}")
        if not isinstance(vector, bytes) or len(vector) != width:
            raise VectorRowsError(f"a vector of {chunk_id} is not {dim} float32 values")
        by_kind[kind].append((ordinal, int(position), chunk_id, text, vector))
    if len(by_kind[VectorKind.CHUNK]) != len(order):
        raise VectorRowsError(f"{len(by_kind[VectorKind.CHUNK])} passage vectors for "
                              f"{len(order)} chunks")
    return IndexVectors(chunks=_table(by_kind[VectorKind.CHUNK], dim),
                        sentences=_table(by_kind[VectorKind.SENTENCE], dim),
                        names=_table(by_kind[VectorKind.NAME], dim))


def _table(rows: list[tuple[int, int, str, str, bytes]], dim: int) -> VectorTable:
    rows.sort(key=lambda row: (row[0], row[1]))
    # One buffer, one frombuffer: read-only rows shared by every reader of the generation.
    matrix = np.frombuffer(b"".join(r[4] for r in rows), dtype=_DTYPE).reshape(len(rows), dim)
    return VectorTable(texts=tuple(r[3] for r in rows), matrix=matrix.astype(np.float32,
                                                                            copy=False),
                       chunk_ids=tuple(r[2] for r in rows), positions=tuple(r[1] for r in rows))


def _blob(vector: np.ndarray) -> bytes:
    return np.ascontiguousarray(vector, dtype=_DTYPE).tobytes()
