"""Pure texts of the floor's events: what the speaker and the chairs' chats are told.

`bot.handlers.floor_effects` sends what these functions return; they do no I/O. Every dynamic
string is escaped here (the texts are Telegram HTML); callers pass the reader's gettext. None
means that the event tells that reader nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import assert_never

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
    Resumed,
    ScheduleTimer,
    Skipped,
    TimeUp,
    Undone,
    Warned,
    Withdrawn,
)
from bot.domain.floor_model import Request, RequestState
from bot.domain.floor_rules import FloorRules
from bot.handlers.common import esc
from bot.handlers.floor_render import category_label, clock, who
from bot.i18n import Gettext


def request_of(event: Event) -> Request | None:
    """The request an event is about; None for the list-wide and the timer events."""
    match event:
        case ListChanged() | ScheduleTimer() | CancelTimers() | Undone():
            return None
        case _:
            return event.request


def to_person(event: Event, _: Gettext, now: datetime, rules: FloorRules) -> str | None:
    """What the person of the event's request is told; None for nothing, or for someone an
    organiser added (no Telegram chat)."""
    request = request_of(event)
    if request is None or request.participant_id is None:
        return None
    match event:
        case HeadsUp():
            return "🔔 " + esc(_("You are next on the list of speakers: please get ready."))
        case FloorGiven():
            return "🎙 <b>" + esc(_("You have the floor.")) + "</b> " + esc(_(
                "Your time: {limit}. I will warn you {warn} before the end.").format(
                    limit=clock(event.limit_seconds), warn=clock(rules.warn_before_seconds)))
        case Warned():
            return "⏳ " + esc(_("{left} left of your speaking time.").format(
                left=clock(event.remaining_seconds)))
        case TimeUp():
            return "⏰ " + esc(_("Your speaking time is up. Please conclude."))
        case Ended():
            return esc(_("Thank you: your intervention has ended."))
        case Paused():
            return "⏸ " + esc(_("The chair paused your clock ({left} left).").format(
                left=clock(event.remaining_seconds)))
        case Resumed():
            return "▶ " + esc(_("Your clock runs again: {left} left.").format(
                left=clock(event.request.remaining_seconds(now))))
        case Skipped(absent=True):
            return esc(_("You were called twice but were not there: your request is closed."))
        case Skipped():
            return esc(_("You were called but were not there: you are back on the list at "
                         "position {position}.").format(position=event.request.position))
        case Withdrawn(by_organiser=True):
            return esc(_("An organiser removed your request for the floor."))
        case (Withdrawn() | Requested() | Moved() | ConfirmationNeeded() | LanguageSet()
              | ListChanged() | ScheduleTimer() | CancelTimers() | Undone()):
            # A participant's own request or withdrawal is answered by its command; a
            # confirmation goes to whoever acted (`confirmation_text`); an undo may concern
            # several people (`undone_to_person`).
            return None
        case _:
            assert_never(event)  # mypy: every floor event is handled above


def to_desk(event: Event, _: Gettext, now: datetime, rules: FloorRules) -> str | None:
    """What every chair's chat is told; None for nothing."""
    match event:
        case FloorGiven():
            return _floor_given(event, _)
        case Warned():
            return "⏳ " + esc(_("{name}: {left} left.").format(
                name=event.request.name, left=clock(event.remaining_seconds)))
        case TimeUp():
            return notice_text(event.request, event.overrun_seconds, _, final=False)
        case Ended():
            return _ended(event, _)
        case Paused():
            return "⏸ " + esc(_("{name}: clock paused.").format(name=event.request.name))
        case Resumed():
            return "▶ " + esc(_("{name}: clock running, {left} left.").format(
                name=event.request.name, left=clock(event.request.remaining_seconds(now))))
        case Skipped(absent=True):
            return "⏭ " + esc(_("{name} was not there again: marked absent.").format(
                name=event.request.name))
        case Skipped():
            return "⏭ " + esc(_("{name} was not there: back to position {position}.").format(
                name=event.request.name, position=event.request.position))
        case Withdrawn(by_organiser=True):
            return esc(_("Removed from the list: {name}.").format(name=event.request.name))
        case Moved():
            return esc(_("{name} moved from {old} to {new}.").format(
                name=event.request.name, old=event.from_position, new=event.to_position))
        case ListChanged():
            return esc(_("The list of speakers is now open.") if event.is_open
                       else _("The list of speakers is now closed."))
        case Requested() if event.request.participant_id is None:
            return esc(_("Added {name} at position {position}.").format(
                name=event.request.name, position=event.position))
        case Undone():
            names = ", ".join(who(r) for r in event.requests)
            text = (_("Undone: /{action} ({names}).").format(action=event.action, names=names)
                    if names else _("Undone: /{action}.").format(action=event.action))
            return "↩ " + esc(text)
        case (HeadsUp() | Withdrawn() | Requested() | ConfirmationNeeded() | LanguageSet()
              | ScheduleTimer() | CancelTimers()):
            # The chairs see these in the live status message.
            return None
        case _:
            assert_never(event)  # mypy: every floor event is handled above


