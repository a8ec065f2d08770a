"""The floor queue at its boundaries: timers at the tolerance, limits equal to the warning window,
a budget exactly spent, several remote requests in the wait estimate, and what each refusal says.

Each test pins one edge that a changed comparison, sign or constant would move.
"""

from __future__ import annotations

from collections.abc import Callable
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
    TIMER_TOLERANCE_SECONDS,
    FloorError,
    FloorState,
    Request,
    RequestState,
    TimerKind,
    budget_left,
    budget_used,
    estimated_wait,
    speaker_limit,
    status,
)
from bot.domain.floor_rules import Category, FloorRules

RULES = FloorRules()  # in_room 10 min, remote_high_level 7, remote 5, budget 30, warn 60 s
T0 = datetime(2023, 3, 29, 13, 0, tzinfo=UTC)
MODE = {Category.IN_ROOM: "room", Category.PANELIST: "room", Category.REMOTE_HIGH_LEVEL: "remote",
        Category.REMOTE: "remote"}


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def ask(state: FloorState, who: int, category: str, t: float = 0,
        rules: FloorRules = RULES) -> FloorState:
    return floor_ops.request_floor(
        state, rules, at(t), participant_id=who, name=f"P{who}", delegation=f"D{who}",
        category=category, mode=MODE[category],
    ).state


def listed(*categories: str, rules: FloorRules = RULES) -> FloorState:
    """A list with participants 1, 2, ... asking in this order, one second apart."""
    state = FloorState()
    for who, category in enumerate(categories, start=1):
        state = ask(state, who, category, who, rules)
    return state


def of_type(events: tuple[Event, ...], kind: type) -> list:
    return [e for e in events if isinstance(e, kind)]


def refusal(action: Callable[[], object]) -> FloorError:
    with pytest.raises(FloorError) as info:
        action()
    return info.value


def request_of(state: FloorState, who: int) -> Request:
    return next(r for r in state.requests if r.participant_id == who)


# ---- timers at the tolerance --------------------------------------------------------------


def speaking(rules: FloorRules = RULES) -> tuple[FloorState, int]:
    """Participant 1 (in the room, 600 s) has had the floor since t=0."""
    state = floor_ops.start(listed(Category.IN_ROOM, rules=rules), rules, at(0)).state
    return state, request_of(state, 1).id


def test_a_time_up_timer_firing_exactly_the_tolerance_early_is_honoured() -> None:
    state, rid = speaking()
    result = floor_ops.timer_fired(state, RULES, at(600 - TIMER_TOLERANCE_SECONDS), rid,
                                   TimerKind.TIME_UP)
    (up,) = of_type(result.events, TimeUp)
    assert up.request == result.state.current
    assert up.overrun_seconds == 0  # 1 s early is not a negative overrun
    assert result.state.current is not None and result.state.current.timed_up
    assert result.state.current.warned  # no warning after the time is up


def test_a_time_up_timer_firing_more_than_the_tolerance_early_is_stale() -> None:
    state, rid = speaking()
    early = at(600 - TIMER_TOLERANCE_SECONDS - 0.001)
    assert floor_ops.timer_fired(state, RULES, early, rid,
                                 TimerKind.TIME_UP) == floor_ops.Result(state)


def test_a_warning_firing_exactly_the_tolerance_early_is_honoured() -> None:
    state, rid = speaking()
    moment = at(600 - RULES.warn_before_seconds - TIMER_TOLERANCE_SECONDS)
    (warned,) = floor_ops.timer_fired(state, RULES, moment, rid, TimerKind.WARNING).events
    assert isinstance(warned, Warned)
    assert warned.remaining_seconds == RULES.warn_before_seconds + TIMER_TOLERANCE_SECONDS
    assert warned.request.warned


def test_a_warning_firing_more_than_the_tolerance_early_is_stale() -> None:
    state, rid = speaking()
    moment = at(600 - RULES.warn_before_seconds - TIMER_TOLERANCE_SECONDS - 0.001)
    assert floor_ops.timer_fired(state, RULES, moment, rid, TimerKind.WARNING).events == ()


def test_a_late_warning_after_the_time_is_up_says_nothing() -> None:
    state, rid = speaking()
    up = floor_ops.timer_fired(state, RULES, at(600), rid, TimerKind.TIME_UP).state
    assert floor_ops.timer_fired(up, RULES, at(601), rid, TimerKind.WARNING).events == ()


