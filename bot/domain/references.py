"""Documents that the indexed documents refer to (a report, a resolution, listed with a symbol
and a link) and questions that ask what one of them says. When only the reference is indexed,
the honest answer is its symbol and link, not a quotation from the referring document. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain.extractive import fold
from bot.domain.question_cues import CUES, cue_pattern

_URL = re.compile(r"https?://\S+?\.(?:pdf|docx?|html?)\b", re.IGNORECASE)
_SYMBOL = re.compile(r"\b(?:[A-Z]+/)?\d+(?:/\d+)+(?:-[A-Z]+/\d+(?:/\d+)*)?\b")
_TITLE = re.compile(r"^(.*?)(?:,?\s*\(?(?:available at|disponible (?:sur|en|à))\b|\s*https?://)",
                    re.IGNORECASE)
# Kinds of UN documents, and how a question names them in every language (folded).
_KINDS: dict[str, tuple[str, ...]] = {}
for _language in CUES.values():
    for _kind, _names in _language.document_kinds:
        _KINDS[_kind] = (*_KINDS.get(_kind, ()), *_names)
# Asking what a document says (its content), as opposed to what it is or where it is.
_SAYS = cue_pattern("says")
_ABBREVIATIONS = {"sg": "secretary-general", "sgs": "secretary-general"}


@dataclass(frozen=True)
class Reference:
    """A document referred to: its title as written, its kind, symbol and link."""

    title: str
    kind: str
    symbol: str | None
    url: str


def find_references(sentences: Iterable[str]) -> list[Reference]:
    """The documents these sentences list with a link to a file."""
    found: dict[str, Reference] = {}
    for sentence in sentences:
        url = _URL.search(sentence)
        if not url:
            continue
        title_match = _TITLE.match(sentence)
        title = (title_match.group(1) if title_match else sentence[:url.start()]).strip(" :,-")
        folded = fold(title)
        kind = next((k for k, names in _KINDS.items() if any(n in folded for n in names)), "")
        if not kind or not title:
            continue
        symbol = _SYMBOL.search(title)
        found.setdefault(url.group(0), Reference(title, kind, symbol.group(0) if symbol
                                                 else None, url.group(0)))
    return list(found.values())


def asked_about(question: str, references: Iterable[Reference]) -> Reference | None:
    """The reference whose content the question asks about ("What does the SG report conclude
    about AI?"), or None (also for "What is resolution 2022/15 called?")."""
    q = fold(question)
    if not _SAYS.search(q):
        return None
    words = set(re.findall(r"[\w-]+", q))
    expanded = words | {_ABBREVIATIONS[w] for w in words if w in _ABBREVIATIONS}
    for ref in references:
        symbols = {s for s in (ref.symbol or "").replace("-", " ").split() if s}
        if any(fold(s) in q for s in symbols):
            return ref
        title = fold(ref.title)
        # Arabic glues the article to the name, Chinese writes no spaces: look inside words.
        named = any(n in words or any(w.startswith(n) or (not n.isascii() and n in w)
                                      for w in words) for n in _KINDS[ref.kind])
        qualifier = any(w in title for w in expanded if len(w) >= 4 and w not in _KINDS)
        if named and (qualifier or sum(1 for r in references if r.kind == ref.kind) == 1):
            return ref
    return None


_READING = cue_pattern("reading")


def asks_for_reading(question: str) -> bool:
    """True when the question asks which documents to read ("What should I read before the
    panel?", "the supporting documents"), not what one of them says."""
    q = fold(question)
    return bool(_READING.search(q)) and not _SAYS.search(q)
