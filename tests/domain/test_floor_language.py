"""The floor language of a request: chosen when asking, changed while waiting, never otherwise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain import floor_ops
from bot.domain.floor_events import LanguageSet, Requested
from bot.domain.floor_model import FLOOR_LANGUAGES, FloorError, FloorState, Mode
from bot.domain.floor_rules import Category, FloorRules

RULES = FloorRules()
T0 = datetime(2023, 3, 29, 13, 0, tzinfo=UTC)


def asked(state: FloorState, who: int | None, language: str | None, *, t: float = 0,
          category: str = Category.IN_ROOM) -> FloorState:
    """`who` asks for the floor at T0 + t speaking `language`."""
    return floor_ops.request_floor(
        state, RULES, T0 + timedelta(seconds=t), participant_id=who, name=f"P{who}",
        delegation=f"D{who}", category=category,
        mode="room" if category == Category.IN_ROOM else "remote", language=language,
    ).state


def test_the_six_un_languages_are_the_floor_languages() -> None:
    assert FLOOR_LANGUAGES == ("en", "fr", "es", "ar", "zh", "ru")


@pytest.mark.parametrize("language", FLOOR_LANGUAGES)
def test_a_request_keeps_the_language_it_was_made_in(language: str) -> None:
    result = floor_ops.request_floor(FloorState(), RULES, T0, participant_id=1, name="Ana",
                                 delegation="Brazil", category=Category.IN_ROOM, mode="room",
                                 language=language)
    (event,) = result.events
    assert isinstance(event, Requested) and event.request.language == language
    assert result.state.waiting[0].language == language


def test_a_request_without_a_language_has_none() -> None:
    assert asked(FloorState(), 1, None).waiting[0].language is None


@pytest.mark.parametrize("bad", ["pt", "EN", "fr-CA", "", "français", "en "])
def test_an_unknown_language_is_refused_and_nothing_is_added(bad: str) -> None:
    with pytest.raises(FloorError) as info:
        floor_ops.request_floor(FloorState(), RULES, T0, participant_id=1, name="Ana",
                                delegation="Brazil", category=Category.IN_ROOM, mode=Mode.ROOM,
                                language=bad)
    assert (info.value.code, info.value.params) == ("unknown_language", {"language": bad})


def test_the_speaker_changes_the_language_of_their_waiting_request() -> None:
    state = asked(asked(FloorState(), 1, "en"), 2, "fr")
    result = floor_ops.set_language(state, 1, "ar", participant_id=1)
    (event,) = result.events
    assert isinstance(event, LanguageSet)
    assert (event.request.id, event.previous, event.request.language) == (1, "en", "ar")
    assert [(r.id, r.language, r.position) for r in result.state.waiting] == [
        (1, "ar", 1), (2, "fr", 2)]
    assert state.get(1).language == "en"  # the old state is untouched


def test_an_organiser_may_set_the_language_of_anyone_waiting() -> None:
    state = asked(FloorState(), None, None)
    result = floor_ops.set_language(state, 1, "zh")
    assert result.state.get(1).language == "zh"


def test_choosing_the_same_language_again_changes_nothing_and_says_nothing() -> None:
    state = asked(FloorState(), 1, "es")
    result = floor_ops.set_language(state, 1, "es", participant_id=1)
    assert result.state is state and result.events == ()


def test_someone_elses_request_is_refused() -> None:
    state = asked(FloorState(), 1, "en")
    with pytest.raises(FloorError) as info:
        floor_ops.set_language(state, 1, "fr", participant_id=2)
    assert info.value.code == "not_yours"


def test_a_request_that_is_no_longer_waiting_keeps_its_language() -> None:
    state = asked(FloorState(), 1, "en", category=Category.REMOTE)
    speaking = floor_ops.start(state, RULES, T0).state
    with pytest.raises(FloorError) as info:
        floor_ops.set_language(speaking, 1, "fr", participant_id=1)
    assert info.value.code == "not_waiting"
    withdrawn = floor_ops.withdraw(state, 1).state
    with pytest.raises(FloorError):
        floor_ops.set_language(withdrawn, 1, "fr", participant_id=1)
    assert withdrawn.get(1).language == "en"


def test_an_unknown_language_or_request_is_refused() -> None:
    state = asked(FloorState(), 1, "en")
    with pytest.raises(FloorError) as info:
        floor_ops.set_language(state, 1, "xx", participant_id=1)
    assert info.value.code == "unknown_language"
    with pytest.raises(FloorError) as info:
        floor_ops.set_language(state, 9, "fr", participant_id=1)
    assert info.value.code == "unknown_request"


def test_the_language_survives_being_given_the_floor_and_skipped() -> None:
    state = asked(FloorState(), 1, "ru", category=Category.REMOTE)
    given = floor_ops.start(state, RULES, T0).state
    assert given.current is not None and given.current.language == "ru"
    back = floor_ops.skip(given, RULES, T0 + timedelta(seconds=5)).state
    assert back.waiting[0].language == "ru"
