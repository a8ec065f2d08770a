"""/speak's words: a first word naming a floor language is the language, the rest the topic."""

from __future__ import annotations

import pytest

from bot.handlers.floor_commands import language_and_topic


@pytest.mark.parametrize(("text", "expected"), [
    ("", (None, "")),
    ("fr", ("fr", "")),
    ("zh-CN budget lines", ("zh", "budget lines")),
    ("Arabic  access to data", ("ar", "access to data")),
    ("русский", ("ru", "")),
    ("Español", ("es", "")),
    ("pt data", (None, "pt data")),  # not one of the six: all of it is the topic
    ("data for development", (None, "data for development")),
    ("frankly speaking", (None, "frankly speaking")),
])
def test_the_first_word_is_the_language_only_when_it_names_one(
        text: str, expected: tuple[str | None, str]) -> None:
    assert language_and_topic(text) == expected
