"""The floor's event texts, pure: every event, every bot language, HTML escaping.

Events come from the real domain (`bot.domain.floor_ops`), each text from `floor_texts` with a
real catalog's gettext. Literal categories, modes and timer kinds ("in_room", "warning") keep
these tests independent of how the domain spells its constants.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar, get_args

import pytest

from bot.domain import floor_ops as ops
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
    Undone,
    Warned,
    Withdrawn,
)
from bot.domain.floor_model import ChairAction, FloorState
from bot.domain.floor_rules import FloorRules
from bot.domain.floor_undo import record_of, undo
from bot.handlers import floor_texts as texts
from bot.i18n import LANGUAGES, Gettext, I18n
from tests.domain.translated import Recording

NAME = '<b>Ana & "Co"</b>'
SAFE = "&lt;b&gt;Ana &amp; &quot;Co&quot;&lt;/b&gt;"  # NAME as Telegram HTML must show it
ANA, BO = 7, 8
T0 = datetime(2025, 3, 10, 10, 0, tzinfo=UTC)
RULES = FloorRules()  # 10 min in the room, 5 remote, 30 min of remote budget, warned 1 min before
TRANSLATED = tuple(language for language in LANGUAGES if language != "en")
# category_label asks for every label and shows one
LABELS = frozenset({"panelist", "in the room", "remote, high-level", "remote"})
I18N = I18n.load()

E = TypeVar("E")


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def one(result: Result, kind: type[E]) -> E:
    """The only event of a kind among an operation's events."""
    found = [event for event in result.events if isinstance(event, kind)]
    assert len(found) == 1, result.events
    return found[0]


def first(result: Result, kind: type[E]) -> E:
    """The first event of a kind among an operation's events."""
    return next(event for event in result.events if isinstance(event, kind))


def ask(state: FloorState, *, name: str = NAME, participant_id: int | None = ANA,
        remote: bool = False, rules: FloorRules = RULES) -> Result:
    return ops.request_floor(
        state, rules, T0, participant_id=participant_id, name=name, delegation="Chile",
        category="remote" if remote else "in_room", mode="remote" if remote else "room",
        by_organiser=participant_id is None)


def ana_speaking(*, remote: bool = False) -> FloorState:
    return ops.start(ask(FloorState(), remote=remote).state, RULES, T0).state


def bo_then_ana() -> FloorState:
    """Bo waits first, Ana second (both in the room)."""
    return ask(ask(FloorState(), name="Bo", participant_id=BO).state).state


def ana_skipped_once() -> FloorState:
    """Ana (request 2) was called once and was not there: she waits behind Bo."""
    return ops.skip(ops.start(bo_then_ana(), RULES, T0, 2).state, RULES, at(10)).state


@dataclass(frozen=True)
class Case:
    """One event, and the English texts its person and the chairs receive (None: nothing)."""

    id: str
    event: Event
    person: str | None
    desk: str | None
    person_values: tuple[str, ...] = ()  # the dynamic parts every language shows
    desk_values: tuple[str, ...] = ()
    now: datetime = T0


def undone(before: FloorState, after: FloorState, action: ChairAction, t: float) -> Undone:
    """The Undone event of reverting, 10 s later, an action taken at t."""
    record = record_of(1, action, 900, at(t), before, after)
    assert record is not None
    return one(undo(after, RULES, at(t + 10), record), Undone)


