"""The floor model's queries at their edges: unplaced requests, time left before and after the
floor is given, when the granted time runs out."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.floor_model import FloorError, FloorState, Request, RequestState
from bot.domain.floor_rules import Category

T0 = datetime(2023, 3, 29, 13, 0, tzinfo=UTC)


def request(request_id: int, position: int | None = None, **fields: object) -> Request:
    base = Request(
        id=request_id, participant_id=request_id, name=f"P{request_id}", delegation="D",
        category=Category.IN_ROOM, mode="room", topic="", requested_at=T0, position=position,
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def test_waiting_requests_without_a_place_come_after_the_placed_ones_by_id() -> None:
    state = FloorState((request(4), request(3, position=2), request(2), request(1, position=1)))
    assert [r.id for r in state.waiting] == [1, 3, 2, 4]


def test_only_waiting_requests_are_in_the_waiting_list() -> None:
    state = FloorState((request(1, position=1), request(2, state=RequestState.SPEAKING,
                                                        started_at=T0)))
    assert [r.id for r in state.waiting] == [1]
    assert state.current is not None and state.current.id == 2


def test_a_request_not_yet_given_the_floor_has_no_time_left_and_no_end() -> None:
    waiting = request(1, position=1)
    assert waiting.remaining_seconds(T0) == 0
    assert waiting.spoken_seconds(T0) == 0
    assert waiting.ends_at() is None


def test_the_end_is_known_only_while_speaking_with_a_start_and_a_limit() -> None:
    speaking = request(1, state=RequestState.SPEAKING, started_at=T0, limit_seconds=60.0,
                       paused_seconds=5.0)
    assert speaking.ends_at() == T0 + timedelta(seconds=65)
    assert replace(speaking, state=RequestState.PAUSED, paused_at=T0).ends_at() is None
    assert replace(speaking, started_at=None).ends_at() is None
    assert replace(speaking, limit_seconds=None).ends_at() is None
    assert replace(speaking, state=RequestState.WAITING).ends_at() is None


def test_an_unknown_request_is_refused_with_its_id() -> None:
    with pytest.raises(FloorError) as info:
        FloorState((request(1, position=1),)).get(5)
    assert (info.value.code, info.value.params, str(info.value)) == (
        "unknown_request", {"request_id": 5}, "unknown_request",
    )