def test_a_warning_fired_after_the_limit_reports_no_negative_time_left() -> None:
    state, rid = speaking()
    (warned,) = floor_ops.timer_fired(state, RULES, at(610), rid, TimerKind.WARNING).events
    assert isinstance(warned, Warned) and warned.remaining_seconds == 0


def test_a_time_up_reports_the_overrun_so_far() -> None:
    state, rid = speaking()
    (up,) = floor_ops.timer_fired(state, RULES, at(612.5), rid, TimerKind.TIME_UP).events
    assert isinstance(up, TimeUp) and up.overrun_seconds == 12.5


def test_timers_of_a_paused_or_other_speaker_are_ignored() -> None:
    state, rid = speaking()
    paused = floor_ops.pause(state, at(100)).state
    assert floor_ops.timer_fired(paused, RULES, at(700), rid, TimerKind.TIME_UP).events == ()
    assert floor_ops.timer_fired(paused, RULES, at(700), rid, TimerKind.WARNING).events == ()
    assert floor_ops.timer_fired(state, RULES, at(700), rid + 1, TimerKind.TIME_UP).events == ()
    assert floor_ops.timer_fired(FloorState(), RULES, at(700), rid, TimerKind.TIME_UP).events == ()


def test_an_unknown_timer_kind_is_refused_with_its_name() -> None:
    state, rid = speaking()
    error = refusal(lambda: floor_ops.timer_fired(state, RULES, at(600), rid, "alarm"))
    assert (error.code, error.params) == ("unknown_timer", {"kind": "alarm"})


# ---- which timers are scheduled --------------------------------------------------------------


def timers_at_start(minutes: float, warn: int) -> list[tuple[str, datetime]]:
    rules = FloorRules(minutes={Category.IN_ROOM: minutes}, priority=(Category.IN_ROOM,),
                       warn_before_seconds=warn)
    result = floor_ops.start(listed(Category.IN_ROOM, rules=rules), rules, at(0))
    return [(t.kind, t.at) for t in of_type(result.events, ScheduleTimer)]


def test_a_limit_equal_to_the_warning_window_gets_no_warning() -> None:
    assert timers_at_start(1, 60) == [(TimerKind.TIME_UP, at(60))]


def test_a_limit_just_above_the_warning_window_gets_a_warning_at_the_start() -> None:
    assert timers_at_start(61 / 60, 60) == [(TimerKind.WARNING, at(1)), (TimerKind.TIME_UP, at(61))]


def test_no_warning_when_warnings_are_switched_off() -> None:
    assert timers_at_start(10, 0) == [(TimerKind.TIME_UP, at(600))]


def test_the_timers_are_the_speakers_own() -> None:
    state = ask(ask(FloorState(), 7, Category.IN_ROOM), 8, Category.IN_ROOM, 1)
    result = floor_ops.start(state, RULES, at(5))
    rid = request_of(result.state, 7).id
    assert {t.request_id for t in of_type(result.events, ScheduleTimer)} == {rid}


def test_pending_timers_after_the_end_of_the_slot_fire_at_once_and_not_before() -> None:
    state, rid = speaking()
    assert floor_ops.pending_timers(state, RULES, at(600)) == (
        ScheduleTimer(rid, TimerKind.TIME_UP, at(600)),)
    assert floor_ops.pending_timers(state, RULES, at(539)) == (
        ScheduleTimer(rid, TimerKind.WARNING, at(540)), ScheduleTimer(rid, TimerKind.TIME_UP,
                                                                      at(600)),
    )


def test_a_speaker_whose_time_is_up_gets_no_new_timers() -> None:
    state, rid = speaking()
    up = floor_ops.timer_fired(state, RULES, at(600), rid, TimerKind.TIME_UP).state
    assert floor_ops.pending_timers(up, RULES, at(610)) == ()
    paused = floor_ops.pause(up, at(620)).state
    resumed = floor_ops.resume(paused, RULES, at(630))
    assert of_type(resumed.events, ScheduleTimer) == []


def test_the_warning_is_rescheduled_after_a_skip() -> None:
    state, rid = speaking()
    warned = floor_ops.timer_fired(state, RULES, at(540), rid, TimerKind.WARNING).state
    skipped = floor_ops.skip(warned, RULES, at(550)).state
    again = floor_ops.start(skipped, RULES, at(1000))
    assert [(t.kind, t.at) for t in of_type(again.events, ScheduleTimer)] == [
        (TimerKind.WARNING, at(1540)), (TimerKind.TIME_UP, at(1600)),
    ]
    given = request_of(again.state, 1)
    assert (given.warned, given.timed_up, given.paused_seconds) == (False, False, 0.0)