def _cases() -> list[Case]:
    budget_of_3 = FloorRules(remote_budget_minutes=3)
    remote = ask(FloorState(), remote=True, rules=budget_of_3).state
    paused = ops.pause(ana_speaking(), at(120)).state
    return [
        Case("heads_up", one(ops.start(bo_then_ana(), RULES, T0), HeadsUp),
             "🔔 You are next on the list of speakers: please get ready.", None),
        Case("floor_given", one(ops.start(ask(FloorState()).state, RULES, T0), FloorGiven),
             "🎙 <b>You have the floor.</b> Your time: 10:00. I will warn you 1:00 before the end.",
             f"🎙 {SAFE} (Chile) has the floor (in the room): 10:00.",
             ("10:00", "1:00"), (f"{SAFE} (Chile)", "10:00")),
        Case("floor_given_beyond_budget",
             one(ops.start(remote, budget_of_3, T0, confirmed=True), FloorGiven),
             "🎙 <b>You have the floor.</b> Your time: 3:00. I will warn you 1:00 before the end.",
             f"🎙 {SAFE} (Chile) has the floor (remote): 3:00.\n"
             "🌐 Remote budget before this intervention: 3:00.\n"
             "⚠️ Given beyond the remote budget, as confirmed.",
             ("3:00", "1:00"), (f"{SAFE} (Chile)", "3:00")),
        Case("warned", one(ops.timer_fired(ana_speaking(), RULES, at(540), 1, "warning"), Warned),
             "⏳ 1:00 left of your speaking time.", f"⏳ {SAFE}: 1:00 left.",
             ("1:00",), (SAFE, "1:00")),
        Case("time_up", one(ops.timer_fired(ana_speaking(), RULES, at(601), 1, "time_up"), TimeUp),
             "⏰ Your speaking time is up. Please conclude.",
             f"⏰ Time is up for {SAFE} (10:00).\nOverrun: 0:01", (), (SAFE, "10:00", "0:01")),
        Case("ended_with_overrun", one(ops.end(ana_speaking(), RULES, at(605)), Ended),
             "Thank you: your intervention has ended.", f"⏹ {SAFE} spoke 10:05. Overrun: 0:05.",
             (), (SAFE, "10:05", "0:05")),
        Case("ended_remote_in_time", one(ops.end(ana_speaking(remote=True), RULES, at(120)), Ended),
             "Thank you: your intervention has ended.",
             f"⏹ {SAFE} spoke 2:00.\n🌐 Remote budget left: 28:00", (), (SAFE, "2:00", "28:00")),
        Case("paused", one(ops.pause(ana_speaking(), at(120)), Paused),
             "⏸ The chair paused your clock (8:00 left).", f"⏸ {SAFE}: clock paused.",
             ("8:00",), (SAFE,)),
        # Resumed carries no remaining time: the texts count it at `now` (a minute later here)
        Case("resumed", one(ops.resume(paused, RULES, at(300)), Resumed),
             "▶ Your clock runs again: 7:00 left.", f"▶ {SAFE}: clock running, 7:00 left.",
             ("7:00",), (SAFE, "7:00"), now=at(360)),
        Case("skipped", one(ops.skip(ops.start(bo_then_ana(), RULES, T0, 2).state, RULES, at(10)),
                            Skipped),
             "You were called but were not there: you are back on the list at position 2.",
             f"⏭ {SAFE} was not there: back to position 2.", ("2",), (SAFE, "2")),
        Case("skipped_absent",
             one(ops.skip(ops.start(ana_skipped_once(), RULES, at(20), 2).state, RULES, at(30)),
                 Skipped),
             "You were called twice but were not there: your request is closed.",
             f"⏭ {SAFE} was not there again: marked absent.", (), (SAFE,)),
        Case("removed_by_organiser", one(ops.remove(ask(FloorState()).state, 1), Withdrawn),
             "An organiser removed your request for the floor.",
             f"Removed from the list: {SAFE}.", (), (SAFE,)),
        Case("withdrawn_by_themself", one(ops.withdraw(ask(FloorState()).state, ANA), Withdrawn),
             None, None),
        Case("moved", one(ops.move(bo_then_ana(), 2, 1), Moved),
             None, f"{SAFE} moved from 2 to 1.", (), (SAFE, "2", "1")),
        Case("list_closed", one(ops.set_open(FloorState(), False), ListChanged),
             None, "The list of speakers is now closed."),
        Case("list_opened", one(ops.set_open(FloorState(is_open=False), True), ListChanged),
             None, "The list of speakers is now open."),
        Case("added_by_organiser", one(ask(bo_then_ana(), participant_id=None), Requested),
             None, f"Added {SAFE} at position 3.", (), (SAFE, "3")),
        Case("requested_by_themself", one(ask(FloorState()), Requested), None, None),
        Case("confirmation_needed", one(ops.start(remote, budget_of_3, T0), ConfirmationNeeded),
             None, None),
        Case("language_set", one(ops.set_language(ask(FloorState()).state, 1, "fr"), LanguageSet),
             None, None),
        Case("timer_scheduled", first(ops.start(ask(FloorState()).state, RULES, T0), ScheduleTimer),
             None, None),
        Case("timers_cancelled", one(ops.end(ana_speaking(), RULES, at(60)), CancelTimers),
             None, None),
        Case("undone_done", undone(ana_speaking(), ops.end(ana_speaking(), RULES, at(60)).state,
                                   ChairAction.DONE, 60),
             None, f"↩ Undone: /done ({SAFE} (Chile)).", (), (SAFE, "/done")),
        Case("undone_move", undone(bo_then_ana(), ops.move(bo_then_ana(), 2, 1).state,
                                   ChairAction.MOVE, 5),
             None, "↩ Undone: /move.", (), ("/move",)),
    ]


