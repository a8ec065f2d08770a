"""The paced sender: delivers many messages within Telegram's limits, with an honest log.

- Pacing: a global slot every 1/rate seconds and at most `per_chat_rate` messages per second to
  one chat; several workers keep the pipe full when the network is slow.
- 429 (`RetryLater`): everybody pauses for the time Telegram asked, then the message is retried.
- 403 (`Blocked`): recorded as blocked, `on_blocked` marks the participant inactive, no retry.
- Network errors (`Transient`): retried with exponential backoff, then recorded as failed.
- Anything else Telegram refuses (`Rejected`, e.g. 400): failed at once.
- Every recipient is claimed in the log before its request and settled after it, so a run can
  resume after a restart without sending anything twice (see `DeliveryLog`).

Telegram specifics stay in the shell: it wraps the Bot call into a `Sender` raising these errors.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from bot.domain.broadcast import Delivery

log = logging.getLogger(__name__)


class SendError(Exception):
    """A message could not be delivered (the shell maps Telegram errors to subclasses)."""


class RetryLater(SendError):
    """HTTP 429: wait `seconds` before any further request."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds} s")
        self.seconds = seconds


class Blocked(SendError):
    """HTTP 403: the user blocked the bot or deleted their account."""


class Transient(SendError):
    """A network error, time-out or 5xx: worth retrying."""


class Rejected(SendError):
    """Telegram refused this message for good (400 and the like)."""


Sender = Callable[[int, str], Awaitable[None]]  # (chat id, HTML text)


@dataclass(frozen=True)
class Outgoing:
    """One message to one participant."""

    participant_id: int
    chat_id: int
    text: str


class DeliveryLog(Protocol):
    """Where each recipient's state lives (SQLite in production)."""

    def claim(self, participant_id: int) -> bool:
        """Mark as in flight; False when already claimed or settled (skip it)."""

    def settle(self, participant_id: int, state: Delivery, attempts: int, error: str) -> None:
        """Record the final state."""

    def release(self, participant_id: int, attempts: int) -> None:
        """Undo a claim while waiting for a retry (nothing was delivered)."""


@dataclass
class DeliveryStats:
    """Counts of one run (in memory; the log holds the durable truth)."""

    total: int = 0
    delivered: int = 0
    blocked: int = 0
    failed: int = 0
    skipped: int = 0  # already claimed or settled by an earlier run
    rate_limited: int = 0  # 429 answers received
    transient_errors: int = 0
    started: float = 0.0
    finished: float = 0.0

    @property
    def done(self) -> int:
        """Recipients settled or skipped so far."""
        return self.delivered + self.blocked + self.failed + self.skipped


@dataclass(frozen=True)
class DeliverySettings:
    """Pacing and retry parameters."""

    rate: float = 25.0  # messages per second overall
    per_chat_rate: float = 1.0  # messages per second to one chat
    workers: int = 8
    max_attempts: int = 5  # for network errors
    max_rate_limited: int = 10  # 429s for one message before giving up on it
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    progress_every: float = 3.0  # seconds between progress callbacks


