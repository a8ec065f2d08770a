"""Translations: gettext catalogs (.po) per language and feature, read with Babel.

English is the source language (the msgid). Each feature keeps its own catalog file,
`bot/locales/<lang>/<feature>.po`, so features do not edit one shared file; all files of a
language are merged at start-up. Code marks strings with `_("...")`, where `_` is
`Translator.gettext` for the user's language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from babel.messages.pofile import read_po

log = logging.getLogger(__name__)

LANGUAGES: tuple[str, ...] = ("en", "fr", "es")
DEFAULT_LANGUAGE = "en"

Gettext = Callable[[str], str]


@dataclass(frozen=True)
class Translator:
    """Translates English msgids into one language (falls back to English)."""

    language: str
    messages: dict[str, str] = field(default_factory=dict)
    plurals: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def gettext(self, message: str) -> str:
        """The translation of `message`, or `message` itself."""
        return self.messages.get(message) or message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Singular or plural translation for count `n`."""
        forms = self.plurals.get(singular)
        if forms:
            index = 0 if (n == 1 or (self.language == "fr" and n == 0)) else 1
            return forms[min(index, len(forms) - 1)] or (singular if n == 1 else plural)
        return singular if n == 1 else plural


class I18n:
    """All catalogs, loaded once; hands out translators."""

    def __init__(self, translators: dict[str, Translator]) -> None:
        self._translators = translators

    @classmethod
    def load(cls, locales_dir: Path | None = None) -> I18n:
        """Read every `<lang>/*.po` under the locales folder (the packaged one by default)."""
        root = Path(str(resources.files("bot") / "locales")) if locales_dir is None else locales_dir
        translators = {DEFAULT_LANGUAGE: Translator(DEFAULT_LANGUAGE)}
        for language in LANGUAGES:
            if language == DEFAULT_LANGUAGE:
                continue
            messages: dict[str, str] = {}
            plurals: dict[str, tuple[str, ...]] = {}
            for po_file in sorted((root / language).glob("*.po")):
                with po_file.open("rb") as handle:
                    catalog = read_po(handle, locale=language)
                for message in catalog:
                    if not message.id or message.fuzzy:
                        continue
                    if isinstance(message.id, tuple):
                        strings = tuple(message.string or ())
                        if any(strings):
                            plurals[str(message.id[0])] = strings
                    elif isinstance(message.string, str) and message.string:
                        messages[str(message.id)] = message.string
            translators[language] = Translator(language, messages, plurals)
        return cls(translators)

    def translator(self, language: str | None) -> Translator:
        """The translator for a language (English when unknown)."""
        return self._translators.get(normalise_language(language), self._translators["en"])

    def catalog(self, language: str) -> dict[str, str]:
        """All translations of one language (for tests and tooling)."""
        return dict(self.translator(language).messages)


def normalise_language(code: str | None, supported: Iterable[str] = LANGUAGES) -> str:
    """Map a Telegram language_code such as 'fr-CA' to a supported language."""
    if not code:
        return DEFAULT_LANGUAGE
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base in tuple(supported) else DEFAULT_LANGUAGE


def pick_language(chosen: str | None, telegram_code: str | None) -> str:
    """The user's own choice first, else their Telegram app language, else English."""
    if chosen and normalise_language(chosen) == chosen:
        return chosen
    return normalise_language(telegram_code)
