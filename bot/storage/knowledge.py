"""The knowledge index: Chroma (dense, cosine) and SQLite FTS5 (BM25) over the same chunks.

This is the one module that opens Chroma and the lexical index; the bot reads through it and the
indexer writes through it. The index lives in generations: a run writes generation N+1 beside the
published one (a Chroma collection `<collection>-g<N+1>` and an FTS5 table `lex_g<N+1>` in
`PANEL_DATA_DIR/index.sqlite`), then publishes it by changing one row. A crash or a kill at any
point before that row changes leaves generation N untouched; leftovers are dropped by the next
run. Readers pick up a newly published generation on their next query (or `refresh()`), in this
process or another, without a restart.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from bot.config import VectorStoreConfig
from bot.storage import chroma_access, lexical
from bot.storage.chroma_access import KnowledgeStoreError
from bot.storage.chunk import Chunk
from bot.storage.db import create_private, immediate_transaction
from bot.storage.embeddings import Embedder

log = logging.getLogger(__name__)

INDEX_DB_NAME = "index.sqlite"
CHROMA_DIR_NAME = "chroma"

__all__ = ["Chunk", "ChromaTarget", "KnowledgeStore", "KnowledgeStoreError", "StagedGeneration"]

_STATE_SCHEMA = "CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL)"


class ChromaTarget(NamedTuple):
    """What a LangChain `Chroma(client=..., collection_name=...)` needs (current generation)."""

    client: Any
    collection_name: str


class KnowledgeStore:
    """Reads (and, for the indexer, writes) the published generation of the index."""

    def __init__(self, data_dir: Path, vector_store: VectorStoreConfig,
                 embedder: Embedder) -> None:
        self.data_dir = Path(data_dir)
        self.vector_store = vector_store
        self.embedder = embedder
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(create_private(self.data_dir / INDEX_DB_NAME), timeout=30,
                                     isolation_level=None, check_same_thread=False)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute(_STATE_SCHEMA)
        self._chroma = chroma_access.ChromaAccess(self.data_dir / CHROMA_DIR_NAME, vector_store,
                                                  embedder)
        self._generation: int | None = None
        self._collection_name: str | None = None
        self._built_with: str | None = None
        self._warned_embedder = False
        self.refresh()

    @classmethod
    def open(cls, data_dir: Path, vector_store: VectorStoreConfig,
             embedder: Embedder) -> KnowledgeStore:
        """Open the index under `data_dir` (Chroma itself is opened on first use)."""
        return cls(data_dir, vector_store, embedder)

    # --- read side -------------------------------------------------------------------------

    @property
    def generation(self) -> int | None:
        """The published generation this store reads (None before the first index run)."""
        return self._generation

    def refresh(self) -> bool:
        """Switch to a newer published generation if there is one; True when it changed."""
        with self._lock:
            state = self.state()
            generation = int(state["generation"]) if "generation" in state else None
            if generation == self._generation:
                return False
            self._generation = generation
            self._collection_name = state.get("collection_name")
            self._built_with = state.get("embedder")
            self._warned_embedder = False
            log.info("knowledge index: now reading generation %s", generation)
            return True

    def count(self) -> int:
        """Number of chunks in the published index."""
        with self._lock:
            self.refresh()
            if self._generation is None:
                return 0
            return self._retry(lambda: lexical.count(self._conn, self._need_generation()))

    def all_chunks(self) -> list[Chunk]:
        """Every chunk of the published index, in document order."""
        with self._lock:
            self.refresh()
            if self._generation is None:
                return []
            rows = self._retry(lambda: lexical.all_rows(self._conn, self._need_generation()))
            return [Chunk.from_lexical_row(row) for row in rows]

    def lexical(self, query: str, k: int) -> list[tuple[Chunk, float]]:
        """The k best chunks by BM25 (higher is better)."""
        with self._lock:
            self.refresh()
            if self._generation is None:
                return []
            found = self._retry(
                lambda: lexical.search(self._conn, self._need_generation(), query, k))
            return [(Chunk.from_lexical_row(row), score) for row, score in found]

    def dense(self, query: str, k: int) -> list[tuple[Chunk, float]]:
        """The k chunks closest to the question (cosine similarity, higher is better)."""
        if k <= 0 or not query.strip():
            return []
        self.refresh()
        if self._generation is None or not self._embedder_matches():
            return []
        vector = self.embedder.embed_queries([query])[0]
        return self.dense_by_vector(vector, k)

    def dense_by_vector(self, vector: np.ndarray, k: int) -> list[tuple[Chunk, float]]:
        """The k chunks closest to an already embedded query."""
        self.refresh()
        if k <= 0 or self._collection_name is None:
            return []
        try:
            return self._chroma.query(self._collection_name, vector, k)
        except chroma_access.CollectionGone:
            # A newer run published and dropped this generation between refresh and query.
            if not self.refresh() or self._collection_name is None:
                raise KnowledgeStoreError(
                    f"the vector collection {self._collection_name} is missing from "
                    f"{self._chroma.describe()}: run python -m indexer --rebuild") from None
            return self._chroma.query(self._collection_name, vector, k)

    def chroma_collection(self) -> ChromaTarget:
        """The Chroma client and the current collection name (for the LangChain baseline)."""
        self.refresh()
        if self._collection_name is None:
            raise KnowledgeStoreError("the knowledge index is empty: run python -m indexer")
        return ChromaTarget(self._chroma.client(), self._collection_name)

    def close(self) -> None:
        """Close the SQLite connection (Chroma clients are shared per process)."""
        with self._lock:
            self._conn.close()

    def _need_generation(self) -> int:
        if self._generation is None:
            raise KnowledgeStoreError("the knowledge index is empty: run python -m indexer")
        return self._generation

    def _retry(self, read: Any) -> Any:
        try:
            return read()
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc) or not self.refresh():
                raise
            return read()

    def _embedder_matches(self) -> bool:
        if self._built_with is None or self._built_with == self.embedder.name:
            return True
        if not self._warned_embedder:
            log.error("the index was built with %s but the bot embeds with %s: dense search is "
                      "off until `python -m indexer --rebuild`", self._built_with,
                      self.embedder.name)
            self._warned_embedder = True
        return False

    # --- write side (used by the indexer, one writer at a time) -----------------------------

    def state(self) -> dict[str, str]:
        """The small key/value state table (published generation, staging, signature)."""
        with self._lock:
            return {row["key"]: row["value"]
                    for row in self._conn.execute("SELECT key, value FROM state")}

    def needs_cleanup(self) -> bool:
        """True when an earlier run left a staging generation or undropped old ones."""
        with self._lock:
            state = self.state()
            current = self._generation
            return "staging" in state or any(
                g != current for g in lexical.generations(self._conn))

    def discard_stale(self, also: str | None = None) -> None:
        """Drop every generation except the published one (leftovers of crashed runs).

        `also` names a replaced collection outside our prefix ([vector_store].collection was
        renamed), dropped too.
        """
        with self._lock:
            current = self._generation
            keep = self._collection_name
            self._chroma.drop_except(keep, also=also)
            for generation in lexical.generations(self._conn):
                if generation != current:
                    lexical.drop_table(self._conn, generation)
            self._set_state("staging", None)

    def stage(self) -> StagedGeneration:
        """Start writing a new generation beside the published one."""
        with self._lock:
            used = [*lexical.generations(self._conn), *self._chroma.generations()]
            if self._generation is not None:
                used.append(self._generation)
            generation = max([int(self.state().get("next_generation", "1"))]
                             + [g + 1 for g in used])
            self._set_state("next_generation", str(generation + 1))
            self._set_state("staging", str(generation))
            lexical.create_table(self._conn, generation)
            name = self._chroma.create(generation)
            return StagedGeneration(self, generation, name)

    def _transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return immediate_transaction(self._conn, self._lock)

    def _set_state(self, key: str, value: str | None) -> None:
        if value is None:
            self._conn.execute("DELETE FROM state WHERE key = ?", (key,))
        else:
            self._conn.execute("INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) "
                               "DO UPDATE SET value = excluded.value", (key, value))


class StagedGeneration:
    """A generation being written; invisible to readers until `publish()`."""

    def __init__(self, store: KnowledgeStore, generation: int, collection_name: str) -> None:
        self.store = store
        self.generation = generation
        self.collection_name = collection_name

    def copy_files(self, files: Sequence[str]) -> int:
        """Carry the chunks of unchanged files over from the published generation."""
        store = self.store
        source_gen, source_name = store.generation, store._collection_name
        if not files or source_gen is None or source_name is None:
            return 0
        copied = store._chroma.copy_files(source_name, self.collection_name, files)
        with store._transaction() as conn:
            rows = lexical.copy_files(conn, source_gen, self.generation, files)
        if rows != copied:
            raise KnowledgeStoreError(f"the index is inconsistent ({copied} vectors, {rows} "
                                      "lexical rows): run python -m indexer --rebuild")
        return copied

    def add(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        """Add newly embedded chunks."""
        if not chunks:
            return
        self.store._chroma.add(self.collection_name, chunks, vectors)
        with self.store._transaction() as conn:
            lexical.insert_rows(conn, self.generation, [c.lexical_row() for c in chunks])

    def count(self) -> int:
        """Chunks written so far."""
        with self.store._lock:
            return lexical.count(self.store._conn, self.generation)

    def publish(self, signature: str) -> None:
        """Make this generation the one readers see, then drop the older ones."""
        store = self.store
        previous = store._collection_name
        with store._transaction():
            store._set_state("generation", str(self.generation))
            store._set_state("collection_name", self.collection_name)
            store._set_state("embedder", store.embedder.name)
            store._set_state("signature", signature)
            store._set_state("staging", None)
        store.refresh()
        try:
            store.discard_stale(also=previous)
        except Exception:  # the new generation is live; leftovers go at the next run
            log.warning("could not drop old index generations", exc_info=True)
