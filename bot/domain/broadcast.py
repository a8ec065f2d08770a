"""Organiser broadcasts: audiences, /broadcast and /schedule arguments, delivery accounting.

Pure: parsing takes `now` and the event zone; nothing here reads the clock or does I/O.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from bot.domain.agenda import event_zone_name

Translate = Callable[[str], str]

ALL = "all"
REMOTE = "remote"
ROOM = "room"
PANELISTS = "panelists"
AUDIENCES: tuple[str, ...] = (ALL, REMOTE, ROOM, PANELISTS)

# Telegram allows 4096 characters per message; the header and escaping need the rest.
MAX_TEXT_CHARS = 3800


@dataclass(frozen=True)
class Member:
    """A participant as audience selection sees them."""

    participant_id: int
    chat_id: int
    remote: bool
    panelist: bool
    active: bool = True


def select_audience(audience: str, members: Iterable[Member]) -> list[Member]:
    """The active members an audience word designates, ordered by participant id.

    all: everyone active; remote: those following online; room: those in the room;
    panelists: panelists wherever they are.
    """
    rules: dict[str, Callable[[Member], bool]] = {
        ALL: lambda member: True,
        REMOTE: lambda member: member.remote,
        ROOM: lambda member: not member.remote,
        PANELISTS: lambda member: member.panelist,
    }
    if audience not in rules:
        raise ValueError(f"unknown audience {audience!r}")
    chosen = [member for member in members if member.active and rules[audience](member)]
    return sorted(chosen, key=lambda member: member.participant_id)


# --- Arguments ----------------------------------------------------------------------------------


class ArgsProblem(StrEnum):
    """Why /broadcast or /schedule arguments were refused (the handler words the message)."""

    MISSING_TIME = "missing_time"
    BAD_TIME = "bad_time"
    BAD_DATE = "bad_date"
    NONEXISTENT_TIME = "nonexistent_time"
    PAST_TIME = "past_time"
    MISSING_TEXT = "missing_text"
    TOO_LONG = "too_long"


class ArgsError(ValueError):
    """Refused arguments; `problem` says why."""

    def __init__(self, problem: ArgsProblem, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {detail}" if detail else problem.value)
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True)
class BroadcastRequest:
    """A parsed `/broadcast [audience] <text>`."""

    audience: str
    text: str


@dataclass(frozen=True)
class ScheduleRequest:
    """A parsed `/schedule <when> [audience] <text>`; `when` is aware, in the event zone."""

    when: datetime
    audience: str
    text: str


_FIRST_WORD = re.compile(r"\s*(\S+)(?:\s+(.*))?", re.DOTALL)
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def split_first_word(raw: str) -> tuple[str, str]:
    """(first word, the rest with its inner spacing and newlines kept); ('', '') when empty."""
    match = _FIRST_WORD.fullmatch(raw)
    if not match:
        return "", ""
    return match.group(1), (match.group(2) or "").strip()


def _audience_and_text(raw: str) -> tuple[str, str]:
    word, rest = split_first_word(raw)
    if word.lower() in AUDIENCES:
        audience, text = word.lower(), rest
    else:
        audience, text = ALL, raw.strip()
    if not text:
        raise ArgsError(ArgsProblem.MISSING_TEXT)
    if len(html.escape(text)) > MAX_TEXT_CHARS:
        raise ArgsError(ArgsProblem.TOO_LONG, str(MAX_TEXT_CHARS))
    return audience, text


def parse_broadcast_args(raw: str) -> BroadcastRequest:
    """Parse `[all|remote|room|panelists] <text>`; the audience defaults to all."""
    audience, text = _audience_and_text(raw)
    return BroadcastRequest(audience, text)


def _parse_clock(word: str) -> time:
    match = _CLOCK.fullmatch(word)
    if not match:
        raise ArgsError(ArgsProblem.BAD_TIME, word)
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise ArgsError(ArgsProblem.BAD_TIME, word)
    return time(hour, minute)


def _parse_date(word: str) -> date:
    match = _DATE.fullmatch(word)
    if not match:
        raise ArgsError(ArgsProblem.BAD_DATE, word)
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError as error:
        raise ArgsError(ArgsProblem.BAD_DATE, word) from error


def wall_time(day: date, clock: time, zone: tzinfo) -> datetime:
    """The aware moment showing `day clock` in `zone`; ArgsError when DST skips that wall time.

    An ambiguous wall time (the repeated hour in autumn) resolves to its first occurrence.
    """
    candidate = datetime.combine(day, clock, tzinfo=zone)
    back = candidate.astimezone(UTC).astimezone(zone)
    if back.replace(tzinfo=None) != candidate.replace(tzinfo=None):
        raise ArgsError(ArgsProblem.NONEXISTENT_TIME, f"{day.isoformat()} {clock:%H:%M}")
    return back


def parse_schedule_args(raw: str, now: datetime, zone: tzinfo) -> ScheduleRequest:
    """Parse `<HH:MM | YYYY-MM-DD HH:MM> [audience] <text>` in the event zone.

    A bare HH:MM means today at that time if still ahead of `now`, else tomorrow.
    A full date and time must be in the future.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    first, rest = split_first_word(raw)
    if not first:
        raise ArgsError(ArgsProblem.MISSING_TIME)
    if _DATE.fullmatch(first) or re.fullmatch(r"\d+-\S*", first):
        day = _parse_date(first)
        clock_word, rest = split_first_word(rest)
        if not clock_word:
            raise ArgsError(ArgsProblem.MISSING_TIME)
        when = wall_time(day, _parse_clock(clock_word), zone)
        if when <= now:
            raise ArgsError(ArgsProblem.PAST_TIME, when.isoformat())
    else:
        clock = _parse_clock(first)
        today = now.astimezone(zone).date()
        when = wall_time(today, clock, zone)
        if when <= now:
            when = wall_time(today + timedelta(days=1), clock, zone)
    audience, text = _audience_and_text(rest)
    return ScheduleRequest(when, audience, text)


