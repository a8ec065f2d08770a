"""Helpers shared by the indexer and store tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bot.config import Config, load_config
from bot.storage.embeddings import Embedder, default_embedder
from tests.support import write_config


class CountingEmbedder:
    """The real embedder, counting the passages and queries it is asked to embed."""

    def __init__(self, inner: Embedder | None = None, name: str | None = None) -> None:
        self.inner = inner or default_embedder()
        self.name = name or self.inner.name
        self.dim = self.inner.dim
        self.passages = 0
        self.texts: list[str] = []
        self.queries: list[str] = []

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.queries.extend(texts)
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.passages += len(texts)
        self.texts.extend(texts)
        return self.inner.embed_passages(texts)


def make_config(tmp_path: Path, knowledge: Path, **vector_store: Any) -> Config:
    overrides: dict[str, Any] = {"knowledge": {"dir": str(knowledge)}}
    if vector_store:
        overrides["vector_store"] = vector_store
    return load_config(write_config(tmp_path, overrides))
