"""The agenda as an iCalendar (.ics) file participants add to their own calendar.

Times carry TZID=Europe/Zurich (or whatever the event zone is) with its VTIMEZONE, so calendar
apps show the items at the right instant in any zone. UIDs are derived from the meeting id
(`event.id` in the config, else a slug of the event title) and the item ids, so re-importing the
file updates the events instead of duplicating them; another meeting (id or title) gets new UIDs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime

from icalendar import Calendar, Event

from bot.domain.agenda import AgendaItem, sorted_items

PRODID = "-//Panel Assistant//Agenda//EN"
MAX_ID_CHARS = 64


def slug(text: str) -> str:
    """Lower-case ASCII letters and digits joined by '-': 'CSTD 26 - Panel' -> 'cstd-26-panel'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:MAX_ID_CHARS].rstrip("-")


def meeting_id(configured_id: str, title: str) -> str:
    """The calendar id: `event.id` when configured, else derived from the event title.

    Both go through `slug`, so the id (and every UID built on it) only changes with the config.
    """
    return slug(configured_id) or slug(title) or "agenda"


def event_uid(meeting_id: str, item_id: str) -> str:
    """A stable, globally unique UID for one agenda item."""
    return f"{meeting_id}-{item_id}@panel-assistant"


def build_calendar(
    items: Sequence[AgendaItem],
    *,
    meeting_id: str,
    meeting_title: str,
    stamp: datetime,
    location: str = "",
) -> bytes:
    """The .ics bytes for `items` (DTSTAMP is `stamp`, so the output is deterministic)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", meeting_title)
    for item in sorted_items(items):
        event = Event()
        event.add("uid", event_uid(meeting_id, item.id))
        event.add("dtstamp", stamp.astimezone(UTC))
        event.add("dtstart", item.start)
        event.add("dtend", item.end)
        event.add("summary", f"{item.title} ({meeting_title})" if meeting_title else item.title)
        description = [part for part in (item.description, item.link) if part]
        if description:
            event.add("description", "\n\n".join(description))
        if item.link:
            event.add("url", item.link)
        if location:
            event.add("location", location)
        calendar.add_component(event)
    calendar.add_missing_timezones()  # VTIMEZONE for every TZID used (Europe/Zurich)
    return calendar.to_ical()


def calendar_filename(meeting_id: str) -> str:
    """The file name offered to participants."""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in meeting_id) or "agenda"
    return f"{safe}.ics"
