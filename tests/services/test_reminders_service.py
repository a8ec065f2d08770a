"""Reminder service on real SQLite with a fake clock: once each, across restarts and crashes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_services
from bot.config import load_config
from bot.services.delivery import DeliverySettings
from bot.services.registry import Services
from tests.support import FakeClock, make_env, write_config

ITEM_START = datetime(2023, 3, 29, 13, 0, tzinfo=UTC)  # 15:00 in Geneva


class Crash(BaseException):
    """Stands for the process dying in the middle of a request."""


class Recorder:
    """A Sender that records what it delivers, optionally dying at the n-th request."""

    def __init__(self, crash_at: int | None = None) -> None:
        self.sent: list[tuple[int, str]] = []
        self.calls = 0
        self.crash_at = crash_at

    async def __call__(self, chat_id: int, text: str) -> None:
        self.calls += 1
        if self.crash_at is not None and self.calls == self.crash_at:
            raise Crash
        self.sent.append((chat_id, text))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2023, 3, 29, 11, 0, tzinfo=UTC))


@pytest.fixture
def open_services(tmp_path: Path, clock: FakeClock) -> Iterator[Any]:
    opened: list[Services] = []

    def factory(overrides: dict[str, Any] | None = None) -> Services:
        config = load_config(write_config(tmp_path, overrides or {}))
        services = build_services(config, make_env(tmp_path), clock)
        opened.append(services)
        return services

    yield factory
    for services in opened:
        services.close()


def register(services: Services, *people: tuple[int, str | None, str | None]) -> None:
    for user_id, language, zone in people:
        services.participants.seen(user_id, f"P{user_id}", None, language)
        if zone:
            services.participants.set_timezone(user_id, zone)


async def test_due_reminder_goes_to_subscribers_in_their_language_and_zone(
    open_services: Any, clock: FakeClock
) -> None:
    services = open_services()
    register(services, (1, "en", "America/New_York"), (2, "fr", None), (3, "es", "Asia/Tokyo"))
    services.participants.set_subscribed(3, False)
    clock.set(datetime(2023, 3, 29, 12, 50, tzinfo=UTC))  # 10 min before
    sender = Recorder()
    stats = await services.reminders.fire("panel@10", sender)
    assert stats is not None and stats.delivered == 2
    texts = dict(sender.sent)
    assert set(texts) == {1, 2}
    assert "Starts in 10 min." in texts[1] and "Your time (America/New_York): 09:00" in texts[1]
    assert "Geneva time: 15:00–17:30" in texts[1]
    assert "Commence dans 10 min." in texts[2]
    assert "Heure de Genève : 15:00–17:30" in texts[2]  # the configured label, translated


async def test_firing_twice_or_restarting_never_repeats(
    open_services: Any, clock: FakeClock
) -> None:
    services = open_services()
    register(services, (1, "en", None), (2, "en", None))
    clock.set(datetime(2023, 3, 29, 12, 50, tzinfo=UTC))
    first = Recorder()
    await services.reminders.fire("panel@10", first)
    second = Recorder()
    stats = await services.reminders.fire("panel@10", second)
    assert len(first.sent) == 2 and second.sent == [] and stats is not None
    services.close()
    restarted = open_services()
    plan = restarted.reminders.startup_plan()
    # Only the earlier reminders nobody fired are still due; panel@10 is done.
    assert [d.reminder.key for d in plan.send_now] == ["panel@1440", "panel@60"]


async def test_a_reminder_missed_while_down_is_sent_at_start_up_before_the_item(
    open_services: Any, clock: FakeClock
) -> None:
    services = open_services()
    register(services, (1, "en", None))
    clock.set(datetime(2023, 3, 29, 12, 55, tzinfo=UTC))  # the 60 and 10 min reminders passed
    plan = services.reminders.startup_plan()
    assert [(d.reminder.key, d.recipients) for d in plan.send_now] == [
        ("panel@1440", (1,)),
        ("panel@60", (1,)),
        ("panel@10", (1,)),
    ]
    sender = Recorder()
    await services.reminders.fire("panel@10", sender)
    assert "Starts in 5 min." in sender.sent[0][1]  # the true time left, not "10 min"


async def test_nothing_is_sent_once_the_item_started(open_services: Any, clock: FakeClock) -> None:
    services = open_services()
    register(services, (1, "en", None))
    clock.set(datetime(2023, 3, 29, 13, 0, 1, tzinfo=UTC))
    sender = Recorder()
    assert await services.reminders.fire("panel@10", sender) is None
    assert sender.sent == []
    plan = services.reminders.startup_plan()
    assert plan.send_now == () and len(plan.expired) == 3


async def test_crash_mid_reminder_resumes_without_repeat(
    open_services: Any, clock: FakeClock
) -> None:
    services = open_services()
    register(services, *((i, "en", None) for i in range(1, 11)))
    clock.set(datetime(2023, 3, 29, 12, 50, tzinfo=UTC))
    services.reminders.engine.configure(DeliverySettings(rate=1000, workers=1))
    dying = Recorder(crash_at=4)
    with pytest.raises(Crash):
        await services.reminders.fire("panel@10", dying)
    services.close()

    restarted = open_services()
    plan = restarted.reminders.startup_plan()  # the in-flight claim becomes 'unconfirmed'
    missing = {d.reminder.key: len(d.recipients) for d in plan.send_now}
    assert missing["panel@10"] == 6  # 3 delivered + 1 unconfirmed are not sent again
    rest = Recorder()
    await restarted.reminders.fire("panel@10", rest)
    delivered = [chat for chat, _ in dying.sent + rest.sent]
    assert len(delivered) == len(set(delivered)) == 9
    states = restarted.reminders.repo.states("panel@10")
    assert list(states.values()).count("unconfirmed") == 1 and len(states) == 10


async def test_blocked_participant_becomes_inactive_and_is_skipped_next_time(
    open_services: Any, clock: FakeClock
) -> None:
    from bot.services.delivery import Blocked

    services = open_services()
    register(services, (1, "en", None), (2, "en", None))
    clock.set(datetime(2023, 3, 29, 12, 0, tzinfo=UTC))

    async def sender(chat_id: int, text: str) -> None:
        if chat_id == 2:
            raise Blocked("Forbidden: bot was blocked by the user")

    stats = await services.reminders.fire("panel@60", sender)
    assert stats is not None and stats.blocked == 1
    assert services.participants.get(2).active is False
    assert [p.telegram_id for p in services.reminders.subscribers()] == [1]


def test_dst_crossing_offsets_are_scheduled_at_the_right_instants(
    open_services: Any, clock: FakeClock
) -> None:
    clock.set(datetime(2023, 3, 20, 9, 0, tzinfo=UTC))
    services = open_services({"reminders": {"before_minutes": [4 * 1440, 1440]}})
    plan = services.reminders.startup_plan()
    assert [(r.key, r.due) for r in plan.schedule] == [
        ("panel@5760", datetime(2023, 3, 25, 13, 0, tzinfo=UTC)),  # 14:00 CET
        ("panel@1440", datetime(2023, 3, 28, 13, 0, tzinfo=UTC)),  # 15:00 CEST
    ]


def test_calendar_and_agenda_text(open_services: Any) -> None:
    services = open_services()
    name, data = services.reminders.calendar()
    assert name == "cstd-26-high-level-panel-on-wsis-progress.ics"
    assert b"DTSTART;TZID=Europe/Zurich:20230329T150000" in data
    assert b"UID:cstd-26-high-level-panel-on-wsis-progress-panel@panel-assistant" in data
    assert services.reminders.calendar()[1] == data  # same config, same clock: same file
    text = services.reminders.agenda_text(None, lambda s: s)
    assert "<i>Geneva time (Europe/Zurich)</i>" in text and "15:00–17:30" in text


async def test_another_venue_s_label_zone_and_calendar_id_come_from_the_config(
    open_services: Any, clock: FakeClock
) -> None:
    services = open_services({
        "event": {"id": "WSIS NY 2024", "timezone": "America/New_York",
                  "timezone_label": "New York time"},
        "agenda": [{"id": "side", "title": "Side event", "start": "2023-03-29T09:00",
                    "end": "2023-03-29T10:00"}],
    })
    register(services, (1, "en", None), (2, "es", None))
    text = services.reminders.agenda_text(None, lambda s: s)
    assert "<i>New York time (America/New_York)</i>" in text and "Geneva" not in text
    name, data = services.reminders.calendar()
    assert name == "wsis-ny-2024.ics" and b"UID:wsis-ny-2024-side@panel-assistant" in data
    clock.set(datetime(2023, 3, 29, 12, 50, tzinfo=UTC))  # 08:50 in New York (EDT)
    sender = Recorder()
    await services.reminders.fire("side@10", sender)
    texts = dict(sender.sent)
    assert "New York time: 09:00–10:00" in texts[1] and "Geneva" not in texts[1]
    assert "New York time: 09:00–10:00" in texts[2]  # not in the catalogs: as configured
