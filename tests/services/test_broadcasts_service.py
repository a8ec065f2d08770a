"""Broadcast service on real SQLite: audiences, reports, resume after a crash, scheduling."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_services
from bot.config import load_config
from bot.domain.broadcast import Due
from bot.errors import UserError
from bot.services.delivery import Blocked, DeliverySettings, Transient
from bot.services.registry import Services
from tests.support import FakeClock, make_env, shown, write_config

ORGANISER = 111


class Crash(BaseException):
    """Stands for the process dying in the middle of a request."""


class Recorder:
    def __init__(self, crash_at: int | None = None, blocked: tuple[int, ...] = ()) -> None:
        self.sent: list[tuple[int, str]] = []
        self.calls = 0
        self.crash_at = crash_at
        self.blocked = blocked

    async def __call__(self, chat_id: int, text: str) -> None:
        self.calls += 1
        if self.crash_at is not None and self.calls == self.crash_at:
            raise Crash
        if chat_id in self.blocked:
            raise Blocked("Forbidden: bot was blocked by the user")
        self.sent.append((chat_id, text))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2023, 3, 29, 12, 0, tzinfo=UTC))


@pytest.fixture
def open_services(tmp_path: Path, clock: FakeClock) -> Iterator[Any]:
    opened: list[Services] = []

    def factory() -> Services:
        config = load_config(
            write_config(tmp_path, {"roles": {"organisers": [ORGANISER], "panelists": [5]}})
        )
        services = build_services(config, make_env(tmp_path), clock)
        services.broadcasts.engine.configure(DeliverySettings(rate=1000, workers=1))
        opened.append(services)
        return services

    yield factory
    for services in opened:
        services.close()


def people(services: Services) -> None:
    """1-3 in the room, 4-5 remote (5 is a panelist), 6 blocked the bot earlier."""
    for user_id in range(1, 7):
        services.participants.seen(user_id, f"P{user_id}", None, "fr" if user_id == 2 else "en")
        services.participants.set_mode(user_id, "room" if user_id <= 3 else "remote")
    services.participants.repo.update(6, services.clock(), active=0)


@pytest.mark.parametrize(
    ("audience", "expected"),
    [("all", [1, 2, 3, 4, 5]), ("room", [1, 2, 3]), ("remote", [4, 5]), ("panelists", [5])],
)
def test_audiences_follow_mode_roles_and_activity(
    open_services: Any, audience: str, expected: list[int]
) -> None:
    services = open_services()
    people(services)
    assert [m.participant_id for m in services.broadcasts.recipients(audience)] == expected


async def test_draft_send_report_and_blocked_becomes_inactive(open_services: Any) -> None:
    services = open_services()
    people(services)
    record, count = services.broadcasts.draft(ORGANISER, ORGANISER, "room Room <XVIII>")
    assert count == 3 and record.audience == "room" and record.text == "Room <XVIII>"
    assert services.broadcasts.start(record.id)
    assert not services.broadcasts.start(record.id)  # a second press changes nothing
    sender = Recorder(blocked=(3,))
    report = await services.broadcasts.run(record.id, sender)
    assert (report.delivered, report.blocked, report.failed, report.total) == (2, 1, 0, 3)
    texts = dict(sender.sent)
    assert "Room &lt;XVIII&gt;" in texts[1] and "From the organisers" in texts[1]
    assert "Message des organisateurs" in texts[2]
    assert services.participants.get(3).active is False
    assert services.broadcasts.get(record.id).status == "done"


async def test_interrupted_broadcast_resumes_and_nobody_gets_it_twice(
    open_services: Any,
) -> None:
    services = open_services()
    for user_id in range(1, 41):
        services.participants.seen(user_id, f"P{user_id}", None, "en")
    record, count = services.broadcasts.draft(ORGANISER, ORGANISER, "all Resuming at 16:00")
    assert count == 40
    services.broadcasts.start(record.id)
    dying = Recorder(crash_at=15)
    with pytest.raises(Crash):
        await services.broadcasts.run(record.id, dying)
    services.close()

    restarted = open_services()
    assert [r.id for r in restarted.broadcasts.interrupted()] == [record.id]
    rest = Recorder()
    report = await restarted.broadcasts.run(record.id, rest)
    delivered = [chat for chat, _ in dying.sent + rest.sent]
    assert len(delivered) == len(set(delivered)) == 39
    assert report.delivered == 39 and report.unconfirmed == 1 and report.pending == 0
    assert report.total == 40


async def test_network_failures_are_reported_as_failed(open_services: Any) -> None:
    services = open_services()
    people(services)
    services.broadcasts.engine.configure(
        DeliverySettings(rate=1000, workers=1, max_attempts=2, backoff_base=0.001)
    )
    record, _count = services.broadcasts.draft(ORGANISER, ORGANISER, "panelists hi")
    services.broadcasts.start(record.id)

    async def down(chat_id: int, text: str) -> None:
        raise Transient("Bad Gateway")

    report = await services.broadcasts.run(record.id, down)
    assert (report.failed, report.delivered) == (1, 0)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "(meeting time, Europe/Zurich)"),
        ("soon hello", "Use HH:MM, meeting time (Europe/Zurich)"),
        ("2023-02-30 10:00 hi", "could not read the date"),
        ("2023-03-26 02:30 hi", "2023-03-26 02:30 does not exist in Europe/Zurich"),
        ("2023-03-29 13:00 hi", "already passed (meeting time, Europe/Zurich)"),
        ("15:00 remote", "Please add the message"),
    ],
)
def test_bad_schedule_arguments_become_user_errors(
    open_services: Any, raw: str, message: str
) -> None:
    services = open_services()
    with pytest.raises(UserError) as caught:
        services.broadcasts.schedule(ORGANISER, ORGANISER, raw)
    assert message in shown(caught.value)
    assert services.broadcasts.scheduled() == []


def test_schedule_list_cancel_and_late_decisions(open_services: Any, clock: FakeClock) -> None:
    services = open_services()
    record = services.broadcasts.schedule(ORGANISER, ORGANISER, "14:05 room Room changed")
    assert record.scheduled_for == datetime(2023, 3, 29, 12, 5, tzinfo=UTC)
    assert [view.id for view in services.broadcasts.scheduled()] == [record.id]
    assert services.broadcasts.decide(record) is Due.WAIT
    assert services.broadcasts.decide(record, clock() + timedelta(minutes=6)) is Due.SEND
    assert services.broadcasts.decide(record, clock() + timedelta(minutes=16)) is Due.EXPIRE
    services.broadcasts.cancel_scheduled(record.id, ORGANISER)
    assert services.broadcasts.scheduled() == []
    with pytest.raises(UserError):
        services.broadcasts.cancel_scheduled(record.id, ORGANISER)


def test_expired_scheduled_broadcast_is_not_sent(open_services: Any) -> None:
    services = open_services()
    record = services.broadcasts.schedule(ORGANISER, ORGANISER, "14:05 hi")
    assert services.broadcasts.expire(record.id)
    assert not services.broadcasts.start(record.id, ("scheduled",))
    assert services.broadcasts.get(record.id).status == "expired"
