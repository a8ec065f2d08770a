"""Pure rendering of the floor: callback data, durations, escaping."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.floor_model import (
    FLOOR_LANGUAGES,
    ChairAction,
    FloorState,
    Request,
    RequestState,
    status,
)
from bot.domain.floor_rules import FloorRules
from bot.handlers import floor_commands
from bot.handlers.floor_render import (
    LANGUAGE,
    PLAIN,
    WITH_ID,
    Action,
    Button,
    ButtonAction,
    clock,
    data_for,
    language_keyboard,
    language_name,
    parse_data,
    queue_text,
    status_text,
    unreached_text,
)
from bot.i18n import language_named

T0 = datetime(2023, 3, 29, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize(("action", "request_id", "sent"), [
    (ChairAction.NEXT, 1, "fl:n:1"), (ChairAction.DONE, 999_999_999, "fl:d:999999999"),
    (ChairAction.PAUSE, 7, "fl:p:7"), (ChairAction.RESUME, 7, "fl:r:7"),
    (ChairAction.SKIP, 3, "fl:s:3"), (ChairAction.UNDO, 4, "fl:z:4"),
    (ButtonAction.CONFIRM, 12, "fl:c:12"), (ButtonAction.REQUEST, None, "fl:q"),
    (ButtonAction.WITHDRAW, None, "fl:w"), (ButtonAction.REFRESH, None, "fl:u"),
    (ButtonAction.CANCEL, None, "fl:x"),
])
def test_callback_data_round_trips_keeps_the_bytes_already_sent_and_fits_telegrams_limit(
        action: Action, request_id: int | None, sent: str) -> None:
    data = data_for(action, request_id)
    assert data == sent  # buttons in chats sent before an upgrade must still work
    assert len(data.encode()) <= 64
    button = parse_data(data)
    assert button == Button(action, request_id)
    assert button is not None and type(button.action) is type(action)


def test_every_button_a_press_can_name_has_a_callback_and_every_chair_call_a_button() -> None:
    named = {*WITH_ID.values(), *PLAIN.values(), LANGUAGE}
    assert set(floor_commands._BUTTONS) == named
    assert set(floor_commands.CHAIR_CALLS) <= named


@pytest.mark.parametrize("language", FLOOR_LANGUAGES)
def test_language_buttons_round_trip_and_fit_telegrams_limit(language: str) -> None:
    data = data_for(LANGUAGE, 999_999_999, language)
    assert len(data.encode()) <= 64
    assert parse_data(data) == Button(LANGUAGE, 999_999_999, language)


@pytest.mark.parametrize("data", [None, "", "fl:n", "fl:n:0", "fl:n:-1", "fl:n:1234567890",
                                  "fl:q:1", "fl:zz:1", "bc:send:1", "fl:n:1 ", "fl:d:1;drop",
                                  "fl:l:1", "fl:l:1:xx", "fl:l:1:FR", "fl:l:0:fr", "fl:l::fr",
                                  "fl:l:1:fr:2", "fl:l:1:pt", "fl:l:1234567890:en", "fl:n:1:fr"])
def test_forged_or_stale_callback_data_is_rejected(data: str | None) -> None:
    assert parse_data(data) is None


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "0:00"), (59.4, "0:59"), (60, "1:00"), (420, "7:00"), (1800, "30:00"), (-100, "-1:40"),
    (0.6, "0:01"),
])
def test_durations_read_as_minutes_and_seconds(seconds: float, text: str) -> None:
    assert clock(seconds) == text


def test_the_language_keyboard_names_the_six_in_their_own_words_and_checks_the_current() -> None:
    markup = language_keyboard(7, "ar")
    labels = [b.text for row in markup.inline_keyboard for b in row]
    assert labels == ["English", "Français", "Español", "✓ العربية", "中文", "Русский"]
    assert [len(row) for row in markup.inline_keyboard] == [3, 3]
    data = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert data == [f"fl:l:7:{code}" for code in FLOOR_LANGUAGES]
    unknown = language_keyboard(7, None)
    assert not any("✓" in b.text for row in unknown.inline_keyboard for b in row)


def test_data_for_refuses_a_language_button_without_a_floor_language() -> None:
    with pytest.raises(ValueError):
        data_for(LANGUAGE, 1, "pt")
    with pytest.raises(ValueError):
        data_for(LANGUAGE, None, "fr")


def _request(request_id: int, language: str | None, **changes: object) -> Request:
    fields: dict[str, object] = dict(
        id=request_id, participant_id=request_id, name=f"<P{request_id}>", delegation="D",
        category="in_room", mode="room", topic="", requested_at=T0, position=request_id,
        language=language)
    fields.update(changes)
    return Request(**fields)  # type: ignore[arg-type]


def test_the_chairs_status_and_the_queue_show_each_language() -> None:
    state = FloorState((
        _request(1, "fr", state=RequestState.SPEAKING, position=None, started_at=T0,
                 limit_seconds=600),
        _request(2, "zh"), _request(3, None), _request(4, "ar"),
    ))
    text = status_text(status(state, FloorRules(), T0), str)
    assert "🎙 <b>&lt;P1&gt; (D)</b> · in the room · FR" in text
    assert "2. &lt;P2&gt; (D) · in the room · ZH" in text
    assert "3. &lt;P3&gt; (D) · in the room\n" in text  # not known: nothing shown
    listing = queue_text(state, None, None, str, ZoneInfo("Europe/Zurich"))
    assert "Speaking: &lt;P1&gt; (D) · in the room · FR" in listing
    assert "4. &lt;P4&gt; (D) · in the room · AR · 15:00" in listing
    assert "2. &lt;P2&gt; (D) · in the room · ZH" in unreached_text(state.waiting, str)


def test_language_names_are_those_language_understands() -> None:
    assert [language_named(language_name(code)) for code in FLOOR_LANGUAGES] == list(
        FLOOR_LANGUAGES)
