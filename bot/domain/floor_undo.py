"""Undo of the chair's last floor action: a mistaken /done or /next happens in every meeting.

Pure and stdlib only; the time is always an argument. A chair action is remembered as an
`ActionRecord` (the requests it changed, before and after); `undo` puts those requests back:

- a speaker ended, skipped or paused by mistake gets the floor back with the time already
  spoken (the clock stood still between the action and the undo, so the remote budget too);
- a request called by mistake goes back to its place, its few seconds uncharged;
- a removed or moved request returns to its place; a request added by mistake is withdrawn;
  a list opened or closed by mistake is closed or opened again.

Changes made meanwhile by others are kept (a participant joining the list, changing their floor
language, a timer firing). The undo is refused when the requests it would restore have changed
since in any other way: that can only be another action, and only the last one can be undone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from bot.domain.floor_events import CancelTimers, Event, ListChanged, Result, Undone
from bot.domain.floor_model import (
    ChairAction,
    FloorError,
    FloorState,
    Request,
    RequestState,
)
from bot.domain.floor_ops import _renumber, _timers, _with_heads_up
from bot.domain.floor_rules import FloorRules


@dataclass(frozen=True)
class ActionRecord:
    """One chair action, with what it changed (the requests it created have no `before`)."""

    id: int
    action: ChairAction
    actor_id: int | None
    at: datetime
    before: tuple[Request, ...]
    after: tuple[Request, ...]
    was_open: bool
    is_open: bool


def record_of(
    action_id: int,
    action: ChairAction,
    actor_id: int | None,
    at: datetime,
    before: FloorState,
    after: FloorState,
) -> ActionRecord | None:
    """What an action changed between two states; None when it changed nothing."""
    old = {r.id: r for r in before.requests}
    changed = tuple(r for r in after.requests if old.get(r.id) != r)
    if not changed and before.is_open == after.is_open:
        return None
    return ActionRecord(
        id=action_id,
        action=action,
        actor_id=actor_id,
        at=at,
        before=tuple(old[r.id] for r in changed if r.id in old),
        after=changed,
        was_open=before.is_open,
        is_open=after.is_open,
    )


def undo(state: FloorState, rules: FloorRules, now: datetime, record: ActionRecord) -> Result:
    """Revert the recorded action on the current list (see the module docstring)."""
    _check_unchanged(state, record)
    gap = max(0.0, (now - record.at).total_seconds())
    before = {r.id: r for r in record.before}
    restored: dict[int, Request] = {}
    for after in record.after:
        current = state.get(after.id)
        old = before.get(after.id)
        if old is None:  # created by the action (/add): withdrawn again
            back = replace(current, state=RequestState.WITHDRAWN, position=None)
        else:
            back = replace(old, language=current.language)
            if old.state == RequestState.SPEAKING and after.state != RequestState.SPEAKING:
                # the clock stood still from the action to the undo
                back = replace(back, paused_seconds=old.paused_seconds + gap)
        restored[after.id] = back
    _check_restorable(state, restored)
    requests = tuple(restored.get(r.id, r) for r in state.requests)
    next_state = _renumber(
        replace(state, requests=requests, is_open=record.was_open),
        _order(state, restored),
    )
    events: list[Event] = []
    for after in record.after:
        if _speaking(state.get(after.id)) and not _speaking(next_state.get(after.id)):
            events.append(CancelTimers(after.id))
    changed_back = tuple(
        next_state.get(r.id) for r in record.after if next_state.get(r.id).state != r.state
    )
    events.append(Undone(record.action, record.id, changed_back))
    if record.was_open != record.is_open:
        events.append(ListChanged(record.was_open))
    speaker = next_state.current
    if speaker is not None and _speaking(speaker) and not _speaking(state.get(speaker.id)):
        events.extend(_timers(speaker, rules, now))
    return _with_heads_up(next_state, events)


# ---- helpers ------------------------------------------------------------------------------


def _essentials(request: Request) -> tuple[object, ...]:
    """What only a floor action changes (not a timer, a heads-up, a renumbering or a language)."""
    return (
        request.state,
        request.started_at,
        request.paused_at,
        request.paused_seconds,
        request.ended_at,
        request.limit_seconds,
        request.skips,
    )


def _check_unchanged(state: FloorState, record: ActionRecord) -> None:
    if state.is_open != record.is_open:
        raise FloorError("undo_stale")
    known = {r.id for r in state.requests}
    for after in record.after:
        if after.id not in known or _essentials(state.get(after.id)) != _essentials(after):
            raise FloorError("undo_stale")


def _check_restorable(state: FloorState, restored: dict[int, Request]) -> None:
    """The restored requests must fit beside the others: one speaker, one request per person."""
    others = [r for r in state.requests if r.id not in restored]
    if any(r.is_current for r in restored.values()) and any(r.is_current for r in others):
        raise FloorError("undo_stale")
    active = {
        r.participant_id
        for r in others
        if r.participant_id is not None and (r.state == RequestState.WAITING or r.is_current)
    }
    for r in restored.values():
        if r.participant_id in active and (r.state == RequestState.WAITING or r.is_current):
            raise FloorError("undo_stale")


def _speaking(request: Request) -> bool:
    return request.state == RequestState.SPEAKING


def _order(state: FloorState, restored: dict[int, Request]) -> list[int]:
    """The waiting order after an undo: requests the action renumbered or moved take back their
    former order in the places they hold now; requests coming back to the list (called,
    removed) go back to their former positions; everyone else keeps their place."""
    back = {rid: r for rid, r in restored.items() if r.state == RequestState.WAITING}
    order = [r.id for r in state.waiting if r.id not in restored or r.id in back]
    slots = [i for i, rid in enumerate(order) if rid in back]
    former = sorted((order[i] for i in slots), key=lambda rid: _former_place(back[rid]))
    for i, rid in zip(slots, former, strict=True):
        order[i] = rid
    staying = set(order)
    for r in sorted((r for rid, r in back.items() if rid not in staying), key=_former_place):
        order.insert(min((r.position or 1) - 1, len(order)), r.id)
    return order


def _former_place(request: Request) -> tuple[int, int]:
    return (request.position or 0, request.id)
