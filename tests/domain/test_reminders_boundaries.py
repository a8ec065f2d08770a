"""Reminder planning at its edges: a 1-minute offset, and a `now` whose zone has no offset."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest

from bot.domain.agenda import AgendaItem
from bot.domain.reminders import Reminder, normalise_offsets, plan

GENEVA = ZoneInfo("Europe/Zurich")
OPENING = AgendaItem(
    "opening", "Opening", datetime(2023, 3, 29, 15, tzinfo=GENEVA),
    datetime(2023, 3, 29, 15, 20, tzinfo=GENEVA),
)


class NoOffset(tzinfo):
    """A tzinfo that does not know its offset: such a time is as naive as one without zone."""

    def utcoffset(self, dt: datetime | None) -> None:
        return None

    def dst(self, dt: datetime | None) -> None:
        return None


def test_a_one_minute_offset_is_a_valid_reminder() -> None:
    assert normalise_offsets([1]) == (1,)
    (reminder,) = plan([OPENING], [1], OPENING.start - timedelta(hours=1)).schedule
    assert reminder == Reminder(OPENING, 1)
    assert reminder.due == OPENING.start - timedelta(minutes=1)


def test_a_one_minute_reminder_is_sent_in_the_last_minute_only() -> None:
    before = plan([OPENING], [1], OPENING.start - timedelta(seconds=61), subscribers=[7])
    assert before.send_now == () and len(before.schedule) == 1
    during = plan([OPENING], [1], OPENING.start - timedelta(seconds=30), subscribers=[7])
    assert [due.recipients for due in during.send_now] == [(7,)]


@pytest.mark.parametrize("offset", [0, -1, 1.5, True])
def test_offsets_below_one_minute_or_not_whole_are_refused(offset: object) -> None:
    with pytest.raises(ValueError, match="^reminder offsets must be positive whole minutes, got "):
        normalise_offsets([15, offset])  # type: ignore[list-item]


@pytest.mark.parametrize(
    "now",
    [datetime(2023, 3, 29, 12), datetime(2023, 3, 29, 12, tzinfo=NoOffset())],
    ids=["naive", "zone-without-offset"],
)
def test_a_now_without_a_known_offset_is_refused(now: datetime) -> None:
    with pytest.raises(ValueError, match="^now must be timezone-aware$"):
        plan([OPENING], [15], now)
