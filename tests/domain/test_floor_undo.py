"""Undo of the chair's last floor action, driven with a fake clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain import floor_ops
from bot.domain.floor_events import (
    CancelTimers,
    Event,
    HeadsUp,
    ListChanged,
    Result,
    ScheduleTimer,
    Undone,
)
from bot.domain.floor_model import (
    ChairAction,
    FloorError,
    FloorState,
    Mode,
    RequestState,
    TimerKind,
    budget_left,
)
from bot.domain.floor_rules import Category, FloorRules
from bot.domain.floor_undo import ActionRecord, record_of, undo

RULES = FloorRules()  # in_room 10 min, remote 5, budget 30 min, warning 60 s before the end
T0 = datetime(2023, 3, 29, 13, 0, tzinfo=UTC)
CHAIR = 900


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def ask(state: FloorState, who: int, category: Category = Category.IN_ROOM,
        t: float = 0) -> FloorState:
    mode = Mode.REMOTE if category in (Category.REMOTE, Category.REMOTE_HIGH_LEVEL) else Mode.ROOM
    return floor_ops.request_floor(state, RULES, at(t), participant_id=who, name=f"P{who}",
                                   delegation=f"D{who}", category=category, mode=mode).state


def act(state: FloorState, action: ChairAction, t: float,
        decide: Callable[[FloorState], Result], action_id: int = 1
        ) -> tuple[FloorState, ActionRecord]:
    """Apply a chair action at time t; return the new state and the action's record."""
    after = decide(state).state
    record = record_of(action_id, action, CHAIR, at(t), state, after)
    assert record is not None
    return after, record


def of_type(events: tuple[Event, ...], kind: type) -> list[Event]:
    return [e for e in events if isinstance(e, kind)]


def refusal(action: Callable[[], object]) -> str:
    with pytest.raises(FloorError) as info:
        action()
    return info.value.code


def three_waiting() -> FloorState:
    return ask(ask(ask(FloorState(), 1, t=1), 2, t=2), 3, Category.REMOTE, t=3)


# ---- the record ---------------------------------------------------------------------------


def test_the_record_holds_only_the_requests_the_action_changed() -> None:
    state = floor_ops.start(three_waiting(), RULES, at(10)).state
    after, record = act(state, ChairAction.DONE, 100,
                        lambda s: floor_ops.end(s, RULES, at(100)))
    assert [r.id for r in record.after] == [1]
    assert record.before == (state.get(1),)
    assert record.after == (after.get(1),)
    assert (record.id, record.action, record.actor_id, record.at) == (
        1, ChairAction.DONE, CHAIR, at(100))
    assert (record.was_open, record.is_open) == (True, True)


def test_an_action_that_changed_nothing_leaves_no_record() -> None:
    state = three_waiting()
    assert record_of(1, ChairAction.MOVE, CHAIR, at(5), state, state) is None


def test_a_created_request_has_no_before() -> None:
    state = three_waiting()
    after = floor_ops.request_floor(state, RULES, at(5), participant_id=None, name="Ana",
                                    delegation="Brazil", category=Category.IN_ROOM,
                                    mode=Mode.ROOM, by_organiser=True).state
    record = record_of(4, ChairAction.ADD, CHAIR, at(5), state, after)
    assert record is not None
    # Ana goes before the remote P3, who moves down: P3 has a before, Ana has none
    assert [r.participant_id for r in record.before] == [3]
    assert [r.name for r in record.after] == ["P3", "Ana"]


def test_closing_the_list_is_recorded_without_requests() -> None:
    state = three_waiting()
    record = record_of(2, ChairAction.CLOSE, CHAIR, at(5), state,
                       floor_ops.set_open(state, False).state)
    assert record is not None
    assert (record.before, record.after, record.was_open, record.is_open) == ((), (), True, False)


# ---- undoing each action ------------------------------------------------------------------


def test_undoing_done_gives_the_floor_back_with_the_time_already_spoken() -> None:
    state = floor_ops.start(three_waiting(), RULES, at(10)).state
    ended, record = act(state, ChairAction.DONE, 130,
                        lambda s: floor_ops.end(s, RULES, at(130)))
    result = undo(ended, RULES, at(150), record)
    speaker = result.state.current
    assert speaker is not None and speaker.id == 1
    assert speaker.state == RequestState.SPEAKING
    assert speaker.ended_at is None
    # 120 s spoken before the /done; the 20 s until the undo are not counted
    assert speaker.spoken_seconds(at(150)) == 120
    assert speaker.remaining_seconds(at(150)) == 480
    assert of_type(result.events, Undone) == [Undone(ChairAction.DONE, 1, (speaker,))]
    assert of_type(result.events, ScheduleTimer) == [
        ScheduleTimer(1, TimerKind.WARNING, at(150 + 420)),
        ScheduleTimer(1, TimerKind.TIME_UP, at(150 + 480)),
    ]
    assert of_type(result.events, CancelTimers) == []
    assert [r.participant_id for r in result.state.waiting] == [2, 3]


