"""Shared fixtures: the fake Telegram Bot API server and a bot factory that cleans up."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support import RunningBot, start_bot
from tests.telegram_server import FakeTelegram

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("PTB_TIMEDELTA", "1")  # opt in to PTB 23 behaviour (timedelta retry_after)


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    """A fresh fake Bot API server on 127.0.0.1."""
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def bot_factory(tmp_path: Path, telegram: FakeTelegram
                      ) -> AsyncIterator[Callable[..., Any]]:
    """Start (and restart) bots on the same data directory; all are stopped at the end."""
    running: list[RunningBot] = []

    async def factory(overrides: dict[str, Any] | None = None, **kwargs: Any) -> RunningBot:
        bot = await start_bot(tmp_path, telegram.base_url, overrides, **kwargs)
        running.append(bot)
        return bot

    yield factory
    for bot in running:
        try:
            await bot.stop()
        except RuntimeError:
            pass  # already stopped by the test (a restart)
