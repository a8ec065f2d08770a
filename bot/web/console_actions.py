"""The chair's console's actions: the explicit table of what it may do, and body validation.

Pure: each action is one FloorService call with the organiser as the actor (the service audits
it). A body that is not exactly one of these is refused before anything is called.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from bot.domain.floor_model import ChairAction
from bot.services.floor_service import FloorService, Outcome

_NUMBER_LIMIT = 1_000_000_000


class BadAction(Exception):
    """The body is not a valid console action."""


@dataclass(frozen=True)
class Action:
    """A validated console action."""

    name: ChairAction | Literal["budget"]
    request_id: int | None = None
    from_position: int | None = None
    to_position: int | None = None
    position: int | None = None
    confirm: bool = False


def _need(value: int | None) -> int:
    if value is None:
        raise BadAction()
    return value


# The explicit table of what the console may do: action -> FloorService call (actor first).
ACTIONS: dict[ChairAction, Callable[[FloorService, int, Action], Outcome]] = {
    ChairAction.NEXT: lambda floor, actor, a: floor.next(actor, a.request_id,
                                                         confirmed=a.confirm),
    ChairAction.DONE: lambda floor, actor, a: floor.done(actor, a.request_id),
    ChairAction.PAUSE: lambda floor, actor, a: floor.pause(actor, a.request_id),
    ChairAction.RESUME: lambda floor, actor, a: floor.resume(actor, a.request_id),
    ChairAction.SKIP: lambda floor, actor, a: floor.skip(actor, a.request_id),
    ChairAction.MOVE: lambda floor, actor, a: floor.move(actor, _need(a.from_position),
                                                         _need(a.to_position)),
    ChairAction.REMOVE: lambda floor, actor, a: floor.remove(actor, _need(a.position)),
    ChairAction.CLOSE: lambda floor, actor, a: floor.set_open(actor, False),
    ChairAction.OPEN: lambda floor, actor, a: floor.set_open(actor, True),
}
BUDGET: Literal["budget"] = "budget"  # the one read: the remote budget, as a message
# Which position the request named by an action's request_id must still be at.
AT_POSITION: dict[ChairAction | Literal["budget"], str] = {
    ChairAction.MOVE: "from_position", ChairAction.REMOVE: "position"}


def parse_action(body: Any) -> Action:
    """Validate an action body (a JSON object); BadAction when anything is off."""
    if not isinstance(body, dict):
        raise BadAction()
    known = {"action", "request_id", "from", "to", "position", "confirm"}
    if set(body) - known:
        raise BadAction()
    name = _name(body.get("action"))
    confirm = body.get("confirm", False)
    if not isinstance(confirm, bool) or (confirm and name != ChairAction.NEXT):
        raise BadAction()
    numbers = {key: _number(body.get(key)) for key in ("request_id", "from", "to", "position")}
    if confirm and numbers["request_id"] is None:  # a confirmation names whom it is for
        raise BadAction()
    return Action(name, numbers["request_id"], numbers["from"], numbers["to"],
                  numbers["position"], confirm)


def _name(value: Any) -> ChairAction | Literal["budget"]:
    """The action a body names (the JSON string, parsed here at the boundary)."""
    if value == BUDGET:
        return BUDGET
    try:
        action = ChairAction(value)  # a non-string, or a string that is no chair action
    except ValueError:
        raise BadAction() from None
    if action not in ACTIONS:  # a chair action the console does not offer (add, undo)
        raise BadAction()
    return action


def _number(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < _NUMBER_LIMIT:
        raise BadAction()
    return value
