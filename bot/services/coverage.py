"""The content words of a question (stop words and words true of every question about the
panel removed) and how many of them a text holds, by word or by 5-letter stem ("objectifs" ~
"Objectives"). The answerer uses them as small ranking bonuses and for the subject of a date or
a number; ordinary words never need to appear in the documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bm25s.stopwords import STOPWORDS_EN_PLUS, STOPWORDS_FRENCH, STOPWORDS_SPANISH

from bot.domain.extractive import fold, words

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
