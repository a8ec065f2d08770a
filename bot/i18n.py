"""Translations: gettext catalogs (.po) per language and feature, read with Babel.

English is the source language (the msgid). Each feature keeps its own catalog file,
`bot/locales/<lang>/<feature>.po`, so features do not edit one shared file; all files of a
language are merged at start-up. Code marks strings with `_("...")`, where `_` is
`Translator.gettext` for the user's language.
"""

from __future__ import annotations

import gettext
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

log = logging.getLogger(__name__)

LANGUAGES: tuple[str, ...] = ("en", "fr", "es", "ar", "zh", "ru")
DEFAULT_LANGUAGE = "en"
RTL_LANGUAGES = frozenset({"ar"})

Gettext = Callable[[str], str]


def gettext_noop(message: str) -> str:
    """Mark a msgid for translation where the reader is not known yet: import it as `_`, and
    translate the text later with the reader's gettext."""
    return message
PluralIndex = Callable[[int], int]

# Counts tried to find, for each CLDR category, a number that falls in it (1000000 is French
# "many"); the catalog's Plural-Forms expression then says which msgstr holds that category.
_SAMPLES = (*range(0, 1001), 1_000_000, 2_000_000)


@dataclass(frozen=True)
class PluralForms:
    """The translations of one msgid_plural entry and how a count picks among them."""

    forms: tuple[str, ...]
    index: PluralIndex

    def pick(self, n: int) -> str:
        """The form for count `n` ('' when that form is untranslated)."""
        index = self.index(n)
        return self.forms[index] if 0 <= index < len(self.forms) else ""


@dataclass(frozen=True)
class Translator:
    """Translates English msgids into one language (falls back to English)."""

    language: str
    messages: dict[str, str] = field(default_factory=dict)
    plurals: dict[str, PluralForms] = field(default_factory=dict)

    @property
    def rtl(self) -> bool:
        """True when the language is written right to left."""
        return self.language in RTL_LANGUAGES

    def gettext(self, message: str) -> str:
        """The translation of `message`, or `message` itself."""
        return self.messages.get(message) or message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The translation for count `n`, by the language's CLDR plural rule."""
        entry = self.plurals.get(singular)
        return (entry.pick(n) if entry else "") or (singular if n == 1 else plural)


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
            plurals: dict[str, PluralForms] = {}
            for po_file in sorted((root / language).glob("*.po")):
                with po_file.open("rb") as handle:
                    catalog = read_po(handle, locale=language)
                index = catalog_plural_index(language, catalog)
                for message in catalog:
                    if not message.id or message.fuzzy:
                        continue
                    if isinstance(message.id, tuple):
                        strings = tuple(str(s) for s in message.string or ())
                        if any(strings):
                            plurals[str(message.id[0])] = PluralForms(strings, index)
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


def catalog_plural_index(language: str, catalog: Catalog) -> PluralIndex:
    """Count -> msgstr index: the CLDR category of the count (Babel), placed where the
    catalog's Plural-Forms header puts that category."""
    return _plural_index(language, catalog.plural_expr, catalog.num_plurals)


@cache
def _plural_index(language: str, expression: str, count: int) -> PluralIndex:
    header = gettext.c2py(expression)
    rule = Locale.parse(language).plural_form
    slots: dict[str, int] = {}
    for n in _SAMPLES:
        slots.setdefault(rule(n), header(n))

    def index(n: int) -> int:
        n = abs(n)
        slot = slots.get(rule(n))
        return min(header(n) if slot is None else slot, count - 1)
    return index


# Telegram sends IETF tags: 'zh-hans', 'zh-CN', 'pt-br', 'ru-RU'. Every Chinese tag gets the
# simplified catalog, the one the UN uses.
def normalise_language(code: str | None, supported: Iterable[str] = LANGUAGES) -> str:
    """Map a Telegram language_code such as 'fr-CA' or 'zh-hans' to a supported language."""
    if not code:
        return DEFAULT_LANGUAGE
    base = code.strip().replace("_", "-").split("-")[0].lower()
    return base if base in tuple(supported) else DEFAULT_LANGUAGE


def language_named(text: str) -> str | None:
    """The supported language a user typed: a code ('ar', 'zh-CN') or a name in any of them
    ('Arabic', 'العربية', '中文', 'русский'); None when it is none of those."""
    key = text.strip().replace("_", "-").casefold()
    if not key:
        return None
    base = key.split("-")[0]
    if base in LANGUAGES:
        return base
    return _language_names().get(key)


@cache
def _language_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for language in LANGUAGES:
        for reader in LANGUAGES:
            name = Locale.parse(language).get_display_name(reader)
            if name:
                names.setdefault(name.casefold(), language)
    return names


def is_rtl(language: str | None) -> bool:
    """True for a language written right to left (Arabic)."""
    return normalise_language(language) in RTL_LANGUAGES


def pick_language(chosen: str | None, telegram_code: str | None) -> str:
    """The user's own choice first, else their Telegram app language, else English."""
    if chosen and normalise_language(chosen) == chosen:
        return chosen
    return normalise_language(telegram_code)
