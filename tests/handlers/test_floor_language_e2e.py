"""End-to-end: the floor language chosen with /speak's buttons, through the fake Bot API server.

Every wait is on a message, an edit or a callback answer, never a sleep.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

import pytest

from bot.handlers import floor_effects
from tests.telegram_server import FakeTelegram, Sent

CHAIR = 111
ROOM, REMOTE, GUEST = 201, 203, 204
CONFIG: dict[str, Any] = {"roles": {"organisers": [CHAIR]}}


@pytest.fixture(autouse=True)
def fast_tick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tick the live status every half second instead of every five."""
    monkeypatch.setattr(floor_effects, "TICK_SECONDS", 0.5)


async def register(telegram: FakeTelegram) -> None:
    """Two participants say who they are and how they attend (Li Wei's app is in Russian)."""
    for user_id, name, delegation, mode, app in [
        (ROOM, "Ana Silva", "Brazil", "room", "en"), (REMOTE, "Li Wei", "China", "remote", "ru"),
    ]:
        user = telegram.user(user_id, name.split()[0], app)
        await user.send(f"/profile {name} | {delegation}")
        await telegram.wait_message(user_id, method="sendMessage")
        mark = await user.send(f"/mode {mode}")
        await telegram.wait_message(user_id, after=mark, method="sendMessage")


def checked(sent: Sent) -> list[str]:
    """The labels of the checked language buttons."""
    return [b["text"] for b in sent.buttons if str(b["text"]).startswith("✓")]


def answer_after(telegram: FakeTelegram, mark: int) -> Any:
    """The next callback query answer after `mark`."""
    return telegram.wait_for(lambda s: s.method == "answerCallbackQuery", after=mark)


def status_edit_with(text: str) -> Callable[[Sent], bool]:
    """An edit of the chair's live status message showing `text`."""
    def match(sent: Sent) -> bool:
        return (sent.chat_id == CHAIR and sent.method == "editMessageText"
                and text in sent.text)
    return match


async def test_speak_offers_the_six_languages_and_a_press_changes_the_floor_language(
        telegram: FakeTelegram, bot_factory) -> None:
    bot = await bot_factory(CONFIG)
    await register(telegram)
    chair, room, remote = (telegram.user(CHAIR, "Chair"), telegram.user(ROOM),
                           telegram.user(REMOTE, "Li", "ru"))
    await chair.ask("/queue", "List of speakers")  # the chair's live status message

    reply = await room.ask("/speak", "list of speakers")
    assert "checked below" in reply.text
    labels = [b["text"] for b in reply.buttons]
    assert labels == ["✓ English", "Français", "Español", "العربية", "中文", "Русский"]
    assert all(len(str(b["callback_data"]).encode()) <= 64 for b in reply.buttons)
    mark = telegram.mark()
    other = await remote.send("/speak")
    russian = await telegram.wait_message(REMOTE, after=other, method="sendMessage")
    assert checked(russian) == ["✓ Русский"]  # preselected: the user's own language
    await telegram.wait_for(status_edit_with("Li Wei (China) · remote · RU"), after=mark)

    mark = await room.press(reply, reply.button("Français")["callback_data"])
    answer = await answer_after(telegram, mark)
    assert answer.text == "Floor language: Français." and not answer.params.get("show_alert")
    edit = await telegram.wait_for(lambda s: s.method == "editMessageReplyMarkup"
                                   and s.chat_id == ROOM, after=mark)
    assert checked(edit) == ["✓ Français"]
    await telegram.wait_for(status_edit_with("Ana Silva (Brazil) · in the room · FR"),
                            after=mark)
    assert bot.services.floor.state().waiting_of(ROOM).language == "fr"  # type: ignore[union-attr]

    # someone else presses Ana's button (a group chat): refused, nothing changes
    before = bot.services.floor.state()
    mark = await remote.press(reply, reply.button("中文")["callback_data"])
    refusal = await answer_after(telegram, mark)
    # in the presser's own language (Li Wei reads Russian)
    assert refusal.params.get("show_alert") and "чужая заявка" in refusal.text
    # a forged language code is not a valid button
    mark = await room.press(reply, reply.button("中文")["callback_data"].replace("zh", "xx"))
    forged = await answer_after(telegram, mark)
    assert forged.params.get("show_alert") and "no longer valid" in forged.text
    # the checked one again: answered, nothing to change
    mark = await room.press(reply, reply.button("Français")["callback_data"])
    assert (await answer_after(telegram, mark)).text == "Floor language: Français."
    assert bot.services.floor.state() == before

    # once Ana has the floor her request is no longer waiting: the buttons refuse
    mark = await chair.send("/next")
    await telegram.wait_message(ROOM, "You have the floor", after=mark)
    await telegram.wait_for(status_edit_with("🎙 <b>Ana Silva (Brazil)</b> · in the room · FR"),
                            after=mark)
    before = bot.services.floor.state()
    mark = await room.press(reply, reply.button("Español")["callback_data"])
    late = await answer_after(telegram, mark)
    assert late.params.get("show_alert") and "no longer waiting" in late.text
    assert bot.services.floor.state() == before

    mark = await chair.send("/report")
    document = await telegram.wait_for(lambda s: s.method == "sendDocument", after=mark)
    (_name, data), = document.files.values()
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [(r["speaker"], r["language"]) for r in rows] == [("Ana Silva", "fr"),
                                                             ("Li Wei", "ru")]
    unreached = await telegram.wait_message(CHAIR, "Never reached", after=mark)
    assert "Li Wei (China) · remote · RU" in unreached.text


async def test_speak_and_add_take_a_language_and_it_survives_a_restart(
        telegram: FakeTelegram, bot_factory) -> None:
    bot = await bot_factory(CONFIG)
    await register(telegram)
    room, chair = telegram.user(ROOM), telegram.user(CHAIR, "Chair")
    reply = await room.ask("/speak ar access to data", "list of speakers")
    assert checked(reply) == ["✓ العربية"]
    request = bot.services.floor.state().waiting[0]
    assert (request.language, request.topic) == ("ar", "access to data")
    changed = await room.ask("/speak Chinese", "Floor language")
    assert "中文" in changed.text
    await chair.ask("/add Jean Dupont | France remote es", "Added Jean Dupont")
    await chair.ask("/add Eve | X room", "Added Eve")  # no language given: none shown
    before = bot.services.floor.state()
    assert [(r.name, r.language) for r in before.waiting] == [
        ("Ana Silva", "zh"), ("Eve", None), ("Jean Dupont", "es")]
    await bot.stop()

    restarted = await bot_factory(CONFIG)
    assert restarted.services.floor.state() == before
    mark = await chair.send("/queue")
    # the reply, not the restarted bot's edit of the old status message (it names Jean too)
    listing = await telegram.wait_message(CHAIR, "Jean Dupont", after=mark, method="sendMessage")
    assert "Ana Silva (Brazil) · in the room · ZH" in listing.text
    assert "Jean Dupont (France) · remote · ES" in listing.text
    assert re.search(r"Eve \(X\) · in the room · \d\d:\d\d", listing.text)
    # the button under the reply sent before the restart still works
    mark = await room.press(reply, reply.button("Русский")["callback_data"])
    assert (await answer_after(telegram, mark)).text == "Floor language: Русский."
    assert restarted.services.floor.state().waiting[0].language == "ru"
