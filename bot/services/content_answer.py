"""Content questions: hybrid retrieval, then the few sentences that answer, or an abstention.

The evidence decides, not a score alone: the sentences must hold what the question asks for
(`bot.domain.evidence`), the passages must talk about the question's own words
(`bot.services.coverage`), and the best sentence must be close enough to the question.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from bot.domain.answer import Source
from bot.domain.evidence import Lexicon, Need, missing, needs_of
from bot.domain.extractive import Candidate, clean_text, fold, select_sentences, split_sentences
from bot.domain.question_kind import guess_language
from bot.services.coverage import TermCoverage, content_words, overlap
from bot.services.retrieval import EmbedderLike, FusionWeights, Hit, HybridRetriever, KnowledgeLike

_HEADING = re.compile(r"^\s*(?:#{1,6}\s*(.+?)\s*#*|\*\*([^*\n]+)\*\*)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class ContentTuning:
    """Retrieval and abstention settings (tuned on bench/data/dev_questions.jsonl)."""

    weights: FusionWeights = field(default_factory=FusionWeights)
    passages: int = 3  # chunks whose sentences may be quoted
    max_chars: int = 600
    max_sentences: int = 3
    context_weight: float = 0.5  # sentence score = mix of its cosine and its passage's
    min_score: float = 0.78  # the best sentence's score must reach this
    keep_within: float = 0.03  # other sentences: at most this far below the best one
    word_similarity: float = 0.93  # a question word is covered by an evidence word this close
    allowed_misses: float = 0.34  # share of the question's content words that may be missing
    term_bonus: float = 0.05  # added to a sentence's score for holding all the question's words


@dataclass(frozen=True)
class Extract:
    """The outcome for a content question: quotes and sources, or why there are none."""

    quotes: tuple[str, ...]
    sources: tuple[Source, ...]
    chunks: tuple[Any, ...]
    reason: str = ""  # set when abstaining
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def abstained(self) -> bool:
        return bool(self.reason)


class ContentAnswerer:
    """Finds and checks the evidence for one content question."""

    def __init__(self, store: KnowledgeLike, embedder: EmbedderLike, lexicon: Lexicon,
                 tuning: ContentTuning | None = None) -> None:
        self.tuning = tuning or ContentTuning()
        self.embedder = embedder
        self.lexicon = lexicon
        self.retriever = HybridRetriever(store, self.tuning.weights)
        self.coverage = TermCoverage(embedder, self.tuning.word_similarity)
        self.store = store
        self._vectors: dict[str, np.ndarray] = {}
        self._language: str | None = None
        self._lock = threading.RLock()

    def warm(self, chunks: Sequence[Any], limit: int = 5000) -> None:
        """Embed the sentences of up to `limit` sentences' worth of chunks ahead of questions."""
        sentences = [s for c in chunks for s in split_sentences(clean_text(c.text))]
        self._sentence_vectors(sentences[:limit])

    def clear(self) -> None:
        """Forget cached sentence vectors and the corpus language (after re-indexing)."""
        with self._lock:
            self._vectors.clear()
            self._language = None

    def extract(self, question: str) -> Extract:
        """Quotes answering `question`, or an Extract with a `reason` to abstain."""
        t = self.tuning
        vector = self.embedder.embed_queries([question])[0]
        hits = self.search(question, vector, k=max(5, t.passages))
        top = hits[: t.passages]
        details: dict[str, Any] = {"hits": [h.chunk.id for h in hits]}
        candidates = self._candidates(top, vector, content_words(question))
        chunks = tuple(h.chunk for h in top)
        if not candidates:
            return Extract((), (), chunks, "no passages", details)
        needs = needs_of(question)
        if needs.kinds:
            details["needs"] = sorted(str(n) for n in needs.kinds)
            fitting = [c for c in candidates if self._fits(needs, c, candidates)]
            if not fitting:
                return Extract((), (), chunks, "the passages lack what is asked", details)
            candidates = fitting
        best = max(c.score for c in candidates)
        details["best"] = round(best, 4)
        if best < t.min_score:
            return Extract((), (), chunks, "weak evidence", details)
        pool = [c for c in candidates if c.score >= best - t.keep_within]
        chosen = _with_lists(select_sentences(pool, t.max_chars, t.max_sentences),
                             candidates, t.max_chars)
        # The quoted sentences themselves (with their section titles) must be about the
        # question's own words; otherwise the documents do not answer it.
        words = content_words(question)
        evidence = [c.text for c in chosen] + [chunks[c.passage].section or "" for c in chosen]
        allowed = int(len(words) * t.allowed_misses)
        if needs.kinds - {Need.PLACE}:
            allowed += 1  # the passages hold the very kind of thing asked for (a link, a date)
        # Words within the allowance need no embedding check: the answer stands either way.
        uncovered = self.coverage.uncovered(question, evidence, tolerated=allowed)
        details["uncovered"] = uncovered
        if words and len(uncovered) > allowed:
            return Extract((), (), chunks, "the passages are about something else", details)
        return Extract(tuple(c.text for c in chosen), _sources(chosen, chunks), chunks, "",
                       details)

    def search(self, question: str, vector: np.ndarray, k: int = 5) -> list[Hit]:
        """Hybrid search; BM25 is left out when the question is not in the documents'
        language (it would only match stray words such as names)."""
        language = guess_language(question)
        corpus = self._corpus_language()
        cross = language is not None and corpus is not None and language != corpus
        return self.retriever.search(question, vector, k, lexical_weight=0.0 if cross else None)

    def _corpus_language(self) -> str | None:
        with self._lock:
            if self._language is None:
                counts = Counter(c.language for c in self.store.all_chunks() if c.language)
                self._language = counts.most_common(1)[0][0] if counts else ""
            return self._language or None

    def _fits(self, needs: Any, candidate: Candidate, candidates: Sequence[Candidate]) -> bool:
        if not missing(needs, candidate.text, self.lexicon):
            return True
        # A count is sometimes in the next sentence ("...panelists. There are five.").
        return Need.COUNT in needs.kinds and not missing(needs, _around(candidate, candidates),
                                                         self.lexicon)

    def _candidates(self, hits: Sequence[Hit], vector: np.ndarray,
                    terms: list[str]) -> list[Candidate]:
        """Every sentence of the top chunks except headings, scored against the question."""
        t = self.tuning
        parsed = []
        for hit in hits:
            headings = {fold(clean_text(a or b)) for a, b in _HEADING.findall(hit.chunk.text)}
            if hit.chunk.section:
                headings.add(fold(hit.chunk.section))
            sentences = split_sentences(clean_text(hit.chunk.text))
            parsed.append((hit, headings, sentences))
        vectors = self._sentence_vectors([s for _, _, ss in parsed for s in ss])
        candidates: list[Candidate] = []
        for p, (hit, headings, sentences) in enumerate(parsed):
            cosines = [float(vectors[s] @ vector) for s in sentences]
            heading_cos = [c for s, c in zip(sentences, cosines, strict=True)
                           if fold(s) in headings]
            known = ([hit.dense_score] if hit.dense_score is not None else []) + heading_cos
            context = max(known, default=None)
            if context is None:
                context = float(np.mean(sorted(cosines)[-2:])) if cosines else 0.0
            for i, (sentence, cosine) in enumerate(zip(sentences, cosines, strict=True)):
                if fold(sentence) in headings:
                    continue
                score = ((1 - t.context_weight) * cosine + t.context_weight * context
                         + t.term_bonus * overlap(terms, sentence))
                candidates.append(Candidate(sentence, score, p, i))
        return candidates

    def _sentence_vectors(self, sentences: list[str]) -> dict[str, np.ndarray]:
        with self._lock:
            todo = list(dict.fromkeys(s for s in sentences if s not in self._vectors))
        if todo:
            computed = self.embedder.embed_passages(todo)
            with self._lock:
                self._vectors.update(zip(todo, computed, strict=True))
        with self._lock:
            return {s: self._vectors[s] for s in sentences}


