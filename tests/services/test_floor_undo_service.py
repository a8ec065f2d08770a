"""The chair's undo through the floor service: recorded in SQLite, audited, refused when stale."""

from __future__ import annotations

import pytest

from bot.domain.floor_events import CancelTimers, ScheduleTimer, Undone
from bot.domain.floor_model import ChairAction, RequestState
from bot.errors import UserError
from bot.services.floor_service import UNDO_BUTTON_SECONDS
from tests.services.test_floor_service import CHAIR, REMOTE_P, ROOM, SECRETARY, World, audit
from tests.services.test_floor_service import world as world  # the fixture


def refused(action: object) -> str:
    with pytest.raises(UserError) as info:
        action()  # type: ignore[operator]
    return info.value.message


def test_undo_of_done_after_a_restart_gives_the_floor_back(world: World) -> None:
    world.service.request(ROOM)
    world.service.next(CHAIR)
    world.clock.advance(75)
    world.service.done(CHAIR)
    world.clock.advance(30)
    service = world.reopen()  # kill -9 and start again: the record is in SQLite
    outcome = service.undo(SECRETARY)
    current = outcome.state.current
    assert current is not None and current.participant_id == ROOM
    assert current.spoken_seconds(world.clock()) == 75
    (undone,) = [e for e in outcome.events if isinstance(e, Undone)]
    assert undone.action == ChairAction.DONE
    assert [e.kind for e in outcome.events if isinstance(e, ScheduleTimer)] == [
        "warning", "time_up"]
    assert service.state().current == current  # committed


def test_undo_of_next_restores_the_remote_budget(world: World) -> None:
    world.service.request(REMOTE_P)
    world.service.next(CHAIR)
    world.clock.advance(50)
    assert world.service.budget().used == 50
    outcome = world.service.undo(CHAIR)
    assert world.service.budget().used == 0
    assert outcome.state.get(1).state == RequestState.WAITING
    assert outcome.state.get(1).position == 1
    assert CancelTimers(1) in outcome.events


def test_undo_is_audited_with_the_action_it_reverted(world: World) -> None:
    world.service.request(ROOM)
    world.service.next(CHAIR)
    world.service.undo(CHAIR)
    entry = audit(world)[0]
    assert entry["action"] == "floor_undo"
    assert entry["actor_id"] == CHAIR
    assert "Undone next #1" in str(entry["detail"])


def test_only_the_last_action_can_be_undone_and_only_once(world: World) -> None:
    world.service.request(ROOM)
    world.service.request(REMOTE_P)
    first = world.service.next(CHAIR)
    first_id = world.service.undo_offer(world.clock())
    assert first_id is not None
    world.service.done(CHAIR)
    assert "another action came after it" in refused(
        lambda: world.service.undo(CHAIR, first_id.action_id))
    world.service.undo(CHAIR)  # the /done
    assert "nothing to undo" in refused(lambda: world.service.undo(CHAIR))
    assert first.state.current is not None
    assert world.service.state().current is not None  # the /next stands
    assert audit(world)[0]["detail"] == "refused: nothing_to_undo"


def test_participants_joining_meanwhile_do_not_block_the_undo(world: World) -> None:
    world.service.request(ROOM)
    world.service.next(CHAIR)
    world.service.request(REMOTE_P)  # a participant's own action is not a chair action
    outcome = world.service.undo(CHAIR)
    assert [r.participant_id for r in outcome.state.waiting] == [ROOM, REMOTE_P]


def test_undo_is_refused_when_the_list_changed_in_another_way(world: World) -> None:
    world.service.request(ROOM)
    world.service.request(REMOTE_P)
    world.service.remove(CHAIR, 1)
    world.service.request(ROOM)  # Ana asks again: restoring her old request would make two
    assert "can no longer be undone" in refused(lambda: world.service.undo(CHAIR))
    assert [r.participant_id for r in world.service.state().waiting] == [ROOM, REMOTE_P]


def test_the_undo_button_is_offered_for_a_minute(world: World) -> None:
    assert world.service.undo_offer(world.clock()) is None
    world.service.request(ROOM)
    assert world.service.undo_offer(world.clock()) is None  # a participant's request: no offer
    world.service.next(CHAIR)
    offer = world.service.undo_offer(world.clock())
    assert offer is not None and offer.action == ChairAction.NEXT
    world.clock.advance(UNDO_BUTTON_SECONDS - 1)
    assert world.service.snapshot()[1].undo == offer
    world.clock.advance(1)
    assert world.service.undo_offer(world.clock()) is None
    assert world.service.snapshot()[1].undo is None
    # the button is gone; the command still works
    assert "expired" in refused(lambda: world.service.undo(CHAIR, offer.action_id))
    assert world.service.undo(CHAIR).state.current is None


def test_undo_is_offered_no_more_once_done(world: World) -> None:
    world.service.request(ROOM)
    world.service.next(CHAIR)
    world.service.undo(CHAIR)
    assert world.service.undo_offer(world.clock()) is None


def test_a_participant_cannot_undo(world: World) -> None:
    world.service.request(ROOM)
    world.service.next(CHAIR)
    assert "only the organisers" in refused(lambda: world.service.undo(ROOM))
    assert world.service.state().current is not None
    entry = audit(world)[0]
    assert (entry["action"], entry["allowed"]) == ("floor_undo", 0)


def test_every_chair_action_can_be_undone(world: World) -> None:
    service = world.service
    service.request(ROOM)
    service.request(REMOTE_P)
    before = service.state()
    for action in (lambda: service.move(CHAIR, 2, 1), lambda: service.remove(CHAIR, 1),
                   lambda: service.add(CHAIR, "Guest", "Chile"),
                   lambda: service.set_open(CHAIR, False)):
        action()
        service.undo(CHAIR)
        after = service.state()
        assert [(r.id, r.position) for r in after.waiting] == [
            (r.id, r.position) for r in before.waiting]
        assert after.is_open
    service.next(CHAIR)
    for action in (lambda: service.pause(CHAIR), lambda: service.skip(CHAIR)):
        action()
        service.undo(CHAIR)
        assert service.state().current is not None
        assert service.state().current.state == RequestState.SPEAKING  # type: ignore[union-attr]
    service.pause(CHAIR)
    service.resume(CHAIR)
    service.undo(CHAIR)
    assert service.state().current.state == RequestState.PAUSED  # type: ignore[union-attr]
