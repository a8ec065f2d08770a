"""Invariants of the floor queue under random sequences of actions (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import floor_ops
from bot.domain.floor_events import FloorGiven, Result
from bot.domain.floor_model import (
    FloorError,
    FloorState,
    RequestState,
    TimerKind,
    budget_left,
    budget_used,
)
from bot.domain.floor_rules import Category, FloorRules

RULES = FloorRules(
    minutes={
        Category.PANELIST: 3,
        Category.IN_ROOM: 2,
        Category.REMOTE_HIGH_LEVEL: 1.5,
        Category.REMOTE: 0.75,
    },
    remote_budget_minutes=1.5,
    warn_before_seconds=20,
)
T0 = datetime(2023, 3, 29, 13, 0, tzinfo=UTC)
CATEGORIES = (Category.PANELIST, Category.IN_ROOM, Category.REMOTE_HIGH_LEVEL, Category.REMOTE)
MODES = {
    Category.PANELIST: "room",
    Category.IN_ROOM: "room",
    Category.REMOTE_HIGH_LEVEL: "remote",
    Category.REMOTE: "remote",
}

ask = st.tuples(st.just("ask"), st.integers(1, 6), st.sampled_from(CATEGORIES))
start = st.tuples(st.just("start"), st.booleans())
end = st.tuples(st.just("end"))
action = st.one_of(
    ask,
    ask,
    ask,
    start,
    start,
    end,
    st.tuples(st.just("add"), st.integers(1, 3), st.sampled_from(CATEGORIES)),
    st.tuples(st.just("withdraw"), st.integers(1, 6)),
    st.tuples(st.just("remove"), st.integers(1, 4)),
    st.tuples(st.just("move"), st.integers(1, 4), st.integers(1, 4)),
    st.tuples(st.just("pause")),
    st.tuples(st.just("resume")),
    st.tuples(st.just("skip")),
    st.tuples(st.just("open"), st.booleans()),
    st.tuples(st.just("timer"), st.sampled_from((TimerKind.WARNING, TimerKind.TIME_UP))),
)
steps = st.lists(st.tuples(action, st.integers(0, 60_000)), min_size=20, max_size=80)


def apply(state: FloorState, step: tuple, now: datetime) -> Result:
    """Carry out one random action."""
    name, *args = step
    if name == "ask":
        who, category = args
        return floor_ops.request_floor(
            state,
            RULES,
            now,
            participant_id=who,
            name=f"P{who}",
            delegation="D",
            category=category,
            mode=MODES[category],
        )
    if name == "add":
        n, category = args
        return floor_ops.request_floor(
            state,
            RULES,
            now,
            participant_id=None,
            name=f"Added {n}",
            delegation="D",
            category=category,
            mode=MODES[category],
            by_organiser=True,
        )
    if name == "withdraw":
        return floor_ops.withdraw(state, args[0])
    if name == "remove":
        return floor_ops.remove(state, args[0])
    if name == "move":
        return floor_ops.move(state, args[0], args[1])
    if name == "start":
        return floor_ops.start(state, RULES, now, confirmed=args[0])
    if name == "end":
        return floor_ops.end(state, RULES, now)
    if name == "pause":
        return floor_ops.pause(state, now)
    if name == "resume":
        return floor_ops.resume(state, RULES, now)
    if name == "skip":
        return floor_ops.skip(state, RULES, now)
    if name == "open":
        return floor_ops.set_open(state, args[0])
    current = state.current
    return floor_ops.timer_fired(state, RULES, now, current.id if current else 0, args[0])


def check_invariants(state: FloorState, now: datetime, observed: dict[int, float]) -> None:
    current = [r for r in state.requests if r.is_current]
    assert len(current) <= 1
    waiting = state.waiting
    assert sorted(r.position or 0 for r in waiting) == list(range(1, len(waiting) + 1))
    assert all(r.position is None for r in state.requests if r.state != RequestState.WAITING)
    people = [r.participant_id for r in waiting if r.participant_id is not None]
    assert len(people) == len(set(people))
    used = budget_used(state, now)
    assert abs(used - sum(observed.values())) < 1e-6
    assert abs(budget_left(state, RULES, now) + used - RULES.remote_budget_seconds) < 1e-6
    assert len({r.id for r in state.requests}) == len(state.requests)


@settings(max_examples=300, deadline=None)
@given(steps)
def test_invariants_hold_under_any_sequence_of_actions(plan: list[tuple[tuple, int]]) -> None:
    state = FloorState()
    now = T0
    observed: dict[int, float] = {}  # remote speaking time seen from outside, per request
    for step, advance_ms in plan:
        speaker = state.current
        if speaker is not None and speaker.state == RequestState.SPEAKING and speaker.remote:
            observed[speaker.id] = observed.get(speaker.id, 0.0) + advance_ms / 1000
        now += timedelta(milliseconds=advance_ms)
        check_invariants(state, now, observed)
        before = state
        try:
            result = apply(state, step, now)
        except FloorError:
            continue
        state = result.state
        if step[0] == "skip" and before.current is not None:
            observed.pop(before.current.id, None)  # a skipped speaker was not there
        for event in result.events:
            if isinstance(event, FloorGiven) and event.request.remote and not event.over_budget:
                assert event.budget_before is not None
                assert event.limit_seconds <= event.budget_before
        check_invariants(state, now, observed)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 8), st.sampled_from(CATEGORIES)), max_size=20))
def test_without_reordering_the_list_follows_priority_then_arrival(
    asks: list[tuple[int, str]],
) -> None:
    state = FloorState()
    for t, (who, category) in enumerate(asks):
        try:
            state = floor_ops.request_floor(
                state,
                RULES,
                T0 + timedelta(seconds=t),
                participant_id=who,
                name="P",
                delegation="D",
                category=category,
                mode=MODES[category],
            ).state
        except FloorError as error:
            assert error.code == "already_waiting"
    rank = {c: i for i, c in enumerate((*RULES.priority, Category.PANELIST))}
    keys = [(rank[r.category], r.requested_at, r.id) for r in state.waiting]
    assert keys == sorted(keys)
