"""Does the evidence talk about what the question is about?

Each content word of the question (stop words and words that fit every question about the
panel removed) must appear in the evidence: as the same word stem in any language ("objectifs"
~ "Objectives"), or, across languages, as a word whose e5 embedding is very close
("almuerzo" is close to "lunch", which the documents never mention). Word vectors are cached.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from bm25s.stopwords import STOPWORDS_EN_PLUS, STOPWORDS_FRENCH, STOPWORDS_SPANISH

from bot.domain.extractive import fold, words
from bot.services.retrieval import EmbedderLike

STEM = 5
# Words true of every question about this meeting: they say nothing about what is asked.
_GENERIC = words(
    "panel panels panelist session sessions meeting meetings event events conference "
    "roundtable high level high-level document documents say says said mention mentioned "
    "talk tell know please thank thanks will would could should also there here "
    "panel seance session reunion evenement evento sesion reunion mesa ronde table "
    "haut niveau alto nivel documento documentos dit dice dicen disent quel quelle quels "
    "quelles cet cette ces cual cuales habra hay puedo peut puis find found get obtain "
    "trouver trouve obtenir encontrar encuentran encuentra encuentro obtener happen happens "
    "happening possible available disponible disponibles pasa passe "
    "relate relates related stand stands mean means meaning tient tiennent tenir lieu "
    "puede pueden podemos peux pouvons pouvez can may theme themes topic topics subject "
    "theme themes sujet sujets tema temas asunto note notes concept nota held hold holds "
    "located situated happen"
)
_STOP = frozenset(fold(w) for w in (*STOPWORDS_EN_PLUS, *STOPWORDS_FRENCH, *STOPWORDS_SPANISH))
STOP_WORDS = _STOP
_WORD = re.compile(r"[^\W\d_]{3,}")
_TOKEN = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Term:
    """A content word of a question: folded (for stems), as written (for the embedding, since
    accents help the model), and with the short word before it ("en línea")."""

    key: str
    surface: str
    phrase: str | None = None


def question_terms(question: str) -> list[Term]:
    """The question's words that carry what it asks about, in order, once each."""
    tokens = _TOKEN.findall(question.lower())
    terms: dict[str, Term] = {}
    for i, token in enumerate(tokens):
        key = fold(token)
        if len(key) < 3 or key in _STOP or key in _GENERIC or key in terms:
            continue
        before = tokens[i - 1] if i > 0 else ""
        phrase = f"{before} {token}" if before and fold(before) in _STOP else None
        terms[key] = Term(key, token, phrase)
    return list(terms.values())


def content_words(question: str) -> list[str]:
    """The folded content words of a question."""
    return [t.key for t in question_terms(question)]


def overlap(terms: list[str], text: str) -> float:
    """The share of `terms` (folded) found in `text`, by word or by stem."""
    if not terms:
        return 0.0
    have = evidence_words(text)
    stems = {w[:STEM] for w in have if len(w) >= STEM}
    found = sum(t in have or (len(t) >= STEM and t[:STEM] in stems) for t in terms)
    return found / len(terms)


def evidence_words(text: str) -> set[str]:
    """The distinct folded words of an evidence text."""
    return {w for w in _WORD.findall(fold(text)) if w not in _STOP}


class TermCoverage:
    """Checks question words against evidence words, lexically then by embedding."""

    def __init__(self, embedder: EmbedderLike, threshold: float = 0.9) -> None:
        self.embedder = embedder
        self.threshold = threshold
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def uncovered(self, question: str, evidence: Iterable[str], tolerated: int = 0) -> list[str]:
        """The question's content words (folded) that the evidence does not cover.

        With `tolerated` > 0 the caller accepts that many uncovered words: when no more are
        missing even as written, they are returned without the (costly) embedding check.
        """
        have: set[str] = set()
        for text in evidence:
            have |= evidence_words(text)
        stems = {w[:STEM] for w in have if len(w) >= STEM}
        missing = [t for t in question_terms(question) if t.key not in have
                   and (len(t.key) < STEM or t.key[:STEM] not in stems)]
        if not missing or not have or len(missing) <= tolerated:
            return [t.key for t in missing]
        matrix = self._matrix(sorted(have))
        phrases = [t.phrase for t in missing if t.phrase]
        # One model call for the words and their phrases.
        asked = self._matrix([t.surface for t in missing] + phrases) @ matrix.T
        best = asked[: len(missing)].max(axis=1)
        if phrases:
            by_phrase = dict(zip(phrases, asked[len(missing):].max(axis=1), strict=True))
            best = np.maximum(best, [by_phrase.get(t.phrase or "", 0.0) for t in missing])
        return [t.key for t, score in zip(missing, best, strict=True) if score < self.threshold]

    def warm(self, texts: Iterable[str]) -> None:
        """Embed the words of these texts ahead of the first question."""
        vocabulary: set[str] = set()
        for text in texts:
            vocabulary |= evidence_words(text)
        self._matrix(sorted(vocabulary))

    def _matrix(self, terms: Sequence[str]) -> np.ndarray:
        if not terms:  # e.g. warming up on an empty index
            return np.zeros((0, 0), dtype=np.float32)
        with self._lock:
            todo = [t for t in terms if t not in self._vectors]
        if todo:
            vectors = self.embedder.embed_queries(todo)
            with self._lock:
                self._vectors.update(zip(todo, vectors, strict=True))
        with self._lock:
            return np.stack([self._vectors[t] for t in terms])
