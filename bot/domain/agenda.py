"""Agenda items of the meeting, as configured (times are timezone-aware)."""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo


@dataclass(frozen=True)
class AgendaItem:
    """One scheduled item; `start`/`end` are aware datetimes in the event time zone."""

    id: str
    title: str
    start: datetime
    end: datetime
    link: str | None = None
    description: str = ""
    source: str | None = None  # where the time comes from, e.g. "concept_note.md"

    def contains(self, moment: datetime) -> bool:
        """True when `moment` falls inside [start, end)."""
        return self.start <= moment < self.end


# --- Lookup and rendering (pure: the caller passes the time and the zones) ---------------------

Translate = Callable[[str], str]


def sorted_items(items: Iterable[AgendaItem]) -> list[AgendaItem]:
    """The items in chronological order (by start, then end, then id)."""
    return sorted(items, key=lambda item: (item.start, item.end, item.id))


def current_item(items: Iterable[AgendaItem], now: datetime) -> AgendaItem | None:
    """The item on at `now` (the latest-starting one when items overlap), or None."""
    on_now = [item for item in sorted_items(items) if item.contains(now)]
    return on_now[-1] if on_now else None


def next_item(items: Iterable[AgendaItem], now: datetime) -> AgendaItem | None:
    """The first item starting strictly after `now`, or None when nothing is left."""
    upcoming = [item for item in sorted_items(items) if item.start > now]
    return upcoming[0] if upcoming else None


def format_moment(moment: datetime, zone: tzinfo, reference_date: date) -> str:
    """`HH:MM` in `zone`, prefixed with the ISO date when it is not `reference_date`."""
    local = moment.astimezone(zone)
    if local.date() == reference_date:
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def format_span(item: AgendaItem, zone: tzinfo, event_zone: tzinfo) -> str:
    """Start-end of `item` in `zone`; an end whose date differs from the item's date in the
    event zone carries its date (e.g. `22:00–2023-03-30 00:30` in Tokyo)."""
    reference = item.start.astimezone(event_zone).date()
    start = format_moment(item.start, zone, reference)
    return f"{start}–{format_moment(item.end, zone, reference)}"


def shows_same_times(items: Iterable[AgendaItem], zone: tzinfo, event_zone: tzinfo) -> bool:
    """True when `zone` shows every start and end with the same wall time as the event zone."""
    return all(
        moment.astimezone(zone).replace(tzinfo=None)
        == moment.astimezone(event_zone).replace(tzinfo=None)
        for item in items
        for moment in (item.start, item.end)
    )


def zone_label(zone: tzinfo) -> str:
    """A readable name for a zone: its IANA key when it has one, else its str()."""
    key = getattr(zone, "key", None)
    return key if isinstance(key, str) and key else str(zone)


def event_zone_name(event_label: str, event_zone: tzinfo, _: Translate) -> str:
    """The configured name of the event's zone (e.g. "Geneva time"), translated when the
    catalogs know it, else as configured; the zone's IANA key when no name is configured."""
    return _(event_label) if event_label else zone_label(event_zone)


def capitalised(text: str) -> str:
    """`text` with a capital first letter, to start a line ("heure de Genève" -> "Heure ...")."""
    return text[:1].upper() + text[1:]


def render_agenda(
    items: Sequence[AgendaItem],
    now: datetime,
    event_zone: tzinfo,
    user_zone: tzinfo | None,
    _: Translate,
    *,
    event_label: str,
) -> str:
    """The agenda as Telegram HTML: event times, the user's times, what is on now and next.

    `event_label` names the event's zone as configured (e.g. "Geneva time"); it is translated
    with `_` here.
    """
    esc = html.escape
    ordered = sorted_items(items)
    if not ordered:
        return esc(_("The agenda has not been published yet."))
    on_now = current_item(ordered, now)
    upcoming = next_item(ordered, now)
    local_zone = user_zone
    if local_zone is not None and shows_same_times(ordered, local_zone, event_zone):
        local_zone = None  # same wall times as the event: a second column would only repeat them
    event_name = capitalised(event_zone_name(event_label, event_zone, _))
    header = _("{label} ({zone})").format(label=event_name, zone=zone_label(event_zone))
    lines = [f"<b>{esc(_('Agenda'))}</b>", f"<i>{esc(header)}</i>"]
    if local_zone is not None:
        lines.append(
            "<i>{}</i>".format(esc(_("Your time: {zone}").format(zone=zone_label(local_zone))))
        )
    for item in ordered:
        marker, tag = "•", ""
        if item is on_now:
            marker, tag = "▶️", _("now")
        elif item is upcoming:
            marker, tag = "⏭", _("next")
        span = esc(format_span(item, event_zone, event_zone))
        line = f"{marker} <b>{span}</b> {esc(item.title)}"
        if tag:
            line += f" — <i>{esc(tag)}</i>"
        lines += ["", line]
        if local_zone is not None:
            local_span = format_span(item, local_zone, event_zone)
            lines.append("    " + esc(_("your time: {span}").format(span=local_span)))
    if on_now is None and upcoming is None:
        lines += ["", esc(_("The meeting has ended. Thank you for taking part."))]
    return "\n".join(lines)


def format_duration(minutes: int, _: Translate) -> str:
    """A short duration such as `45 min`, `2 h 05 min` or `3 d 2 h` (units translated)."""
    days, rest = divmod(max(0, minutes), 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        text = _("{days} d").format(days=days)
        return text + (" " + _("{hours} h").format(hours=hours) if hours else "")
    if hours:
        text = _("{hours} h").format(hours=hours)
        return text + (" " + _("{minutes} min").format(minutes=f"{mins:02d}") if mins else "")
    return _("{minutes} min").format(minutes=mins)


def minutes_until(moment: datetime, now: datetime) -> int:
    """Whole minutes from `now` until `moment`, rounded up; 0 once it has passed."""
    # Same-tzinfo subtraction is wall-clock arithmetic in Python; UTC makes it elapsed time.
    seconds = (moment.astimezone(UTC) - now.astimezone(UTC)).total_seconds()
    return max(0, math.ceil(seconds / 60))


def render_reminder(
    item: AgendaItem,
    now: datetime,
    event_zone: tzinfo,
    user_zone: tzinfo | None,
    _: Translate,
    *,
    event_label: str,
) -> str:
    """A reminder as Telegram HTML: title, time left, event time, local time, the link.

    The time left is computed from `now`, so a reminder sent late (after a restart) stays true.
    `event_label` names the event's zone as configured; it is translated with `_` here.
    """
    esc = html.escape
    left = format_duration(minutes_until(item.start, now), _)
    event_name = capitalised(event_zone_name(event_label, event_zone, _))
    event_span = format_span(item, event_zone, event_zone)
    lines = [
        f"⏰ <b>{esc(item.title)}</b>",
        esc(_("Starts in {duration}.").format(duration=left)),
        esc(_("{label}: {span}").format(label=event_name, span=event_span)),
    ]
    if user_zone is not None and not shows_same_times([item], user_zone, event_zone):
        local = format_span(item, user_zone, event_zone)
        lines.append(
            esc(_("Your time ({zone}): {span}").format(zone=zone_label(user_zone), span=local))
        )
    if item.link:
        lines.append(f'<a href="{esc(item.link, quote=True)}">{esc(_("Join online"))}</a>')
    lines.append(esc(_("Turn reminders off with /reminders off.")))
    return "\n".join(lines)
