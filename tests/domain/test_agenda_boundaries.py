"""Agenda and reminder rendering at its edges: far time zones, the last item, a quote in a link,
and every text translated (a renderer handed the real French catalog shows no English)."""

from __future__ import annotations

import html
from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest

from bot.domain.agenda import (
    AgendaItem,
    format_span,
    render_agenda,
    render_reminder,
    zone_label,
)
from tests.domain.translated import Recording

GENEVA = ZoneInfo("Europe/Zurich")
BERLIN = ZoneInfo("Europe/Berlin")  # the same wall times as Geneva
NEW_YORK = ZoneInfo("America/New_York")
# The two ends of the world's clocks: whatever zone the machine running the tests is in, an
# item just after midnight in one of them or just before midnight in the other falls on
# another date there, so code that used the machine's zone instead of the event's would show.
KIRITIMATI = ZoneInfo("Pacific/Kiritimati")  # UTC+14
PAGO_PAGO = ZoneInfo("Pacific/Pago_Pago")  # UTC-11
FAR_ZONES = (KIRITIMATI, PAGO_PAGO)
LABEL = "Geneva time"


def identity(text: str) -> str:
    return text


def geneva(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2023, 3, day, hour, minute, tzinfo=GENEVA)


def late_evening(zone: ZoneInfo) -> AgendaItem:
    """An item from 23:00 to 23:45 on 29 March in `zone`."""
    start = datetime(2023, 3, 29, 23, 0, tzinfo=zone)
    return AgendaItem(f"late-{zone.key}", "Late", start, start + timedelta(minutes=45))


def after_midnight(zone: ZoneInfo) -> AgendaItem:
    """An item from 00:30 to 01:15 on 29 March in `zone`."""
    start = datetime(2023, 3, 29, 0, 30, tzinfo=zone)
    return AgendaItem(f"early-{zone.key}", "Early", start, start + timedelta(minutes=45))


FAR_ITEMS = [maker(zone) for zone in FAR_ZONES for maker in (late_evening, after_midnight)]

OPENING = AgendaItem("opening", "Opening", geneva(29, 15), geneva(29, 15, 20))
PANEL = AgendaItem("panel", "Panel", geneva(29, 15, 20), geneva(29, 16, 10))
CLOSING = AgendaItem("closing", "Closing", geneva(29, 16, 10), geneva(29, 16, 30))
AGENDA = (OPENING, PANEL, CLOSING)


def line_of(text: str, title: str) -> str:
    return next(line for line in text.split("\n") if title in line)


# ---- spans in the event zone, whatever the machine's zone ---------------------------------


@pytest.mark.parametrize("item", FAR_ITEMS, ids=lambda item: item.id)
def test_a_span_in_its_own_zone_never_carries_a_date(item: AgendaItem) -> None:
    zone = item.start.tzinfo
    assert isinstance(zone, ZoneInfo)
    span = format_span(item, zone, zone)
    assert span == f"{item.start:%H:%M}–{item.end:%H:%M}"


@pytest.mark.parametrize("item", FAR_ITEMS, ids=lambda item: item.id)
def test_agenda_in_a_far_event_zone_shows_plain_times(item: AgendaItem) -> None:
    zone = item.start.tzinfo
    assert isinstance(zone, ZoneInfo)
    text = render_agenda([item], item.start - timedelta(hours=1), zone, NEW_YORK, identity,
                         event_label="")
    event_span = f"{item.start:%H:%M}–{item.end:%H:%M}"
    assert f"<b>{event_span}</b>" in line_of(text, item.title)
    local = format_span(item, NEW_YORK, zone)
    assert f"your time: {local}" in text
    # the header names the event zone itself when no label is configured
    assert text.split("\n")[1] == f"<i>{zone.key} ({zone.key})</i>"


