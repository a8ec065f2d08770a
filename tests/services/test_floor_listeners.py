"""Floor listeners: every committed change reaches them once; a refusal or a failing listener
never changes what the chair's action did."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.floor_events import FloorGiven, Requested
from bot.errors import UserError
from bot.services.floor_service import Outcome
from tests.services.test_floor_service import CHAIR, ROOM, World
from tests.services.test_floor_service import world as world  # noqa: F401  (the fixture)


def test_each_committed_change_is_heard_once_in_order(world: World) -> None:
    heard: list[Outcome] = []
    world.service.add_listener(heard.append)
    world.service.request(ROOM)
    world.service.next(CHAIR)
    assert [type(o.events[0]) for o in heard] == [Requested, FloorGiven]
    assert heard[-1].state.current is not None
    assert heard[-1].state.current.participant_id == ROOM


def test_a_refused_action_is_not_heard(world: World) -> None:
    heard: list[Outcome] = []
    world.service.add_listener(heard.append)
    with pytest.raises(UserError):
        world.service.next(CHAIR)  # nobody waiting
    assert heard == []


def test_a_failing_listener_does_not_undo_the_action(world: World, tmp_path: Path) -> None:
    def broken(outcome: Outcome) -> None:
        raise RuntimeError("screen feed down")

    heard: list[Outcome] = []
    world.service.add_listener(broken)
    world.service.add_listener(heard.append)
    world.service.request(ROOM)
    assert len(heard) == 1
    assert [r.participant_id for r in world.reopen().state().waiting] == [ROOM]
