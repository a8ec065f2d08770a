"""Agenda lookup and rendering: event times, the participant's own time, now and next."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.agenda import (
    AgendaItem,
    current_item,
    format_duration,
    format_span,
    minutes_until,
    next_item,
    render_agenda,
    render_reminder,
)

GENEVA = ZoneInfo("Europe/Zurich")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
AUCKLAND = ZoneInfo("Pacific/Auckland")
LONDON = ZoneInfo("Europe/London")
BERLIN = ZoneInfo("Europe/Berlin")
LABEL = "Geneva time"  # the configured name of the event zone


def identity(text: str) -> str:
    return text


def geneva(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2023, month, day, hour, minute, tzinfo=GENEVA)


OPENING = AgendaItem("opening", "Opening & SG report", geneva(29, 15), geneva(29, 15, 20))
PANEL = AgendaItem("panel", "Panel <presentations>", geneva(29, 15, 20), geneva(29, 16, 10))
DISCUSSION = AgendaItem(
    "discussion",
    "Interactive discussion",
    geneva(29, 16, 10),
    geneva(29, 17, 30),
    link="https://example.org/join?a=1&b=2",
)
AGENDA = (DISCUSSION, OPENING, PANEL)  # deliberately out of order


def test_geneva_is_utc_plus_two_on_the_meeting_day() -> None:
    assert OPENING.start.astimezone(UTC) == datetime(2023, 3, 29, 13, 0, tzinfo=UTC)
    assert OPENING.start.astimezone(NEW_YORK).hour == 9


@pytest.mark.parametrize(
    ("now", "current", "upcoming"),
    [
        (geneva(29, 14, 59), None, "opening"),
        (geneva(29, 15), "opening", "panel"),
        (geneva(29, 15, 19), "opening", "panel"),
        (geneva(29, 15, 20), "panel", "discussion"),
        (geneva(29, 17, 29), "discussion", None),
        (geneva(29, 17, 30), None, None),
        (datetime(2023, 3, 29, 13, 30, tzinfo=UTC), "panel", "discussion"),
    ],
)
def test_current_and_next_item_follow_the_clock(
    now: datetime, current: str | None, upcoming: str | None
) -> None:
    found_current = current_item(AGENDA, now)
    found_next = next_item(AGENDA, now)
    assert (found_current.id if found_current else None) == current
    assert (found_next.id if found_next else None) == upcoming


def test_overlapping_items_report_the_latest_started_as_current() -> None:
    session = AgendaItem("session", "Session", geneva(29, 15), geneva(29, 17, 30))
    assert current_item((session, PANEL), geneva(29, 15, 30)) == PANEL


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        (GENEVA, "15:00–15:20"),
        (NEW_YORK, "09:00–09:20"),
        (TOKYO, "22:00–22:20"),
        (AUCKLAND, "2023-03-30 02:00–2023-03-30 02:20"),
        (UTC, "13:00–13:20"),
    ],
)
def test_span_shows_local_time_and_the_date_only_when_it_differs(
    zone: ZoneInfo, expected: str
) -> None:
    assert format_span(OPENING, zone, GENEVA) == expected


def test_span_crossing_midnight_dates_only_the_end() -> None:
    assert format_span(DISCUSSION, TOKYO, GENEVA) == "23:10–2023-03-30 00:30"


def test_span_before_geneva_dst_change_uses_winter_offset() -> None:
    # 20 March: New York already on EDT (since 12 March), Geneva still on CET: 5 hours apart.
    item = AgendaItem("prep", "Prep call", geneva(20, 15), geneva(20, 16))
    assert format_span(item, NEW_YORK, GENEVA) == "10:00–11:00"
    assert format_span(OPENING, NEW_YORK, GENEVA) == "09:00–09:20"


def test_agenda_marks_now_and_next_and_escapes_titles() -> None:
    text = render_agenda(AGENDA, geneva(29, 15, 5), GENEVA, None, identity, event_label=LABEL)
    lines = text.splitlines()
    assert lines[0] == "<b>Agenda</b>"
    assert lines[1] == "<i>Geneva time (Europe/Zurich)</i>"
    opening = next(line for line in lines if "Opening" in line)
    panel = next(line for line in lines if "Panel" in line)
    assert opening.startswith("▶️ <b>15:00–15:20</b>") and opening.endswith("<i>now</i>")
    assert panel.endswith("<i>next</i>")
    assert "Opening &amp; SG report" in opening
    assert "Panel &lt;presentations&gt;" in panel
    assert text.index("Opening") < text.index("Panel") < text.index("Interactive")


def test_agenda_in_new_york_shows_both_times() -> None:
    text = render_agenda(AGENDA, geneva(28, 12), GENEVA, NEW_YORK, identity, event_label=LABEL)
    assert "Your time: America/New_York" in text
    assert "your time: 09:00–09:20" in text
    assert "your time: 10:10–11:30" in text


def test_agenda_in_auckland_shows_the_next_day_date() -> None:
    text = render_agenda(AGENDA, geneva(28, 12), GENEVA, AUCKLAND, identity, event_label=LABEL)
    assert "your time: 2023-03-30 02:00–2023-03-30 02:20" in text


def test_agenda_omits_the_local_column_when_the_zone_shows_the_same_times() -> None:
    text = render_agenda(AGENDA, geneva(28, 12), GENEVA, BERLIN, identity, event_label=LABEL)
    assert "your time" not in text.lower()


def test_agenda_after_the_meeting_says_it_ended() -> None:
    text = render_agenda(AGENDA, geneva(29, 18), GENEVA, None, identity, event_label=LABEL)
    assert "The meeting has ended" in text
    assert "<i>now</i>" not in text and "<i>next</i>" not in text


def test_empty_agenda_says_so() -> None:
    text = render_agenda((), geneva(29, 12), GENEVA, LONDON, identity, event_label=LABEL)
    assert "not been published" in text


def test_agenda_uses_the_translation_callable_for_the_zone_label_too() -> None:
    french = {
        "Agenda": "Ordre du jour",
        "now": "en cours",
        "next": "ensuite",
        "Geneva time": "heure de Genève",
    }
    text = render_agenda(
        AGENDA, geneva(29, 15, 5), GENEVA, None, lambda s: french.get(s, s), event_label=LABEL
    )
    assert "<b>Ordre du jour</b>" in text
    assert "<i>en cours</i>" in text and "<i>ensuite</i>" in text
    assert "<i>Heure de Genève (Europe/Zurich)</i>" in text  # capitalised to start the line


def test_another_venue_shows_its_own_label_and_zone() -> None:
    item = AgendaItem("side", "Side event", geneva(29, 15), geneva(29, 16))
    agenda = render_agenda([item], geneva(29, 12), NEW_YORK, None, identity,
                           event_label="New York time <UN HQ>")
    assert "<i>New York time &lt;UN HQ&gt; (America/New_York)</i>" in agenda
    assert "<b>09:00–10:00</b>" in agenda and "Geneva" not in agenda
    reminder = render_reminder(item, geneva(29, 14, 50), NEW_YORK, None, identity,
                               event_label="New York time")
    assert "New York time: 09:00–10:00" in reminder and "Geneva" not in reminder


def test_an_empty_label_falls_back_to_the_zone_key() -> None:
    text = render_reminder(PANEL, geneva(29, 14, 20), GENEVA, None, identity, event_label="")
    assert "Europe/Zurich: 15:20–16:10" in text


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (0, "0 min"),
        (5, "5 min"),
        (60, "1 h"),
        (65, "1 h 05 min"),
        (1440, "1 d"),
        (1500, "1 d 1 h"),
        (-3, "0 min"),
    ],
)
def test_duration_is_short_and_readable(minutes: int, expected: str) -> None:
    assert format_duration(minutes, identity) == expected


def test_minutes_until_rounds_up_and_crosses_dst_as_elapsed_time() -> None:
    assert minutes_until(geneva(29, 15), geneva(29, 14, 50).replace(second=30)) == 10
    # 25 March 15:00 CET -> 29 March 15:00 CEST is 4 days minus the lost hour.
    assert minutes_until(geneva(29, 15), geneva(25, 15)) == 4 * 1440 - 60
    assert minutes_until(geneva(29, 15), geneva(29, 16)) == 0


def test_reminder_shows_title_time_left_both_times_and_link() -> None:
    text = render_reminder(
        DISCUSSION, geneva(29, 15, 55), GENEVA, NEW_YORK, identity, event_label=LABEL
    )
    assert text.startswith("⏰ <b>Interactive discussion</b>")
    assert "Starts in 15 min." in text
    assert "Geneva time: 16:10–17:30" in text
    assert "Your time (America/New_York): 10:10–11:30" in text
    assert '<a href="https://example.org/join?a=1&amp;b=2">Join online</a>' in text


def test_reminder_without_zone_or_link_has_only_the_event_time() -> None:
    text = render_reminder(PANEL, geneva(29, 14, 20), GENEVA, None, identity, event_label=LABEL)
    assert "Your time" not in text and "<a " not in text
    assert "Starts in 1 h." in text
    assert "Panel &lt;presentations&gt;" in text