@pytest.mark.parametrize("item", FAR_ITEMS, ids=lambda item: item.id)
def test_reminder_in_a_far_event_zone_shows_plain_times(item: AgendaItem) -> None:
    zone = item.start.tzinfo
    assert isinstance(zone, ZoneInfo)
    text = render_reminder(item, item.start - timedelta(minutes=15), zone, GENEVA, identity,
                           event_label="Local time")
    assert f"Local time: {item.start:%H:%M}–{item.end:%H:%M}" in text.split("\n")
    assert f"Your time (Europe/Zurich): {format_span(item, GENEVA, zone)}" in text.split("\n")


@pytest.mark.parametrize("item", FAR_ITEMS, ids=lambda item: item.id)
def test_a_zone_with_the_event_zones_wall_times_adds_no_line_to_a_reminder(
    item: AgendaItem,
) -> None:
    zone = item.start.tzinfo
    assert isinstance(zone, ZoneInfo)
    # POSIX signs: Etc/GMT-14 is UTC+14, Etc/GMT+11 is UTC-11
    same = ZoneInfo("Etc/GMT-14") if zone is KIRITIMATI else ZoneInfo("Etc/GMT+11")
    assert format_span(item, same, zone) == format_span(item, zone, zone)
    text = render_reminder(item, item.start - timedelta(minutes=15), zone, same, identity,
                           event_label=LABEL)
    assert "Your time" not in text


def test_a_reminder_for_a_zone_that_shows_geneva_times_has_no_second_time() -> None:
    text = render_reminder(PANEL, geneva(29, 15), GENEVA, BERLIN, identity, event_label=LABEL)
    assert "Your time" not in text
    assert "Europe/Berlin" not in text


# ---- the agenda's lines ---------------------------------------------------------------------


def test_items_are_separated_by_blank_lines_and_marked_by_their_place_in_time() -> None:
    text = render_agenda(AGENDA, geneva(29, 15, 30), GENEVA, None, identity, event_label=LABEL)
    lines = text.split("\n")
    opening, panel, closing = (lines.index(line_of(text, t)) for t in ("Opening", "Panel",
                                                                         "Closing"))
    for index in (opening, panel, closing):
        assert lines[index - 1] == ""
    assert lines[opening] == "• <b>15:00–15:20</b> Opening"  # over: no tag
    assert lines[panel].startswith("▶️ <b>15:20–16:10</b> Panel — <i>")
    assert lines[closing].startswith("⏭ <b>16:10–16:30</b> Closing — <i>")
    assert lines[panel].endswith("<i>now</i>") and lines[closing].endswith("<i>next</i>")
    assert len(lines) == closing + 1  # nothing after the last item while the meeting is on


def test_local_times_are_an_indented_line_under_each_item() -> None:
    text = render_agenda(AGENDA, geneva(29, 12), GENEVA, NEW_YORK, identity, event_label=LABEL)
    lines = text.split("\n")
    assert lines[2] == "<i>Your time: America/New_York</i>"
    panel = lines.index(line_of(text, "Panel"))
    assert lines[panel + 1] == "    your time: " + format_span(PANEL, NEW_YORK, GENEVA)


@pytest.mark.parametrize(
    ("now", "ended"),
    [
        (geneva(29, 12), False),  # before the first item: something is next
        (geneva(29, 15, 10), False),  # during the first
        (geneva(29, 16, 20), False),  # during the last item: nothing is next, but it is on
        (geneva(29, 16, 30), True),  # the last item's end
        (geneva(30, 9), True),
    ],
)
def test_the_meeting_has_ended_only_once_the_last_item_is_over(now: datetime,
                                                                 ended: bool) -> None:
    text = render_agenda(AGENDA, now, GENEVA, None, identity, event_label=LABEL)
    assert ("The meeting has ended" in text) is ended
    # the items stay listed either way
    assert text.startswith("<b>Agenda</b>\n<i>Geneva time (Europe/Zurich)</i>")
    assert all(title in text for title in ("Opening", "Panel", "Closing"))
    if ended:
        lines = text.split("\n")
        assert lines[-2] == "" and "The meeting has ended" in lines[-1]
        assert lines.index(line_of(text, "Closing")) == len(lines) - 3


