"""The floor queue's model: requests, the list, the remote budget and other queries.

Pure and stdlib only; the time is always an argument. Operations live in `bot.domain.floor_ops`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.floor_rules import REMOTE_CATEGORIES, Category, FloorRules


class RequestState(StrEnum):
    """Where a request for the floor stands (the values are those of the database)."""

    WAITING = "waiting"
    SPEAKING = "speaking"
    PAUSED = "paused"
    FINISHED = "finished"
    WITHDRAWN = "withdrawn"
    SKIPPED = "skipped"


class Mode(StrEnum):
    """How a participant attends."""

    ROOM = "room"
    REMOTE = "remote"


class TimerKind(StrEnum):
    """The two timers of a speaker."""

    WARNING = "warning"
    TIME_UP = "time_up"


class ChairAction(StrEnum):
    """The chair's actions on the list (audited as floor_<value>)."""

    NEXT = "next"
    DONE = "done"
    PAUSE = "pause"
    RESUME = "resume"
    SKIP = "skip"
    MOVE = "move"
    REMOVE = "remove"
    ADD = "add"
    OPEN = "open"
    CLOSE = "close"
    UNDO = "undo"


# The six official languages of the United Nations: what a speaker may speak at the microphone
# (the interpreters' booth needs it). Codes as ISO 639-1, like the bot's own languages.
FLOOR_LANGUAGES: tuple[str, ...] = ("en", "fr", "es", "ar", "zh", "ru")

# A timer firing this much before its moment is still honoured (scheduler jitter); one firing
# earlier than that is stale (the speaker paused since) and is ignored.
TIMER_TOLERANCE_SECONDS = 1.0


class FloorError(Exception):
    """A refused floor action; `code` is stable, `params` fill the translated message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def category_for(mode: str | None, roles: Iterable[str]) -> Category:
    """The speaking category of a participant from their mode (room|remote) and roles."""
    role_set = set(roles)
    if Category.PANELIST in role_set:
        return Category.PANELIST
    if mode == Mode.ROOM:
        return Category.IN_ROOM
    if mode == Mode.REMOTE:
        return Category.REMOTE_HIGH_LEVEL if "high_level" in role_set else Category.REMOTE
    raise FloorError("mode_unknown")


@dataclass(frozen=True)
class Request:
    """One request for the floor and, once started, its intervention's time accounting."""

    id: int
    participant_id: int | None  # Telegram user id; None for people added by an organiser
    name: str
    delegation: str
    category: Category
    mode: Mode
    topic: str
    requested_at: datetime
    state: RequestState = RequestState.WAITING
    position: int | None = None  # 1-based place among waiting requests, None otherwise
    started_at: datetime | None = None
    paused_at: datetime | None = None
    paused_seconds: float = 0.0  # completed pauses only
    ended_at: datetime | None = None
    limit_seconds: float | None = None  # granted when the floor is given
    skips: int = 0
    heads_up: bool = False
    warned: bool = False
    timed_up: bool = False
    language: str | None = None  # the floor language (FLOOR_LANGUAGES); None when not known

    @property
    def remote(self) -> bool:
        """Whether this intervention is charged to the remote budget."""
        return self.mode == Mode.REMOTE or self.category in REMOTE_CATEGORIES

    @property
    def is_current(self) -> bool:
        """Whether this request holds the floor (speaking or paused)."""
        return self.state in (RequestState.SPEAKING, RequestState.PAUSED)

    def paused_total(self, now: datetime) -> float:
        """Seconds paused so far, the running pause included."""
        # max(): a clock stepped backwards must not give a pause negative length
        running = max(0.0, _seconds(now - self.paused_at)) if self.paused_at is not None else 0.0
        return self.paused_seconds + running

    def spoken_seconds(self, now: datetime) -> float:
        """Actual speaking time: start to end (or now), pauses excluded."""
        if self.started_at is None:
            return 0.0
        stop = self.ended_at or self.paused_at or now
        return max(0.0, _seconds(stop - self.started_at) - self.paused_seconds)

    def remaining_seconds(self, now: datetime) -> float:
        """Time left of the granted limit (negative once overrun); 0 if never started."""
        if self.limit_seconds is None:
            return 0.0
        return self.limit_seconds - self.spoken_seconds(now)

    def ends_at(self) -> datetime | None:
        """When the granted time runs out, while speaking (unknown while paused)."""
        if (
            self.state != RequestState.SPEAKING
            or self.started_at is None
            or self.limit_seconds is None
        ):
            return None
        return self.started_at + timedelta(seconds=self.paused_seconds + self.limit_seconds)


