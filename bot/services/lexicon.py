"""Names the evidence checks recognise, from CLDR (Babel): the names of the languages that are
official somewhere (so "Even" or "Ido" never pass for a language), and country names, each in
English, French, Spanish, Arabic, Chinese and Russian, folded for matching."""

from __future__ import annotations

from babel import Locale
from babel.core import get_global

from bot.domain.evidence import Lexicon
from bot.domain.extractive import fold

NAME_LANGUAGES: tuple[str, ...] = ("en", "fr", "es", "ar", "zh", "ru")
_OFFICIAL = ("official", "de_facto_official")


def build_lexicon() -> Lexicon:
    """Official languages' names and country names in the six languages."""
    official: set[str] = set()
    for languages in get_global("territory_languages").values():
        official.update(code for code, info in languages.items()
                        if info.get("official_status") in _OFFICIAL)
    language_names: set[str] = set()
    places: set[str] = set()
    countries: set[str] = set()
    for code in NAME_LANGUAGES:
        locale = Locale.parse(code)
        language_names.update(fold(name) for key, name in locale.languages.items()
                              if key in official)
        # Two-letter codes are countries; three-digit ones are regions ("Europe", "World").
        countries.update(fold(name) for code, name in locale.territories.items()
                         if code.isalpha())
        places.update(fold(name) for name in locale.territories.values())
    return Lexicon(frozenset(language_names), frozenset(places), frozenset(countries))