class Pacer:
    """Hands out send slots: global spacing, per-chat spacing, and a global pause for 429s."""

    def __init__(
        self,
        rate: float,
        per_chat_rate: float,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate <= 0 or per_chat_rate <= 0:
            raise ValueError("rates must be positive")
        self.interval = 1.0 / rate
        self.chat_interval = 1.0 / per_chat_rate
        self._monotonic = monotonic
        self._sleep = sleep
        self._next_slot = 0.0
        self._chat_next: dict[int, float] = {}
        self.paused_until = 0.0

    def pause(self, seconds: float) -> None:
        """Stop handing out slots for `seconds` (Telegram's retry_after)."""
        self.paused_until = max(self.paused_until, self._monotonic() + seconds)
        self._next_slot = max(self._next_slot, self.paused_until)

    async def acquire(self, chat_id: int) -> None:
        """Wait for this request's slot."""
        while True:
            now = self._monotonic()
            slot = max(now, self._next_slot, self._chat_next.get(chat_id, 0.0), self.paused_until)
            self._next_slot = slot + self.interval
            self._chat_next[chat_id] = slot + self.chat_interval
            if slot > now:
                await self._sleep(slot - now)
            if self._monotonic() >= self.paused_until:
                return
            # A 429 arrived while we waited for this slot: take a new one after the pause.


ProgressCallback = Callable[[DeliveryStats], Awaitable[None]]
BlockedCallback = Callable[[int], None]


@dataclass
class DeliveryEngine:
    """Runs deliveries through one shared pacer (so reminders and broadcasts share the rate)."""

    settings: DeliverySettings = field(default_factory=DeliverySettings)
    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    pacer: Pacer = field(init=False)

    def __post_init__(self) -> None:
        self.configure(self.settings)

    def configure(self, settings: DeliverySettings) -> None:
        """Use new settings (and a fresh pacer); call between runs."""
        self.settings = settings
        self.pacer = Pacer(settings.rate, settings.per_chat_rate, self.monotonic, self.sleep)

    async def deliver(
        self,
        messages: Sequence[Outgoing],
        sender: Sender,
        delivery_log: DeliveryLog,
        *,
        on_blocked: BlockedCallback | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> DeliveryStats:
        """Send every message once (per the log), paced; returns this run's counts."""
        stats = DeliveryStats(total=len(messages), started=self.monotonic())
        queue: asyncio.Queue[Outgoing] = asyncio.Queue()
        for message in messages:
            queue.put_nowait(message)
        last_progress = [self.monotonic()]

        async def report() -> None:
            if on_progress is None:
                return
            now = self.monotonic()
            if now - last_progress[0] >= self.settings.progress_every:
                last_progress[0] = now
                try:
                    await on_progress(stats)
                except Exception:  # progress is cosmetic: never stop the delivery for it
                    log.warning("progress callback failed", exc_info=True)

        async def worker() -> None:
            while True:
                try:
                    message = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                await self._deliver_one(message, sender, delivery_log, stats, on_blocked)
                await report()

        count = max(1, min(self.settings.workers, len(messages)))
        await asyncio.gather(*(worker() for _ in range(count)))
        stats.finished = self.monotonic()
        return stats

    async def _deliver_one(
        self,
        message: Outgoing,
        sender: Sender,
        delivery_log: DeliveryLog,
        stats: DeliveryStats,
        on_blocked: BlockedCallback | None,
    ) -> None:
        attempts = 0  # requests that ended in a network error
        limited = 0
        while True:
            await self.pacer.acquire(message.chat_id)
            # Claimed only now, so a crash leaves at most the requests in flight 'unconfirmed'.
            if not delivery_log.claim(message.participant_id):
                stats.skipped += 1
                return
            try:
                await sender(message.chat_id, message.text)
            except RetryLater as error:
                stats.rate_limited += 1
                limited += 1
                self.pacer.pause(error.seconds)
                if limited >= self.settings.max_rate_limited:
                    self._settle(delivery_log, message, Delivery.FAILED, attempts, str(error))
                    stats.failed += 1
                    return
                log.info("429 for chat %s: pausing %.1f s", message.chat_id, error.seconds)
                delivery_log.release(message.participant_id, attempts)
                continue  # the pacer holds every worker until the pause is over
            except Blocked as error:
                self._settle(delivery_log, message, Delivery.BLOCKED, attempts + 1, str(error))
                stats.blocked += 1
                if on_blocked is not None:
                    on_blocked(message.participant_id)
                return
            except Transient as error:
                attempts += 1
                stats.transient_errors += 1
                if attempts >= self.settings.max_attempts:
                    self._settle(delivery_log, message, Delivery.FAILED, attempts, str(error))
                    stats.failed += 1
                    return
                delay = min(
                    self.settings.backoff_cap, self.settings.backoff_base * 2 ** (attempts - 1)
                )
                log.info(
                    "network error for chat %s (%s); retry in %.1f s",
                    message.chat_id,
                    error,
                    delay,
                )
                delivery_log.release(message.participant_id, attempts)
                await self.sleep(delay)
                continue
            except SendError as error:  # Rejected, or anything the shell could not classify
                self._settle(delivery_log, message, Delivery.FAILED, attempts + 1, str(error))
                stats.failed += 1
                return
            self._settle(delivery_log, message, Delivery.DELIVERED, attempts + 1, "")
            stats.delivered += 1
            return

    @staticmethod
    def _settle(
        delivery_log: DeliveryLog, message: Outgoing, state: Delivery, attempts: int, error: str
    ) -> None:
        delivery_log.settle(message.participant_id, state, attempts, error)