# --- Scheduled broadcasts after a restart -------------------------------------------------------

SEND_LATE_GRACE = timedelta(minutes=10)


class Due(StrEnum):
    """What to do with a scheduled broadcast at a given moment."""

    WAIT = "wait"
    SEND = "send"
    EXPIRE = "expire"


def scheduled_decision(when: datetime, now: datetime, grace: timedelta = SEND_LATE_GRACE) -> Due:
    """Wait until `when`; send when due, even late (after a restart) up to `grace`; then expire.

    An announcement such as "the panel resumes in 5 minutes" is wrong an hour late, so a
    broadcast missed by more than `grace` is not sent and the organiser is told instead.
    """
    if now < when:
        return Due.WAIT
    if now - when <= grace:
        return Due.SEND
    return Due.EXPIRE


# --- Delivery accounting ------------------------------------------------------------------------


class Delivery(StrEnum):
    """State of one recipient in a delivery log."""

    PENDING = "pending"  # not tried yet (or waiting for a retry)
    SENDING = "sending"  # a request is in flight
    DELIVERED = "delivered"
    BLOCKED = "blocked"  # 403: the user blocked the bot; the participant is marked inactive
    FAILED = "failed"  # gave up: bad request, or network errors after every retry
    UNCONFIRMED = "unconfirmed"  # was in flight when the process died: not resent (no dupes)


FINAL_STATES = frozenset(
    {Delivery.DELIVERED, Delivery.BLOCKED, Delivery.FAILED, Delivery.UNCONFIRMED}
)


@dataclass(frozen=True)
class DeliveryReport:
    """Counts of a delivery, plus how many 429 answers were waited out."""

    delivered: int = 0
    blocked: int = 0
    failed: int = 0
    pending: int = 0
    unconfirmed: int = 0
    rate_limited: int = 0

    @property
    def total(self) -> int:
        """Every recipient, whatever their state."""
        return self.delivered + self.blocked + self.failed + self.pending + self.unconfirmed

    @property
    def finished(self) -> bool:
        """True when no recipient is left to try."""
        return self.pending == 0


