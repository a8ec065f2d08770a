"""The shape of a question, from its wording: yes/no, asking for a list, asking for the n-th
item. Pure; the cue words of each language are grouped per language."""

from __future__ import annotations

import re

from bot.domain.extractive import fold

# Per language: words that open a yes/no question, and the question words of open ones.
_YES_NO_OPENERS: dict[str, tuple[str, ...]] = {
    "en": ("is", "are", "does", "do", "did", "will", "would", "can", "could", "has", "have",
           "was", "were", "should", "shall", "may", "might", "any", "anything", "anythng"),
    "fr": ("est-ce", "y a-t-il", "y aura-t-il", "peut-on", "faut-il", "existe-t-il"),
    "es": ("hay", "habra", "existe", "se habla", "se menciona", "tiene", "puede", "es", "esta"),
}
_OPEN_WORDS = re.compile(
    r"(?<!\w)(?:what|which|who|whom|whose|where|when|why|how|quel\w*|qui|que|quoi|ou|quand|"
    r"pourquoi|comment|combien|lequel|laquelle|qu'|que|cual\w*|quien\w*|donde|cuando|por que|"
    r"como|cuant\w*|para que)(?!\w)")
_INVERSION = re.compile(r"\w-t-(?:il|elle|on)\b|\w-(?:il|elle|ils|elles|on)\b")
_LIST = re.compile(
    r"(?<!\w)(?:list\w*|all the|all of|every|full|complete|which are|what are|enumerate|"
    r"liste\w*|tous|toutes|quels sont|quelles sont|lista\w*|todos|todas|cuales son|"
    r"questions|points|items|preguntas|cuestiones)(?!\w)")
_ORDINALS: dict[str, tuple[str, ...]] = {
    "en": ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"),
    "fr": ("premier", "deuxieme", "troisieme", "quatrieme", "cinquieme", "sixieme",
           "septieme", "huitieme"),
    "es": ("primer", "segundo", "tercer", "cuarto", "quinto", "sexto", "septimo", "octavo"),
}
_ORDINAL = {word: n for words in _ORDINALS.values() for n, word in enumerate(words, 1)}
_ORDINAL_ALT = {"premiere": 1, "primera": 1, "primero": 1, "second": 2, "seconde": 2,
                "tercera": 3, "tercero": 3, "cuarta": 4, "quinta": 5}


def is_yes_no(question: str) -> bool:
    """True for a question answered by yes or no ("Is gender mentioned?")."""
    q = fold(question).strip(" ¿¡\t\n")
    if not q:
        return False
    first = re.split(r"[\s,]+", q, maxsplit=1)[0]
    head = q[:20]
    for openers in _YES_NO_OPENERS.values():
        for opener in openers:
            if first == opener or (" " in opener and head.startswith(opener)) or \
                    (opener.endswith("-ce") and first.startswith(opener)):
                return not _OPEN_WORDS.match(q)
    return bool(_INVERSION.search(q) and not _OPEN_WORDS.match(q))


def asks_for_list(question: str) -> bool:
    """True when the question asks for every item of a list ("What are the guiding
    questions?", "the full list")."""
    return bool(_LIST.search(fold(question)))


def ordinal_asked(question: str) -> int | None:
    """The n of "the third question" (1-based), if the question asks for one item."""
    for word in re.findall(r"\w+", fold(question)):
        n = _ORDINAL.get(word) or _ORDINAL_ALT.get(word)
        if n:
            return n
    return None