def source_of(chunk: Any, snippet: str = "") -> Source:
    """The citation of a chunk (title, page, section, link)."""
    return Source(document=chunk.document, page=chunk.page, section=chunk.section or None,
                  snippet=snippet, url=chunk.url or None)


def _sources(chosen: Sequence[Candidate], chunks: Sequence[Any]) -> tuple[Source, ...]:
    """One source per chunk quoted; its snippet is the quoted sentences."""
    by_passage: dict[int, list[str]] = {}
    for c in chosen:
        by_passage.setdefault(c.passage, []).append(c.text)
    return tuple(replace(source_of(chunks[p]), snippet=" ".join(texts))
                 for p, texts in sorted(by_passage.items()))


def _with_lists(chosen: list[Candidate], candidates: Sequence[Candidate],
                budget: int) -> list[Candidate]:
    """A chosen sentence that introduces a list ("...the following questions:") brings the
    list items after it, as far as the budget allows."""
    if not any(c.text.endswith(":") for c in chosen):
        return chosen
    used = sum(len(c.text) + 1 for c in chosen)
    result: list[Candidate] = []
    for c in chosen:
        result.append(c)
        if not c.text.endswith(":"):
            continue
        following = sorted((x for x in candidates if x.passage == c.passage
                            and x.position > c.position), key=lambda x: x.position)
        for item in following:
            if item in chosen or used + len(item.text) + 1 > budget:
                break
            result.append(item)
            used += len(item.text) + 1
    return result


def _around(candidate: Candidate, candidates: Sequence[Candidate]) -> str:
    """A sentence with its neighbours."""
    return " ".join(c.text for c in candidates if c.passage == candidate.passage
                    and abs(c.position - candidate.position) <= 1)
