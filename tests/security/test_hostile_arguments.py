"""Odd arguments to organiser commands get a clear message, never the "went wrong" apology.

Found by the parser properties (tests/domain/test_parsers_properties.py): Unicode digits such as
"²" pass `str.isdigit()` but not `int()`, and ids beyond SQLite's 64-bit integers pass `int()`.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.telegram_server import FakeTelegram

CHAIR = 111
CONFIG: dict[str, Any] = {"roles": {"organisers": [CHAIR]}}
APOLOGY = "Sorry, something went wrong"


async def answer_to(telegram: FakeTelegram, text: str) -> str:
    """The chair sends a command; the text of the bot's next message to the chair."""
    return (await telegram.user(CHAIR, "Chair").ask(text)).text


@pytest.mark.parametrize(("command", "expected"), [
    ("/move ² 1", "Usage: /move"),
    ("/remove ³", "Usage: /remove"),
    ("/move ١ ٢", "There is no position 1"),  # Arabic-Indic digits are numbers
    ("/remove 99999", "There is no position 99999"),
])
async def test_floor_commands_with_odd_numbers_get_a_clear_message(
        telegram: FakeTelegram, bot_factory: Any, command: str, expected: str) -> None:
    await bot_factory(CONFIG)
    text = await answer_to(telegram, command)
    assert expected in text and APOLOGY not in text


async def test_cancel_with_a_superscript_digit_gets_its_usage(
        telegram: FakeTelegram, bot_factory: Any) -> None:
    await bot_factory(CONFIG)
    text = await answer_to(telegram, "/cancel ²")
    assert "/cancel" in text and APOLOGY not in text


async def test_grant_with_an_id_beyond_any_telegram_id_gets_its_usage(
        telegram: FakeTelegram, bot_factory: Any) -> None:
    bot = await bot_factory(CONFIG)
    text = await answer_to(telegram, "/grant 99999999999999999999 organiser")
    assert "Usage: /grant" in text and APOLOGY not in text
    assert bot.services.participants.holders("organiser") == {CHAIR}