def test_resume_moves_the_end_by_the_pause() -> None:
    state, rid = speaking()
    paused = floor_ops.pause(state, at(100)).state
    result = floor_ops.resume(paused, RULES, at(130))
    (resumed,) = of_type(result.events, Resumed)
    assert resumed.ends_at == at(630)
    assert resumed.request.state == RequestState.SPEAKING and resumed.request.paused_at is None
    assert resumed.request.paused_seconds == 30
    assert of_type(result.events, ScheduleTimer) == [
        ScheduleTimer(rid, TimerKind.WARNING, at(570)), ScheduleTimer(rid, TimerKind.TIME_UP,
                                                                      at(630)),
    ]


def test_pause_reports_the_time_left_and_cancels_only_the_speakers_timers() -> None:
    state = ask(ask(FloorState(), 7, Category.IN_ROOM), 8, Category.IN_ROOM, 1)
    state = floor_ops.start(state, RULES, at(5)).state
    rid = request_of(state, 7).id
    result = floor_ops.pause(state, at(105))
    assert result.events[0] == CancelTimers(rid)
    (paused,) = of_type(result.events, Paused)
    assert paused.remaining_seconds == 500
    assert paused.request.state == RequestState.PAUSED and paused.request.paused_at == at(105)


# ---- end ----------------------------------------------------------------------------------


def test_a_speaker_within_time_has_no_overrun() -> None:
    state, _rid = speaking()
    (ended,) = of_type(floor_ops.end(state, RULES, at(420)).events, Ended)
    assert ended.spoken_seconds == 420
    assert ended.overrun_seconds == 0
    assert ended.budget_after is None  # not remote


def test_a_speaker_ending_exactly_on_time_has_no_overrun() -> None:
    state, _rid = speaking()
    (ended,) = of_type(floor_ops.end(state, RULES, at(600)).events, Ended)
    assert (ended.spoken_seconds, ended.overrun_seconds) == (600, 0)


def test_end_cancels_the_timers_of_the_request_it_ends() -> None:
    state = listed(Category.IN_ROOM, Category.IN_ROOM, Category.IN_ROOM)
    state = floor_ops.start(state, RULES, at(10), request_of(state, 2).id).state
    rid = request_of(state, 2).id
    assert rid != min(r.id for r in state.requests)
    result = floor_ops.end(state, RULES, at(20), rid)
    assert result.events[0] == CancelTimers(rid)
    ended = request_of(result.state, 2)
    assert (ended.state, ended.ended_at, ended.paused_at) == (RequestState.FINISHED, at(20), None)
    assert [r.participant_id for r in result.state.waiting] == [1, 3]


def test_ending_while_paused_counts_the_running_pause() -> None:
    state, _rid = speaking()
    state = floor_ops.pause(state, at(100)).state
    result = floor_ops.end(state, RULES, at(160))
    (ended,) = of_type(result.events, Ended)
    assert ended.spoken_seconds == 100
    assert ended.request.paused_seconds == 60
    assert ended.request.paused_at is None


def test_a_remote_speakers_end_reports_the_budget_left() -> None:
    state = floor_ops.start(listed(Category.REMOTE), RULES, at(0)).state
    (ended,) = of_type(floor_ops.end(state, RULES, at(200)).events, Ended)
    assert ended.budget_after == RULES.remote_budget_seconds - 200


# ---- the remote budget --------------------------------------------------------------------


def after_remote_speech(seconds: float, then: str = Category.REMOTE) -> FloorState:
    """Participant 1 spoke remotely for `seconds` from t=0; participant 2 (`then`) waits."""
    state = floor_ops.start(listed(Category.REMOTE), RULES, at(0), confirmed=True).state
    state = floor_ops.end(state, RULES, at(seconds)).state
    return ask(state, 2, then, seconds + 1)


