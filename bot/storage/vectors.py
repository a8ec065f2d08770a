"""The vectors stored with an index generation, as the answerer reads them: one row per chunk,
per sentence and per name (see bot.domain.derived), loaded once per generation."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class VectorTable:
    """Texts with their L2-normalised float32 vectors (row i of `matrix` is `texts[i]`)."""

    texts: tuple[str, ...]
    matrix: np.ndarray  # shape (len(texts), dim)
    chunk_ids: tuple[str, ...]  # the chunk each text comes from
    positions: tuple[int, ...]  # the text's index among its chunk's derived texts

    def __len__(self) -> int:
        return len(self.texts)


def empty_table(dim: int = 384) -> VectorTable:
    """A table with no rows."""
    return VectorTable((), np.zeros((0, dim), dtype=np.float32), (), ())


@dataclass(frozen=True)
class IndexVectors:
    """Everything embedded at index time for one generation."""

    chunks: VectorTable = field(default_factory=empty_table)  # passage vectors of the chunks
    sentences: VectorTable = field(default_factory=empty_table)  # passage vectors, sentences_of
    names: VectorTable = field(default_factory=empty_table)  # query vectors, names_of
