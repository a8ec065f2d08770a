"""The .ics export: right instants, Europe/Zurich TZID with its VTIMEZONE, stable UIDs that
follow the configured meeting."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.domain.agenda import AgendaItem
from bot.services.calendar_ics import (
    build_calendar,
    calendar_filename,
    event_uid,
    meeting_id,
)

GENEVA = ZoneInfo("Europe/Zurich")
STAMP = datetime(2023, 3, 20, 8, 0, tzinfo=UTC)


def geneva(hour: int, minute: int = 0) -> datetime:
    return datetime(2023, 3, 29, hour, minute, tzinfo=GENEVA)


ITEMS = [
    AgendaItem("panel", "Panel, part 1; ICTs", geneva(15, 20), geneva(16, 10)),
    AgendaItem(
        "opening",
        "Opening",
        geneva(15),
        geneva(15, 20),
        link="https://example.org/j?a=1&b=2",
        description="SG report",
    ),
]


def build() -> bytes:
    return build_calendar(
        ITEMS, meeting_id="cstd26-hlp", meeting_title="CSTD 26", stamp=STAMP, location="Geneva"
    )


def test_events_come_back_at_the_right_instants_with_the_geneva_tzid() -> None:
    calendar = Calendar.from_ical(build())
    events = calendar.walk("VEVENT")
    assert [str(event["uid"]) for event in events] == [
        "cstd26-hlp-opening@panel-assistant",
        "cstd26-hlp-panel@panel-assistant",
    ]
    opening = events[0]
    assert opening["dtstart"].params["TZID"] == "Europe/Zurich"
    assert opening.decoded("dtstart").astimezone(UTC) == datetime(2023, 3, 29, 13, 0, tzinfo=UTC)
    assert opening.decoded("dtend").astimezone(UTC) == datetime(2023, 3, 29, 13, 20, tzinfo=UTC)
    assert str(opening["summary"]) == "Opening (CSTD 26)"
    assert str(opening["url"]) == "https://example.org/j?a=1&b=2"
    assert "SG report" in str(opening["description"])
    assert str(opening["location"]) == "Geneva"


def test_the_file_carries_a_vtimezone_with_summer_time() -> None:
    text = build().decode()
    assert "BEGIN:VTIMEZONE\r\nTZID:Europe/Zurich" in text
    assert "TZOFFSETTO:+0200" in text
    assert "DTSTART;TZID=Europe/Zurich:20230329T150000" in text


def test_same_agenda_gives_byte_identical_files_so_uids_are_stable() -> None:
    assert build() == build()
    assert event_uid("cstd26-hlp", "opening") == "cstd26-hlp-opening@panel-assistant"


def test_special_characters_are_escaped_by_the_library() -> None:
    text = build().decode()
    assert "SUMMARY:Panel\\, part 1\\; ICTs (CSTD 26)" in text


def test_utc_items_are_written_in_utc() -> None:
    item = AgendaItem(
        "x", "X", datetime(2023, 3, 29, 13, tzinfo=UTC), datetime(2023, 3, 29, 14, tzinfo=UTC)
    )
    text = build_calendar([item], meeting_id="m", meeting_title="", stamp=STAMP).decode()
    assert "DTSTART:20230329T130000Z" in text


def test_filename_is_safe() -> None:
    assert calendar_filename("cstd 26/hlp") == "cstd-26-hlp.ics"


@pytest.mark.parametrize(
    ("configured", "title", "expected"),
    [
        ("", "CSTD 26 - High-level Panel on WSIS", "cstd-26-high-level-panel-on-wsis"),
        ("", "Forum de Genève : Santé & Société", "forum-de-geneve-sante-societe"),
        ("wsis-ny-2024", "WSIS side event", "wsis-ny-2024"),
        ("WSIS NY/2024", "ignored", "wsis-ny-2024"),
        ("", "東京 !!", "agenda"),
        ("", "x" * 200, "x" * 64),
    ],
)
def test_meeting_id_is_the_configured_id_or_a_slug_of_the_title(
    configured: str, title: str, expected: str
) -> None:
    assert meeting_id(configured, title) == expected


def test_uids_follow_the_configured_meeting_and_stay_stable() -> None:
    def uids(meeting: str) -> list[str]:
        data = build_calendar(ITEMS, meeting_id=meeting, meeting_title="M", stamp=STAMP)
        return [str(event["uid"]) for event in Calendar.from_ical(data).walk("VEVENT")]

    new_york = meeting_id("", "WSIS side event, New York")
    assert uids(new_york) == [
        "wsis-side-event-new-york-opening@panel-assistant",
        "wsis-side-event-new-york-panel@panel-assistant",
    ]
    assert uids(meeting_id("", "WSIS side event, New York")) == uids(new_york)
    assert not set(uids(new_york)) & set(uids(meeting_id("", "CSTD 27")))
