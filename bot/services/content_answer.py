"""Content questions: the sentences of the documents that answer, or a positive reason not to.

Ordinary words of a question never need to appear in the documents: delegates paraphrase. The
answerer declines only when (a) the question asks what a document says that is only referred
to, not indexed; (b) it names something (an event, an organisation, a product, a place) that no
document mentions; (c) it asks for a kind of thing (a person's name, a link, a number, a date,
languages, catering...) that the best passages do not hold; or (d) nothing is close to it.

Sentences are scored by their best unit (the sentence or one of its clauses, embedded at index
time) mixed with their chunk's score, so a fact inside a long list or a long document is found.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from bot.domain.answer import AbstainReason, Source
from bot.domain.evidence import Lexicon, Need, missing, needs_of
from bot.domain.extractive import fold
from bot.domain.languages import LANGUAGES
from bot.domain.question_shape import asks_for_list, asks_for_title, is_yes_no, ordinal_asked
from bot.domain.references import Reference, asked_about, asks_for_reading
from bot.services.corpus_view import CorpusView, Sentence, build_view
from bot.services.coverage import STOP_WORDS, content_words, overlap, question_terms
from bot.services.language_tools import guess_language
from bot.services.retrieval import EmbedderLike, FusionWeights, Hit, HybridRetriever, KnowledgeLike

_NAME_IN_QUESTION = re.compile(r"(?<![\w/])(?:[A-ZÀ-Ý][\w'’+-]*|\d+(?:/\d+)+)"
                               r"(?:\s+(?:(?:of|the|and|for|on|de|des|du|la|le|les|del|el|"
                               r"los|las|y|et|sobre)\s+)*[A-ZÀ-Ý][\w'’+-]*)*")
_FACTOID = frozenset({Need.DATE, Need.COUNT, Need.PERSON})


@dataclass(frozen=True)
class ContentTuning:
    """Retrieval and abstention settings (chosen with bench/qa_eval.py)."""

    weights: FusionWeights = field(default_factory=FusionWeights)
    passages: int = 3  # chunks cited for an LLM-written answer
    max_chars: int = 600
    list_chars: int = 1500  # budget when the answer is a whole list
    max_sentences: int = 3
    context_weight: float = 0.35  # sentence score = mix of its best unit's cosine and its chunk's
    min_score: float = 0.805  # the best unit's cosine must reach this, else nothing is close
    keep_within: float = 0.025  # other sentences: at most this far below the best one
    topic_weight: float = 0.35  # weight of the question's content words embedded on their own
    word_similarity: float = 0.88  # a question's name counts as mentioned this close to a name
    term_bonus: float = 0.03  # for holding the question's own words (by stem)
    lexical_bonus: float = 0.01  # for a chunk that BM25 also ranks in its top results
    candidates: int = 6  # sentences checked for the kind of thing asked
    rescored: int = 200  # sentences, best by embedding, that get the word bonuses
    primary_bonus: float = 0.015  # for the meeting's own documents ([[agenda]] source)
    cross_script_margin: float = 0.02  # min_score is this much lower for a question in
    #   another script than the documents' (e5's cosines run lower from Arabic, Chinese or
    #   Russian to English than between languages sharing a script)


@dataclass(frozen=True)
class Extract:
    """The outcome for a content question: quotes and sources, or why there are none."""

    quotes: tuple[str, ...]
    sources: tuple[Source, ...]
    chunks: tuple[Any, ...]
    reason: AbstainReason | None = None  # set when abstaining
    reason_detail: str = ""
    lead: str = ""  # "yes" when a yes/no question is answered by a quote, "close" when the
    #                  documents only come close, "" otherwise
    omitted: int = 0  # list items left out for the length budget
    reference: Reference | None = None  # the document asked about, when only referred to
    quote_language: str | None = None  # the language of the quoted document version
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def abstained(self) -> bool:
        return self.reason is not None


@dataclass(frozen=True)
class _Scored:
    sentence: Sentence
    index: int
    score: float
    cosine: float


class ContentAnswerer:
    """Finds and checks the evidence for one content question."""

    def __init__(self, store: KnowledgeLike, embedder: EmbedderLike, lexicon: Lexicon,
                 tuning: ContentTuning | None = None,
                 primary_files: frozenset[str] = frozenset()) -> None:
        self.tuning = tuning or ContentTuning()
        self.primary_files = primary_files
        self.embedder = embedder
        self.lexicon = lexicon
        self.retriever = HybridRetriever(store, self.tuning.weights)
        self.store = store
        self._view: CorpusView | None = None
        self._generation: int | None = None
        self._lock = threading.RLock()
        self._primary_mask: np.ndarray | None = None
        self._primary_view: CorpusView | None = None

    def view(self) -> CorpusView:
        """The corpus view of the published generation (built once per generation)."""
        with self._lock:
            generation = self.store.generation
            if self._view is None or generation != self._generation:
                self._view = build_view(self.store, self.embedder)
                self._generation = generation
            return self._view

    def _primary(self, view: CorpusView) -> np.ndarray:
        """Per chunk: is it one of the meeting's own documents? (once per corpus view)"""
        with self._lock:
            if self._primary_mask is None or self._primary_view is not view:
                self._primary_mask = np.asarray(
                    [c.file in self.primary_files for c in view.chunks], dtype=bool)
                self._primary_view = view
            return self._primary_mask

    def clear(self) -> None:
        """Forget the corpus view (after re-indexing)."""
        with self._lock:
            self._view = None

    def extract(self, question: str) -> Extract:
        """Quotes answering `question`, or an Extract with a reason to abstain."""
        t = self.tuning
        view = self.view()
        if view.empty:
            return Extract((), (), (), AbstainReason.EMPTY_INDEX)
        vector = self.embedder.embed_queries([question])[0]
        reference = asked_about(question, view.references)
        if reference is not None:
            return Extract((), (), (), AbstainReason.DOCUMENT_NOT_INDEXED, reference.title,
                           reference=reference)
        unknown = self._unknown_name(question, view)
        if unknown:
            return Extract((), (), (), AbstainReason.UNKNOWN_NAME, unknown)
        ranked = self._rank(question, vector, view)
        if view.references and asks_for_reading(question):
            listed = _reading_list(ranked, view)
            if listed:
                return self._quote(question, listed, 0, view, {"route": "reading list"})
        if self.primary_files and asks_for_title(question):
            masthead = _masthead(view, self._primary(view))
            if masthead:
                return self._quote(question, masthead, 0, view, {"route": "title"})
        details: dict[str, Any] = {"best": round(ranked[0].cosine, 4)}
        needs = needs_of(question, self.lexicon)
        if needs.kinds:
            details["needs"] = sorted(str(n) for n in needs.kinds)
            top = ranked[: t.candidates]
            fitting = [s for s in top if self._fits(needs, s, view, question)]
            if not fitting:
                return Extract((), (), (), AbstainReason.MISSING_KIND,
                               ",".join(sorted(str(n) for n in needs.kinds)), details=details)
            ranked = fitting + [s for s in ranked if s not in fitting]
        floor = t.min_score - (t.cross_script_margin if self._cross_script(question) else 0.0)
        if max(s.cosine for s in ranked[: t.candidates]) < floor:
            return Extract((), (), (), AbstainReason.NOT_CLOSE, details=details)
        chosen, omitted = self._choose(question, ranked, view)
        return self._quote(question, chosen, omitted, view, details)

    def _quote(self, question: str, chosen: list[_Scored], omitted: int, view: CorpusView,
               details: dict[str, Any]) -> Extract:
        chunks = tuple(dict.fromkeys(view.chunks[s.sentence.chunk] for s in chosen))
        lead = ""
        if is_yes_no(question):
            lead = "yes" if self._states(question, chosen, view) else "close"
        return Extract(tuple(s.sentence.text for s in chosen), _sources(chosen, view), chunks,
                       lead=lead, omitted=omitted, details=details,
                       quote_language=getattr(chunks[0], "language", None) if chunks else None)

    def search(self, question: str, vector: np.ndarray, k: int = 5) -> list[Hit]:
        """Hybrid chunk search; BM25 is left out when the question is not in the documents'
        language (it would only match stray words such as names)."""
        return self.retriever.search(question, vector, k,
                                     lexical_weight=0.0 if self._cross(question) else None)

    def _cross(self, question: str) -> bool:
        language = guess_language(question)
        corpus = self.view().language
        return language is not None and corpus is not None and language != corpus

    def _cross_script(self, question: str) -> bool:
        language = LANGUAGES.get(guess_language(question) or "")
        corpus = LANGUAGES.get(self.view().language or "")
        return language is not None and corpus is not None and language.script != corpus.script

    # -- ranking ----------------------------------------------------------------------------

    def _rank(self, question: str, vector: np.ndarray, view: CorpusView) -> list[_Scored]:
        t = self.tuning
        raw = view.sentence_scores(vector)  # how close, for the abstention checks
        cosines = raw
        # Scaffolding ("Does the note say anything about...") weighs on a short question's
        # embedding; its content words alone are a second view of what it is about.
        topic = " ".join(term.surface for term in question_terms(question)
                         if term.key not in view.common)
        if topic and t.topic_weight > 0:
            topic_vector = self.embedder.embed_queries([topic])[0]
            cosines = ((1 - t.topic_weight) * cosines
                       + t.topic_weight * view.sentence_scores(topic_vector))
        base = ((1 - t.context_weight) * cosines
                + t.context_weight * (view.chunk_matrix @ vector)[view.sentence_chunk])
        if self.primary_files:
            # Questions are about the meeting: its own documents come first among equals.
            base = base + t.primary_bonus * self._primary(view)[view.sentence_chunk]
        base = np.where(view.quotable, base, -np.inf)
        versions = view.preferred(guess_language(question))
        if versions is not None:  # a document in several languages: the asker's version
            base = np.where(versions[view.sentence_chunk], base, -np.inf)
        # Only the leaders can be lifted by the word bonuses (they are small): score those.
        limit = min(len(base), t.rescored)
        leaders: list[int] = (np.argpartition(-base, limit - 1)[:limit].tolist() if limit
                              else [])
        lexical: set[int] = set()
        if not self._cross(question):
            position = {c.id: i for i, c in enumerate(view.chunks)}
            lexical = {position[c.id] for c, score in self.store.lexical(question, 5)
                       if score > 0 and c.id in position}
        terms = content_words(question)
        scored = []
        for i in leaders:
            if not view.quotable[i]:
                continue
            sentence = view.sentences[i]
            section = view.chunks[sentence.chunk].section or ""
            score = (float(base[i]) + t.term_bonus * overlap(terms, sentence.text)
                     + t.term_bonus * overlap(terms, section)
                     + (t.lexical_bonus if sentence.chunk in lexical else 0.0))
            scored.append(_Scored(sentence, int(i), score, float(raw[i])))
        scored.sort(key=lambda s: (-s.score, s.index))
        return scored

    def _choose(self, question: str, ranked: list[_Scored], view: CorpusView
                ) -> tuple[list[_Scored], int]:
        """The best sentence, those close behind it, and a whole list when one is asked for."""
        t = self.tuning
        best = ranked[0]
        group = _list_of(best, ranked, view)
        ordinal = ordinal_asked(question)
        if group and ordinal is not None:
            items = [s for s in group if s.sentence.list_item]
            if 0 < ordinal <= len(items):
                intro = [s for s in group if not s.sentence.list_item]
                return intro + [items[ordinal - 1]], 0
        if group and (asks_for_list(question) or not best.sentence.list_item):
            kept: list[_Scored] = []
            used = 0
            for s in group:
                if kept and used + len(s.sentence.text) > t.list_chars:
                    break
                kept.append(s)
                used += len(s.sentence.text) + 1
            return kept, len(group) - len(kept)
        chosen = [best]
        used = len(best.sentence.text)
        seen = {fold(best.sentence.text)}
        for s in ranked[1:]:
            if len(chosen) >= t.max_sentences or s.score < best.score - t.keep_within:
                break
            if fold(s.sentence.text) in seen or used + len(s.sentence.text) > t.max_chars:
                continue
            chosen.append(s)
            seen.add(fold(s.sentence.text))
            used += len(s.sentence.text) + 1
        return chosen, 0  # best first: the answer leads

    # -- checks -----------------------------------------------------------------------------

    def _unknown_name(self, question: str, view: CorpusView) -> str:
        """A name in the question that no document mentions ('' when there is none)."""
        names = []
        for match in _NAME_IN_QUESTION.finditer(question):
            name = re.sub(r"[’']s$", "", match.group(0).strip(" '’-"))
            before = question[:match.start()].rstrip(" ¿¡\"'“")
            at_start = not before or before[-1] in ".?!:;。？！؟"
            if at_start and not name.isupper():
                # A sentence's first word ("Does", "Is") is capitalised anyway; what follows
                # it may still be a name ("Does the Commission...": "Commission").
                words = name.split()
                while words and fold(words[0]) in STOP_WORDS:
                    words.pop(0)
                if len(words) == len(name.split()):
                    words = words[1:]
                name = " ".join(words)
                if not name:
                    continue
            if len(name) < 2:
                continue
            names.append(name)
        if not names:
            return ""
        unknown = [n for n in names if not view.mentions(n)]
        if not unknown:
            return ""
        language = guess_language(question)
        if language is not None and language == view.language:
            # Written in the documents' language: not found word for word is not there.
            lexical = next((n for n in unknown if not n.isupper()), "")
            if lexical:
                return lexical
        if not len(view.names):
            return unknown[0]
        vectors = self.embedder.embed_queries(unknown)
        closest = (vectors @ view.name_matrix.T).max(axis=1)
        for name, score in zip(unknown, closest, strict=True):
            if score < self.tuning.word_similarity:
                return name
        return ""

    def _fits(self, needs: Any, scored: _Scored, view: CorpusView, question: str) -> bool:
        text = scored.sentence.text
        if missing(needs, text, self.lexicon) and not (
                Need.COUNT in needs.kinds
                and not missing(needs, _around(scored.sentence, view), self.lexicon)):
            return False
        if needs.kinds & _FACTOID and not self._cross(question):
            # A date or a number must be about the thing asked: the sentence holds the
            # question's own words (all but one).
            words = content_words(question)
            have = overlap(words, text) * len(words)
            return not words or have >= len(words) - 1
        return True

    def _states(self, question: str, chosen: Sequence[_Scored], view: CorpusView) -> bool:
        """Does a quoted sentence state what a yes/no question asks (rather than come close)?"""
        words = content_words(question)
        text = " ".join(s.sentence.text for s in chosen)
        if words and not self._cross(question) and overlap(words, text) > 0:
            return True
        return max(s.cosine for s in chosen) >= self.tuning.min_score + 0.05