CASES = _cases()


@dataclass(frozen=True)
class Rendering:
    """One text, as a function of the reader's gettext, and what it must be."""

    id: str
    render: Callable[[Gettext], str | None]
    english: str | None
    values: tuple[str, ...] = ()


def _person(case: Case) -> Callable[[Gettext], str | None]:
    return lambda _: texts.to_person(case.event, _, case.now, RULES)


def _desk(case: Case) -> Callable[[Gettext], str | None]:
    return lambda _: texts.to_desk(case.event, _, case.now, RULES)


def _confirmation(event: Event) -> Callable[[Gettext], str | None]:
    assert isinstance(event, ConfirmationNeeded)
    return lambda _: texts.confirmation_text(event, _)


def _renderings() -> list[Rendering]:
    found = []
    for case in CASES:
        found.append(Rendering(f"{case.id}-person", _person(case), case.person, case.person_values))
        found.append(Rendering(f"{case.id}-desk", _desk(case), case.desk, case.desk_values))
    timed_up = one(ops.timer_fired(ana_speaking(), RULES, at(601), 1, "time_up"), TimeUp).request
    back_speaking = undone(ana_speaking(), ops.end(ana_speaking(), RULES, at(60)).state,
                           ChairAction.DONE, 60).requests[0]
    paused_at_60 = ops.pause(ana_speaking(), at(60)).state
    back_paused = undone(paused_at_60, ops.end(paused_at_60, RULES, at(90)).state,
                         ChairAction.DONE, 90).requests[0]
    called = ops.start(bo_then_ana(), RULES, at(0)).state
    back_waiting = undone(bo_then_ana(), called, ChairAction.NEXT, 0).requests[0]
    found += [
        Rendering("undone-speaking", lambda _: texts.undone_to_person(back_speaking, _, at(70)),
                  "↩ The chair undid that: you have the floor again, 9:00 left.", ("9:00",)),
        Rendering("undone-paused", lambda _: texts.undone_to_person(back_paused, _, at(100)),
                  "↩ The chair undid that: you have the floor again, your clock is paused "
                  "(9:00 left).", ("9:00",)),
        Rendering("undone-waiting", lambda _: texts.undone_to_person(back_waiting, _, at(10)),
                  "↩ The chair undid that: you are back on the list at position 1.", ("1",)),
        Rendering("undone-added", lambda _: texts.undone_to_person(
            replace(back_waiting, participant_id=None), _, at(10)), None),
        Rendering("notice-counting", lambda _: texts.notice_text(timed_up, 42.4, _, final=False),
                  f"⏰ Time is up for {SAFE} (10:00).\nOverrun: 0:42", (SAFE, "10:00", "0:42")),
        Rendering("notice-final", lambda _: texts.notice_text(timed_up, 65, _, final=True),
                  f"⏰ Time is up for {SAFE} (10:00).\nEnded with an overrun of 1:05.",
                  (SAFE, "10:00", "1:05")),
        Rendering("confirmation-budget-short",
                  _confirmation(one(ops.start(ask(FloorState(), remote=True).state,
                                              FloorRules(remote_budget_minutes=3), T0),
                                    ConfirmationNeeded)),
                  f"⚠️ The remote budget left (3:00) cannot cover a full slot of 5:00 for {SAFE}."
                  "\nGive the floor anyway?", (SAFE, "3:00", "5:00")),
        Rendering("confirmation-budget-spent",
                  _confirmation(one(ops.start(ask(FloorState(), remote=True).state,
                                              FloorRules(remote_budget_minutes=0), T0),
                                    ConfirmationNeeded)),
                  f"⚠️ The remote budget is exhausted (0:00). {SAFE} would speak beyond it."
                  "\nGive the floor anyway?", (SAFE, "0:00")),
    ]
    return found