def undone_to_person(request: Request, _: Gettext, now: datetime) -> str | None:
    """What the person of a request an undo changed back is told (None: nobody to tell)."""
    if request.participant_id is None:
        return None
    left = clock(request.remaining_seconds(now))
    match request.state:
        case RequestState.SPEAKING:
            return "↩ " + esc(_("The chair undid that: you have the floor again, {left} "
                                "left.").format(left=left))
        case RequestState.PAUSED:
            return "↩ " + esc(_("The chair undid that: you have the floor again, your clock "
                                "is paused ({left} left).").format(left=left))
        case RequestState.WAITING:
            return "↩ " + esc(_("The chair undid that: you are back on the list at position "
                                "{position}.").format(position=request.position))
        case RequestState.FINISHED | RequestState.WITHDRAWN | RequestState.SKIPPED:
            return None  # an undone /add: nobody was told of it
        case _:
            assert_never(request.state)


def notice_text(request: Request, overrun: float, _: Gettext, *, final: bool) -> str:
    """The chair's time-up message, counting the overrun."""
    head = "⏰ " + esc(_("Time is up for {name} ({limit}).").format(
        name=request.name, limit=clock(request.limit_seconds or 0)))
    over = clock(max(0.0, overrun))
    if final:
        return head + "\n" + esc(_("Ended with an overrun of {overrun}.").format(overrun=over))
    return head + "\n" + esc(_("Overrun: {overrun}").format(overrun=over))


def confirmation_text(event: ConfirmationNeeded, _: Gettext) -> str:
    """The question to whoever gave the floor beyond the remote budget."""
    budget = event.budget_seconds
    if budget > 0:
        text = _("The remote budget left ({left}) cannot cover a full slot of {limit} for "
                 "{name}.").format(left=clock(budget), limit=clock(event.limit_seconds),
                                   name=event.request.name)
    else:
        text = _("The remote budget is exhausted ({left}). {name} would speak beyond it.").format(
            left=clock(budget), name=event.request.name)
    return "⚠️ " + esc(text) + "\n" + esc(_("Give the floor anyway?"))


def granted_seconds(event: ConfirmationNeeded) -> float:
    """The slot a confirmation grants: what is left of the budget, or the full limit once the
    budget is spent (as `floor_ops.start` grants it)."""
    return event.budget_seconds if event.budget_seconds > 0 else event.limit_seconds


def _floor_given(event: FloorGiven, _: Gettext) -> str:
    text = "🎙 " + esc(_("{name} has the floor ({category}): {limit}.").format(
        name=who(event.request), category=category_label(event.request.category, _),
        limit=clock(event.limit_seconds)))
    if event.budget_before is not None:
        text += "\n🌐 " + esc(_("Remote budget before this intervention: {left}.").format(
            left=clock(event.budget_before)))
    if event.over_budget:
        text += "\n⚠️ " + esc(_("Given beyond the remote budget, as confirmed."))
    return text


def _ended(event: Ended, _: Gettext) -> str:
    text = "⏹ " + esc(_("{name} spoke {spoken}.").format(
        name=event.request.name, spoken=clock(event.spoken_seconds)))
    if round(event.overrun_seconds) >= 1:
        text += " " + esc(_("Overrun: {overrun}.").format(overrun=clock(event.overrun_seconds)))
    if event.budget_after is not None:
        text += "\n🌐 " + esc(_("Remote budget left: {left}").format(
            left=clock(event.budget_after)))
    return text
