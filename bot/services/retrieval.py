"""Hybrid retrieval: dense (e5 query embedding, Chroma) and BM25 rankings fused with weighted
reciprocal rank fusion. The weights are tuned on the dev set (bench/qa_eval.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from bot.domain.fusion import DEFAULT_RRF_K, reciprocal_rank_fusion


class ChunkLike(Protocol):
    """The parts of an indexed chunk that answering uses (bot.storage.knowledge.Chunk, a frozen
    dataclass: hence read-only properties)."""

    @property
    def id(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def document(self) -> str: ...

    @property
    def file(self) -> str: ...

    @property
    def page(self) -> int | None: ...

    @property
    def section(self) -> str | None: ...

    @property
    def url(self) -> str | None: ...

    @property
    def language(self) -> str | None: ...


class KnowledgeLike(Protocol):
    """The knowledge store's search interface (bot.storage.knowledge.KnowledgeStore)."""

    def dense_by_vector(self, vector: Any, k: int) -> Sequence[tuple[ChunkLike, float]]: ...

    def lexical(self, query: str, k: int) -> Sequence[tuple[ChunkLike, float]]: ...

    def all_chunks(self) -> Sequence[ChunkLike]: ...

    def refresh(self) -> bool: ...

    @property
    def generation(self) -> int | None: ...


class EmbedderLike(Protocol):
    """The shared embedding model wrapper (bot.storage.embeddings.Embedder)."""

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and the ranks that made it."""

    chunk: ChunkLike
    score: float
    dense_rank: int | None
    dense_score: float | None
    lexical_rank: int | None
    lexical_score: float | None


@dataclass(frozen=True)
class FusionWeights:
    """Weights of the two rankings in the fusion, and the RRF constant.

    Tuned on the dev set (bench/qa_eval.py --sweep): BM25 at a quarter of the dense weight
    breaks near-ties (document symbols, resolution numbers) without letting the background
    paragraph outrank the passage the question is about. Questions in another language than
    the documents skip BM25 (ContentAnswerer.search).
    """

    dense: float = 1.0
    lexical: float = 0.25
    rrf_k: float = DEFAULT_RRF_K
    depth: int = 20  # how many results each retriever contributes


class HybridRetriever:
    """Dense + BM25 search fused by reciprocal rank."""

    def __init__(self, store: KnowledgeLike, weights: FusionWeights | None = None) -> None:
        self.store = store
        self.weights = weights or FusionWeights()

    def search(self, question: str, vector: np.ndarray, k: int = 5,
               lexical_weight: float | None = None) -> list[Hit]:
        """The k best chunks for a question whose query embedding is `vector`.

        `lexical_weight` overrides the BM25 weight for this question (0 turns BM25 off, e.g.
        for a French question over English documents, where it only matches stray words).
        """
        w = self.weights
        lexical_w = w.lexical if lexical_weight is None else lexical_weight
        dense = list(self.store.dense_by_vector(vector, w.depth)) if w.dense > 0 else []
        lexical = list(self.store.lexical(question, w.depth)) if lexical_w > 0 else []
        chunks = {c.id: c for c, _ in [*dense, *lexical]}
        dense_at = {c.id: (rank, score) for rank, (c, score) in enumerate(dense, 1)}
        lexical_at = {c.id: (rank, score) for rank, (c, score) in enumerate(lexical, 1)
                      if score > 0}
        fused = reciprocal_rank_fusion(
            [[c.id for c, _ in dense], [c.id for c, s in lexical if s > 0]],
            [w.dense, lexical_w], k=w.rrf_k)
        hits = []
        for chunk_id, score in fused[:k]:
            d_rank, d_score = dense_at.get(chunk_id, (None, None))
            l_rank, l_score = lexical_at.get(chunk_id, (None, None))
            hits.append(Hit(chunks[chunk_id], score, d_rank, d_score, l_rank, l_score))
        return hits
