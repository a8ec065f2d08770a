"""The content words of a question (stop words and words true of every question about the
panel removed) and how many of them a text holds, by word or by 5-letter stem ("objectifs" ~
"Objectives"). The answerer uses them as small ranking bonuses and for the subject of a date or
a number; ordinary words never need to appear in the documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bm25s.stopwords import STOPWORDS_EN_PLUS, STOPWORDS_FRENCH, STOPWORDS_SPANISH

from bot.domain.extractive import fold
from bot.domain.languages import LANGUAGES
from bot.services.language_tools import stop_words_of, tokens

STEM = 5
# Words true of every question about this meeting: they say nothing about what is asked.
_GENERIC = frozenset(w for language in LANGUAGES.values() for w in language.generic_words)
# bm25s's lists for English, French and Spanish (what the ranking was tuned with: stopwordsiso's
# English list holds content words such as "ai", "computer", "general"), and stopwordsiso's for
# the other languages of bot.domain.languages.
_BM25S = {"en": STOPWORDS_EN_PLUS, "fr": STOPWORDS_FRENCH, "es": STOPWORDS_SPANISH}
_STOP = frozenset(fold(w) for words_of in _BM25S.values() for w in words_of) | frozenset(
    w for code, language in LANGUAGES.items() if code not in _BM25S
    for w in (*stop_words_of(code), *language.function_words))
STOP_WORDS = _STOP
_WORD = re.compile(r"[^\W\d_]{3,}")
_LETTERS = re.compile(r"[^\W\d_]+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Term:
    """A content word of a question: folded (for stems), as written (for the embedding, since
    accents help the model), and with the short word before it ("en línea")."""

    key: str
    surface: str
    phrase: str | None = None


def question_terms(question: str) -> list[Term]:
    """The question's words that carry what it asks about, in order, once each."""
    words = [w for t in tokens(question.lower()) for w in _LETTERS.findall(t)]
    terms: dict[str, Term] = {}
    for i, token in enumerate(words):
        key = fold(token)
        # A Chinese word is often two characters; other words of two letters say little.
        if len(key) < (2 if _HAN.match(key) else 3) or key in _STOP or key in _GENERIC \
                or key in terms:
            continue
        before = words[i - 1] if i > 0 else ""
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
