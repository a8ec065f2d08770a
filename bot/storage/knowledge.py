"""The knowledge index: Chroma (dense, cosine) and SQLite FTS5 (BM25) over the same chunks.

This is the one module that opens Chroma and the lexical index; the bot reads through it and the
indexer writes through it. The index lives in generations: a run writes generation N+1 beside the
published one (a Chroma collection `<collection>-g<N+1>` and an FTS5 table `lex_g<N+1>` in
`PANEL_DATA_DIR/index.sqlite`), then publishes it by changing one row. A crash or a kill at any
point before that row changes leaves generation N untouched; leftovers are dropped by the next
run. Readers pick up a newly published generation on their next query (or `refresh()`), in this
process or another, without a restart.

Each generation also keeps its vectors in SQLite (`vec_g<N>`, bot.storage.vector_rows): the
chunks' passage vectors (the same as in Chroma), their sentences' and their names'. The bot
loads them once per generation (`vectors()`) and searches the chunk vectors exactly
(`dense_by_vector`), so the same question on the same index gets the same passages in every
process; Chroma's approximate search is left to the LangChain baseline (`chroma_collection()`).
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
from bot.storage import chroma_access, lexical, vector_rows
from bot.storage.chroma_access import KnowledgeStoreError
from bot.storage.chunk import Chunk
from bot.storage.db import create_private, immediate_transaction
from bot.storage.embeddings import Embedder
from bot.storage.vector_rows import DerivedVectors, VectorRowsError
from bot.storage.vectors import IndexVectors, empty_table

log = logging.getLogger(__name__)

INDEX_DB_NAME = "index.sqlite"
CHROMA_DIR_NAME = "chroma"

__all__ = ["Chunk", "ChromaTarget", "DerivedVectors", "IndexVectors", "KnowledgeStore",
           "KnowledgeStoreError", "StagedGeneration"]

_STATE_SCHEMA = "CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL)"


class ChromaTarget(NamedTuple):
    """What a LangChain `Chroma(client=..., collection_name=...)` needs (current generation)."""

    client: Any
    collection_name: str


class VectorsMissing(KnowledgeStoreError):
    """The published generation has no stored vectors (an index made by an older version)."""


class _Loaded(NamedTuple):
    """What `vectors()` read for one generation (chunks in document order, their vectors)."""

    generation: int
    chunks: tuple[Chunk, ...]
    vectors: IndexVectors


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
        self._loaded: _Loaded | None = None
        self._warned_vectors = False
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
            self._loaded = None
            self._warned_vectors = False
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
        """The k chunks closest to an already embedded query (exact cosine; ties go to the
        earlier chunk in document order), the same in every process for the same index."""
        if k <= 0:
            return []
        try:
            loaded = self._load()
        except VectorsMissing:
            return self._approximate(vector, k)
        matrix = loaded.vectors.chunks.matrix
        if loaded.generation < 0 or not len(matrix):
            return []
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        if query.shape[0] != matrix.shape[1]:
            raise ValueError(f"a query vector of {query.shape[0]} values for {matrix.shape[1]}")
        # einsum, not BLAS: its sums do not depend on how many threads BLAS uses, so every
        # process computes bit-identical scores and ranks near-ties alike.
        scores = np.einsum("ij,j->i", matrix, query)
        order = np.lexsort((np.arange(len(scores)), -scores))[:k]
        return [(loaded.chunks[i], float(scores[i])) for i in order]

    def vectors(self) -> IndexVectors:
        """The vectors stored with the published generation (loaded once per generation;
        the matrices are read-only and shared)."""
        return self._load().vectors

    def _approximate(self, vector: np.ndarray, k: int) -> list[tuple[Chunk, float]]:
        """Chroma's approximate search, for an index made before vectors were stored."""
        with self._lock:
            if not self._warned_vectors:
                log.error("index generation %s has no stored vectors (an older version made "
                          "it): dense search is approximate and start-up slow until "
                          "`python -m indexer --rebuild`", self._generation)
                self._warned_vectors = True
            name = self._collection_name
        if name is None:
            return []
        try:
            return self._chroma.query(name, vector, k)
        except chroma_access.CollectionGone:
            raise KnowledgeStoreError(
                f"the vector collection {name} is missing from {self._chroma.describe()}: "
                "run python -m indexer --rebuild") from None

    def _load(self) -> _Loaded:
        with self._lock:
            self.refresh()
            generation = self._generation
            if self._loaded is not None and self._loaded.generation == (
                    -1 if generation is None else generation):
                return self._loaded
            if generation is None:
                empty = empty_table(self.embedder.dim)
                self._loaded = _Loaded(-1, (), IndexVectors(empty, empty, empty))
                return self._loaded
            try:
                loaded = self._retry(lambda: self._read_generation(self._need_generation()))
            except sqlite3.OperationalError as exc:
                if "no such table" not in str(exc):
                    raise KnowledgeStoreError(
                        f"the stored vectors of index generation {self._generation} cannot be "
                        f"read ({exc}): run python -m indexer --rebuild") from exc
                raise VectorsMissing(
                    f"the stored vectors of index generation {self._generation} are missing "
                    f"({exc}): run python -m indexer --rebuild") from exc
            except (sqlite3.DatabaseError, VectorRowsError) as exc:
                raise KnowledgeStoreError(
                    f"the stored vectors of index generation {self._generation} are missing or "
                    f"damaged ({exc}): run python -m indexer --rebuild") from exc
            self._loaded = loaded
            log.info("knowledge index: loaded the vectors of generation %d (%d chunks, "
                     "%d sentences, %d names)", loaded.generation, len(loaded.vectors.chunks),
                     len(loaded.vectors.sentences), len(loaded.vectors.names))
            return loaded

    def _read_generation(self, generation: int) -> _Loaded:
        chunks = tuple(Chunk.from_lexical_row(row)
                       for row in lexical.all_rows(self._conn, generation))
        vectors = vector_rows.load(self._conn, generation, [c.id for c in chunks],
                                   self.embedder.dim)
        return _Loaded(generation, chunks, vectors)

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
            return "staging" in state or any(g != current for g in self._table_generations())

    def discard_stale(self, also: str | None = None) -> None:
        """Drop every generation except the published one (leftovers of crashed runs).

        `also` names a replaced collection outside our prefix ([vector_store].collection was
        renamed), dropped too.
        """
        with self._lock:
            current = self._generation
            keep = self._collection_name
            self._chroma.drop_except(keep, also=also)
            for generation in self._table_generations():
                if generation != current:
                    lexical.drop_table(self._conn, generation)
                    vector_rows.drop_table(self._conn, generation)
            self._set_state("staging", None)

    def _table_generations(self) -> set[int]:
        return {*lexical.generations(self._conn), *vector_rows.generations(self._conn)}

    def stage(self) -> StagedGeneration:
        """Start writing a new generation beside the published one."""
        with self._lock:
            used = [*self._table_generations(), *self._chroma.generations()]
            if self._generation is not None:
                used.append(self._generation)
            generation = max([int(self.state().get("next_generation", "1"))]
                             + [g + 1 for g in used])
            self._set_state("next_generation", str(generation + 1))
            self._set_state("staging", str(generation))
            lexical.create_table(self._conn, generation)
            vector_rows.create_table(self._conn, generation)
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
        try:
            with store._transaction() as conn:
                rows = lexical.copy_files(conn, source_gen, self.generation, files)
                stored = vector_rows.copy_files(conn, source_gen, self.generation, files)
        except sqlite3.OperationalError as exc:
            raise KnowledgeStoreError(f"the published index cannot be copied ({exc}): run "
                                      "python -m indexer --rebuild") from exc
        if not rows == copied == stored:
            raise KnowledgeStoreError(f"the index is inconsistent ({copied} vectors in Chroma, "
                                      f"{rows} lexical rows, {stored} stored passage vectors): "
                                      "run python -m indexer --rebuild")
        return copied

    def add(self, chunks: Sequence[Chunk], vectors: np.ndarray,
            derived: Sequence[DerivedVectors]) -> None:
        """Add newly embedded chunks with their passage vectors (row i is chunks[i]) and the
        vectors of their sentences and names."""
        if not chunks:
            return
        rows = list(vector_rows.rows_of(chunks, vectors, derived))
        self.store._chroma.add(self.collection_name, chunks, vectors)
        with self.store._transaction() as conn:
            lexical.insert_rows(conn, self.generation, [c.lexical_row() for c in chunks])
            vector_rows.insert_rows(conn, self.generation, rows)

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