def test_undoing_done_restores_the_remote_budget_as_it_was_at_the_done() -> None:
    state = floor_ops.start(ask(FloorState(), 7, Category.REMOTE), RULES, at(0)).state
    ended, record = act(state, ChairAction.DONE, 200,
                        lambda s: floor_ops.end(s, RULES, at(200)))
    assert budget_left(ended, RULES, at(200)) == 1800 - 200
    restored = undo(ended, RULES, at(260), record).state
    assert budget_left(restored, RULES, at(260)) == 1800 - 200
    assert budget_left(restored, RULES, at(300)) == 1800 - 240  # and it runs again


def test_undoing_done_of_a_paused_speaker_keeps_them_paused() -> None:
    state = floor_ops.start(three_waiting(), RULES, at(0)).state
    state = floor_ops.pause(state, at(100)).state
    ended, record = act(state, ChairAction.DONE, 150,
                        lambda s: floor_ops.end(s, RULES, at(150)))
    result = undo(ended, RULES, at(170), record)
    speaker = result.state.current
    assert speaker is not None and speaker.state == RequestState.PAUSED
    assert speaker.paused_at == at(100)
    assert speaker.spoken_seconds(at(170)) == 100
    assert of_type(result.events, ScheduleTimer) == []


def test_undoing_done_after_the_time_was_up_schedules_no_second_time_up() -> None:
    state = floor_ops.start(three_waiting(), RULES, at(0)).state
    state = floor_ops.timer_fired(state, RULES, at(600), 1, TimerKind.TIME_UP).state
    ended, record = act(state, ChairAction.DONE, 630,
                        lambda s: floor_ops.end(s, RULES, at(630)))
    result = undo(ended, RULES, at(640), record)
    speaker = result.state.current
    assert speaker is not None and speaker.timed_up
    assert speaker.remaining_seconds(at(640)) == -30
    assert of_type(result.events, ScheduleTimer) == []


def test_undoing_next_puts_the_called_request_back_in_its_place() -> None:
    state = three_waiting()
    called, record = act(state, ChairAction.NEXT, 10, lambda s: floor_ops.start(s, RULES, at(10)))
    result = undo(called, RULES, at(25), record)
    assert result.state.current is None
    assert [(r.participant_id, r.position) for r in result.state.waiting] == [
        (1, 1), (2, 2), (3, 3)]
    back = result.state.get(1)
    assert (back.state, back.started_at, back.limit_seconds) == (RequestState.WAITING, None, None)
    assert of_type(result.events, CancelTimers) == [CancelTimers(1)]
    assert of_type(result.events, Undone) == [Undone(ChairAction.NEXT, 1, (back,))]
    assert of_type(result.events, ScheduleTimer) == []
    assert result.state.requests == state.requests


def test_undoing_next_of_a_remote_speaker_charges_nothing_to_the_budget() -> None:
    state = ask(FloorState(), 7, Category.REMOTE)
    called, record = act(state, ChairAction.NEXT, 0, lambda s: floor_ops.start(s, RULES, at(0)))
    restored = undo(called, RULES, at(40), record).state
    assert budget_left(restored, RULES, at(40)) == 1800


def test_undoing_next_keeps_a_request_made_meanwhile() -> None:
    state = three_waiting()
    called, record = act(state, ChairAction.NEXT, 10, lambda s: floor_ops.start(s, RULES, at(10)))
    called = ask(called, 4, t=15)  # in the room: after 2, before the remote 3
    result = undo(called, RULES, at(20), record)
    assert [(r.participant_id, r.position) for r in result.state.waiting] == [
        (1, 1), (2, 2), (4, 3), (3, 4)]


def test_undoing_next_ignores_a_timer_that_fired_meanwhile() -> None:
    rules = FloorRules(minutes={Category.PANELIST: 1, Category.IN_ROOM: 1,
                                Category.REMOTE_HIGH_LEVEL: 1, Category.REMOTE: 1},
                       warn_before_seconds=30)
    state = ask(ask(FloorState(), 1), 2)
    called = floor_ops.start(state, rules, at(0)).state
    record = record_of(3, ChairAction.NEXT, CHAIR, at(0), state, called)
    assert record is not None
    warned = floor_ops.timer_fired(called, rules, at(30), 1, TimerKind.WARNING).state
    restored = undo(warned, rules, at(40), record).state
    assert restored.get(1).state == RequestState.WAITING
    assert not restored.get(1).warned


