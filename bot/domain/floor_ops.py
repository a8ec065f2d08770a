"""The floor queue: who asks for the floor, who speaks, for how long, and the remote budget.

Functional core: every operation takes an immutable `FloorState`, the `FloorRules` and the
current time, and returns a `Result` (the new state and the events the shell must carry out:
messages to send, timers to schedule or cancel). Nothing here reads the clock or does I/O.
Guard violations raise `FloorError` whose `code` the shell turns into a translated message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from bot.domain.floor_events import (
    CancelTimers,
    ConfirmationNeeded,
    Ended,
    Event,
    FloorGiven,
    HeadsUp,
    LanguageSet,
    ListChanged,
    Moved,
    Paused,
    Requested,
    Result,
    Resumed,
    ScheduleTimer,
    Skipped,
    TimeUp,
    Warned,
    Withdrawn,
)
from bot.domain.floor_model import (
    FLOOR_LANGUAGES,
    TIMER_TOLERANCE_SECONDS,
    FloorError,
    FloorState,
    Mode,
    Request,
    RequestState,
    TimerKind,
    budget_left,
    estimated_wait,
)
from bot.domain.floor_rules import Category, FloorRules


def pending_timers(state: FloorState, rules: FloorRules, now: datetime) -> tuple[Event, ...]:
    """The timers to (re)schedule for the current speaker, e.g. after a restart."""
    current = state.current
    if current is None or current.state != RequestState.SPEAKING:
        return ()
    return tuple(_timers(current, rules, now))


# ---- participants -------------------------------------------------------------------------


def request_floor(
    state: FloorState,
    rules: FloorRules,
    now: datetime,
    *,
    participant_id: int | None,
    name: str,
    delegation: str,
    category: Category,
    mode: Mode,
    topic: str = "",
    by_organiser: bool = False,
    language: str | None = None,
) -> Result:
    """Put a request on the list, after the others of its category (FIFO); one per person."""
    if not state.is_open and not by_organiser:
        raise FloorError("list_closed")
    if language is not None:
        _check_language(language)
    if category not in rules.minutes:
        raise FloorError("unknown_category", category=category)
    if mode not in tuple(Mode):
        raise FloorError("mode_unknown")
    for r in (*state.waiting, *([state.current] if state.current else [])):
        same_person = (
            r.participant_id == participant_id
            if participant_id is not None
            else r.participant_id is None
            and (r.name.casefold(), r.delegation.casefold())
            == (name.casefold(), delegation.casefold())
        )
        if same_person and r.is_current:
            raise FloorError("already_speaking")
        if same_person:
            raise FloorError("already_waiting", position=r.position)
    new = Request(
        id=max((r.id for r in state.requests), default=0) + 1,
        participant_id=participant_id,
        name=name,
        delegation=delegation,
        category=category,
        mode=mode,
        topic=topic,
        requested_at=now,
        language=language,
    )
    order = _insert_by_priority(state.waiting, new, rules)
    next_state = _renumber(replace(state, requests=(*state.requests, new)), order)
    placed = next_state.get(new.id)
    position = placed.position or 0
    event = Requested(
        placed, position, position - 1, estimated_wait(next_state, rules, now, position)
    )
    return _with_heads_up(next_state, [event])


def withdraw(state: FloorState, participant_id: int) -> Result:
    """The participant withdraws their waiting request."""
    mine = state.waiting_of(participant_id)
    if mine is None:
        raise FloorError("not_waiting")
    return _drop(state, mine, by_organiser=False)


def set_language(
    state: FloorState, request_id: int, language: str, *, participant_id: int | None = None
) -> Result:
    """Change the floor language of a waiting request (the participant's own, when given).

    Choosing the language it already has changes nothing and says nothing.
    """
    _check_language(language)
    target = state.get(request_id)
    if participant_id is not None and target.participant_id != participant_id:
        raise FloorError("not_yours")
    if target.state != RequestState.WAITING:
        raise FloorError("not_waiting")
    if target.language == language:
        return Result(state)
    changed = replace(target, language=language)
    return Result(_put(state, changed), (LanguageSet(changed, target.language),))


# ---- organisers ---------------------------------------------------------------------------


def remove(state: FloorState, position: int) -> Result:
    """An organiser removes the waiting request at `position`."""
    return _drop(state, _at(state, position), by_organiser=True)


def move(state: FloorState, from_position: int, to_position: int) -> Result:
    """An organiser moves a waiting request to another place in the list."""
    target = _at(state, from_position)
    _at(state, to_position)
    order = [r.id for r in state.waiting if r.id != target.id]
    order.insert(to_position - 1, target.id)
    next_state = _renumber(state, order)
    event = Moved(next_state.get(target.id), from_position, to_position)
    return _with_heads_up(next_state, [event])


def start(
    state: FloorState,
    rules: FloorRules,
    now: datetime,
    request_id: int | None = None,
    *,
    confirmed: bool = False,
) -> Result:
    """Give the floor to a waiting request (the first one by default)."""
    if state.current is not None:
        raise FloorError("speaker_active", name=state.current.name)
    if request_id is None:
        if not state.waiting:
            raise FloorError("queue_empty")
        target = state.waiting[0]
    else:
        target = state.get(request_id)
        if target.state != RequestState.WAITING:
            raise FloorError("not_waiting")
    limit = rules.limit_seconds(target.category)
    budget: float | None = None
    over_budget = False
    if target.remote:
        budget = budget_left(state, rules, now)
        if budget < limit:
            if not confirmed:
                return Result(state, (ConfirmationNeeded(target, budget, limit),))
            over_budget = True
            # A spent budget would give a zero slot: the chair's confirmation grants the
            # category limit instead, every second of which is still charged.
            limit = budget if budget > 0 else limit
    started = replace(
        target,
        state=RequestState.SPEAKING,
        position=None,
        started_at=now,
        limit_seconds=limit,
        heads_up=True,
    )
    next_state = _renumber(_put(state, started), [r.id for r in state.waiting if r.id != target.id])
    ends_at = started.ends_at()
    assert ends_at is not None
    events: list[Event] = [FloorGiven(started, limit, ends_at, budget, over_budget)]
    events.extend(_timers(started, rules, now))
    return _with_heads_up(next_state, events)


def end(
    state: FloorState, rules: FloorRules, now: datetime, request_id: int | None = None
) -> Result:
    """End the current intervention (only the current speaker can be ended)."""
    current = _current(state, request_id)
    paused_seconds = current.paused_total(now)
    ended = replace(
        current,
        state=RequestState.FINISHED,
        paused_at=None,
        paused_seconds=paused_seconds,
        ended_at=now,
    )
    next_state = _put(state, ended)
    spoken = ended.spoken_seconds(now)
    overrun = max(0.0, spoken - (ended.limit_seconds or 0.0))
    budget = budget_left(next_state, rules, now) if ended.remote else None
    return Result(next_state, (CancelTimers(ended.id), Ended(ended, spoken, overrun, budget)))


def pause(state: FloorState, now: datetime, request_id: int | None = None) -> Result:
    """Stop the speaker's clock and the remote budget."""
    current = _current(state, request_id)
    if current.state == RequestState.PAUSED:
        raise FloorError("already_paused")
    paused = replace(current, state=RequestState.PAUSED, paused_at=now)
    return Result(
        _put(state, paused),
        (CancelTimers(paused.id), Paused(paused, paused.remaining_seconds(now))),
    )


def resume(
    state: FloorState, rules: FloorRules, now: datetime, request_id: int | None = None
) -> Result:
    """Start the speaker's clock again after a pause."""
    current = _current(state, request_id)
    if current.state != RequestState.PAUSED:
        raise FloorError("not_paused")
    resumed = replace(
        current,
        state=RequestState.SPEAKING,
        paused_at=None,
        paused_seconds=current.paused_total(now),
    )
    ends_at = resumed.ends_at()
    assert ends_at is not None
    return Result(_put(state, resumed), (Resumed(resumed, ends_at), *_timers(resumed, rules, now)))


def skip(
    state: FloorState, rules: FloorRules, now: datetime, request_id: int | None = None
) -> Result:
    """The called speaker is not there: back to the end of their category, absent the 2nd time."""
    current = _current(state, request_id)
    reset = replace(
        current,
        state=RequestState.WAITING,
        started_at=None,
        paused_at=None,
        paused_seconds=0.0,
        limit_seconds=None,
        skips=current.skips + 1,
        heads_up=False,
        warned=False,
        timed_up=False,
    )
    if reset.skips >= 2:
        absent = replace(reset, state=RequestState.SKIPPED, position=None, ended_at=now)
        next_state = _put(state, absent)
        return _with_heads_up(next_state, [CancelTimers(absent.id), Skipped(absent, True)])
    order = _insert_by_priority(state.waiting, reset, rules)
    next_state = _renumber(_put(state, reset), order)
    events: list[Event] = [CancelTimers(reset.id), Skipped(next_state.get(reset.id), False)]
    return _with_heads_up(next_state, events)


def set_open(state: FloorState, is_open: bool) -> Result:
    """Open or close the list to new requests from participants."""
    if state.is_open == is_open:
        raise FloorError("already_open" if is_open else "already_closed")
    return Result(replace(state, is_open=is_open), (ListChanged(is_open),))


def timer_fired(
    state: FloorState, rules: FloorRules, now: datetime, request_id: int, kind: TimerKind
) -> Result:
    """A warning or time-up timer fired; stale or repeated timers produce nothing."""
    current = state.current
    if current is None or current.id != request_id or current.state != RequestState.SPEAKING:
        return Result(state)
    remaining = current.remaining_seconds(now)
    if kind == TimerKind.WARNING:
        due = remaining <= rules.warn_before_seconds + TIMER_TOLERANCE_SECONDS
        if current.warned or current.timed_up or not due:
            return Result(state)
        warned = replace(current, warned=True)
        return Result(_put(state, warned), (Warned(warned, max(0.0, remaining)),))
    if kind == TimerKind.TIME_UP:
        if current.timed_up or remaining > TIMER_TOLERANCE_SECONDS:
            return Result(state)
        done = replace(current, warned=True, timed_up=True)
        return Result(_put(state, done), (TimeUp(done, max(0.0, -remaining)),))
    raise FloorError("unknown_timer", kind=kind)


# ---- helpers ------------------------------------------------------------------------------


def _check_language(language: str) -> None:
    if language not in FLOOR_LANGUAGES:
        raise FloorError("unknown_language", language=language)


def _rank(category: str, rules: FloorRules) -> int:
    # Categories missing from [floor].priority come after the listed ones.
    return rules.priority.index(category) if category in rules.priority else len(rules.priority)


def _insert_by_priority(waiting: Sequence[Request], new: Request, rules: FloorRules) -> list[int]:
    """Ids in order with `new` after the last waiting request of the same or higher priority."""
    others = [r for r in waiting if r.id != new.id]
    rank = _rank(new.category, rules)
    index = 0
    for i, r in enumerate(others):
        if _rank(r.category, rules) <= rank:
            index = i + 1
    ids = [r.id for r in others]
    ids.insert(index, new.id)
    return ids


def _renumber(state: FloorState, order: Sequence[int]) -> FloorState:
    """Give waiting requests positions 1..n in `order`; others get none."""
    places = {request_id: i + 1 for i, request_id in enumerate(order)}

    def placed(r: Request) -> Request:
        position = places.get(r.id) if r.state == RequestState.WAITING else None
        return r if r.position == position else replace(r, position=position)

    requests = tuple(placed(r) for r in state.requests)
    return replace(state, requests=requests)


def _put(state: FloorState, request: Request) -> FloorState:
    return replace(
        state, requests=tuple(request if r.id == request.id else r for r in state.requests)
    )


def _at(state: FloorState, position: int) -> Request:
    waiting = state.waiting
    if not 1 <= position <= len(waiting):
        raise FloorError("bad_position", position=position, count=len(waiting))
    return waiting[position - 1]


def _current(state: FloorState, request_id: int | None) -> Request:
    current = state.current
    if current is None:
        raise FloorError("no_speaker")
    if request_id is not None and current.id != request_id:
        raise FloorError("not_current")
    return current


def _drop(state: FloorState, request: Request, *, by_organiser: bool) -> Result:
    dropped = replace(request, state=RequestState.WITHDRAWN, position=None)
    next_state = _renumber(
        _put(state, dropped), [r.id for r in state.waiting if r.id != request.id]
    )
    return _with_heads_up(next_state, [Withdrawn(dropped, by_organiser)])


def _with_heads_up(state: FloorState, events: list[Event]) -> Result:
    """While someone holds the floor, the first waiting request is told it is next (once)."""
    waiting = state.waiting
    if state.current is not None and waiting and not waiting[0].heads_up:
        head = replace(waiting[0], heads_up=True)
        state = _put(state, head)
        events.append(HeadsUp(head))
    return Result(state, tuple(events))


def _timers(request: Request, rules: FloorRules, now: datetime) -> list[Event]:
    ends_at = request.ends_at()
    if ends_at is None:
        return []
    timers: list[Event] = []
    warn_at = ends_at - timedelta(seconds=rules.warn_before_seconds)
    limit = request.limit_seconds or 0.0
    if (
        not request.warned
        and not request.timed_up
        and rules.warn_before_seconds > 0
        and limit > rules.warn_before_seconds
        and ends_at > now
    ):
        timers.append(ScheduleTimer(request.id, TimerKind.WARNING, max(warn_at, now)))
    if not request.timed_up:
        timers.append(ScheduleTimer(request.id, TimerKind.TIME_UP, max(ends_at, now)))
    return timers