# ---- reminders ------------------------------------------------------------------------------


def test_a_quote_in_a_reminder_link_cannot_break_out_of_the_href() -> None:
    link = 'https://example.org/join?x="1"&y=<2>\'3\''
    item = AgendaItem("q", "Q&A", geneva(29, 15), geneva(29, 16), link=link)
    text = render_reminder(item, geneva(29, 14, 45), GENEVA, None, identity, event_label=LABEL)
    anchor = line_of(text, "<a ")
    assert anchor == f'<a href="{html.escape(link, quote=True)}">Join online</a>'
    assert anchor.count('"') == 2  # only the attribute's own quotes
    assert "'3'" not in anchor


def test_a_reminder_is_one_line_per_fact_ending_with_how_to_turn_them_off() -> None:
    item = AgendaItem("q", "Q&A", geneva(29, 15), geneva(29, 16), link="https://example.org")
    text = render_reminder(item, geneva(29, 14, 45), GENEVA, NEW_YORK, identity,
                           event_label=LABEL)
    lines = text.split("\n")
    assert lines[0] == "⏰ <b>Q&amp;A</b>"
    assert lines[1] == "Starts in 15 min."
    assert lines[2] == "Geneva time: 15:00–16:00"
    assert lines[3] == "Your time (America/New_York): " + format_span(item, NEW_YORK, GENEVA)
    assert lines[4].startswith('<a href="https://example.org">')
    assert lines[5] == "Turn reminders off with /reminders off."
    assert len(lines) == 6


# ---- every text translated -----------------------------------------------------------------




@pytest.mark.parametrize("language", ["fr", "es", "ar", "zh", "ru"])
@pytest.mark.parametrize(
    "now", [geneva(29, 12), geneva(29, 15, 30), geneva(30, 9)], ids=["before", "during", "after"]
)
def test_the_agenda_is_entirely_in_the_participants_language(language: str,
                                                              now: datetime) -> None:
    recording = Recording(language)
    text = render_agenda(AGENDA, now, GENEVA, NEW_YORK, recording, event_label=LABEL)
    recording.check(text)


@pytest.mark.parametrize("language", ["fr", "es", "ar", "zh", "ru"])
def test_an_unpublished_agenda_says_so_in_the_participants_language(language: str) -> None:
    recording = Recording(language)
    text = render_agenda((), geneva(29, 12), GENEVA, NEW_YORK, recording, event_label=LABEL)
    recording.check(text)
    assert "\n" not in text


@pytest.mark.parametrize("language", ["fr", "es", "ar", "zh", "ru"])
def test_a_reminder_is_entirely_in_the_participants_language(language: str) -> None:
    recording = Recording(language)
    item = AgendaItem("q", "Q&A", geneva(29, 15), geneva(29, 16), link="https://example.org")
    text = render_reminder(item, geneva(27, 13, 55), GENEVA, NEW_YORK, recording,
                           event_label=LABEL)
    recording.check(text)


# ---- zone names -------------------------------------------------------------------------------


class Keyed(tzinfo):
    """A zone with a `key` that differs from its str() (as a third-party zone might)."""

    def __init__(self, key: object) -> None:
        self.key = key

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return timedelta(hours=1)

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def __str__(self) -> str:
        return "a zone one hour ahead"


@pytest.mark.parametrize(
    ("zone", "label"),
    [
        (GENEVA, "Europe/Zurich"),
        (Keyed("Atlantis/Capital"), "Atlantis/Capital"),  # the key, not str()
        (Keyed(""), "a zone one hour ahead"),  # an empty key: str()
        (Keyed(None), "a zone one hour ahead"),
        (Keyed(42), "a zone one hour ahead"),  # not a name
        (timezone(timedelta(hours=2)), "UTC+02:00"),  # no key at all
    ],
)
def test_a_zone_is_named_by_its_key_else_by_its_str(zone: tzinfo, label: str) -> None:
    assert zone_label(zone) == label
