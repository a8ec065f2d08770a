"""A document's language: from its file name (UN style `a78d62_en.pdf`) or a cheap text guess.

Good enough to label the six UN languages for citations and filtering; no model is involved.
File names are read by `bot.domain.doc_language` (the bot's answerer shares its rules).
"""

from __future__ import annotations

import re
from collections import Counter

from bot.domain.doc_language import parse_document_name

UN_LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")

_STOPWORDS = {
    "en": [
        "the", "of", "and", "to", "in", "is", "that", "for", "on", "are", "with", "as", "by",
        "this", "be", "from", "which", "have", "will"
    ],
    "fr": [
        "le", "la", "les", "des", "et", "du", "un", "une", "est", "dans", "pour", "que", "qui",
        "sur", "par", "au", "aux", "ce", "sont", "avec", "de", "l", "d", "à", "il", "pas"
    ],
    "es": [
        "el", "la", "los", "las", "de", "y", "del", "en", "que", "por", "con", "para", "una", "es",
        "se", "al", "como", "su", "sus", "más"
    ],
}


def language_from_name(filename: str) -> str | None:
    """`report_fr.pdf`, `note-ES.md`, `N2312345_F.pdf`, `fr/note.md` -> the tagged language."""
    return parse_document_name(filename).language


def guess_language(text: str) -> str | None:
    """The likely UN language of a text (None when unsure)."""
    sample = text[:6000]
    scripts = Counter(_script(ch) for ch in sample if ch.isalpha())
    letters = sum(scripts.values())
    if not letters:
        return None
    for script, language in (("arabic", "ar"), ("cyrillic", "ru"), ("cjk", "zh")):
        if scripts[script] / letters > 0.3:
            return language
    words = Counter(w.casefold() for w in re.findall(r"[^\W\d_]+", sample))
    scores = {lang: sum(words[w] for w in stop) for lang, stop in _STOPWORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] >= 3 and ranked[0] >= 1.5 * ranked[1]:
        return best
    return None


def _script(ch: str) -> str:
    code = ord(ch)
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F:
        return "arabic"
    if 0x0400 <= code <= 0x04FF:
        return "cyrillic"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF:
        return "cjk"
    return "latin"
