"""The shape of a question, from its wording: yes/no, asking for a list, asking for the n-th
item. Pure; the words of each language are in `bot.domain.languages`."""

from __future__ import annotations

import re

from bot.domain.extractive import fold
from bot.domain.question_cues import CUES, cue_regex, wrap

# A yes/no question opens with one of these where words are spaced, or holds one (Chinese 吗).
_YES_NO = re.compile("|".join(
    (r"^(?:" + "|".join(lang.yes_no_openers) + r")(?![\w'])") if lang.spaced
    else wrap(lang, lang.yes_no_openers) for lang in CUES.values()))
_OPEN_WORDS = re.compile("|".join(
    (r"^(?:" + "|".join(lang.open_words) + r")(?!\w)") if lang.spaced
    else wrap(lang, lang.open_words) for lang in CUES.values()))
_INVERSION = re.compile(r"\w-t-(?:il|elle|on)\b|\w-(?:il|elle|ils|elles|on)\b")
_LIST = re.compile(cue_regex("list_words"))
_TITLE = re.compile(cue_regex("title_words"))
_DOCUMENT_KIND = re.compile("|".join(
    wrap(lang, [name for _kind, names in lang.document_kinds for name in names])
    for lang in CUES.values()))
_ORDINAL = {word: n for lang in CUES.values() for word, n in lang.ordinals}
_ORDINAL_UNSPACED = re.compile("|".join(
    re.escape(word) for lang in CUES.values() if not lang.spaced for word, _n in lang.ordinals))


def is_yes_no(question: str) -> bool:
    """True for a question answered by yes or no ("Is gender mentioned?")."""
    q = fold(question).strip(" ¿¡\t\n")
    if not q:
        return False
    if _YES_NO.search(q):
        return not _OPEN_WORDS.search(q)
    return bool(_INVERSION.search(q) and not _OPEN_WORDS.search(q))


def asks_for_list(question: str) -> bool:
    """True when the question asks for every item of a list ("What are the guiding
    questions?", "the full list")."""
    return bool(_LIST.search(fold(question)))


def asks_for_title(question: str) -> bool:
    """True when the question asks for the meeting's own title ("What is the panel's exact
    title?"), not a document's ("the title of the resolution")."""
    q = fold(question)
    return bool(_TITLE.search(q)) and not _DOCUMENT_KIND.search(q)


def ordinal_asked(question: str) -> int | None:
    """The n of "the third question" (1-based), if the question asks for one item."""
    q = fold(question)
    for word in re.findall(r"\w+", q):
        n = _ORDINAL.get(word)
        if n:
            return n
    match = _ORDINAL_UNSPACED.search(q) if _ORDINAL_UNSPACED.pattern else None
    return _ORDINAL[match.group()] if match else None