def test_a_remote_speaker_when_the_budget_is_exactly_spent_gets_the_category_limit() -> None:
    state = after_remote_speech(1800)
    assert budget_left(state, RULES, at(2000)) == 0
    result = floor_ops.start(state, RULES, at(2000), confirmed=True)
    (given,) = of_type(result.events, FloorGiven)
    assert given.limit_seconds == RULES.limit_seconds(Category.REMOTE)
    assert (given.budget_before, given.over_budget) == (0, True)
    assert given.ends_at == at(2000 + RULES.limit_seconds(Category.REMOTE))


def test_a_budget_exactly_one_slot_needs_no_confirmation() -> None:
    state = after_remote_speech(1800 - 300)
    result = floor_ops.start(state, RULES, at(2000))
    (given,) = of_type(result.events, FloorGiven)
    assert (given.limit_seconds, given.budget_before, given.over_budget) == (300, 300, False)


def test_a_budget_a_second_short_needs_confirmation_and_then_gives_what_is_left() -> None:
    state = after_remote_speech(1800 - 299)
    asked = floor_ops.start(state, RULES, at(2000))
    assert asked.state == state
    (confirm,) = asked.events
    assert confirm == ConfirmationNeeded(state.waiting[0], 299, 300)
    (given,) = of_type(floor_ops.start(state, RULES, at(2000), confirmed=True).events, FloorGiven)
    assert (given.limit_seconds, given.over_budget) == (299, True)


def test_a_room_speaker_never_asks_about_the_budget() -> None:
    state = after_remote_speech(1900, then=Category.IN_ROOM)
    (given,) = of_type(floor_ops.start(state, RULES, at(2000)).events, FloorGiven)
    assert (given.limit_seconds, given.budget_before, given.over_budget) == (600, None, False)


def test_only_remote_speaking_is_charged_and_pauses_are_not() -> None:
    state = floor_ops.start(listed(Category.REMOTE), RULES, at(0)).state
    state = floor_ops.pause(state, at(50)).state
    assert budget_used(state, at(80)) == 50
    state = floor_ops.resume(state, RULES, at(80)).state
    state = floor_ops.end(state, RULES, at(100)).state
    state = floor_ops.start(ask(state, 2, Category.IN_ROOM, 100), RULES, at(100)).state
    assert budget_used(state, at(400)) == 70


def test_speaker_limit_caps_only_remote_requests() -> None:
    state = listed(Category.REMOTE, Category.IN_ROOM)
    remote, room = request_of(state, 1), request_of(state, 2)
    assert speaker_limit(remote, RULES, 100) == 100
    assert speaker_limit(remote, RULES, 1000) == 300
    assert speaker_limit(room, RULES, 100) == 600


# ---- the wait estimate --------------------------------------------------------------------


def test_the_wait_counts_the_budget_several_queued_remote_requests_use_up() -> None:
    state = after_remote_speech(1800 - 480)  # 8 minutes of budget left
    state = ask(ask(state, 3, Category.REMOTE, 1400), 4, Category.REMOTE, 1401)
    # 2 will get 5 minutes, 3 the 3 minutes left and 4 nothing: 4 waits 5 + 3 minutes
    assert [r.participant_id for r in state.waiting] == [2, 3, 4]
    assert estimated_wait(state, RULES, at(1500), 1) == 0
    assert estimated_wait(state, RULES, at(1500), 2) == 300
    assert estimated_wait(state, RULES, at(1500), 3) == 480
    assert estimated_wait(state, RULES, at(1500), 4) == 480


def test_the_wait_counts_room_requests_in_full_and_leaves_the_budget_alone() -> None:
    state = after_remote_speech(1800 - 300)  # one remote slot left
    state = ask(ask(state, 3, Category.IN_ROOM, 1600), 4, Category.REMOTE, 1601)
    assert [r.participant_id for r in state.waiting] == [3, 2, 4]
    assert estimated_wait(state, RULES, at(1700), 3) == 600 + 300


def test_the_wait_counts_the_time_a_remote_speaker_still_has_against_the_budget() -> None:
    state = after_remote_speech(1800 - 400)  # 400 s left
    state = floor_ops.start(state, RULES, at(1500)).state  # 2 gets 300 s
    state = ask(ask(state, 3, Category.REMOTE, 1550), 4, Category.REMOTE, 1551)
    # at 1600: 2 has 200 s left (budget then 200 s); 3 gets 100 s; 4 waits 300 s
    assert estimated_wait(state, RULES, at(1600), 1) == 200
    assert estimated_wait(state, RULES, at(1600), 2) == 300


