"""The floor queue's rules, driven with a fake clock (plain datetimes that we advance)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain import floor_ops
from bot.domain.floor_events import (
    CancelTimers,
    ConfirmationNeeded,
    Ended,
    Event,
    FloorGiven,
    HeadsUp,
    ListChanged,
    Moved,
    Paused,
    Requested,
    Resumed,
    ScheduleTimer,
    Skipped,
    TimeUp,
    Warned,
    Withdrawn,
)
from bot.domain.floor_model import (
    FloorError,
    FloorState,
    RequestState,
    TimerKind,
    budget_left,
    budget_used,
    category_for,
    estimated_wait,
    status,
)
from bot.domain.floor_rules import Category, FloorRules

RULES = FloorRules()  # in_room 10 min, remote_high_level 7, remote 5, budget 30, warn 60 s
T0 = datetime(2023, 3, 29, 13, 0, tzinfo=UTC)
MODE = {
    Category.IN_ROOM: "room",
    Category.PANELIST: "room",
    Category.REMOTE_HIGH_LEVEL: "remote",
    Category.REMOTE: "remote",
}


def at(seconds: float) -> datetime:
    """The fake clock: T0 plus some seconds."""
    return T0 + timedelta(seconds=seconds)


def ask(
    state: FloorState,
    who: int | None,
    category: str,
    t: float = 0,
    rules: FloorRules = RULES,
    name: str | None = None,
    by_organiser: bool = False,
) -> FloorState:
    """Participant `who` asks for the floor at time t."""
    return floor_ops.request_floor(
        state,
        rules,
        at(t),
        participant_id=who,
        name=name or f"P{who}",
        delegation=f"D{who}",
        category=category,
        mode=MODE[category],
        topic="",
        by_organiser=by_organiser,
    ).state


def order(state: FloorState) -> list[int | None]:
    """Participant ids of the waiting list in speaking order."""
    return [r.participant_id for r in state.waiting]


def of_type(events: tuple[Event, ...], kind: type) -> list:
    return [e for e in events if isinstance(e, kind)]


def error_code(action) -> str:
    with pytest.raises(FloorError) as info:
        action()
    return info.value.code


def speak(
    state: FloorState, who_first: int, t_start: float, seconds: float, rules: FloorRules = RULES
) -> FloorState:
    """Start the head of the list at t_start (confirming) and end it `seconds` later."""
    assert state.waiting[0].participant_id == who_first
    state = floor_ops.start(state, rules, at(t_start), confirmed=True).state
    return floor_ops.end(state, rules, at(t_start + seconds)).state


# ---- categories ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "roles", "expected"),
    [
        ("room", [], Category.IN_ROOM),
        ("room", ["high_level"], Category.IN_ROOM),
        ("remote", [], Category.REMOTE),
        ("remote", ["high_level"], Category.REMOTE_HIGH_LEVEL),
        ("remote", ["panelist"], Category.PANELIST),
        ("room", ["panelist", "high_level"], Category.PANELIST),
    ],
)
def test_category_comes_from_mode_and_roles(mode: str, roles: list[str], expected: str) -> None:
    assert category_for(mode, roles) == expected


def test_category_needs_a_known_mode() -> None:
    assert error_code(lambda: category_for(None, [])) == "mode_unknown"
    assert error_code(lambda: category_for("mars", ["high_level"])) == "mode_unknown"


# ---- insertion order ----------------------------------------------------------------------


def test_requests_are_ordered_by_category_priority_then_first_come() -> None:
    state = FloorState()
    for t, (who, category) in enumerate(
        [
            (1, Category.REMOTE),
            (2, Category.IN_ROOM),
            (3, Category.REMOTE_HIGH_LEVEL),
            (4, Category.IN_ROOM),
            (5, Category.REMOTE),
            (6, Category.REMOTE_HIGH_LEVEL),
        ]
    ):
        state = ask(state, who, category, t)
    assert order(state) == [2, 4, 3, 6, 1, 5]
    assert [r.position for r in state.waiting] == [1, 2, 3, 4, 5, 6]


def test_requests_at_the_same_moment_keep_arrival_order() -> None:
    state = FloorState()
    for who in (7, 3, 9):
        state = ask(state, who, Category.IN_ROOM, t=0)
    assert order(state) == [7, 3, 9]


def test_configured_priority_is_followed() -> None:
    rules = FloorRules(priority=(Category.REMOTE_HIGH_LEVEL, Category.REMOTE, Category.IN_ROOM))
    state = FloorState()
    for t, (who, category) in enumerate(
        [(1, Category.IN_ROOM), (2, Category.REMOTE), (3, Category.REMOTE_HIGH_LEVEL)]
    ):
        state = ask(state, who, category, t, rules=rules)
    assert order(state) == [3, 2, 1]


def test_category_missing_from_priority_comes_last() -> None:
    state = ask(FloorState(), 1, Category.PANELIST)
    state = ask(state, 2, Category.REMOTE, 1)
    state = ask(state, 3, Category.IN_ROOM, 2)
    assert order(state) == [3, 2, 1]


def test_request_reports_position_people_ahead_and_estimated_wait() -> None:
    state = ask(FloorState(), 1, Category.IN_ROOM)
    state = ask(state, 2, Category.REMOTE_HIGH_LEVEL, 1)
    result = floor_ops.request_floor(
        state,
        RULES,
        at(2),
        participant_id=3,
        name="C",
        delegation="Chile",
        category=Category.REMOTE,
        mode="remote",
        topic="data",
    )
    (event,) = of_type(result.events, Requested)
    assert (event.position, event.ahead) == (3, 2)
    assert event.wait_seconds == 600 + 420
    assert event.request.topic == "data"


def test_estimated_wait_counts_the_current_speakers_time_left_and_the_budget() -> None:
    rules = FloorRules(remote_budget_minutes=10)
    state = ask(FloorState(), 1, Category.REMOTE_HIGH_LEVEL, rules=rules)
    state = ask(state, 2, Category.REMOTE_HIGH_LEVEL, 1, rules=rules)
    state = ask(state, 3, Category.REMOTE, 2, rules=rules)
    state = floor_ops.start(state, rules, at(10)).state
    # at 70 s: speaker 1 has 360 s left; 2 can only get what remains of 600 - 420 = 180 s
    assert estimated_wait(state, rules, at(70), 1) == 360
    assert estimated_wait(state, rules, at(70), 2) == 360 + 180


def test_fractional_minutes_give_fractional_limits() -> None:
    rules = FloorRules(
        minutes={
            Category.IN_ROOM: 0.05,
            Category.REMOTE_HIGH_LEVEL: 0.05,
            Category.REMOTE: 0.05,
            Category.PANELIST: 0.1,
        },
        warn_before_seconds=1,
    )
    state = ask(FloorState(), 1, Category.IN_ROOM, rules=rules)
    result = floor_ops.start(state, rules, at(0))
    (given,) = of_type(result.events, FloorGiven)
    assert given.limit_seconds == pytest.approx(3.0)
    timers = of_type(result.events, ScheduleTimer)
    assert [(t.kind, t.at) for t in timers] == [
        (TimerKind.WARNING, at(2)),
        (TimerKind.TIME_UP, at(3)),
    ]


# ---- duplicates, closed list, withdraw, remove ------------------------------------------


def test_one_waiting_request_per_person() -> None:
    state = ask(FloorState(), 1, Category.IN_ROOM)
    assert error_code(lambda: ask(state, 1, Category.IN_ROOM, 5)) == "already_waiting"
    assert len(state.requests) == 1


def test_the_current_speaker_cannot_ask_again_until_done() -> None:
    state = floor_ops.start(ask(FloorState(), 1, Category.IN_ROOM), RULES, at(0)).state
    assert error_code(lambda: ask(state, 1, Category.IN_ROOM, 5)) == "already_speaking"


def test_person_can_ask_again_after_speaking() -> None:
    state = speak(ask(FloorState(), 1, Category.IN_ROOM), 1, 0, 30)
    state = ask(state, 1, Category.IN_ROOM, 40)
    assert order(state) == [1]
    assert [r.state for r in state.requests] == [RequestState.FINISHED, RequestState.WAITING]


def test_added_people_without_telegram_are_deduplicated_by_name_and_delegation() -> None:
    state = ask(FloorState(), None, Category.IN_ROOM, name="Ana", by_organiser=True)
    assert error_code(
        lambda: ask(state, None, Category.IN_ROOM, name="ANA", by_organiser=True)
    ) == ("already_waiting")
    state = floor_ops.request_floor(
        state,
        RULES,
        at(1),
        participant_id=None,
        name="Ana",
        delegation="Other",
        category=Category.IN_ROOM,
        mode="room",
        by_organiser=True,
    ).state
    assert len(state.waiting) == 2


def test_closed_list_refuses_participants_but_not_organisers() -> None:
    state = floor_ops.set_open(FloorState(), False).state
    assert not state.is_open
    assert error_code(lambda: ask(state, 1, Category.IN_ROOM)) == "list_closed"
    state = ask(state, None, Category.IN_ROOM, name="Added", by_organiser=True)
    assert len(state.waiting) == 1
    result = floor_ops.set_open(state, True)
    assert result.events == (ListChanged(True),)
    assert order(ask(result.state, 1, Category.IN_ROOM)) == [None, 1]


@pytest.mark.parametrize(("is_open", "code"), [(True, "already_open"), (False, "already_closed")])
def test_opening_or_closing_twice_is_refused(is_open: bool, code: str) -> None:
    state = FloorState(is_open=is_open)
    assert error_code(lambda: floor_ops.set_open(state, is_open)) == code


def test_withdraw_removes_the_request_and_closes_the_gap() -> None:
    state = FloorState()
    for who in (1, 2, 3):
        state = ask(state, who, Category.IN_ROOM, who)
    result = floor_ops.withdraw(state, 2)
    assert order(result.state) == [1, 3]
    assert [r.position for r in result.state.waiting] == [1, 2]
    assert result.state.get(2).state == RequestState.WITHDRAWN
    assert of_type(result.events, Withdrawn)[0].by_organiser is False


def test_withdraw_without_a_waiting_request_is_refused() -> None:
    assert error_code(lambda: floor_ops.withdraw(FloorState(), 1)) == "not_waiting"
    state = floor_ops.start(ask(FloorState(), 1, Category.IN_ROOM), RULES, at(1)).state
    assert error_code(lambda: floor_ops.withdraw(state, 1)) == "not_waiting"


def test_withdrawn_participant_can_ask_again_at_the_end() -> None:
    state = ask(ask(FloorState(), 1, Category.IN_ROOM), 2, Category.IN_ROOM, 1)
    state = floor_ops.withdraw(state, 1).state
    assert order(ask(state, 1, Category.IN_ROOM, 2)) == [2, 1]


def test_organiser_removes_by_position() -> None:
    state = FloorState()
    for who in (1, 2, 3):
        state = ask(state, who, Category.IN_ROOM, who)
    result = floor_ops.remove(state, 3)
    assert order(result.state) == [1, 2]
    assert of_type(result.events, Withdrawn)[0].by_organiser is True


@pytest.mark.parametrize("position", [0, 3, -1])
def test_bad_positions_are_refused_and_change_nothing(position: int) -> None:
    state = ask(ask(FloorState(), 1, Category.IN_ROOM), 2, Category.IN_ROOM, 1)
    assert error_code(lambda: floor_ops.remove(state, position)) == "bad_position"
    assert error_code(lambda: floor_ops.move(state, position, 1)) == "bad_position"
    assert error_code(lambda: floor_ops.move(state, 1, position)) == "bad_position"
    assert order(state) == [1, 2]


# ---- reorder ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [(3, 1, [3, 1, 2]), (1, 3, [2, 3, 1]), (2, 2, [1, 2, 3]), (1, 2, [2, 1, 3])],
)
def test_organiser_moves_a_request(source: int, target: int, expected: list[int]) -> None:
    state = FloorState()
    for who in (1, 2, 3):
        state = ask(state, who, Category.IN_ROOM, who)
    result = floor_ops.move(state, source, target)
    assert order(result.state) == expected
    assert [r.position for r in result.state.waiting] == [1, 2, 3]
    assert of_type(result.events, Moved)[0].to_position == target


def test_move_can_put_a_remote_request_before_the_room_and_new_requests_stay_fifo() -> None:
    state = ask(ask(FloorState(), 1, Category.IN_ROOM), 2, Category.REMOTE, 1)
    state = floor_ops.move(state, 2, 1).state
    assert order(state) == [2, 1]
    state = ask(state, 3, Category.IN_ROOM, 2)  # after the last in-room request, never ahead of it
    state = ask(state, 4, Category.REMOTE, 3)
    assert order(state) == [2, 1, 3, 4]


# ---- state guards -------------------------------------------------------------------------


def test_next_gives_the_floor_to_the_first_waiting() -> None:
    state = ask(ask(FloorState(), 1, Category.REMOTE), 2, Category.IN_ROOM, 1)
    result = floor_ops.start(state, RULES, at(10))
    (given,) = of_type(result.events, FloorGiven)
    assert given.request.participant_id == 2
    assert given.limit_seconds == 600
    assert given.ends_at == at(610)
    assert given.budget_before is None
    assert result.state.current is not None and result.state.current.state == RequestState.SPEAKING
    timers = of_type(result.events, ScheduleTimer)
    assert [(t.kind, t.at) for t in timers] == [
        (TimerKind.WARNING, at(550)),
        (TimerKind.TIME_UP, at(610)),
    ]
    assert order(result.state) == [1]
    assert result.state.waiting[0].position == 1


def test_start_on_an_empty_list_is_refused() -> None:
    assert error_code(lambda: floor_ops.start(FloorState(), RULES, at(0))) == "queue_empty"


def test_start_while_someone_speaks_is_refused() -> None:
    state = ask(ask(FloorState(), 1, Category.IN_ROOM), 2, Category.IN_ROOM, 1)
    state = floor_ops.start(state, RULES, at(5)).state
    assert error_code(lambda: floor_ops.start(state, RULES, at(6))) == "speaker_active"
    paused = floor_ops.pause(state, at(7)).state
    assert error_code(lambda: floor_ops.start(paused, RULES, at(8))) == "speaker_active"


@pytest.mark.parametrize("how", ["finished", "withdrawn", "skipped"])
def test_only_a_waiting_request_can_be_started(how: str) -> None:
    state = ask(FloorState(), 1, Category.IN_ROOM)
    if how == "finished":
        state = speak(state, 1, 1, 10)
    elif how == "withdrawn":
        state = floor_ops.withdraw(state, 1).state
    else:
        for t in (1, 2):
            state = floor_ops.skip(floor_ops.start(state, RULES, at(t)).state, RULES, at(t)).state
    request_id = state.requests[0].id
    assert error_code(lambda: floor_ops.start(state, RULES, at(20), request_id)) == "not_waiting"


def test_end_when_nobody_speaks_is_refused() -> None:
    assert error_code(lambda: floor_ops.end(FloorState(), RULES, at(0))) == "no_speaker"
    state = speak(ask(FloorState(), 1, Category.IN_ROOM), 1, 0, 10)
    assert error_code(lambda: floor_ops.end(state, RULES, at(11))) == "no_speaker"


def test_end_of_a_request_that_is_not_the_current_speaker_is_refused() -> None:
    state = ask(ask(FloorState(), 1, Category.IN_ROOM), 2, Category.IN_ROOM, 1)
    first = floor_ops.start(state, RULES, at(5)).state
    first_id = first.current.id if first.current else -1
    second = floor_ops.start(floor_ops.end(first, RULES, at(10)).state, RULES, at(11)).state
    # the same "done" button pressed again must not end the next speaker
    assert error_code(lambda: floor_ops.end(second, RULES, at(12), first_id)) == "not_current"
    assert second.current is not None and second.current.participant_id == 2


def test_pause_twice_is_refused() -> None:
    state = floor_ops.start(ask(FloorState(), 1, Category.IN_ROOM), RULES, at(0)).state
    state = floor_ops.pause(state, at(10)).state
    assert error_code(lambda: floor_ops.pause(state, at(11))) == "already_paused"


def test_resume_when_not_paused_is_refused() -> None:
    assert error_code(lambda: floor_ops.resume(FloorState(), RULES, at(0))) == "no_speaker"
    state = floor_ops.start(ask(FloorState(), 1, Category.IN_ROOM), RULES, at(0)).state
    assert error_code(lambda: floor_ops.resume(state, RULES, at(1))) == "not_paused"


def test_pause_without_a_speaker_is_refused() -> None:
    assert error_code(lambda: floor_ops.pause(FloorState(), at(0))) == "no_speaker"


def test_pause_stops_the_clock_and_resume_moves_the_timers() -> None:
    state = floor_ops.start(ask(FloorState(), 1, Category.IN_ROOM), RULES, at(0)).state
    paused = floor_ops.pause(state, at(100))
    assert paused.events == (
        CancelTimers(state.requests[0].id),
        Paused(paused.state.requests[0], 500.0),
    )
    current = paused.state.current
    assert current is not None and current.state == RequestState.PAUSED
    assert current.remaining_seconds(at(400)) == 500
    resumed = floor_ops.resume(paused.state, RULES, at(130))
    (event,) = of_type(resumed.events, Resumed)
    assert event.ends_at == at(630)
    timers = of_type(resumed.events, ScheduleTimer)
    assert [(t.kind, t.at) for t in timers] == [
        (TimerKind.WARNING, at(570)),
        (TimerKind.TIME_UP, at(630)),
    ]


def test_ending_while_paused_counts_the_pause_as_paused_time() -> None:
    state = floor_ops.start(ask(FloorState(), 1, Category.REMOTE), RULES, at(0)).state
    state = floor_ops.pause(state, at(60)).state
    result = floor_ops.end(state, RULES, at(90))
    (ended,) = of_type(result.events, Ended)
    assert ended.spoken_seconds == 60
    assert ended.request.paused_seconds == 30
    assert ended.request.state == RequestState.FINISHED
    assert budget_used(result.state, at(500)) == 60


# ---- remote budget ------------------------------------------------------------------------


def test_remote_speaking_time_is_charged_to_the_budget() -> None:
    state = speak(ask(FloorState(), 1, Category.REMOTE), 1, 0, 250)
    assert budget_left(state, RULES, at(1000)) == 1800 - 250


def test_room_speaking_time_is_not_charged() -> None:
    state = speak(ask(FloorState(), 1, Category.IN_ROOM), 1, 0, 700)
    assert budget_left(state, RULES, at(1000)) == 1800


def test_a_remote_panelist_is_charged_too() -> None:
    state = floor_ops.request_floor(
        FloorState(),
        RULES,
        at(0),
        participant_id=1,
        name="P",
        delegation="D",
        category=Category.PANELIST,
        mode="remote",
    ).state
    state = floor_ops.end(floor_ops.start(state, RULES, at(0)).state, RULES, at(100)).state
    assert budget_used(state, at(200)) == 100


def test_pauses_are_not_charged_to_the_budget() -> None:
    state = floor_ops.start(ask(FloorState(), 1, Category.REMOTE_HIGH_LEVEL), RULES, at(0)).state
    state = floor_ops.pause(state, at(100)).state
    assert budget_left(state, RULES, at(100)) == 1700
    assert budget_left(state, RULES, at(150)) == 1700  # the budget stops with the clock
    state = floor_ops.resume(state, RULES, at(150)).state
    assert budget_left(state, RULES, at(160)) == 1690
    state = floor_ops.pause(state, at(200)).state
    state = floor_ops.resume(state, RULES, at(205)).state
    result = floor_ops.end(state, RULES, at(210))
    (ended,) = of_type(result.events, Ended)
    assert ended.spoken_seconds == 155
    assert ended.request.paused_seconds == 55
    assert ended.budget_after == 1800 - 155


def test_budget_is_shown_to_the_chair_when_a_remote_speaker_is_called() -> None:
    state = speak(ask(FloorState(), 1, Category.REMOTE), 1, 0, 100)
    state = ask(state, 2, Category.REMOTE_HIGH_LEVEL, 150)
    (given,) = of_type(floor_ops.start(state, RULES, at(200)).events, FloorGiven)
    assert given.budget_before == 1700
    assert given.over_budget is False


@pytest.mark.parametrize(
    ("spent", "needs_confirmation", "limit"),
    [
        (1379, False, 420),  # 421 s left: above 7 minutes
        (1380, False, 420),  # exactly 7 minutes left: a full slot
        (1381, True, 419),  # below: the chair must confirm; the slot is what is left
    ],
)
def test_remote_high_level_slot_around_seven_minutes_left(
    spent: int, needs_confirmation: bool, limit: int
) -> None:
    state = speak(ask(FloorState(), 1, Category.REMOTE_HIGH_LEVEL), 1, 0, spent)
    state = ask(state, 2, Category.REMOTE_HIGH_LEVEL, spent + 1)
    result = floor_ops.start(state, RULES, at(2000))
    if needs_confirmation:
        assert result.events == (ConfirmationNeeded(state.waiting[0], 1800 - spent, 420.0),)
        assert result.state == state
        result = floor_ops.start(state, RULES, at(2000), state.waiting[0].id, confirmed=True)
    (given,) = of_type(result.events, FloorGiven)
    assert given.limit_seconds == limit
    assert given.over_budget is needs_confirmation


def test_budget_goes_negative_on_overrun_and_then_needs_confirmation() -> None:
    state = speak(ask(FloorState(), 1, Category.REMOTE), 1, 0, 1500)  # 300 s left
    state = ask(state, 2, Category.REMOTE_HIGH_LEVEL, 1600)
    confirm = floor_ops.start(state, RULES, at(1700))
    assert isinstance(confirm.events[0], ConfirmationNeeded)
    result = floor_ops.start(state, RULES, at(1700), confirmed=True)
    assert of_type(result.events, FloorGiven)[0].limit_seconds == 300
    result = floor_ops.end(result.state, RULES, at(1700 + 400))
    (ended,) = of_type(result.events, Ended)
    assert ended.overrun_seconds == 100
    assert ended.budget_after == -100
    state = ask(result.state, 3, Category.REMOTE, 2200)
    confirm = floor_ops.start(state, RULES, at(2300))
    assert confirm.events == (ConfirmationNeeded(state.waiting[0], -100.0, 300.0),)
    given = of_type(floor_ops.start(state, RULES, at(2300), confirmed=True).events, FloorGiven)[0]
    assert given.limit_seconds == 300  # a spent budget: the chair's override grants the category
    assert given.over_budget is True
    assert given.budget_before == -100


def test_exactly_spent_budget_needs_confirmation() -> None:
    state = speak(ask(FloorState(), 1, Category.REMOTE), 1, 0, 1800)
    state = ask(state, 2, Category.REMOTE, 1900)
    result = floor_ops.start(state, RULES, at(2000))
    assert result.events == (ConfirmationNeeded(state.waiting[0], 0.0, 300.0),)


def test_budget_is_exact_to_the_microsecond() -> None:
    state = floor_ops.start(ask(FloorState(), 1, Category.REMOTE), RULES, at(0)).state
    state = floor_ops.pause(state, at(10.25)).state
    state = floor_ops.resume(state, RULES, at(11.5)).state
    state = floor_ops.end(state, RULES, at(20.125)).state
    assert budget_used(state, at(99)) == pytest.approx(18.875, abs=1e-6)


# ---- skip ---------------------------------------------------------------------------------


def test_skip_sends_the_speaker_to_the_end_of_their_category() -> None:
    state = FloorState()
    for t, (who, category) in enumerate(
        [(1, Category.IN_ROOM), (2, Category.IN_ROOM), (3, Category.REMOTE)]
    ):
        state = ask(state, who, category, t)
    state = floor_ops.start(state, RULES, at(10)).state
    result = floor_ops.skip(state, RULES, at(20))
    assert order(result.state) == [2, 1, 3]
    skipped = result.state.get(state.requests[0].id)
    assert (skipped.state, skipped.skips, skipped.started_at) == (RequestState.WAITING, 1, None)
    assert result.events[0] == CancelTimers(skipped.id)
    assert of_type(result.events, Skipped)[0].absent is False
    assert result.state.current is None


def test_second_skip_marks_the_speaker_absent() -> None:
    state = ask(FloorState(), 1, Category.REMOTE)
    state = floor_ops.skip(floor_ops.start(state, RULES, at(0)).state, RULES, at(5)).state
    state = floor_ops.skip(floor_ops.start(state, RULES, at(10)).state, RULES, at(15)).state
    request = state.requests[0]
    assert (request.state, request.skips, request.position) == (RequestState.SKIPPED, 2, None)
    assert state.waiting == ()
    assert budget_used(state, at(100)) == 0  # nobody spoke


def test_skip_without_a_called_speaker_is_refused() -> None:
    state = ask(FloorState(), 1, Category.IN_ROOM)
    assert error_code(lambda: floor_ops.skip(state, RULES, at(0))) == "no_speaker"


# ---- heads-up and timers ------------------------------------------------------------------


def test_next_in_line_gets_a_heads_up_once() -> None:
    state = ask(ask(FloorState(), 1, Category.IN_ROOM), 2, Category.IN_ROOM, 1)
    result = floor_ops.start(state, RULES, at(5))
    (heads_up,) = of_type(result.events, HeadsUp)
    assert heads_up.request.participant_id == 2
    later = ask(result.state, 3, Category.IN_ROOM, 6)
    result = floor_ops.move(later, 1, 2)  # 3 is now first and has not been told
    assert [e.request.participant_id for e in of_type(result.events, HeadsUp)] == [3]
    result = floor_ops.move(result.state, 1, 2)  # 2 is first again but already knows
    assert of_type(result.events, HeadsUp) == []


def test_first_request_while_someone_speaks_gets_a_heads_up() -> None:
    state = floor_ops.start(ask(FloorState(), 1, Category.IN_ROOM), RULES, at(0)).state
    result = floor_ops.request_floor(
        state,
        RULES,
        at(1),
        participant_id=2,
        name="B",
        delegation="D",
        category=Category.REMOTE,
        mode="remote",
    )
    assert [type(e) for e in result.events] == [Requested, HeadsUp]


def test_warning_and_time_up_fire_once_and_count_the_overrun() -> None:
    state = floor_ops.start(ask(FloorState(), 1, Category.IN_ROOM), RULES, at(0)).state
    rid = state.requests[0].id
    assert (
        floor_ops.timer_fired(state, RULES, at(500), rid, TimerKind.WARNING).events == ()
    )  # too early
    warned = floor_ops.timer_fired(state, RULES, at(540), rid, TimerKind.WARNING)
    assert [type(e) for e in warned.events] == [Warned]
    assert floor_ops.timer_fired(warned.state, RULES, at(541), rid, TimerKind.WARNING).events == ()
    up = floor_ops.timer_fired(warned.state, RULES, at(602), rid, TimerKind.TIME_UP)
    (time_up,) = of_type(up.events, TimeUp)
    assert time_up.overrun_seconds == 2
    assert floor_ops.timer_fired(up.state, RULES, at(603), rid, TimerKind.TIME_UP).events == ()
    (ended,) = of_type(floor_ops.end(up.state, RULES, at(645)).events, Ended)
    assert ended.overrun_seconds == 45


def test_stale_timers_are_ignored() -> None:
    state = floor_ops.start(ask(FloorState(), 1, Category.IN_ROOM), RULES, at(0)).state
    rid = state.requests[0].id
    paused = floor_ops.pause(state, at(300)).state
    assert floor_ops.timer_fired(paused, RULES, at(600), rid, TimerKind.TIME_UP).events == ()
    resumed = floor_ops.resume(paused, RULES, at(400)).state
    assert (
        floor_ops.timer_fired(resumed, RULES, at(600), rid, TimerKind.TIME_UP).events == ()
    )  # old job
    assert floor_ops.timer_fired(resumed, RULES, at(700), rid + 1, TimerKind.TIME_UP).events == ()
    assert len(floor_ops.timer_fired(resumed, RULES, at(700), rid, TimerKind.TIME_UP).events) == 1


def test_no_warning_when_the_slot_is_shorter_than_the_warning() -> None:
    state = speak(ask(FloorState(), 1, Category.REMOTE), 1, 0, 1770)  # 30 s left
    state = ask(state, 2, Category.REMOTE, 1800)
    result = floor_ops.start(state, RULES, at(1900), confirmed=True)
    timers = of_type(result.events, ScheduleTimer)
    assert [(t.kind, t.at) for t in timers] == [(TimerKind.TIME_UP, at(1930))]


def test_pending_timers_after_a_restart_mid_intervention() -> None:
    state = floor_ops.start(ask(FloorState(), 1, Category.IN_ROOM), RULES, at(0)).state
    state = floor_ops.resume(floor_ops.pause(state, at(100)).state, RULES, at(160)).state
    rid = state.requests[0].id
    timers = floor_ops.pending_timers(state, RULES, at(300))
    assert timers == (
        ScheduleTimer(rid, TimerKind.WARNING, at(600)),
        ScheduleTimer(rid, TimerKind.TIME_UP, at(660)),
    )
    # warning moment passed while the bot was down: warn now
    late = floor_ops.pending_timers(state, RULES, at(620))
    assert late == (
        ScheduleTimer(rid, TimerKind.WARNING, at(620)),
        ScheduleTimer(rid, TimerKind.TIME_UP, at(660)),
    )
    # both passed: only the time-up, now
    assert floor_ops.pending_timers(state, RULES, at(700)) == (
        ScheduleTimer(rid, TimerKind.TIME_UP, at(700)),
    )
    warned = floor_ops.timer_fired(state, RULES, at(600), rid, TimerKind.WARNING).state
    assert floor_ops.pending_timers(warned, RULES, at(610)) == (
        ScheduleTimer(rid, TimerKind.TIME_UP, at(660)),
    )
    assert floor_ops.pending_timers(floor_ops.pause(state, at(200)).state, RULES, at(300)) == ()
    assert floor_ops.pending_timers(FloorState(), RULES, at(0)) == ()


# ---- status -------------------------------------------------------------------------------


def test_status_shows_speaker_time_left_budget_and_next_three() -> None:
    state = FloorState()
    for who in range(1, 6):
        state = ask(state, who, Category.REMOTE, who)
    state = floor_ops.start(state, RULES, at(10)).state
    view = status(state, RULES, at(70))
    assert view.current is not None and view.current.participant_id == 1
    assert view.remaining_seconds == 240
    assert view.budget_seconds == 1740
    assert [r.participant_id for r in view.next_up] == [2, 3, 4]
    assert view.waiting_count == 4
    assert view.is_open