def test_undoing_next_keeps_a_floor_language_chosen_meanwhile() -> None:
    state = three_waiting()
    called, record = act(state, ChairAction.NEXT, 10, lambda s: floor_ops.start(s, RULES, at(10)))
    called = floor_ops.set_language(called, 2, "fr", participant_id=2).state
    restored = undo(called, RULES, at(20), record).state
    assert restored.get(2).language == "fr"
    assert restored.get(2).position == 2


def test_undoing_skip_gives_the_floor_back() -> None:
    state = floor_ops.start(three_waiting(), RULES, at(0)).state
    skipped, record = act(state, ChairAction.SKIP, 30,
                          lambda s: floor_ops.skip(s, RULES, at(30)))
    assert skipped.get(1).state == RequestState.WAITING
    result = undo(skipped, RULES, at(45), record)
    speaker = result.state.current
    assert speaker is not None and speaker.id == 1
    assert speaker.skips == 0
    assert speaker.spoken_seconds(at(45)) == 30
    assert [r.participant_id for r in result.state.waiting] == [2, 3]
    assert of_type(result.events, CancelTimers) == []
    assert len(of_type(result.events, ScheduleTimer)) == 2


def test_undoing_a_second_skip_brings_back_the_speaker_marked_absent() -> None:
    state = floor_ops.start(three_waiting(), RULES, at(0)).state
    state = floor_ops.skip(state, RULES, at(5)).state  # back in the list
    state = floor_ops.start(state, RULES, at(6), 1).state
    absent, record = act(state, ChairAction.SKIP, 8, lambda s: floor_ops.skip(s, RULES, at(8)))
    assert absent.get(1).state == RequestState.SKIPPED
    result = undo(absent, RULES, at(9), record)
    assert result.state.get(1).state == RequestState.SPEAKING
    assert result.state.get(1).skips == 1


def test_undoing_pause_runs_the_clock_again_without_counting_the_pause() -> None:
    state = floor_ops.start(three_waiting(), RULES, at(0)).state
    paused, record = act(state, ChairAction.PAUSE, 100, lambda s: floor_ops.pause(s, at(100)))
    result = undo(paused, RULES, at(130), record)
    speaker = result.state.current
    assert speaker is not None and speaker.state == RequestState.SPEAKING
    assert speaker.paused_at is None
    assert speaker.spoken_seconds(at(130)) == 100
    assert of_type(result.events, ScheduleTimer) == [
        ScheduleTimer(1, TimerKind.WARNING, at(130 + 440)),
        ScheduleTimer(1, TimerKind.TIME_UP, at(130 + 500)),
    ]


def test_undoing_resume_stops_the_clock_again_and_cancels_its_timers() -> None:
    state = floor_ops.start(three_waiting(), RULES, at(0)).state
    state = floor_ops.pause(state, at(100)).state
    resumed, record = act(state, ChairAction.RESUME, 160,
                          lambda s: floor_ops.resume(s, RULES, at(160)))
    result = undo(resumed, RULES, at(170), record)
    speaker = result.state.current
    assert speaker is not None and speaker.state == RequestState.PAUSED
    assert speaker.paused_at == at(100)
    assert speaker.spoken_seconds(at(170)) == 100
    assert of_type(result.events, CancelTimers) == [CancelTimers(1)]
    assert of_type(result.events, ScheduleTimer) == []


def test_undoing_remove_puts_the_request_back_in_its_place() -> None:
    state = three_waiting()
    removed, record = act(state, ChairAction.REMOVE, 5, lambda s: floor_ops.remove(s, 2))
    result = undo(removed, RULES, at(6), record)
    assert [(r.participant_id, r.position) for r in result.state.waiting] == [
        (1, 1), (2, 2), (3, 3)]
    assert of_type(result.events, Undone) == [
        Undone(ChairAction.REMOVE, 1, (result.state.get(2),))]


def test_undoing_move_restores_the_order() -> None:
    state = three_waiting()
    moved, record = act(state, ChairAction.MOVE, 5, lambda s: floor_ops.move(s, 3, 1))
    assert [r.participant_id for r in moved.waiting] == [3, 1, 2]
    result = undo(moved, RULES, at(6), record)
    assert [(r.participant_id, r.position) for r in result.state.waiting] == [
        (1, 1), (2, 2), (3, 3)]
    assert of_type(result.events, Undone) == [Undone(ChairAction.MOVE, 1, ())]


def test_undoing_add_withdraws_the_added_request() -> None:
    state = three_waiting()
    added, record = act(state, ChairAction.ADD, 5, lambda s: floor_ops.request_floor(
        s, RULES, at(5), participant_id=None, name="Ana", delegation="Brazil",
        category=Category.IN_ROOM, mode=Mode.ROOM, by_organiser=True))
    result = undo(added, RULES, at(6), record)
    assert result.state.get(4).state == RequestState.WITHDRAWN
    assert result.state.get(4).position is None
    assert [r.participant_id for r in result.state.waiting] == [1, 2, 3]


