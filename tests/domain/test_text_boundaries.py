"""Splitting and truncating at the edges: which separator wins, a part of exactly the limit,
whitespace-only text, separators at the very start, a limit of one."""

from __future__ import annotations

import pytest

from bot.domain.text import split_message, truncate


@pytest.mark.parametrize(
    ("text", "limit", "parts"),
    [
        ("aa\n\nbb\ncc dd", 11, ["aa", "bb\ncc dd"]),  # a paragraph break beats a later line
        ("aa\nbb cc dd", 9, ["aa", "bb cc dd"]),  # a line break beats a later space
        ("aaaa bbbb", 6, ["aaaa", "bbbb"]),  # a space beats cutting a word
        ("a b c d", 5, ["a b", "c d"]),  # the last space in the window
        ("a bcdef", 4, ["a", "bcde", "f"]),  # a space at index 1 is a place to cut
        (" abcdef", 4, [" abc", "def"]),  # one at index 0 is not: the word is cut
        ("ab c", 4, ["ab c"]),  # exactly the limit: one part
        ("abcde", 1, ["a", "b", "c", "d", "e"]),
        ("  aa  \nbb", 8, ["  aa", "bb"]),  # the cut trims the part's end, not its start
    ],
)
def test_split_cuts_at_the_best_separator_in_the_window(text: str, limit: int,
                                                        parts: list[str]) -> None:
    assert split_message(text, limit) == parts
    assert all(0 < len(part) <= limit for part in parts)


def test_empty_text_is_one_empty_part_and_blank_text_is_kept() -> None:
    assert split_message("") == [""]
    assert split_message("   ") == ["   "]


@pytest.mark.parametrize("limit", [0, -5])
def test_a_limit_below_one_is_refused(limit: int) -> None:
    with pytest.raises(ValueError, match="^limit must be positive$"):
        split_message("text", limit)


@pytest.mark.parametrize(
    ("text", "limit", "short"),
    [
        ("abcd", 4, "abcd"),  # exactly the limit: unchanged
        ("abcde", 4, "abc…"),
        ("ab   cdef", 5, "ab…"),  # no space before the ellipsis
        ("  ab cdef", 5, "  ab…"),  # leading space kept
        ("abc", 1, "…"),
    ],
)
def test_truncate_keeps_text_within_the_limit_ending_with_an_ellipsis(
    text: str, limit: int, short: str
) -> None:
    assert truncate(text, limit) == short
    assert len(truncate(text, limit)) <= limit