@dataclass(frozen=True)
class FloorState:
    """The whole list of speakers of the meeting."""

    requests: tuple[Request, ...] = ()
    is_open: bool = True

    # Computed once per state (the state is immutable; replace() makes a new one): a burst of
    # /speak on a long list asked for them several times per request.
    @functools.cached_property
    def waiting(self) -> tuple[Request, ...]:
        """Waiting requests in speaking order."""
        return tuple(
            sorted((r for r in self.requests if r.state == RequestState.WAITING), key=_position_key)
        )

    @functools.cached_property
    def current(self) -> Request | None:
        """The request holding the floor, if any."""
        return next((r for r in self.requests if r.is_current), None)

    def get(self, request_id: int) -> Request:
        """The request with this id."""
        for r in self.requests:
            if r.id == request_id:
                return r
        raise FloorError("unknown_request", request_id=request_id)

    def waiting_of(self, participant_id: int) -> Request | None:
        """The waiting request of a participant, if any."""
        return next((r for r in self.waiting if r.participant_id == participant_id), None)


@dataclass(frozen=True)
class UndoOffer:
    """The chair action a status message offers to undo (its button names the action's id)."""

    action_id: int
    action: ChairAction


@dataclass(frozen=True)
class Status:
    """What the chair's live status message shows."""

    current: Request | None
    remaining_seconds: float | None
    budget_seconds: float
    next_up: tuple[Request, ...]
    waiting_count: int
    is_open: bool
    undo: UndoOffer | None = None  # set by the service, which keeps the actions


# ---- queries ------------------------------------------------------------------------------


def budget_used(state: FloorState, now: datetime) -> float:
    """Seconds of remote speaking so far in the meeting (pauses excluded)."""
    return sum(r.spoken_seconds(now) for r in state.requests if r.remote)


def budget_left(state: FloorState, rules: FloorRules, now: datetime) -> float:
    """The remote budget left, in seconds; negative after an overrun."""
    return rules.remote_budget_seconds - budget_used(state, now)


def speaker_limit(request: Request, rules: FloorRules, budget: float) -> float:
    """The time a request gets: its category's limit, capped by the budget if remote."""
    limit = rules.limit_seconds(request.category)
    return min(limit, budget) if request.remote else limit


def estimated_wait(state: FloorState, rules: FloorRules, now: datetime, position: int) -> float:
    """Seconds until the waiting request at `position` is likely to be called."""
    budget = budget_left(state, rules, now)
    wait = 0.0
    current = state.current
    if current is not None:
        left = max(0.0, current.remaining_seconds(now))
        wait += left
        if current.remote:
            budget -= left
    for ahead in state.waiting[: max(0, position - 1)]:
        slot = max(0.0, speaker_limit(ahead, rules, budget))
        wait += slot
        if ahead.remote:
            budget -= slot
    return wait


def status(state: FloorState, rules: FloorRules, now: datetime) -> Status:
    """The data of the chair's live status message."""
    current = state.current
    waiting = state.waiting
    return Status(
        current=current,
        remaining_seconds=current.remaining_seconds(now) if current else None,
        budget_seconds=budget_left(state, rules, now),
        next_up=tuple(waiting[:3]),
        waiting_count=len(waiting),
        is_open=state.is_open,
    )


def _seconds(delta: timedelta) -> float:
    return delta.total_seconds()


def _position_key(request: Request) -> tuple[int, int]:
    return (request.position if request.position is not None else 1 << 30, request.id)