def test_undoing_close_opens_the_list_again() -> None:
    state = three_waiting()
    closed, record = act(state, ChairAction.CLOSE, 5, lambda s: floor_ops.set_open(s, False))
    result = undo(closed, RULES, at(6), record)
    assert result.state.is_open
    assert of_type(result.events, ListChanged) == [ListChanged(True)]
    assert of_type(result.events, Undone) == [Undone(ChairAction.CLOSE, 1, ())]


def test_the_next_in_line_is_told_again_when_a_speaker_is_back() -> None:
    state = ask(FloorState(), 1)
    state = floor_ops.start(state, RULES, at(0)).state
    ended, record = act(state, ChairAction.DONE, 60, lambda s: floor_ops.end(s, RULES, at(60)))
    ended = ask(ended, 2, t=61)  # asked while nobody had the floor: no heads-up yet
    result = undo(ended, RULES, at(62), record)
    assert of_type(result.events, HeadsUp) == [HeadsUp(result.state.get(2))]
    assert result.state.get(2).heads_up


# ---- refusals -----------------------------------------------------------------------------


def test_undo_is_refused_once_another_speaker_has_the_floor() -> None:
    state = floor_ops.start(three_waiting(), RULES, at(0)).state
    ended, record = act(state, ChairAction.DONE, 60, lambda s: floor_ops.end(s, RULES, at(60)))
    later = floor_ops.start(ended, RULES, at(70)).state
    assert refusal(lambda: undo(later, RULES, at(80), record)) == "undo_stale"


def test_undo_is_refused_when_the_same_request_changed_since() -> None:
    state = floor_ops.start(three_waiting(), RULES, at(0)).state
    paused, record = act(state, ChairAction.PAUSE, 60, lambda s: floor_ops.pause(s, at(60)))
    resumed = floor_ops.resume(paused, RULES, at(70)).state
    assert refusal(lambda: undo(resumed, RULES, at(80), record)) == "undo_stale"


def test_undo_is_refused_when_the_list_was_opened_or_closed_since() -> None:
    state = floor_ops.start(three_waiting(), RULES, at(0)).state
    ended, record = act(state, ChairAction.DONE, 60, lambda s: floor_ops.end(s, RULES, at(60)))
    closed = floor_ops.set_open(ended, False).state
    assert refusal(lambda: undo(closed, RULES, at(80), record)) == "undo_stale"


def test_undo_of_remove_is_refused_when_the_person_asked_again_meanwhile() -> None:
    state = three_waiting()
    removed, record = act(state, ChairAction.REMOVE, 5, lambda s: floor_ops.remove(s, 2))
    again = ask(removed, 2, t=6)
    assert refusal(lambda: undo(again, RULES, at(7), record)) == "undo_stale"


def test_undo_of_done_is_refused_when_the_speaker_asked_again_meanwhile() -> None:
    state = floor_ops.start(three_waiting(), RULES, at(0)).state
    ended, record = act(state, ChairAction.DONE, 60, lambda s: floor_ops.end(s, RULES, at(60)))
    again = ask(ended, 1, t=61)
    assert refusal(lambda: undo(again, RULES, at(62), record)) == "undo_stale"


def test_undo_is_refused_when_a_recorded_request_is_unknown() -> None:
    state = three_waiting()
    _added, record = act(state, ChairAction.ADD, 5, lambda s: floor_ops.request_floor(
        s, RULES, at(5), participant_id=None, name="Ana", delegation="Brazil",
        category=Category.IN_ROOM, mode=Mode.ROOM, by_organiser=True))
    assert refusal(lambda: undo(state, RULES, at(6), record)) == "undo_stale"


def test_undoing_a_move_restores_an_order_that_was_not_the_order_of_arrival() -> None:
    state = floor_ops.move(three_waiting(), 3, 1).state  # an earlier move: 3, 1, 2
    moved, record = act(state, ChairAction.MOVE, 5, lambda s: floor_ops.move(s, 1, 3))
    assert [r.participant_id for r in moved.waiting] == [1, 2, 3]
    result = undo(moved, RULES, at(6), record)
    assert [r.participant_id for r in result.state.waiting] == [3, 1, 2]


def test_an_undo_at_the_very_moment_of_the_action_charges_no_time() -> None:
    state = floor_ops.start(three_waiting(), RULES, at(0)).state
    ended, record = act(state, ChairAction.DONE, 100, lambda s: floor_ops.end(s, RULES, at(100)))
    speaker = undo(ended, RULES, at(100), record).state.current
    assert speaker is not None
    assert speaker.paused_seconds == 0
    assert speaker.spoken_seconds(at(100)) == 100