def test_an_overrunning_speaker_adds_no_negative_wait() -> None:
    state = floor_ops.start(listed(Category.IN_ROOM, Category.IN_ROOM), RULES, at(0)).state
    assert estimated_wait(state, RULES, at(700), 1) == 0
    assert estimated_wait(state, RULES, at(100), 1) == 500


def test_a_request_tells_its_place_people_ahead_and_wait() -> None:
    state = floor_ops.start(listed(Category.IN_ROOM), RULES, at(0)).state
    state = ask(state, 2, Category.IN_ROOM, 100)
    result = floor_ops.request_floor(
        state, RULES, at(200), participant_id=3, name="P3", delegation="D3",
        category=Category.IN_ROOM, mode="room",
    )
    (requested,) = of_type(result.events, Requested)
    assert (requested.position, requested.ahead, requested.wait_seconds) == (2, 1, 400 + 600)
    assert requested.request.requested_at == at(200)
    assert requested.request.id == max(r.id for r in state.requests) + 1


def test_status_of_an_empty_floor() -> None:
    view = status(FloorState(is_open=False), RULES, at(0))
    assert (view.current, view.remaining_seconds, view.next_up, view.waiting_count) == (
        None, None, (), 0,
    )
    assert view.budget_seconds == RULES.remote_budget_seconds
    assert view.is_open is False


# ---- skip and heads-up --------------------------------------------------------------------


def test_a_skipped_speaker_goes_behind_their_category_and_is_reset() -> None:
    state = listed(Category.IN_ROOM, Category.IN_ROOM, Category.REMOTE)
    state = floor_ops.start(state, RULES, at(10)).state
    state = floor_ops.pause(state, at(20)).state
    result = floor_ops.skip(state, RULES, at(30))
    rid = request_of(state, 1).id
    assert result.events[0] == CancelTimers(rid)
    (skipped,) = of_type(result.events, Skipped)
    assert skipped.absent is False
    back = request_of(result.state, 1)
    assert skipped.request == back
    assert (back.state, back.position, back.skips) == (RequestState.WAITING, 2, 1)
    assert (back.started_at, back.paused_at, back.limit_seconds) == (None, None, None)
    assert back.paused_seconds == 0 and back.heads_up is False
    assert [r.participant_id for r in result.state.waiting] == [2, 1, 3]


def test_a_second_skip_marks_the_speaker_absent_and_cancels_their_timers() -> None:
    state = listed(Category.IN_ROOM, Category.IN_ROOM)
    state = floor_ops.skip(floor_ops.start(state, RULES, at(10)).state, RULES, at(20)).state
    state = floor_ops.end(floor_ops.start(state, RULES, at(30)).state, RULES, at(40)).state
    state = floor_ops.start(state, RULES, at(50)).state
    rid = request_of(state, 1).id
    result = floor_ops.skip(state, RULES, at(60))
    assert result.events[:2] == (CancelTimers(rid), Skipped(request_of(result.state, 1), True))
    absent = request_of(result.state, 1)
    assert (absent.state, absent.position, absent.ended_at, absent.skips) == (
        RequestState.SKIPPED, None, at(60), 2,
    )
    assert result.state.waiting == ()


def test_the_next_in_line_is_told_once_and_only_while_someone_speaks() -> None:
    state = listed(Category.IN_ROOM, Category.IN_ROOM)
    assert not any(r.heads_up for r in state.requests)  # nobody speaks yet
    result = floor_ops.start(state, RULES, at(0))
    (heads_up,) = of_type(result.events, HeadsUp)
    assert heads_up.request.participant_id == 2 and heads_up.request.heads_up
    again = floor_ops.pause(result.state, at(10))
    assert of_type(again.events, HeadsUp) == []


def test_withdrawing_the_head_tells_the_new_head() -> None:
    state = floor_ops.start(listed(Category.IN_ROOM, Category.IN_ROOM, Category.IN_ROOM), RULES,
                            at(0)).state
    result = floor_ops.withdraw(state, 2)
    (gone,) = of_type(result.events, Withdrawn)
    assert (gone.request.state, gone.request.position, gone.by_organiser) == (
        RequestState.WITHDRAWN, None, False,
    )
    (heads_up,) = of_type(result.events, HeadsUp)
    assert heads_up.request.participant_id == 3
    assert request_of(result.state, 3).position == 1