def source_of(chunk: Any, snippet: str = "") -> Source:
    """The citation of a chunk (title, page, section, link)."""
    return Source(document=chunk.document, page=chunk.page, section=chunk.section or None,
                  snippet=snippet, url=chunk.url or None)


def _sources(chosen: Sequence[_Scored], view: CorpusView) -> tuple[Source, ...]:
    """One source per chunk quoted; its snippet is the quoted sentences."""
    by_chunk: dict[int, list[str]] = {}
    for s in chosen:
        by_chunk.setdefault(s.sentence.chunk, []).append(s.sentence.text)
    return tuple(replace(source_of(view.chunks[c]), snippet=" ".join(texts))
                 for c, texts in by_chunk.items())


def _list_of(best: _Scored, ranked: list[_Scored], view: CorpusView) -> list[_Scored]:
    """The list the best sentence introduces ("...the following questions:") or belongs to:
    the introducing sentence and every item, in order ([] when it is not part of a list)."""
    chunk = best.sentence.chunk
    by_position = {s.position: _Scored(s, i, 0.0, 0.0) for i, s in
                   enumerate(view.sentences) if s.chunk == chunk}
    by_position.update({s.sentence.position: s for s in ranked if s.sentence.chunk == chunk})
    position = best.sentence.position
    if best.sentence.list_item:
        while position - 1 in by_position and by_position[position - 1].sentence.list_item:
            position -= 1
        intro = by_position.get(position - 1)
        start = position - 1 if intro is not None and intro.sentence.text.endswith(":") \
            else position
    elif best.sentence.text.endswith(":") and position + 1 in by_position \
            and by_position[position + 1].sentence.list_item:
        start = position
    else:
        return []
    group = [by_position[start]] if start in by_position else []
    p = start + 1 if group else start
    while p in by_position and by_position[p].sentence.list_item:
        group.append(by_position[p])
        p += 1
    return group if len(group) > 1 else []


