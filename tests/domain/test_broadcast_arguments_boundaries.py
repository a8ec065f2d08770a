"""Refused /broadcast and /schedule arguments carry what the message to the organiser needs:
the word that was wrong, the limit, the moment already past."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.broadcast import (
    MAX_TEXT_CHARS,
    ArgsError,
    ArgsProblem,
    parse_broadcast_args,
    parse_schedule_args,
    split_first_word,
)

GENEVA = ZoneInfo("Europe/Zurich")
NOW = datetime(2023, 3, 29, 12, 0, tzinfo=UTC)  # 14:00 in Geneva


def refused(raw: str) -> ArgsError:
    with pytest.raises(ArgsError) as info:
        parse_schedule_args(raw, NOW, GENEVA)
    return info.value


@pytest.mark.parametrize(
    ("raw", "problem", "detail"),
    [
        ("24:00 hello", ArgsProblem.BAD_TIME, "24:00"),
        ("23:60 hello", ArgsProblem.BAD_TIME, "23:60"),
        ("noon hello", ArgsProblem.BAD_TIME, "noon"),
        ("2023-02-30 10:00 hello", ArgsProblem.BAD_DATE, "2023-02-30"),
        ("2023-3-30 10:00 hello", ArgsProblem.BAD_DATE, "2023-3-30"),
        ("2023-03-26 02:30 hello", ArgsProblem.NONEXISTENT_TIME, "2023-03-26 02:30"),
        ("2023-03-29 13:00 hello", ArgsProblem.PAST_TIME, "2023-03-29T13:00:00+02:00"),
    ],
)
def test_a_refusal_names_what_was_wrong(raw: str, problem: ArgsProblem, detail: str) -> None:
    error = refused(raw)
    assert (error.problem, error.detail) == (problem, detail)
    assert str(error) == f"{problem.value}: {detail}"


def test_23_59_is_the_last_minute_of_a_day() -> None:
    assert parse_schedule_args("23:59 hello", NOW, GENEVA).when == datetime(
        2023, 3, 29, 23, 59, tzinfo=GENEVA
    )


def test_a_refusal_without_detail_is_just_its_problem() -> None:
    error = refused("")
    assert (error.problem, error.detail, str(error)) == (ArgsProblem.MISSING_TIME, "",
                                                         "missing_time")


def test_a_text_too_long_says_the_limit() -> None:
    with pytest.raises(ArgsError) as info:
        parse_broadcast_args("x" * (MAX_TEXT_CHARS + 1))
    assert (info.value.problem, info.value.detail) == (ArgsProblem.TOO_LONG,
                                                       str(MAX_TEXT_CHARS))


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="^now must be timezone-aware$"):
        parse_schedule_args("10:00 hello", datetime(2023, 3, 29, 12), GENEVA)


@pytest.mark.parametrize("raw", ["", "   ", "\n"])
def test_nothing_splits_into_two_empty_strings(raw: str) -> None:
    assert split_first_word(raw) == ("", "")