def test_an_organiser_removal_is_marked_as_such() -> None:
    state = listed(Category.IN_ROOM, Category.IN_ROOM)
    (gone,) = of_type(floor_ops.remove(state, 2).events, Withdrawn)
    assert gone.by_organiser is True and gone.request.participant_id == 2


def test_a_move_reports_both_places_and_renumbers() -> None:
    state = listed(Category.IN_ROOM, Category.IN_ROOM, Category.IN_ROOM)
    result = floor_ops.move(state, 3, 1)
    (moved,) = of_type(result.events, Moved)
    assert (moved.from_position, moved.to_position, moved.request.position) == (3, 1, 1)
    assert [(r.participant_id, r.position) for r in result.state.waiting] == [(3, 1), (1, 2),
                                                                               (2, 3)]


# ---- every refusal: its code and what its message needs -----------------------------------


def test_every_refusal_has_its_code_and_parameters() -> None:
    open_list = listed(Category.IN_ROOM, Category.REMOTE)
    closed = floor_ops.set_open(open_list, False).state
    speaking_state = floor_ops.start(open_list, RULES, at(0)).state
    paused_state = floor_ops.pause(speaking_state, at(5)).state
    rid = request_of(open_list, 1).id

    def ask_again(state: FloorState, who: int | None = 2, category: str = Category.REMOTE,
                  mode: str = "remote", name: str = "P2") -> Callable[[], object]:
        return lambda: floor_ops.request_floor(
            state, RULES, at(9), participant_id=who, name=name, delegation="D2",
            category=category, mode=mode,
        )

    cases: list[tuple[Callable[[], object], str, dict[str, object]]] = [
        (ask_again(closed, who=3), "list_closed", {}),
        (ask_again(open_list, who=3, category="observer"), "unknown_category",
         {"category": "observer"}),
        (ask_again(open_list, who=3, mode="moon"), "mode_unknown", {}),
        (ask_again(open_list), "already_waiting", {"position": 2}),
        (ask_again(speaking_state, who=1, category=Category.IN_ROOM, mode="room"),
         "already_speaking",
         {}),
        (lambda: floor_ops.withdraw(open_list, 3), "not_waiting", {}),
        (lambda: floor_ops.withdraw(speaking_state, 1), "not_waiting", {}),
        (lambda: floor_ops.remove(open_list, 3), "bad_position", {"position": 3, "count": 2}),
        (lambda: floor_ops.remove(open_list, 0), "bad_position", {"position": 0, "count": 2}),
        (lambda: floor_ops.move(open_list, 1, 3), "bad_position", {"position": 3, "count": 2}),
        (lambda: floor_ops.start(speaking_state, RULES, at(9)), "speaker_active", {"name": "P1"}),
        (lambda: floor_ops.start(FloorState(), RULES, at(9)), "queue_empty", {}),
        (lambda: floor_ops.start(open_list, RULES, at(9), 99), "unknown_request",
         {"request_id": 99}),
        (lambda: floor_ops.start(floor_ops.end(speaking_state, RULES, at(9)).state, RULES,
                                 at(9), rid),
         "not_waiting", {}),
        (lambda: floor_ops.end(open_list, RULES, at(9)), "no_speaker", {}),
        (lambda: floor_ops.end(speaking_state, RULES, at(9), rid + 1), "not_current", {}),
        (lambda: floor_ops.pause(paused_state, at(9)), "already_paused", {}),
        (lambda: floor_ops.pause(speaking_state, at(9), rid + 1), "not_current", {}),
        (lambda: floor_ops.resume(paused_state, RULES, at(9), rid + 1), "not_current", {}),
        (lambda: floor_ops.skip(speaking_state, RULES, at(9), rid + 1), "not_current", {}),
        (lambda: floor_ops.request_floor(
            open_list, RULES, at(9), participant_id=3, name="P3", delegation="D3",
            category=Category.IN_ROOM, mode="room", language="xx",
        ), "unknown_language", {"language": "xx"}),
        (lambda: floor_ops.resume(speaking_state, RULES, at(9)), "not_paused", {}),
        (lambda: floor_ops.skip(open_list, RULES, at(9)), "no_speaker", {}),
        (lambda: floor_ops.set_open(open_list, True), "already_open", {}),
        (lambda: floor_ops.set_open(closed, False), "already_closed", {}),
    ]
    for action, code, params in cases:
        error = refusal(action)
        assert (error.code, error.params) == (code, params)
        assert str(error) == code