def _reading_list(ranked: list[_Scored], view: CorpusView) -> list[_Scored]:
    """The documents' own reading list: the sentences that list a referred document, with the
    rest of the list they belong to, in document order ([] when none is quotable)."""
    urls = [r.url for r in view.references]
    found = [_Scored(s, i, 0.0, 0.0) for i, s in enumerate(view.sentences)
             if view.quotable[i] and any(url in s.text for url in urls)]
    if not found:
        return []
    group = _list_of(found[0], ranked, view)
    return group or found


_DATE_LINE = re.compile(r"(?<!\d)\d{4}(?!\d)")


def _masthead(view: CorpusView, primary: np.ndarray) -> list[_Scored]:
    """The title block of the meeting's own document: the sentences of its first chunk that
    has no section heading, up to the date line ([] when it has none)."""
    first = next((c for c, chunk in enumerate(view.chunks)
                  if primary[c] and not chunk.section), None)
    if first is None:
        return []
    block: list[_Scored] = []
    for i, sentence in enumerate(view.sentences):
        if sentence.chunk != first or not view.quotable[i]:
            continue
        if _DATE_LINE.search(sentence.text) or len(block) == 3:
            break
        block.append(_Scored(sentence, i, 0.0, 0.0))
    return block


def _around(sentence: Sentence, view: CorpusView) -> str:
    """A sentence with its neighbours in the same chunk."""
    return " ".join(s.text for s in view.sentences if s.chunk == sentence.chunk
                    and abs(s.position - sentence.position) <= 1)
