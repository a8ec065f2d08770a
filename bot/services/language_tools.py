"""Maintained language data and tools behind the answerer: the language a question is written
in (lingua, restricted to the languages of `bot.domain.languages`), Chinese words (jieba), and
stop words (stopwordsiso). Each tool is built once, on first use, under a lock; none is built
at import time.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import cache
from typing import Any

from bot.domain.extractive import fold
from bot.domain.languages import LANGUAGES
from bot.domain.question_kind import guess_language as guess_by_script

log = logging.getLogger(__name__)

CONFIDENCE = 0.6  # below this share of lingua's confidence, the question's language is unclear
_LOCK = threading.Lock()
_DETECTOR: Any = None
_SEGMENTER: Any = None
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_TOKEN = re.compile(r"[^\W_]+")


def _detector() -> Any:
    global _DETECTOR
    with _LOCK:
        if _DETECTOR is None:
            from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

            languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
                         for code in LANGUAGES]
            _DETECTOR = (LanguageDetectorBuilder.from_languages(*languages)
                         .with_preloaded_language_models().build())
        return _DETECTOR


def guess_language(question: str) -> str | None:
    """The question's language code when lingua is confident (>= CONFIDENCE), else the
    script's language (Arabic, Chinese, Russian), else None: the caller then uses the user's
    language."""
    text = question.strip()
    if not text:
        return None
    values = _detector().compute_language_confidence_values(text)
    if values and values[0].value >= CONFIDENCE:
        return str(values[0].language.iso_code_639_1.name).lower()
    script = guess_by_script(text)
    return script if script in {"ar", "zh", "ru"} else None


def _segmenter() -> Any:
    global _SEGMENTER
    with _LOCK:
        if _SEGMENTER is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)  # it announces its dictionary on stderr
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            _SEGMENTER = tokenizer
        return _SEGMENTER


def tokens(text: str) -> list[str]:
    """The words of a text in order: letter runs, with Chinese runs cut into words."""
    found: list[str] = []
    for token in _TOKEN.findall(text):
        if not _HAN.search(token):
            found.append(token)
            continue
        found.extend(_glued(_segmenter().lcut(token, HMM=True)))
    return found


def _glued(pieces: list[str]) -> list[str]:
    """jieba's words, with a lone character that is not a stop word joined to the next word
    (else the previous one): its dictionary predates words such as 物联网 and 区块链, which it
    cuts as 物 + 联网 and 区块 + 链."""
    stop = stop_words_of("zh")

    def content(piece: str) -> bool:
        return piece not in stop and bool(_HAN.match(piece))

    words: list[str] = []
    carry = ""
    for i, piece in enumerate(pieces):
        piece = carry + piece
        carry = ""
        if len(piece) == 1 and content(piece):
            following = pieces[i + 1] if i + 1 < len(pieces) else ""
            if following and content(following):
                carry = piece
                continue
            if words and content(words[-1]):
                words[-1] += piece
                continue
        words.append(piece)
    return [w for w in words if _TOKEN.fullmatch(w)] + ([carry] if carry else [])


@cache
def stop_words_of(code: str) -> frozenset[str]:
    """The stop words of one language (stopwordsiso), folded."""
    import stopwordsiso

    return frozenset(fold(w) for w in stopwordsiso.stopwords(code))


def warm_up() -> None:
    """Build the identifier and the segmenter now (about 2 s), so that the first question
    does not wait for them; call it once at start-up, e.g. from a worker thread."""
    guess_language("warm up")
    tokens("预热")
    stop_words_of("zh")
