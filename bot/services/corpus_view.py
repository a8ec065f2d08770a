"""What the content answerer knows about one published index generation: its chunks, their
sentences and retrieval units with the vectors stored at index time, the words and names the
documents use, the documents they refer to, and which sentences are list items.

Built once per generation. The vectors come from the index (`KnowledgeStore.vectors()`, computed
by the indexer), so start-up cost does not grow with the corpus; a store without stored vectors
(an index from an older version) gets them computed here, once.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bot.domain.derived import chunk_sentences, names_of, units_of
from bot.domain.doc_language import is_preferred, languages_by_document
from bot.domain.extractive import clean_text, fold
from bot.domain.references import Reference, find_references

log = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W_]+")
COMMON_SHARE = 0.4
_BROKEN_LINE = re.compile(r"\s(?:on|of|the|and|to|for|in|at|de|des|du|la|le|del|el|y|et)$",
                          re.IGNORECASE)
_FOOTNOTE = re.compile(r"^\s*\[\^[^\]]+\]:")
_LETTERS = re.compile(r"[^\W\d_]+")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+(.*)$")


@dataclass(frozen=True)
class Sentence:
    """A quotable sentence: where it is, and whether it is an item of a list."""

    text: str
    chunk: int  # index into CorpusView.chunks
    position: int  # index among its chunk's sentences
    list_item: bool


@dataclass(frozen=True)
class CorpusView:
    """The answerer's read-only view of one index generation."""

    chunks: tuple[Any, ...]
    sentences: tuple[Sentence, ...]
    chunk_matrix: np.ndarray  # (chunks, dim)
    unit_matrix: np.ndarray  # (units, dim)
    unit_sentence: np.ndarray  # (units,) index into sentences
    sentence_chunk: np.ndarray  # (sentences,) index into chunks
    quotable: np.ndarray  # (sentences,) bool: not a heading or a piece of a broken title line
    names: tuple[str, ...]
    name_matrix: np.ndarray  # (names, dim), query vectors
    vocabulary: frozenset[str]  # folded words of every chunk
    common: frozenset[str]  # words in most chunks: they tell no passage from another
    initials: frozenset[str]  # folded initials of the documents' names ("sg", "wsis")
    folded_text: str  # every chunk's folded text, for phrase look-ups
    references: tuple[Reference, ...]  # documents referred to and not themselves indexed
    language: str | None  # the language most chunks are in
    versions: dict[str, tuple[str, ...]]  # document key -> its languages, when indexed in several
    _preferred: dict[str | None, np.ndarray] = field(default_factory=dict, compare=False)

    @property
    def empty(self) -> bool:
        return not self.sentences

    def preferred(self, wanted: str | None) -> np.ndarray | None:
        """Per chunk: does it belong to the version of its document in `wanted` (else the
        English one, else the only one)? None when no document has several language versions."""
        if not self.versions:
            return None
        mask = self._preferred.get(wanted)
        if mask is None:
            mask = np.asarray([is_preferred(c, self.versions, wanted) for c in self.chunks],
                              dtype=bool)
            self._preferred[wanted] = mask
        return mask

    def sentence_scores(self, vector: np.ndarray) -> np.ndarray:
        """Each sentence's best cosine with the query over its units (the sentence itself and
        its clauses)."""
        best = np.full(len(self.sentences), -1.0, dtype=np.float32)
        if len(self.unit_sentence):
            np.maximum.at(best, self.unit_sentence, self.unit_matrix @ vector)
        return best

    def mentions(self, name: str) -> bool:
        """True when the documents use this name: each of its words (by stem), or, for an
        acronym, the initials of one of the documents' names ("SG": Secretary-General)."""
        bare = re.sub(r"(?<=[A-Z])s$", "", name)
        if bare.isupper() and fold(bare) in self.initials:
            return True
        words = [w for w in _WORD.findall(fold(name)) if len(w) >= 3 or len(words_of(name)) == 1]
        return bool(words) and all(self._has_word(w) for w in words)

    def _has_word(self, word: str) -> bool:
        return word in self.vocabulary or (len(word) >= 5 and any(
            v.startswith(word[:5]) and abs(len(v) - len(word)) <= 3 for v in self.vocabulary))


