"""Reminder planning: which reminders to send now, which to schedule, which are too late.

Pure: `plan()` is a function of (agenda, offsets, now, sent-log, subscribers). The shell stores
the sent-log in SQLite, schedules `plan().schedule` as named JobQueue jobs and sends
`plan().send_now` at start-up.

Decisions:
- An offset is elapsed time before the start (computed in UTC), not wall-clock time: a 1440-minute
  reminder for 29 March 15:00 CEST fires at 28 March 15:00 CEST, but a reminder crossing the
  26 March 2023 DST change lands one wall-clock hour earlier than a naive local subtraction.
- A reminder that fell due while the bot was down is sent late as long as its item has not started
  (its text then says the true time left); once the item has started it is never sent. This is
  the rule for every late job, so PTB's 1 s misfire grace is not what decides.
- The sent-log is per (reminder key, participant): a restart, or a participant who subscribed
  while the bot was down, gets exactly the deliveries still missing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.domain.agenda import AgendaItem, sorted_items

SentLog = Collection[tuple[str, int]]  # (reminder key, participant id) pairs already delivered


def reminder_key(item_id: str, minutes_before: int) -> str:
    """The stable key of one reminder: item id and offset, e.g. `opening@15`."""
    return f"{item_id}@{minutes_before}"


@dataclass(frozen=True)
class Reminder:
    """One reminder: `minutes_before` the start of `item`."""

    item: AgendaItem
    minutes_before: int

    @property
    def key(self) -> str:
        """Stable key (item id + offset), used as job name and in the sent-log."""
        return reminder_key(self.item.id, self.minutes_before)

    @property
    def due(self) -> datetime:
        """When the reminder falls due, in UTC (elapsed-time arithmetic, DST-safe)."""
        return self.item.start.astimezone(UTC) - timedelta(minutes=self.minutes_before)

    def deliverable_at(self, now: datetime) -> bool:
        """True while the reminder may still be sent: its item has not started at `now`."""
        return now.astimezone(UTC) < self.item.start.astimezone(UTC)


@dataclass(frozen=True)
class DueReminder:
    """A reminder to send now, with the participants who have not received it yet."""

    reminder: Reminder
    recipients: tuple[int, ...]


@dataclass(frozen=True)
class ReminderPlan:
    """What the shell should do at `now`."""

    send_now: tuple[DueReminder, ...]
    schedule: tuple[Reminder, ...]
    expired: tuple[Reminder, ...]  # fell due but the item has started: never sent


def normalise_offsets(offsets_minutes: Iterable[int]) -> tuple[int, ...]:
    """Distinct offsets, largest first; raises ValueError for an offset that is not > 0."""
    offsets = set()
    for offset in offsets_minutes:
        if isinstance(offset, bool) or not isinstance(offset, int) or offset <= 0:
            raise ValueError(f"reminder offsets must be positive whole minutes, got {offset!r}")
        offsets.add(offset)
    return tuple(sorted(offsets, reverse=True))


def all_reminders(agenda: Iterable[AgendaItem], offsets_minutes: Iterable[int]) -> list[Reminder]:
    """Every (item, offset) reminder, ordered by due time then key."""
    offsets = normalise_offsets(offsets_minutes)
    reminders = [Reminder(item, offset) for item in sorted_items(agenda) for offset in offsets]
    return sorted(reminders, key=lambda reminder: (reminder.due, reminder.key))


def recipients_for(
    reminder: Reminder, subscribers: Iterable[int], sent: SentLog
) -> tuple[int, ...]:
    """Subscribers who have not received `reminder` yet, in a stable order."""
    done = {participant for key, participant in sent if key == reminder.key}
    return tuple(sorted(set(subscribers) - done))


def plan(
    agenda: Iterable[AgendaItem],
    offsets_minutes: Iterable[int],
    now: datetime,
    sent: SentLog = (),
    subscribers: Iterable[int] | None = None,
) -> ReminderPlan:
    """Split every reminder into send-now, schedule-later and expired at `now`.

    With `subscribers`, `send_now` only holds reminders with someone left to notify, each with
    those recipients; without, it holds every reminder in its window with no recipients (the shell
    computes them at send time with `recipients_for`).
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    subscriber_set = None if subscribers is None else frozenset(subscribers)
    sent_pairs = frozenset(sent)
    send_now: list[DueReminder] = []
    schedule: list[Reminder] = []
    expired: list[Reminder] = []
    for reminder in all_reminders(agenda, offsets_minutes):
        if reminder.due > now:
            schedule.append(reminder)
        elif not reminder.deliverable_at(now):
            expired.append(reminder)
        elif subscriber_set is None:
            send_now.append(DueReminder(reminder, ()))
        else:
            recipients = recipients_for(reminder, subscriber_set, sent_pairs)
            if recipients:
                send_now.append(DueReminder(reminder, recipients))
    return ReminderPlan(tuple(send_now), tuple(schedule), tuple(expired))