def tally(states: Iterable[str], rate_limited: int = 0) -> DeliveryReport:
    """Count recipient states (SENDING counts as pending: it is not settled yet)."""
    counts = Counter(Delivery(state) for state in states)
    return DeliveryReport(
        delivered=counts[Delivery.DELIVERED],
        blocked=counts[Delivery.BLOCKED],
        failed=counts[Delivery.FAILED],
        pending=counts[Delivery.PENDING] + counts[Delivery.SENDING],
        unconfirmed=counts[Delivery.UNCONFIRMED],
        rate_limited=rate_limited,
    )


# --- Rendering ----------------------------------------------------------------------------------


def audience_label(audience: str, _: Translate) -> str:
    """The translated name of an audience."""
    labels = {
        ALL: _("everyone"),
        REMOTE: _("remote participants"),
        ROOM: _("participants in the room"),
        PANELISTS: _("panelists"),
    }
    return labels[audience]


def render_broadcast(text: str, _: Translate) -> str:
    """The message recipients get, as Telegram HTML."""
    return "📢 <b>{}</b>\n\n{}".format(html.escape(_("From the organisers")), html.escape(text))


def render_preview(audience: str, text: str, recipients: int, _: Translate) -> str:
    """What the organiser confirms before sending, as Telegram HTML."""
    return "\n".join(
        [
            "<b>{}</b>".format(html.escape(_("Broadcast preview"))),
            html.escape(_("Audience: {audience}").format(audience=audience_label(audience, _))),
            html.escape(_("Recipients: {count}").format(count=recipients)),
            "",
            html.escape(text),
        ]
    )


def render_report(report: DeliveryReport, _: Translate) -> str:
    """The delivery report (or progress while pending > 0), as Telegram HTML."""
    title = _("Broadcast delivered") if report.finished else _("Broadcast in progress…")
    lines = [
        f"<b>{html.escape(title)}</b>",
        html.escape(_("Recipients: {count}").format(count=report.total)),
        html.escape(_("Delivered: {count}").format(count=report.delivered)),
        html.escape(_("Blocked the bot: {count}").format(count=report.blocked)),
        html.escape(_("Failed: {count}").format(count=report.failed)),
    ]
    if report.pending:
        lines.append(html.escape(_("Still to send: {count}").format(count=report.pending)))
    if report.unconfirmed:
        lines.append(
            html.escape(
                _("Unconfirmed (in flight during a restart): {count}").format(
                    count=report.unconfirmed
                )
            )
        )
    if report.rate_limited:
        lines.append(
            html.escape(
                _("Rate-limit answers (429) waited out: {count}").format(count=report.rate_limited)
            )
        )
    return "\n".join(lines)


@dataclass(frozen=True)
class ScheduledView:
    """A pending scheduled broadcast as /scheduled lists it."""

    id: int
    when: datetime
    audience: str
    text: str


def render_scheduled(
    items: Sequence[ScheduledView], zone: tzinfo, _: Translate, *, event_label: str
) -> str:
    """The list of pending scheduled broadcasts, as Telegram HTML, with times in `zone`.

    `event_label` names that zone as configured (e.g. "Geneva time"); it is translated here.
    """
    if not items:
        return html.escape(_("No scheduled broadcasts."))
    label = event_zone_name(event_label, zone, _)
    title = _("Scheduled broadcasts ({label})").format(label=label)
    lines = [f"<b>{html.escape(title)}</b>"]
    for item in sorted(items, key=lambda view: (view.when, view.id)):
        preview = item.text if len(item.text) <= 80 else item.text[:79] + "…"
        lines.append(
            "#{} · {} · {}\n    {}".format(
                item.id,
                item.when.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                html.escape(audience_label(item.audience, _)),
                html.escape(preview),
            )
        )
    lines.append(html.escape(_("Cancel one with /cancel <id>.")))
    return "\n".join(lines)