def build_view(store: Any, embedder: Any) -> CorpusView:
    """The view of the store's published generation (vectors from the index when stored)."""
    chunks = tuple(store.all_chunks())
    sentences: list[Sentence] = []
    first_sentence: list[int] = []
    for c, chunk in enumerate(chunks):
        first_sentence.append(len(sentences))
        items = _list_items(chunk.text)
        for p, text in enumerate(chunk_sentences(chunk.text)):
            sentences.append(Sentence(text, c, p, fold(text) in items))
    stored = _stored_vectors(store, chunks)
    if stored is None:
        log.info("the index has no stored sentence vectors: computing them for %d chunks "
                 "(rebuild the index with `python -m indexer` to skip this)", len(chunks))
        unit_texts, owners, names = [], [], []
        for c, chunk in enumerate(chunks):
            for unit in units_of(chunk.text):
                unit_texts.append(unit.text)
                owners.append(first_sentence[c] + unit.sentence)
            names.extend(names_of(chunk.text))
        names = list(dict.fromkeys(names))
        chunk_matrix = _embed(embedder.embed_passages, [c.text for c in chunks])
        unit_matrix = _embed(embedder.embed_passages, unit_texts)
        name_matrix = _embed(embedder.embed_queries, names)
    else:
        chunk_matrix, unit_matrix, owners, names, name_matrix = stored
        owners = [first_sentence[c] + s for c, s in owners]
    folded = [fold(clean_text(c.text)) for c in chunks]
    vocabulary = frozenset(w for text in folded for w in _WORD.findall(text))
    frequency = Counter(w for text in folded for w in set(_WORD.findall(text)))
    common = frozenset(w for w, n in frequency.items() if n > max(2, COMMON_SHARE * len(chunks)))
    indexed = " ".join(fold(f"{c.document} {c.url or ''} {c.file}") for c in chunks)
    references = tuple(r for r in find_references(s.text for s in sentences)
                       if fold(r.url) not in indexed
                       and not (r.symbol and fold(r.symbol) in indexed))
    versions = {key: langs for key, langs in languages_by_document(
        c for c in chunks if getattr(c, "document_key", None)).items() if len(langs) > 1}
    languages = [c.language for c in chunks if getattr(c, "language", None)]
    language = max(set(languages), key=languages.count) if languages else None
    initials = frozenset(fold(i) for i in (_initials(n) for n in names) if len(i) >= 2)
    sentence_chunk = np.asarray([s.chunk for s in sentences], dtype=np.int64)
    quotable = np.asarray([not _is_heading(s, chunks) for s in sentences], dtype=bool)
    return CorpusView(chunks, tuple(sentences), chunk_matrix, unit_matrix,
                      np.asarray(owners, dtype=np.int64), sentence_chunk, quotable,
                      tuple(names), name_matrix, vocabulary,
                      common, initials,
                      "\n".join(" ".join(_WORD.findall(t)) for t in folded), references,
                      language, versions)


def words_of(text: str) -> list[str]:
    """The words of a text, folded."""
    return _WORD.findall(fold(text))


def _initials(name: str) -> str:
    """"SG" for "Secretary-General", "WSIS" for "World Summit on the Information Society"."""
    return "".join(w[0] for w in re.split(r"[\s-]+", name) if w[:1].isupper())


def _is_heading(sentence: Sentence, chunks: Sequence[Any]) -> bool:
    """A section title, or a piece of a title broken over lines ("High-level Panel on"):
    not a sentence to quote; nor is a line without words ("---") or a citation."""
    section = chunks[sentence.chunk].section
    return (bool(section) and fold(sentence.text) == fold(section)) or bool(
        _BROKEN_LINE.search(sentence.text)) or len(_WORD.findall(sentence.text)) < 2 or (
        _is_citation(sentence.text))


def _is_citation(text: str) -> bool:
    """A footnote's definition ("[^12]: CEDAW/C/GC/39.") or a line of document symbols only:
    it names where something was said, it does not say anything a delegate asks. Such lines
    are near every question in another script, so quoting them would crowd out the answer."""
    if _FOOTNOTE.match(text):
        return True
    letters = _LETTERS.findall(text)
    return bool(letters) and all(w.isupper() or len(w) <= 2 for w in letters)


def _stored_vectors(store: Any, chunks: Sequence[Any]) -> Any:
    """(chunk matrix, unit matrix, unit owners as (chunk, sentence), names, name matrix) from
    the index, or None when the index holds none."""
    read = getattr(store, "vectors", None)
    if read is None:
        return None
    try:
        vectors = read()
    except Exception:  # an index written by an older version: compute instead
        log.warning("could not read the stored vectors", exc_info=True)
        return None
    if not len(vectors.sentences) or len(vectors.chunks) != len(chunks):
        return None
    row_of = {chunk_id: i for i, chunk_id in enumerate(vectors.chunks.chunk_ids)}
    order = [row_of.get(c.id) for c in chunks]
    if any(i is None for i in order):
        return None
    chunk_matrix = vectors.chunks.matrix[np.asarray(order, dtype=np.int64)]
    index_of = {c.id: i for i, c in enumerate(chunks)}
    units = {c.id: units_of(c.text) for c in chunks}
    stored = Counter(vectors.sentences.chunk_ids)
    if any(stored[c.id] != len(units[c.id]) for c in chunks):
        log.warning("the index was built by another version of the sentence splitter: "
                    "rebuild it with `python -m indexer --rebuild`")
        return None
    owners = []
    for chunk_id, position in zip(vectors.sentences.chunk_ids, vectors.sentences.positions,
                                  strict=True):
        owners.append((index_of[chunk_id], units[chunk_id][position].sentence))
    names: dict[str, int] = {}
    for i, name in enumerate(vectors.names.texts):
        names.setdefault(name, i)
    name_matrix = vectors.names.matrix[np.asarray(list(names.values()), dtype=np.int64)] \
        if names else vectors.names.matrix
    return chunk_matrix, vectors.sentences.matrix, owners, list(names), name_matrix


def _embed(encode: Any, texts: Sequence[str]) -> np.ndarray:
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.asarray(encode(list(texts)), dtype=np.float32)


def _list_items(text: str) -> set[str]:
    """The folded, cleaned text of every bullet line of a chunk."""
    items = set()
    for line in text.splitlines():
        match = _BULLET.match(line)
        if match:
            for sentence in chunk_sentences(match.group(1)):
                items.add(fold(sentence))
    return items
