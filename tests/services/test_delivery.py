"""The paced sender on virtual time: pacing, 429 pauses, 403, retries with backoff, the log."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import pytest

from bot.domain.broadcast import Delivery
from bot.services.delivery import (
    Blocked,
    DeliveryEngine,
    DeliverySettings,
    Outgoing,
    Pacer,
    Rejected,
    RetryLater,
    SendError,
    Transient,
)


class VirtualTime:
    """monotonic() and sleep() on a clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        target = self.now + max(0.0, seconds)
        await asyncio.sleep(0)
        self.now = max(self.now, target)


@dataclass
class MemoryLog:
    """A DeliveryLog in memory with the same claim rules as the SQLite ones."""

    states: dict[int, str] = field(default_factory=dict)
    attempts: dict[int, int] = field(default_factory=dict)
    claims: int = 0

    def claim(self, participant_id: int) -> bool:
        if participant_id in self.states:
            return False
        self.claims += 1
        self.states[participant_id] = "sending"
        return True

    def settle(self, participant_id: int, state: Delivery, attempts: int, error: str) -> None:
        self.states[participant_id] = state.value
        self.attempts[participant_id] = attempts

    def release(self, participant_id: int, attempts: int) -> None:
        del self.states[participant_id]


class ScriptedSender:
    """Records (virtual time, chat) of each request; raises scripted errors per chat."""

    def __init__(self, clock: VirtualTime, script: dict[int, list[Exception]] | None = None):
        self.clock = clock
        self.script = script or {}
        self.calls: list[tuple[float, int]] = []
        self.delivered: list[int] = []

    async def __call__(self, chat_id: int, text: str) -> None:
        self.calls.append((self.clock.now, chat_id))
        errors = self.script.get(chat_id)
        if errors:
            raise errors.pop(0)
        self.delivered.append(chat_id)


def engine(clock: VirtualTime, **settings: float) -> DeliveryEngine:
    return DeliveryEngine(DeliverySettings(**settings), clock.monotonic, clock.sleep)  # type: ignore[arg-type]


def messages(*chats: int) -> list[Outgoing]:
    return [Outgoing(chat, chat, f"hello {chat}") for chat in chats]


async def test_every_recipient_gets_exactly_one_message() -> None:
    clock = VirtualTime()
    sender = ScriptedSender(clock)
    log = MemoryLog()
    stats = await engine(clock).deliver(messages(*range(1, 101)), sender, log)
    assert sorted(sender.delivered) == list(range(1, 101))
    assert stats.delivered == 100 and stats.failed == stats.blocked == 0
    assert set(log.states.values()) == {"delivered"}


async def test_global_rate_spaces_the_requests() -> None:
    clock = VirtualTime()
    sender = ScriptedSender(clock)
    await engine(clock, rate=10, workers=1).deliver(messages(*range(1, 21)), sender, MemoryLog())
    times = [t for t, _ in sender.calls]
    assert all(b - a >= 0.1 - 1e-9 for a, b in zip(times, times[1:], strict=False))
    assert times[-1] == pytest.approx(1.9)


async def test_one_chat_gets_at_most_one_message_per_second() -> None:
    clock = VirtualTime()
    pacer = Pacer(rate=30, per_chat_rate=1, monotonic=clock.monotonic, sleep=clock.sleep)
    moments = []
    for chat in (7, 7, 8, 7):
        await pacer.acquire(chat)
        moments.append((clock.now, chat))
    sevens = [t for t, chat in moments if chat == 7]
    assert sevens == pytest.approx([0.0, 1.0, 2.0])
    assert moments[2][1] == 8 and moments[2][0] < 2.0


async def test_429_pauses_everybody_for_the_time_asked_then_retries() -> None:
    clock = VirtualTime()
    sender = ScriptedSender(clock, {3: [RetryLater(5)]})
    log = MemoryLog()
    stats = await engine(clock, rate=100, workers=1).deliver(messages(1, 2, 3, 4), sender, log)
    assert stats.rate_limited == 1 and stats.delivered == 4
    after = [t for t, chat in sender.calls if t > sender.calls[2][0]]
    assert after and min(after) >= sender.calls[2][0] + 5 - 1e-9
    assert [chat for _, chat in sender.calls] == [1, 2, 3, 3, 4]


async def test_403_marks_blocked_calls_back_and_is_not_retried() -> None:
    clock = VirtualTime()
    sender = ScriptedSender(clock, {2: [Blocked("Forbidden: bot was blocked by the user")]})
    blocked: list[int] = []
    log = MemoryLog()
    stats = await engine(clock).deliver(messages(1, 2, 3), sender, log, on_blocked=blocked.append)
    assert blocked == [2] and stats.blocked == 1 and stats.delivered == 2
    assert [chat for _, chat in sender.calls].count(2) == 1
    assert log.states[2] == "blocked"


async def test_network_errors_are_retried_with_growing_backoff() -> None:
    clock = VirtualTime()
    sender = ScriptedSender(clock, {5: [Transient("timed out"), Transient("502")]})
    log = MemoryLog()
    stats = await engine(clock, backoff_base=0.5, workers=1).deliver(messages(5), sender, log)
    assert stats.delivered == 1 and stats.transient_errors == 2
    assert log.attempts[5] == 3 and log.states[5] == "delivered"
    assert 0.5 in clock.sleeps and 1.0 in clock.sleeps


async def test_network_errors_give_up_after_max_attempts() -> None:
    clock = VirtualTime()
    sender = ScriptedSender(clock, {5: [Transient("down")] * 10})
    log = MemoryLog()
    stats = await engine(clock, max_attempts=3).deliver(messages(5, 6), sender, log)
    assert stats.failed == 1 and stats.delivered == 1
    assert log.states[5] == "failed" and log.attempts[5] == 3
    assert [chat for _, chat in sender.calls].count(5) == 3


@pytest.mark.parametrize("error", [Rejected("Bad Request: chat not found"), SendError("odd")])
async def test_refused_messages_fail_at_once(error: SendError) -> None:
    clock = VirtualTime()
    sender = ScriptedSender(clock, {9: [error]})
    log = MemoryLog()
    stats = await engine(clock).deliver(messages(9), sender, log)
    assert stats.failed == 1 and len(sender.calls) == 1 and log.states[9] == "failed"


async def test_endless_429s_end_as_failed_not_as_a_hang() -> None:
    clock = VirtualTime()
    sender = ScriptedSender(clock, {4: [RetryLater(1)] * 50})
    stats = await engine(clock, max_rate_limited=3).deliver(messages(4), sender, MemoryLog())
    assert stats.failed == 1 and stats.rate_limited == 3


async def test_already_claimed_recipients_are_skipped() -> None:
    clock = VirtualTime()
    sender = ScriptedSender(clock)
    log = MemoryLog(states={2: "delivered", 3: "unconfirmed"})
    stats = await engine(clock).deliver(messages(1, 2, 3), sender, log)
    assert sender.delivered == [1] and stats.skipped == 2


async def test_progress_is_reported_while_sending() -> None:
    clock = VirtualTime()
    seen: list[int] = []

    async def progress(stats: object) -> None:
        seen.append(getattr(stats, "delivered"))  # noqa: B009

    await engine(clock, rate=10, workers=1, progress_every=1).deliver(
        messages(*range(1, 31)), ScriptedSender(clock), MemoryLog(), on_progress=progress
    )
    assert len(seen) >= 2 and seen == sorted(seen)


def test_pacer_refuses_a_zero_rate() -> None:
    with pytest.raises(ValueError):
        Pacer(rate=0, per_chat_rate=1)
