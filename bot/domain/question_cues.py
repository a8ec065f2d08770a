"""Patterns over every language's words: each builder takes one field of `LanguageData`
(bot/domain/languages/) and combines it for all the languages, so that routing, question
shapes, needs and references understand a question in any of them. A new language adds a
module to `bot.domain.languages`; nothing here changes.

Patterns run on folded text (lower case, accents removed). In languages written with spaces an
alternative matches a whole word (with the language's glued prefixes and suffixes); in Chinese
it matches anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.domain.languages import LANGUAGES, LanguageData

CUES = LANGUAGES  # the languages whose cues are combined
_PLAIN_WORD = re.compile(r"[\w' -]+")


def wrap(language: LanguageData, alternatives: Iterable[str]) -> str:
    """One language's alternatives as a regular expression matching whole words."""
    finals = dict(language.final_forms)
    body = "|".join(_final(alt, finals) for alt in alternatives)
    if not body:
        return ""
    if not language.spaced:
        return f"(?:{body})"
    prefix = f"(?:{language.word_prefix})" if language.word_prefix else ""
    suffix = f"(?:{language.word_suffix})" if language.word_suffix else ""
    return rf"(?<!\w){prefix}(?:{body}){suffix}(?!\w)"


def _final(alternative: str, finals: dict[str, str]) -> str:
    """An alternative whose last letter changes before a suffix, with both forms."""
    last = alternative[-1:]
    return alternative[:-1] + finals[last] if last in finals else alternative


def cue_regex(field: str) -> str:
    """The alternatives of `field` in every language, as one regular expression."""
    parts = (wrap(language, getattr(language, field)) for language in CUES.values())
    return "|".join(p for p in parts if p)


def cue_pattern(field: str) -> re.Pattern[str]:
    """`cue_regex(field)`, compiled."""
    return re.compile(cue_regex(field))


def cue_union(field: str) -> frozenset[str]:
    """A word-set field of every language, merged."""
    return frozenset(w for language in CUES.values() for w in getattr(language, field))


def plain_words(field: str) -> frozenset[str]:
    """The words of the plain (non-regex) alternatives of a cue field, in every language."""
    return frozenset(w for language in CUES.values() for alt in getattr(language, field)
                     if _PLAIN_WORD.fullmatch(alt) for w in alt.split())


def sentence_enders(spaced: bool) -> str:
    """The sentence-final characters of the languages written with (or without) spaces."""
    found = dict.fromkeys(c for language in CUES.values() if language.spaced is spaced
                          for c in language.sentence_end)
    return "".join(found)
