"""Splitting long Telegram messages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.text import split_message, truncate


def test_short_text_is_one_part() -> None:
    assert split_message("hello") == ["hello"]


def test_long_text_is_cut_on_paragraph_boundaries() -> None:
    paragraphs = [("para %d " % i) * 60 for i in range(20)]
    text = "\n\n".join(p.strip() for p in paragraphs)
    parts = split_message(text, limit=1000)
    assert all(len(p) <= 1000 for p in parts)
    assert all(p.startswith("para") for p in parts)
    assert " ".join(" ".join(parts).split()) == " ".join(text.split())


def test_a_ten_thousand_character_word_is_cut_hard() -> None:
    parts = split_message("x" * 10_000)
    assert [len(p) for p in parts] == [4096, 4096, 1808]


@given(st.text(min_size=1, max_size=3000), st.integers(min_value=20, max_value=500))
def test_parts_respect_the_limit_and_keep_every_visible_character(text: str, limit: int) -> None:
    parts = split_message(text, limit)
    assert all(0 < len(p) <= limit for p in parts) or parts == [text]
    assert "".join("".join(parts).split()) == "".join(text.split())


@pytest.mark.parametrize(("text", "limit", "expected"), [
    ("short", 10, "short"), ("a longer sentence", 8, "a longe…"),
])
def test_truncate(text: str, limit: int, expected: str) -> None:
    assert truncate(text, limit) == expected
