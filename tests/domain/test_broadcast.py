"""Broadcast rules: audiences, /broadcast and /schedule arguments, delivery accounting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.broadcast import (
    AUDIENCES,
    MAX_TEXT_CHARS,
    ArgsError,
    ArgsProblem,
    Delivery,
    Due,
    Member,
    ScheduledView,
    parse_broadcast_args,
    parse_schedule_args,
    render_broadcast,
    render_preview,
    render_report,
    render_scheduled,
    scheduled_decision,
    select_audience,
    split_first_word,
    tally,
)

GENEVA = ZoneInfo("Europe/Zurich")


def identity(text: str) -> str:
    return text


def geneva(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2023, month, day, hour, minute, tzinfo=GENEVA)


MEMBERS = [
    Member(1, 101, remote=False, panelist=False),
    Member(2, 102, remote=True, panelist=False),
    Member(3, 103, remote=True, panelist=True),
    Member(4, 104, remote=False, panelist=True),
    Member(5, 105, remote=True, panelist=False, active=False),  # blocked the bot
]


@pytest.mark.parametrize(
    ("audience", "expected"),
    [("all", [1, 2, 3, 4]), ("remote", [2, 3]), ("room", [1, 4]), ("panelists", [3, 4])],
)
def test_audience_selects_active_members_only(audience: str, expected: list[int]) -> None:
    assert [m.participant_id for m in select_audience(audience, MEMBERS)] == expected


def test_unknown_audience_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown audience"):
        select_audience("press", MEMBERS)


@pytest.mark.parametrize(
    ("raw", "audience", "text"),
    [
        ("The panel resumes in 5 minutes", "all", "The panel resumes in 5 minutes"),
        ("remote Zoom link changed", "remote", "Zoom link changed"),
        ("ROOM  Room changed to XVIII", "room", "Room changed to XVIII"),
        ("panelists Please join\nthe stage\n\nnow", "panelists", "Please join\nthe stage\n\nnow"),
        ("  all  hello  ", "all", "hello"),
        ("remotely speaking", "all", "remotely speaking"),
    ],
)
def test_broadcast_args_take_an_optional_audience_word_and_keep_the_text(
    raw: str, audience: str, text: str
) -> None:
    request = parse_broadcast_args(raw)
    assert (request.audience, request.text) == (audience, text)


@pytest.mark.parametrize("raw", ["", "   ", "remote", "panelists   \n  "])
def test_broadcast_without_text_is_refused(raw: str) -> None:
    with pytest.raises(ArgsError) as caught:
        parse_broadcast_args(raw)
    assert caught.value.problem is ArgsProblem.MISSING_TEXT


def test_broadcast_text_that_cannot_fit_a_message_is_refused() -> None:
    with pytest.raises(ArgsError) as caught:
        parse_broadcast_args("&" * (MAX_TEXT_CHARS // 5 + 1))  # escaping makes it 5x longer
    assert caught.value.problem is ArgsProblem.TOO_LONG
    assert parse_broadcast_args("x" * MAX_TEXT_CHARS).text == "x" * MAX_TEXT_CHARS


def test_rendered_broadcast_stays_within_telegram_limit() -> None:
    longest = parse_broadcast_args("<" * (MAX_TEXT_CHARS // 4)).text
    assert len(render_broadcast(longest, identity)) <= 4096


def test_schedule_with_clock_later_today_is_today() -> None:
    request = parse_schedule_args("15:00 room Room changed", geneva(3, 29, 14, 30), GENEVA)
    assert request.when == geneva(3, 29, 15)
    assert (request.audience, request.text) == ("room", "Room changed")


def test_schedule_with_clock_already_past_is_tomorrow() -> None:
    request = parse_schedule_args("9:05 Good morning", geneva(3, 29, 14, 30), GENEVA)
    assert request.when == geneva(3, 30, 9, 5)
    assert request.audience == "all"


def test_schedule_at_exactly_now_is_tomorrow() -> None:
    request = parse_schedule_args("14:30 hi", geneva(3, 29, 14, 30), GENEVA)
    assert request.when == geneva(3, 30, 14, 30)


def test_schedule_clock_is_read_in_geneva_whatever_zone_now_is_in() -> None:
    now = datetime(2023, 3, 29, 12, 0, tzinfo=UTC)  # 14:00 in Geneva
    request = parse_schedule_args("15:00 hi", now, GENEVA)
    assert request.when.astimezone(UTC) == datetime(2023, 3, 29, 13, 0, tzinfo=UTC)


def test_schedule_tomorrow_across_dst_keeps_the_wall_clock() -> None:
    # Asked on Saturday 25 March at 20:00 CET for 10:00: Sunday 26 March 10:00 CEST.
    request = parse_schedule_args("10:00 hi", geneva(3, 25, 20), GENEVA)
    assert request.when.isoformat() == "2023-03-26T10:00:00+02:00"
    assert request.when.astimezone(UTC).hour == 8


def test_schedule_with_full_date() -> None:
    request = parse_schedule_args(
        "2023-03-29 17:25 panelists Closing soon", geneva(3, 27, 9), GENEVA
    )
    assert request.when == geneva(3, 29, 17, 25)
    assert (request.audience, request.text) == ("panelists", "Closing soon")


def test_schedule_in_the_hour_skipped_by_dst_is_refused() -> None:
    with pytest.raises(ArgsError) as caught:
        parse_schedule_args("2023-03-26 02:30 hi", geneva(3, 20, 9), GENEVA)
    assert caught.value.problem is ArgsProblem.NONEXISTENT_TIME


def test_schedule_in_the_repeated_autumn_hour_takes_the_first_one() -> None:
    request = parse_schedule_args("2023-10-29 02:30 hi", geneva(10, 20, 9), GENEVA)
    assert request.when.astimezone(UTC) == datetime(2023, 10, 29, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", ArgsProblem.MISSING_TIME),
        ("soon hello", ArgsProblem.BAD_TIME),
        ("25:00 hello", ArgsProblem.BAD_TIME),
        ("12:60 hello", ArgsProblem.BAD_TIME),
        ("12h30 hello", ArgsProblem.BAD_TIME),
        ("15:00", ArgsProblem.MISSING_TEXT),
        ("15:00 remote", ArgsProblem.MISSING_TEXT),
        ("2023-02-30 10:00 hello", ArgsProblem.BAD_DATE),
        ("2023-3-29 10:00 hello", ArgsProblem.BAD_DATE),
        ("2023-03-29", ArgsProblem.MISSING_TIME),
        ("2023-03-29 hello", ArgsProblem.BAD_TIME),
        ("2023-03-28 10:00 hello", ArgsProblem.PAST_TIME),
        ("2023-03-29 14:30 hello", ArgsProblem.PAST_TIME),
    ],
)
def test_bad_schedule_arguments_say_what_is_wrong(raw: str, problem: ArgsProblem) -> None:
    with pytest.raises(ArgsError) as caught:
        parse_schedule_args(raw, geneva(3, 29, 14, 30), GENEVA)
    assert caught.value.problem is problem


def test_schedule_needs_an_aware_now() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_schedule_args("15:00 hi", datetime(2023, 3, 29, 14, 0), GENEVA)


texts = st.text(min_size=1, max_size=200).filter(lambda text: text.strip() != "")


@given(raw=st.text(max_size=300))
def test_broadcast_parser_either_parses_or_raises_args_error(raw: str) -> None:
    try:
        request = parse_broadcast_args(raw)
    except ArgsError:
        return
    assert request.audience in AUDIENCES
    assert request.text and request.text == request.text.strip()


def moment_after_new_year(minutes: int) -> datetime:
    """A Geneva time `minutes` after 2023-01-01 00:00 UTC (walks through both DST changes)."""
    return (datetime(2023, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes)).astimezone(GENEVA)


@given(raw=st.text(max_size=300), minutes=st.integers(0, 60 * 24 * 400))
def test_schedule_parser_never_crashes_and_only_returns_the_future(raw: str, minutes: int) -> None:
    now = moment_after_new_year(minutes)
    try:
        request = parse_schedule_args(raw, now, GENEVA)
    except ArgsError:
        return
    assert request.when > now
    assert request.text


@given(
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    audience=st.sampled_from(("",) + AUDIENCES),
    text=texts,
    minutes=st.integers(0, 60 * 24 * 365),
)
def test_clock_schedule_is_within_a_day_and_shows_the_typed_time(
    hour: int, minute: int, audience: str, text: str, minutes: int
) -> None:
    now = moment_after_new_year(minutes)
    try:
        request = parse_schedule_args(f"{hour:02d}:{minute:02d} {audience} {text}", now, GENEVA)
    except ArgsError as error:
        # Only the DST gap, a text that is only an audience word, or a too-long text fail.
        allowed = {ArgsProblem.NONEXISTENT_TIME, ArgsProblem.MISSING_TEXT, ArgsProblem.TOO_LONG}
        assert error.problem in allowed
        return
    local = request.when.astimezone(GENEVA)
    assert (local.hour, local.minute) == (hour, minute)
    # Within a calendar day ahead; 25 h when the night in between has the autumn extra hour.
    assert now < request.when <= now + timedelta(hours=25)


@given(first=st.text(max_size=20), rest=st.text(max_size=50))
def test_split_first_word_keeps_the_rest_verbatim_inside(first: str, rest: str) -> None:
    word, remainder = split_first_word(f"{first} {rest}")
    assert " " not in word
    assert remainder == remainder.strip()


def test_tally_counts_each_state_and_in_flight_as_pending() -> None:
    states = ["delivered"] * 5 + ["blocked"] * 2 + ["failed", "pending", "sending", "unconfirmed"]
    report = tally(states, rate_limited=1)
    assert (report.delivered, report.blocked, report.failed) == (5, 2, 1)
    assert (report.pending, report.unconfirmed, report.rate_limited) == (2, 1, 1)
    assert report.total == 11 and not report.finished


def test_tally_of_an_unknown_state_is_an_error() -> None:
    with pytest.raises(ValueError):
        tally(["lost"])


def test_report_shows_every_count_and_says_when_done() -> None:
    report = tally([Delivery.DELIVERED] * 3 + [Delivery.BLOCKED, Delivery.FAILED], 2)
    text = render_report(report, identity)
    assert text.startswith("<b>Broadcast delivered</b>")
    for line in (
        "Recipients: 5",
        "Delivered: 3",
        "Blocked the bot: 1",
        "Failed: 1",
        "Rate-limit answers (429) waited out: 2",
    ):
        assert line in text
    assert "Still to send" not in text


def test_progress_report_shows_what_is_left() -> None:
    text = render_report(tally(["delivered", "pending", "pending"]), identity)
    assert "in progress" in text and "Still to send: 2" in text


def test_preview_escapes_the_organiser_text() -> None:
    text = render_preview("remote", "Room <b>XVIII</b> & coffee", 42, identity)
    assert "Audience: remote participants" in text and "Recipients: 42" in text
    assert "Room &lt;b&gt;XVIII&lt;/b&gt; &amp; coffee" in text


def test_scheduled_list_shows_geneva_times_in_order() -> None:
    views = [
        ScheduledView(7, datetime(2023, 3, 29, 15, 25, tzinfo=UTC), "all", "b"),
        ScheduledView(3, datetime(2023, 3, 29, 12, 55, tzinfo=UTC), "room", "<a>"),
    ]
    text = render_scheduled(views, GENEVA, identity, event_label="Geneva time")
    assert text.startswith("<b>Scheduled broadcasts (Geneva time)</b>")
    assert text.index("#3 · 2023-03-29 14:55") < text.index("#7 · 2023-03-29 17:25")
    assert "&lt;a&gt;" in text
    assert render_scheduled([], GENEVA, identity, event_label="Geneva time") == (
        "No scheduled broadcasts."
    )


def test_scheduled_list_names_another_venue_s_zone_and_escapes_the_label() -> None:
    views = [ScheduledView(1, datetime(2023, 3, 29, 13, 0, tzinfo=UTC), "all", "hi")]
    text = render_scheduled(views, ZoneInfo("America/New_York"), identity, event_label="NY <time>")
    assert text.startswith("<b>Scheduled broadcasts (NY &lt;time&gt;)</b>")
    assert "#1 · 2023-03-29 09:00" in text


@pytest.mark.parametrize(
    ("minutes_after", "decision"),
    [(-1, Due.WAIT), (0, Due.SEND), (9, Due.SEND), (10, Due.SEND), (11, Due.EXPIRE)],
)
def test_scheduled_broadcast_is_sent_late_only_within_the_grace(
    minutes_after: int, decision: Due
) -> None:
    when = geneva(3, 29, 15)
    assert scheduled_decision(when, when + timedelta(minutes=minutes_after)) is decision
