"""Broadcast texts at their edges: every line translated in every language, only the counts that
matter, the 80-character preview, the order of the scheduled list."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.broadcast import (
    ALL,
    AUDIENCES,
    PANELISTS,
    REMOTE,
    ROOM,
    DeliveryReport,
    ScheduledView,
    audience_label,
    render_broadcast,
    render_preview,
    render_report,
    render_scheduled,
)
from tests.domain.translated import Recording

GENEVA = ZoneInfo("Europe/Zurich")
LANGUAGES = ["fr", "es", "ar", "zh", "ru"]


def identity(text: str) -> str:
    return text




def _audience_msgids() -> frozenset[str]:
    recording = Recording("fr")
    audience_label(ALL, recording)
    return frozenset(recording.asked)


AUDIENCE_MSGIDS = _audience_msgids()  # a renderer shows one of them
EVERYTHING = DeliveryReport(delivered=5, blocked=1, failed=2, pending=3, unconfirmed=4,
                            rate_limited=6)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_broadcast_text_is_in_the_organisers_language(language: str) -> None:
    for render in (
        lambda _: render_broadcast("Hello", _),
        lambda _: render_preview(REMOTE, "Hello", 3, _),
        lambda _: render_report(EVERYTHING, _),
        lambda _: render_report(DeliveryReport(delivered=2), _),
        lambda _: render_scheduled([], GENEVA, _, event_label="Geneva time"),
        lambda _: render_scheduled(
            [ScheduledView(1, datetime(2023, 3, 29, 13, tzinfo=UTC), ROOM, "Hi")], GENEVA, _,
            event_label="Geneva time",
        ),
    ):
        recording = Recording(language)
        recording.check(render(recording), not_all_shown=AUDIENCE_MSGIDS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_audience_has_its_own_translated_name(language: str) -> None:
    recording = Recording(language)
    names = [audience_label(audience, recording) for audience in AUDIENCES]
    assert recording.untranslated() == []
    assert len(set(names)) == len(AUDIENCES)
    assert all(name in recording.catalog.values() for name in names)


def test_audience_names_say_who() -> None:
    assert [audience_label(a, identity) for a in (ALL, REMOTE, ROOM, PANELISTS)] == [
        "everyone", "remote participants", "participants in the room", "panelists",
    ]


def test_a_broadcast_is_a_bold_header_a_blank_line_and_the_escaped_text() -> None:
    assert render_broadcast("a < b & c", identity).split("\n") == [
        "📢 <b>From the organisers</b>", "", "a &lt; b &amp; c",
    ]


def test_a_preview_names_audience_and_count_then_the_escaped_text() -> None:
    assert render_preview(PANELISTS, "x <y>", 4, identity).split("\n") == [
        "<b>Broadcast preview</b>", "Audience: panelists", "Recipients: 4", "", "x &lt;y&gt;",
    ]


def test_a_finished_report_shows_the_four_counts_and_nothing_that_is_zero() -> None:
    report = DeliveryReport(delivered=3, blocked=1, failed=0)
    assert render_report(report, identity).split("\n") == [
        "<b>Broadcast delivered</b>", "Recipients: 4", "Delivered: 3", "Blocked the bot: 1",
        "Failed: 0",
    ]


def test_a_report_in_progress_adds_what_is_left_unconfirmed_and_rate_limited() -> None:
    lines = render_report(EVERYTHING, identity).split("\n")
    assert lines[0] == "<b>Broadcast in progress…</b>"
    assert lines[1] == f"Recipients: {EVERYTHING.total}"
    assert lines[5:] == [
        "Still to send: 3",
        "Unconfirmed (in flight during a restart): 4",
        "Rate-limit answers (429) waited out: 6",
    ]


@pytest.mark.parametrize(
    ("field", "line"),
    [
        ("unconfirmed", "Unconfirmed (in flight during a restart): 1"),
        ("rate_limited", "Rate-limit answers (429) waited out: 1"),
    ],
)
def test_each_extra_count_shows_alone(field: str, line: str) -> None:
    lines = render_report(DeliveryReport(delivered=1, **{field: 1}), identity).split("\n")
    assert lines[0] == "<b>Broadcast delivered</b>"
    assert lines[5:] == [line]


def view(view_id: int, hour: int, text: str = "Hi", audience: str = ALL) -> ScheduledView:
    return ScheduledView(view_id, datetime(2023, 3, 29, hour, tzinfo=UTC), audience, text)


def test_the_scheduled_list_is_ordered_by_time_then_id_with_geneva_times() -> None:
    text = render_scheduled([view(5, 14), view(9, 13), view(2, 14)], GENEVA, identity,
                            event_label="Geneva time")
    lines = text.split("\n")
    assert lines[0] == "<b>Scheduled broadcasts (Geneva time)</b>"
    assert lines[1] == "#9 · 2023-03-29 15:00 · everyone"
    assert lines[2] == "    Hi"
    assert [line.split(" · ")[0] for line in lines if line.startswith("#")] == ["#9", "#2", "#5"]
    assert lines[-1] == "Cancel one with /cancel &lt;id&gt;."


@pytest.mark.parametrize(
    ("length", "shown"), [(79, 79), (80, 80), (81, 80)], ids=["79", "80", "81"]
)
def test_a_long_scheduled_text_is_cut_to_80_characters_with_an_ellipsis(length: int,
                                                                        shown: int) -> None:
    text = "x" * length
    lines = render_scheduled([view(1, 13, text)], GENEVA, identity, event_label="")
    preview = lines.split("\n")[2].removeprefix("    ")
    assert len(preview) == shown
    assert preview.endswith("…") is (length > 80)
    assert lines.split("\n")[0] == "<b>Scheduled broadcasts (Europe/Zurich)</b>"


def test_the_scheduled_preview_is_escaped_and_cut_before_escaping() -> None:
    text = "<" * 100
    preview = render_scheduled([view(1, 13, text)], GENEVA, identity,
                               event_label="").split("\n")[2]
    assert preview == "    " + "&lt;" * 79 + "…"


def test_no_scheduled_broadcasts_is_one_line() -> None:
    assert render_scheduled([], GENEVA, identity, event_label="x") == "No scheduled broadcasts."