def test_the_same_person_added_by_name_is_refused_whatever_the_case() -> None:
    state = floor_ops.request_floor(
        FloorState(), RULES, at(0), participant_id=None, name="Ms Ana Lima",
        delegation="Brazil", category=Category.IN_ROOM, mode="room", by_organiser=True,
    ).state
    error = refusal(lambda: floor_ops.request_floor(
        state, RULES, at(1), participant_id=None, name="MS ANA LIMA", delegation="brazil",
        category=Category.IN_ROOM, mode="room", by_organiser=True,
    ))
    assert (error.code, error.params) == ("already_waiting", {"position": 1})
    other = floor_ops.request_floor(
        state, RULES, at(1), participant_id=None, name="Ms Ana Lima", delegation="Chile",
        category=Category.IN_ROOM, mode="room", by_organiser=True,
    ).state
    assert len(other.waiting) == 2


def test_a_refused_action_changes_nothing() -> None:
    state = listed(Category.IN_ROOM, Category.REMOTE)
    before = FloorState(state.requests, state.is_open)
    for action in (
        lambda: floor_ops.remove(state, 5),
        lambda: floor_ops.end(state, RULES, at(1)),
        lambda: floor_ops.set_open(state, True),
    ):
        refusal(action)
    assert state == before


def test_a_request_keeps_its_topic_and_language_and_has_none_by_default() -> None:
    state = floor_ops.request_floor(
        FloorState(), RULES, at(0), participant_id=1, name="P1", delegation="D1",
        category=Category.IN_ROOM, mode="room", topic="Agenda item 3", language="fr",
    ).state
    plain = floor_ops.request_floor(
        state, RULES, at(1), participant_id=2, name="P2", delegation="D2",
        category=Category.IN_ROOM, mode="room",
    ).state
    first, second = request_of(plain, 1), request_of(plain, 2)
    assert (first.topic, first.language) == ("Agenda item 3", "fr")
    assert (second.topic, second.language) == ("", None)


def test_pause_and_resume_act_on_the_named_current_speaker() -> None:
    state, rid = speaking()
    paused = floor_ops.pause(state, at(100), rid)
    assert paused.state.current is not None and paused.state.current.state == RequestState.PAUSED
    resumed = floor_ops.resume(paused.state, RULES, at(110), rid)
    assert resumed.state.current is not None
    assert resumed.state.current.state == RequestState.SPEAKING


def test_a_speaker_skipped_after_their_time_was_up_gets_a_time_up_timer_again() -> None:
    state, rid = speaking()
    up = floor_ops.timer_fired(state, RULES, at(600), rid, TimerKind.TIME_UP).state
    skipped = floor_ops.skip(up, RULES, at(610)).state
    again = floor_ops.start(skipped, RULES, at(1000))
    assert [t.kind for t in of_type(again.events, ScheduleTimer)] == [TimerKind.WARNING,
                                                                      TimerKind.TIME_UP]


def test_less_than_a_second_of_budget_is_what_a_confirmed_remote_speaker_gets() -> None:
    state = after_remote_speech(1800 - 0.5)
    (confirm,) = floor_ops.start(state, RULES, at(2000)).events
    assert isinstance(confirm, ConfirmationNeeded) and confirm.budget_seconds == 0.5
    (given,) = of_type(floor_ops.start(state, RULES, at(2000), confirmed=True).events, FloorGiven)
    assert (given.limit_seconds, given.over_budget) == (0.5, True)


def test_the_speaker_given_the_floor_counts_as_told_and_leaves_the_list() -> None:
    state = listed(Category.IN_ROOM, Category.IN_ROOM)
    (given,) = of_type(floor_ops.start(state, RULES, at(0)).events, FloorGiven)
    assert given.request.heads_up is True
    assert (given.request.state, given.request.position, given.request.started_at) == (
        RequestState.SPEAKING, None, at(0),
    )


def test_a_skipped_speaker_called_again_starts_with_no_pause_of_the_first_call() -> None:
    state, rid = speaking()
    state = floor_ops.pause(state, at(10), rid).state
    state = floor_ops.resume(state, RULES, at(40), rid).state  # 30 s of pause
    state = floor_ops.skip(state, RULES, at(50), rid).state
    assert state.get(rid).paused_seconds == 0
    state = floor_ops.start(state, RULES, at(100), rid).state
    assert state.get(rid).remaining_seconds(at(100)) == 600
