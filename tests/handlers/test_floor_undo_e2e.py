"""End-to-end: the chair undoes a mistaken /done or /next from Telegram (the fake Bot API server).

The bot runs on a fake clock, so the time spoken and the minute the undo button is offered are
exact; every wait is on a message, never a sleep.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.handlers import floor_effects
from tests.support import FakeClock
from tests.telegram_server import FakeTelegram, Sent

CHAIR, ROOM, REMOTE, OTHER = 111, 201, 203, 299
CONFIG: dict[str, Any] = {"roles": {"organisers": [CHAIR]}}
UNDO_DATA = re.compile(r"fl:z:\d+")


@pytest.fixture(autouse=True)
def fast_tick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tick the live status every half second instead of every five."""
    monkeypatch.setattr(floor_effects, "TICK_SECONDS", 0.5)


async def register(telegram: FakeTelegram) -> None:
    for user_id, name, delegation, mode in [(ROOM, "Ana Silva", "Brazil", "room"),
                                            (REMOTE, "Li Wei", "China", "remote")]:
        user = telegram.user(user_id, name.split()[0])
        await user.ask(f"/profile {name} | {delegation}", "Saved")
        await user.ask(f"/mode {mode}", "Noted")
        await user.ask("/speak", "list of speakers")


def undo_button(sent: Sent) -> str | None:
    """The callback data of the undo button under a message, if it has one."""
    found = UNDO_DATA.search(str(sent.buttons))
    return found.group(0) if found else None


async def status_with_undo(telegram: FakeTelegram, after: int) -> Sent:
    """The chair's live status message once it offers the undo button."""
    return await telegram.wait_for(lambda s: s.chat_id == CHAIR and undo_button(s) is not None
                                   and s.method in ("sendMessage", "editMessageText"),
                                   after=after)


async def chair_calls_ana(telegram: FakeTelegram, bot_factory: Any
                          ) -> tuple[Any, FakeClock, Any, int]:
    """A bot on a fake clock, Ana and Li on the list, the chair's /next given to Ana: the bot,
    its clock, the chair and the mark before the /next."""
    clock = FakeClock()
    bot = await bot_factory(CONFIG, clock=clock)
    await register(telegram)
    chair = telegram.user(CHAIR, "Chair")
    mark = await chair.send("/next")
    await telegram.wait_message(ROOM, "You have the floor", after=mark)
    return bot, clock, chair, mark


async def test_undo_gives_the_floor_back_after_a_mistaken_done(
        telegram: FakeTelegram, bot_factory) -> None:
    bot, clock, chair, mark = await chair_calls_ana(telegram, bot_factory)
    clock.advance(90)
    mark = await chair.send("/done")
    await telegram.wait_message(CHAIR, "spoke 1:30", after=mark)
    clock.advance(20)  # the chair notices the mistake

    mark = await chair.send("/undo")
    back = await telegram.wait_message(ROOM, "you have the floor again", after=mark)
    assert "8:30 left" in back.text
    note = await telegram.wait_message(CHAIR, "Undone: /done", after=mark)
    assert "Ana Silva" in note.text
    current = bot.services.floor.state().current
    assert current is not None and current.name == "Ana Silva"
    assert current.spoken_seconds(clock()) == 90  # the 20 s of the mistake are not counted
    clock.advance(30)
    assert current.spoken_seconds(clock()) == 120  # and the clock runs again

    mark = await chair.send("/undo")
    await telegram.wait_message(CHAIR, "There is nothing to undo.", after=mark)


async def test_the_status_button_undoes_a_mistaken_next_for_a_minute_only(
        telegram: FakeTelegram, bot_factory) -> None:
    bot, clock, chair, mark = await chair_calls_ana(telegram, bot_factory)
    status = await status_with_undo(telegram, mark)
    data = undo_button(status)
    assert data is not None and "Undo /next" in str(status.buttons)

    clock.advance(10)
    mark = await chair.press(status, data)
    back = await telegram.wait_message(ROOM, "back on the list at position 1", after=mark)
    assert "The chair undid that" in back.text
    state = bot.services.floor.state()
    assert state.current is None
    assert [r.name for r in state.waiting] == ["Ana Silva", "Li Wei"]
    assert bot.services.floor.budget().used == 0

    # the same button again: the action is undone already
    mark = await chair.press(status, data)
    answer = await telegram.wait_for(lambda s: s.method == "answerCallbackQuery", after=mark)
    assert "nothing to undo" in answer.text.lower()

    # a minute after the next action, the button leaves the status message
    mark = await chair.send("/next")
    await status_with_undo(telegram, mark)
    clock.advance(61)
    await telegram.wait_for(lambda s: s.chat_id == CHAIR and s.method == "editMessageText"
                            and "fl:u" in str(s.buttons) and undo_button(s) is None,
                            after=telegram.mark())
    audit = bot.services.db.query(
        "SELECT action, detail, allowed FROM audit_log WHERE action = 'floor_undo' ORDER BY id")
    assert [row["allowed"] for row in audit] == [1, 1]
    assert "Undone" in audit[0]["detail"] and "refused" in audit[1]["detail"]


async def test_an_old_undo_button_is_refused_after_the_next_action(
        telegram: FakeTelegram, bot_factory) -> None:
    bot, clock, chair, mark = await chair_calls_ana(telegram, bot_factory)
    status = await status_with_undo(telegram, mark)
    old = undo_button(status)
    assert old is not None
    clock.advance(5)
    mark = await chair.send("/done")
    await telegram.wait_message(CHAIR, "spoke", after=mark)
    mark = await chair.press(status, old)
    answer = await telegram.wait_for(lambda s: s.method == "answerCallbackQuery", after=mark)
    assert "another action came after it" in answer.text
    assert bot.services.floor.state().current is None  # nothing changed


async def test_undo_survives_a_restart_and_is_refused_to_a_participant(
        telegram: FakeTelegram, bot_factory) -> None:
    bot, clock, chair, _mark = await chair_calls_ana(telegram, bot_factory)
    other = telegram.user(OTHER, "Eve")
    clock.advance(40)
    mark = await chair.send("/done")
    await telegram.wait_message(CHAIR, "spoke", after=mark)
    await bot.stop()

    bot = await bot_factory(CONFIG, clock=clock)
    mark = await other.send("/undo")
    refused = await telegram.wait_message(OTHER, after=mark)
    assert "only the organisers" in refused.text
    assert bot.services.floor.state().current is None

    clock.advance(5)
    mark = await chair.send("/undo")
    await telegram.wait_message(ROOM, "you have the floor again", after=mark)
    current = bot.services.floor.state().current
    assert current is not None and current.spoken_seconds(clock()) == 40
