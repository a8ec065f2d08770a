"""A translation callable backed by the bot's real catalogs that remembers what it was asked.

Domain renderers take `_` as an argument; handing them this one lets a test check that every
text a participant sees is a msgid the catalogs translate (a changed msgid would reach the
participant in English).
"""

from __future__ import annotations

import functools
import html
import re

from bot.i18n import I18n

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@functools.cache
def _catalog(language: str) -> dict[str, str]:
    return I18n.load().catalog(language)


class Recording:
    """`_` for one language: translates with the real catalog, records every msgid."""

    def __init__(self, language: str) -> None:
        self.catalog = _catalog(language)
        self.asked: list[str] = []

    def __call__(self, message: str) -> str:
        self.asked.append(message)
        return self.catalog.get(message, message)

    def untranslated(self) -> list[str]:
        """The msgids asked for that the catalog does not know."""
        return [message for message in self.asked if message not in self.catalog]

    def literal_parts(self, message: str) -> list[str]:
        """The translation of `message` cut at its placeholders (what must show verbatim)."""
        return [part for part in _PLACEHOLDER.split(self.catalog[message]) if part.strip()]

    def check(self, text: str, *, not_all_shown: frozenset[str] = frozenset()) -> None:
        """Assert `text` asked for translations, all known, each shown (but `not_all_shown`,
        the msgids of which a renderer picks one, e.g. the audience names)."""
        assert self.asked, "the renderer asked for no translation"
        assert self.untranslated() == []
        for message in self.asked:
            if message in not_all_shown:
                continue
            for part in self.literal_parts(message):
                shown = html.escape(part.strip())
                # a line may start with the text capitalised ("heure de Genève" -> "Heure ...")
                assert shown in text or shown[:1].upper() + shown[1:] in text, (message, part)
