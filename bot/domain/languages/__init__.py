"""The languages the answerer understands, one module each (`en`, `fr`, `es`, `ar`, `zh`,
`ru`), each defining one `LanguageData`. Adding a language is one module here, its entry in
`LANGUAGES`, and its translation catalogs."""

from __future__ import annotations

from bot.domain.languages import ar, en, es, fr, ru, zh
from bot.domain.languages.data import LanguageData, fold, folded, folded_words, words

LANGUAGES: dict[str, LanguageData] = {
    data.code: data for data in (en.LANGUAGE, fr.LANGUAGE, es.LANGUAGE, ar.LANGUAGE,
                                 zh.LANGUAGE, ru.LANGUAGE)
}

__all__ = ["LANGUAGES", "LanguageData", "fold", "folded", "folded_words", "words"]
