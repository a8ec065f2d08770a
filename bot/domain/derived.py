"""Texts derived from each indexed chunk at index time, embedded once and stored with the index:
its retrieval units (each sentence, then the clauses of long sentences, which match a question
about one item of a long list far better than the whole sentence) and the names it mentions
(the answerer checks a question's names against them). Pure; the indexer and the answerer both
call it, so what is stored is exactly what is looked up. Bump DERIVED_VERSION when the output
changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.extractive import clean_text, split_sentences

DERIVED_VERSION = 6
MIN_CLAUSE_WORDS = 4

# Clause boundaries inside a sentence: punctuation, and the words that open an embedded list.
_CLAUSE = re.compile(r"[,;()]|:(?!\d)|\s(?=(?:including|such as|notamment|y compris|incluidos?|"
                     r"incluidas?|como)\b)")
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
# A name: capitalised words (with the small words names contain: "of", "the", "de", "des"...),
# an acronym (CSTD, WSIS+20) or a document symbol (A/78/62, 2022/15).
_CAP = r"[A-ZÀ-Ý][\w'’+-]*"
_SMALL = r"(?:of|the|and|for|on|in|de|des|du|la|le|les|del|el|los|las|y|et|sobre|pour|para)"
_NAME = re.compile(rf"{_CAP}(?:\s+(?:{_SMALL}\s+)*{_CAP})*")
_RUN = re.compile(rf"{_CAP}(?:\s+{_CAP})*")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]+(?:\+\d+)?s?\b")
_SYMBOL = re.compile(r"\b(?:[A-Z]+/)?\d+(?:/\d+)+\b")
_POSSESSIVE = re.compile(r"[’']s$")
_ARTICLE = re.compile(r"^(?:The|La|Le|Les|El|Los|Las|L[’'])\s*(?=[A-ZÀ-Ý])")


@dataclass(frozen=True)
class Unit:
    """A retrieval unit: a sentence or a clause of one, with the sentence it belongs to."""

    text: str
    sentence: int  # index into the chunk's sentences


def chunk_sentences(text: str) -> list[str]:
    """The sentences of a chunk's text, as the answerer quotes them (front matter left out)."""
    return split_sentences(clean_text(_FRONT_MATTER.sub("", text)))


def units_of(text: str) -> list[Unit]:
    """Every sentence of a chunk, then the clauses (and pairs of clauses) of its sentences."""
    sentences = chunk_sentences(text)
    units = [Unit(s, i) for i, s in enumerate(sentences)]
    for i, sentence in enumerate(sentences):
        parts = [p.strip() for p in _CLAUSE.split(sentence) if p and p.strip()]
        if len(parts) < 2:
            continue
        pieces = parts + [f"{a}, {b}" for a, b in zip(parts, parts[1:], strict=False)]
        seen = {sentence}
        for piece in pieces:
            if len(piece.split()) >= MIN_CLAUSE_WORDS and piece not in seen:
                seen.add(piece)
                units.append(Unit(piece, i))
    return units


def sentences_of(text: str) -> list[str]:
    """The unit texts embedded for a chunk (passage vectors), in `units_of` order."""
    return [u.text for u in units_of(text)]


def names_of(text: str) -> list[str]:
    """The distinct names a chunk's text mentions: capitalised phrases and their runs of
    capitalised words ("United Nations" inside "United Nations Commission on ..."), acronyms
    and symbols. A capitalised word opening a sentence counts only inside a longer name."""
    found: dict[str, None] = {}
    for sentence in chunk_sentences(text):
        for pattern in (_NAME, _RUN, _ACRONYM, _SYMBOL):
            for match in pattern.finditer(sentence):
                name = _POSSESSIVE.sub("", match.group(0).strip(" '’-"))
                stripped = _ARTICLE.sub("", name)
                start = match.start() + len(name) - len(stripped)
                name = stripped
                single = " " not in name
                if len(name) < 2 or (single and start == 0 and not name.isupper()
                                     and pattern is not _SYMBOL):
                    continue
                found.setdefault(name, None)
    return list(found)
