"""Chroma behind a narrow interface for `bot.storage.knowledge` (no other module imports it).

chromadb is imported on first use (it takes over a second), so an indexer run with nothing to do
never loads it. Embedded mode opens a PersistentClient under PANEL_DATA_DIR/chroma; `[vector_store]
mode = "http"` talks to a `chroma run` server. Telemetry is off. Collections use cosine space and
our own embedding function (Chroma's default would download a model, which fails offline); the
vectors are computed by the caller anyway.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bot.config import VectorStoreConfig
from bot.storage.chunk import Chunk
from bot.storage.embeddings import Embedder

_INCLUDE = ["documents", "metadatas", "distances"]
_PAGE = 1000


class KnowledgeStoreError(Exception):
    """The index cannot be reached or used; the text is one line an organiser can act on."""


class CollectionGone(Exception):
    """The collection was dropped (a newer generation was published)."""


_ef_class: Any = None
_ef_lock = threading.Lock()


def embedding_function(embedder: Embedder) -> Any:
    """A Chroma EmbeddingFunction that delegates to our Embedder (registered once)."""
    global _ef_class
    with _ef_lock:
        if _ef_class is None:
            _ef_class = _define_embedding_function()
    return _ef_class(embedder)


def _define_embedding_function() -> Any:
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
    from chromadb.utils.embedding_functions import register_embedding_function

    @register_embedding_function
    class PanelEmbeddingFunction(EmbeddingFunction[Documents]):
        """Passages for documents, the query encoding for `query_texts`."""

        def __init__(self, embedder: Embedder | None = None) -> None:
            if embedder is None:
                from bot.storage.embeddings import default_embedder

                embedder = default_embedder()
            self.embedder = embedder

        def __call__(self, input: Documents) -> Embeddings:
            return list(self.embedder.embed_passages(list(input)))

        def embed_query(self, input: Documents) -> Embeddings:
            return list(self.embedder.embed_queries(list(input)))

        @staticmethod
        def name() -> str:
            return "panel_assistant"

        def get_config(self) -> dict[str, Any]:
            return {"model": self.embedder.name}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> PanelEmbeddingFunction:
            return PanelEmbeddingFunction()

        def default_space(self) -> Any:
            return "cosine"

        def supported_spaces(self) -> Any:
            return ["cosine"]

    return PanelEmbeddingFunction


class ChromaAccess:
    """One client per store (opened lazily) and the collection operations the index needs."""

    def __init__(self, path: Path, vector_store: VectorStoreConfig, embedder: Embedder) -> None:
        self.path = path
        self.config = vector_store
        self.embedder = embedder
        self.prefix = f"{vector_store.collection}-g"
        self._client: Any = None
        self._collections: dict[str, Any] = {}
        self._lock = threading.Lock()

    def describe(self) -> str:
        """Where the vectors live, for messages."""
        if self.config.mode == "http":
            return f"the Chroma server at http://{self.config.host}:{self.config.port}"
        return f"the embedded Chroma store in {self.path}"

    def client(self) -> Any:
        """The Chroma client (created on first use)."""
        with self._lock:
            if self._client is None:
                self._client = self._connect()
            return self._client

    def _connect(self) -> Any:
        import chromadb
        from chromadb.config import Settings

        settings = Settings(anonymized_telemetry=False)
        try:
            if self.config.mode == "http":
                client = chromadb.HttpClient(host=self.config.host, port=self.config.port,
                                             settings=settings)
                client.heartbeat()
                return client
            self.path.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=str(self.path), settings=settings)
        except Exception as exc:
            raise KnowledgeStoreError(f"cannot open {self.describe()}: {_one_line(exc)}"
                                      ) from exc

    def name(self, generation: int) -> str:
        """The collection that holds one generation."""
        return f"{self.prefix}{generation}"

    def generations(self) -> list[int]:
        """Generation numbers that have a collection."""
        found = []
        for name in self._names():
            suffix = name[len(self.prefix):]
            if name.startswith(self.prefix) and suffix.isdigit():
                found.append(int(suffix))
        return found

    def _names(self) -> list[str]:
        collections = self._call(lambda: self.client().list_collections())
        return [c if isinstance(c, str) else c.name for c in collections]

    def create(self, generation: int) -> str:
        """A new, empty collection for a generation (replacing a leftover of the same name)."""
        name = self.name(generation)
        client = self.client()
        if name in self._names():
            self._call(lambda: client.delete_collection(name))
        collection = self._call(lambda: client.create_collection(
            name, configuration={"hnsw": {"space": "cosine"}},
            embedding_function=embedding_function(self.embedder)))
        self._collections[name] = collection
        return name

    def drop_except(self, keep: str | None, also: str | None = None) -> None:
        """Delete our collections other than `keep` (and `also`, when it exists)."""
        for name in self._names():
            if (name.startswith(self.prefix) or name == also) and name != keep:
                self._call(lambda n=name: self.client().delete_collection(n))  # type: ignore[misc]
                self._collections.pop(name, None)

    def add(self, name: str, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        """Add chunks with their precomputed vectors."""
        collection = self._collection(name)
        self._call(lambda: collection.add(
            ids=[c.id for c in chunks], embeddings=np.asarray(vectors, dtype=np.float32),
            documents=[c.text for c in chunks], metadatas=[c.metadata() for c in chunks]))

    def copy_files(self, source: str, target: str, files: Sequence[str]) -> int:
        """Copy the vectors of `files` from one collection to another, without re-embedding."""
        src, dst = self._collection(source), self._collection(target)
        copied = 0
        offset = 0
        where = {"file": {"$in": list(files)}}
        while True:
            page = self._call(lambda o=offset: src.get(  # type: ignore[misc]
                where=where, include=["embeddings", "documents", "metadatas"],
                limit=_PAGE, offset=o))
            ids = page["ids"]
            if not ids:
                return copied
            self._call(lambda p=page: dst.add(  # type: ignore[misc]
                ids=p["ids"], embeddings=p["embeddings"], documents=p["documents"],
                metadatas=p["metadatas"]))
            copied += len(ids)
            offset += len(ids)

    def query(self, name: str, vector: np.ndarray, k: int) -> list[tuple[Chunk, float]]:
        """Nearest chunks with cosine similarity (1 - cosine distance)."""
        collection = self._collection(name)
        result = self._call(lambda: collection.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32)], n_results=int(k),
            include=_INCLUDE))
        ids = result["ids"][0]
        documents = (result.get("documents") or [[]])[0]
        metadatas = (result.get("metadatas") or [[]])[0]
        distances = (result.get("distances") or [[]])[0]
        return [
            (Chunk.from_metadata(cid, doc or "", dict(meta or {})), 1.0 - float(dist))
            for cid, doc, meta, dist in zip(ids, documents, metadatas, distances, strict=True)
        ]

    def _collection(self, name: str) -> Any:
        collection = self._collections.get(name)
        if collection is None:
            client = self.client()
            collection = self._call(lambda: client.get_collection(
                name, embedding_function=embedding_function(self.embedder)))
            self._collections[name] = collection
        return collection

    def _call(self, action: Any) -> Any:
        from chromadb.errors import NotFoundError

        try:
            return action()
        except NotFoundError as exc:
            self._collections.clear()
            raise CollectionGone(str(exc)) from exc
        except (KnowledgeStoreError, CollectionGone):
            raise
        except Exception as exc:
            if self.config.mode == "http" and _is_connection_error(exc):
                raise KnowledgeStoreError(f"cannot reach {self.describe()}: {_one_line(exc)}"
                                          ) from exc
            raise


def _is_connection_error(exc: BaseException) -> bool:
    names = {type(e).__name__ for e in _chain(exc)}
    return bool(names & {"ConnectError", "ConnectTimeout", "ReadTimeout", "RemoteProtocolError",
                         "ConnectionRefusedError", "ConnectionError"})


def _chain(exc: BaseException | None) -> list[BaseException]:
    seen: list[BaseException] = []
    while exc is not None and exc not in seen:
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__
    return seen


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]
