"""End-to-end: stopping the bot stops the answering workers and closes the services."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from tests.telegram_server import FakeTelegram

ANA = 201


def answer_workers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("answer_")]


async def test_stopping_the_bot_stops_the_answer_pool_and_closes_the_database(
        telegram: FakeTelegram, bot_factory) -> None:
    before = set(answer_workers())
    bot = await bot_factory()
    ana = telegram.user(ANA, "Ana")
    await ana.ask("Hello!", "Ask me about the panel")  # computed in the answering pool
    started = [t for t in answer_workers() if t not in before]
    assert started and "ask_pool" in bot.application.bot_data
    await bot.stop()  # as run_polling does: application shutdown, then post_shutdown
    for thread in started:
        thread.join(timeout=10)  # the pool was shut down: idle workers exit
        assert not thread.is_alive(), thread.name
    assert "ask_pool" not in bot.application.bot_data
    with pytest.raises(sqlite3.ProgrammingError):
        bot.services.db.query("SELECT 1")


async def test_a_restarted_bot_answers_with_a_new_pool(telegram: FakeTelegram,
                                                       bot_factory) -> None:
    first = await bot_factory()
    ana = telegram.user(ANA, "Ana")
    await ana.ask("Hello!", "Ask me about the panel")
    await first.stop()
    await bot_factory()
    await ana.ask("Thanks!", "Ask me about the panel")
