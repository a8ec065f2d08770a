"""Reminder planning with a fake clock: offsets, DST, opt-out, missed while down, item started."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.agenda import AgendaItem
from bot.domain.reminders import (
    Reminder,
    all_reminders,
    normalise_offsets,
    plan,
    recipients_for,
    reminder_key,
)

GENEVA = ZoneInfo("Europe/Zurich")


def geneva(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2023, 3, day, hour, minute, tzinfo=GENEVA)


OPENING = AgendaItem("opening", "Opening", geneva(29, 15), geneva(29, 15, 20))
PANEL = AgendaItem("panel", "Panel", geneva(29, 15, 20), geneva(29, 16, 10))
AGENDA = (OPENING, PANEL)
OFFSETS = (15, 60)


def keys(reminders: tuple[Reminder, ...] | list[Reminder]) -> list[str]:
    return [reminder.key for reminder in reminders]


def test_reminder_key_is_item_and_offset() -> None:
    assert reminder_key("opening", 15) == "opening@15"
    assert Reminder(OPENING, 15).key == "opening@15"


def test_every_item_and_offset_gives_one_reminder_in_due_order() -> None:
    assert keys(all_reminders(AGENDA, OFFSETS)) == [
        "opening@60",
        "panel@60",
        "opening@15",
        "panel@15",
    ]


@pytest.mark.parametrize("offsets", [(0,), (-5,), (15, 0), (1.5,), (True,)])
def test_offsets_must_be_positive_whole_minutes(offsets: tuple[object, ...]) -> None:
    with pytest.raises(ValueError, match="positive whole minutes"):
        normalise_offsets(offsets)  # type: ignore[arg-type]


def test_duplicate_offsets_give_one_reminder() -> None:
    assert normalise_offsets((15, 60, 15)) == (60, 15)


def test_before_anything_is_due_everything_is_scheduled() -> None:
    result = plan(AGENDA, OFFSETS, geneva(29, 9), subscribers=[1, 2])
    assert result.send_now == () and result.expired == ()
    assert keys(result.schedule) == ["opening@60", "panel@60", "opening@15", "panel@15"]


def test_due_time_is_exactly_the_offset_before_the_start_in_utc() -> None:
    assert Reminder(OPENING, 15).due == datetime(2023, 3, 29, 12, 45, tzinfo=UTC)


@pytest.mark.parametrize(
    ("minutes_before", "due_in_geneva"),
    [
        (1440, "2023-03-28 15:00+02:00"),  # both sides on summer time
        (3 * 1440, "2023-03-26 15:00+02:00"),  # just after the 02:00 -> 03:00 jump
        (4 * 1440, "2023-03-25 14:00+01:00"),  # crosses the change: one wall hour earlier
        (3 * 1440 + 11 * 60 + 30, "2023-03-26 03:30+02:00"),  # 01:30 UTC, after the jump
        (3 * 1440 + 12 * 60 + 30, "2023-03-26 01:30+01:00"),  # 00:30 UTC, before the jump
    ],
)
def test_offsets_crossing_the_dst_change_of_26_march_are_elapsed_time(
    minutes_before: int, due_in_geneva: str
) -> None:
    due = Reminder(OPENING, minutes_before).due
    assert due.astimezone(GENEVA).isoformat(sep=" ", timespec="minutes") == due_in_geneva
    assert OPENING.start.astimezone(UTC) - due == timedelta(minutes=minutes_before)


def test_plan_across_dst_schedules_a_four_day_reminder_at_the_right_instant() -> None:
    now = datetime(2023, 3, 25, 12, 59, tzinfo=UTC)  # 13:59 CET, one minute before it is due
    result = plan(AGENDA, (4 * 1440,), now, subscribers=[1])
    assert keys(result.schedule) == ["opening@5760", "panel@5760"]
    assert result.schedule[0].due == datetime(2023, 3, 25, 13, 0, tzinfo=UTC)
    later = plan(AGENDA, (4 * 1440,), datetime(2023, 3, 25, 13, 0, tzinfo=UTC), subscribers=[1])
    assert keys([due.reminder for due in later.send_now]) == ["opening@5760"]


def test_reminder_at_its_due_time_goes_to_every_subscriber() -> None:
    result = plan(AGENDA, (15,), geneva(29, 14, 45), subscribers=[3, 1, 2])
    assert [(due.reminder.key, due.recipients) for due in result.send_now] == [
        ("opening@15", (1, 2, 3)),
    ]
    assert keys(result.schedule) == ["panel@15"]


def test_opted_out_participants_are_not_recipients() -> None:
    # The shell passes only subscribed, active participants; participant 2 turned reminders off.
    result = plan(AGENDA, (15,), geneva(29, 14, 45), subscribers=[1, 3])
    assert result.send_now[0].recipients == (1, 3)


def test_nobody_subscribed_means_nothing_to_send_now() -> None:
    result = plan(AGENDA, (15,), geneva(29, 14, 45), subscribers=[])
    assert result.send_now == ()


def test_sent_log_prevents_any_repeat_after_a_restart() -> None:
    sent = {("opening@15", 1), ("opening@15", 2)}
    result = plan(AGENDA, (15,), geneva(29, 14, 50), sent, subscribers=[1, 2])
    assert result.send_now == ()


def test_restart_mid_delivery_sends_only_to_those_still_missing() -> None:
    sent = {("opening@15", 1)}
    result = plan(AGENDA, (15,), geneva(29, 14, 50), sent, subscribers=[1, 2, 3])
    assert [(due.reminder.key, due.recipients) for due in result.send_now] == [
        ("opening@15", (2, 3))
    ]


def test_reminder_missed_while_down_is_sent_if_its_item_has_not_started() -> None:
    # Down from 13:30 to 14:59: three reminders fell due meanwhile, in due order.
    result = plan(AGENDA, OFFSETS, geneva(29, 14, 59), subscribers=[1])
    assert keys([due.reminder for due in result.send_now]) == [
        "opening@60",
        "panel@60",
        "opening@15",
    ]
    assert keys(result.schedule) == ["panel@15"]
    assert result.expired == ()


def test_reminder_missed_while_down_is_never_sent_once_its_item_started() -> None:
    result = plan(AGENDA, OFFSETS, geneva(29, 15, 0), subscribers=[1])
    assert keys(result.expired) == ["opening@60", "opening@15"]
    assert keys([due.reminder for due in result.send_now]) == ["panel@60"]
    assert keys(result.schedule) == ["panel@15"]


def test_at_the_end_of_the_meeting_everything_is_expired() -> None:
    result = plan(AGENDA, OFFSETS, geneva(29, 18), subscribers=[1])
    assert result.send_now == () and result.schedule == ()
    assert len(result.expired) == 4


def test_without_subscribers_due_reminders_come_without_recipients() -> None:
    result = plan(AGENDA, (15,), geneva(29, 14, 50))
    assert [(due.reminder.key, due.recipients) for due in result.send_now] == [("opening@15", ())]


def test_deliverable_until_the_item_starts() -> None:
    reminder = Reminder(OPENING, 15)
    assert reminder.deliverable_at(geneva(29, 14, 59))
    assert not reminder.deliverable_at(geneva(29, 15))
    assert not reminder.deliverable_at(datetime(2023, 3, 29, 13, 0, 1, tzinfo=UTC))


def test_recipients_ignore_other_reminders_in_the_sent_log() -> None:
    sent = {("opening@60", 1), ("panel@15", 2)}
    assert recipients_for(Reminder(OPENING, 15), [2, 1], sent) == (1, 2)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        plan(AGENDA, OFFSETS, datetime(2023, 3, 29, 14, 0))


def test_every_reminder_lands_in_exactly_one_bucket() -> None:
    start = geneva(29, 12)
    for step in range(0, 6 * 60, 7):
        now = start + timedelta(minutes=step)
        result = plan(AGENDA, OFFSETS, now)
        seen = keys([due.reminder for due in result.send_now]) + keys(result.schedule)
        seen += keys(result.expired)
        assert sorted(seen) == sorted(keys(all_reminders(AGENDA, OFFSETS)))