RENDERINGS = _renderings()


def _ids(items: list[Any]) -> list[str]:
    return [item.id for item in items]


def test_the_cases_cover_every_floor_event() -> None:
    assert {type(case.event) for case in CASES} == set(get_args(Event))


@pytest.mark.parametrize("rendering", RENDERINGS, ids=_ids(RENDERINGS))
def test_english_text_is_exact(rendering: Rendering) -> None:
    assert rendering.render(I18N.translator("en").gettext) == rendering.english


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("rendering", RENDERINGS, ids=_ids(RENDERINGS))
def test_every_language_gets_the_text_translated_with_its_values(rendering: Rendering,
                                                                 language: str) -> None:
    _ = Recording(language)
    text = rendering.render(_)
    if rendering.english is None:
        assert text is None
        return
    assert text is not None
    assert text != rendering.english
    for value in rendering.values:
        assert value in text, (value, text)
    _.check(text, not_all_shown=LABELS)  # every msgid known to the catalog and shown


_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#x27);")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("rendering", [r for r in RENDERINGS if r.english is not None],
                         ids=_ids([r for r in RENDERINGS if r.english is not None]))
def test_texts_are_telegram_html_with_the_name_escaped(rendering: Rendering,
                                                       language: str) -> None:
    text = rendering.render(I18N.translator(language).gettext)
    assert text is not None
    assert "<b>Ana" not in text and '"Co"' not in text
    if SAFE in rendering.values:
        assert SAFE in text
    markup_free = _ENTITY.sub("", text.replace("<b>", "").replace("</b>", ""))
    assert not {"<", ">", "&", '"'} & set(markup_free), text
    assert text.count("<b>") == text.count("</b>")


@pytest.mark.parametrize("case", [c for c in CASES if texts.request_of(c.event) is not None],
                         ids=_ids([c for c in CASES if texts.request_of(c.event) is not None]))
def test_nothing_goes_to_a_person_an_organiser_added(case: Case) -> None:
    request = texts.request_of(case.event)
    assert request is not None
    offline = replace(case.event, request=replace(request, participant_id=None))  # type: ignore
    assert texts.request_of(offline) == replace(request, participant_id=None)
    for language in LANGUAGES:
        assert texts.to_person(offline, I18N.translator(language).gettext, case.now, RULES) is None


def test_list_wide_and_timer_events_are_about_no_request() -> None:
    about_none = [c.id for c in CASES if texts.request_of(c.event) is None]
    assert about_none == ["list_closed", "list_opened", "timer_scheduled", "timers_cancelled",
                          "undone_done", "undone_move"]


@pytest.mark.parametrize(("minutes", "granted"), [(3, 180.0), (0, 300.0)])
def test_a_confirmation_grants_the_budget_left_or_the_full_slot_once_it_is_spent(
        minutes: float, granted: float) -> None:
    rules = FloorRules(remote_budget_minutes=minutes)
    event = one(ops.start(ask(FloorState(), remote=True, rules=rules).state, rules, T0),
                ConfirmationNeeded)
    assert texts.granted_seconds(event) == granted
    confirmed = one(ops.start(ask(FloorState(), remote=True, rules=rules).state, rules, T0,
                              confirmed=True), FloorGiven)
    assert confirmed.limit_seconds == granted  # what the domain then gives


def test_an_overrun_under_half_a_second_is_not_reported_when_the_floor_ends() -> None:
    ended = one(ops.end(ana_speaking(), RULES, at(600.4)), Ended)
    assert texts.to_desk(ended, I18N.translator("en").gettext, at(600.4), RULES) == (
        f"⏹ {SAFE} spoke 10:00.")


def test_the_speaker_is_told_the_configured_warning_time() -> None:
    rules = FloorRules(warn_before_seconds=90)
    given = one(ops.start(ask(FloorState(), rules=rules).state, rules, T0), FloorGiven)
    assert texts.to_person(given, I18N.translator("en").gettext, T0, rules) == (
        "🎙 <b>You have the floor.</b> Your time: 10:00. I will warn you 1:30 before the end.")
