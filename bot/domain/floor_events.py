"""Events of the floor queue: what the shell must do after an operation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.floor_model import ChairAction, FloorState, Request, TimerKind


@dataclass(frozen=True)
class Requested:
    """A request joined the list: tell the requester their place and estimated wait."""

    request: Request
    position: int
    ahead: int
    wait_seconds: float


@dataclass(frozen=True)
class Withdrawn:
    """A waiting request left the list (by its owner, or removed by an organiser)."""

    request: Request
    by_organiser: bool


@dataclass(frozen=True)
class Moved:
    """An organiser moved a waiting request."""

    request: Request
    from_position: int
    to_position: int


@dataclass(frozen=True)
class ConfirmationNeeded:
    """The remote budget cannot cover a full slot (or is spent): the chair must confirm."""

    request: Request
    budget_seconds: float
    limit_seconds: float


@dataclass(frozen=True)
class FloorGiven:
    """Tell the speaker they have the floor, with their limit; tell the chair (budget too)."""

    request: Request
    limit_seconds: float
    ends_at: datetime
    budget_before: float | None  # remote speakers only
    over_budget: bool


@dataclass(frozen=True)
class HeadsUp:
    """Tell the next in line they will be called soon."""

    request: Request


@dataclass(frozen=True)
class ScheduleTimer:
    """Schedule a warning or time-up timer for a speaker."""

    request_id: int
    kind: TimerKind
    at: datetime


@dataclass(frozen=True)
class CancelTimers:
    """Cancel every pending timer of a speaker."""

    request_id: int


@dataclass(frozen=True)
class Warned:
    """Warn the speaker and the chair that the time is nearly up."""

    request: Request
    remaining_seconds: float


@dataclass(frozen=True)
class TimeUp:
    """Tell the speaker and the chair that the time is up."""

    request: Request
    overrun_seconds: float


@dataclass(frozen=True)
class Ended:
    """An intervention ended."""

    request: Request
    spoken_seconds: float
    overrun_seconds: float
    budget_after: float | None  # remote speakers only


@dataclass(frozen=True)
class Paused:
    """The speaker's clock (and the remote budget) stopped."""

    request: Request
    remaining_seconds: float


@dataclass(frozen=True)
class Resumed:
    """The speaker's clock runs again."""

    request: Request
    ends_at: datetime


@dataclass(frozen=True)
class Skipped:
    """The called speaker was not there: back in the list, or marked absent."""

    request: Request
    absent: bool


@dataclass(frozen=True)
class LanguageSet:
    """A waiting request's floor language changed (the booth and the chair see it)."""

    request: Request
    previous: str | None


@dataclass(frozen=True)
class Undone:
    """The chair's last action was reverted; `requests` are those whose state changed back."""

    action: ChairAction
    action_id: int
    requests: tuple[Request, ...]


@dataclass(frozen=True)
class ListChanged:
    """The list was opened or closed."""

    is_open: bool


Event = (
    Requested
    | Withdrawn
    | Moved
    | ConfirmationNeeded
    | FloorGiven
    | HeadsUp
    | ScheduleTimer
    | CancelTimers
    | Warned
    | TimeUp
    | Ended
    | Paused
    | Resumed
    | Skipped
    | ListChanged
    | LanguageSet
    | Undone
)


@dataclass(frozen=True)
class Result:
    """A new state and what the shell must do about it."""

    state: FloorState
    events: tuple[Event, ...] = field(default_factory=tuple)
