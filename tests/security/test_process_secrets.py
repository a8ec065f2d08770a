"""The real bot process (`python -m bot run`): the token stays out of its log, its data is private.

The process logs to the file `tests.process.BotProcess` gives it; Bot API errors are injected so
that tracebacks are logged too. The data directory is created (or tightened) to 0700 and the
participants' database to 0600, whatever the umask the process starts with.
"""

from __future__ import annotations

import asyncio
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.process import BotProcess
from tests.support import TOKEN
from tests.telegram_server import FakeTelegram, Fault

CHAIR, ANA, BEN = 111, 201, 202
CONFIG = {"roles": {"organisers": [CHAIR]}}
UNREDACTED_URL = re.compile(r"/bot(?!<token>)\d+:")


@contextmanager
def permissive_umask() -> Iterator[None]:
    """Start children with the common 022 umask, so only the bot's own chmods can protect."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def wait_calls(telegram: FakeTelegram, method: str, count: int, after: int) -> None:
    """Wait until the bot has called `method` `count` times since `after` (faulted or not)."""
    for _ in range(count):
        await telegram.wait_call(method, after=after)
        after = next(i for i in range(after, len(telegram.calls))
                     if telegram.calls[i][0] == method) + 1


def assert_no_token(log: str) -> None:
    assert TOKEN not in log
    assert TOKEN.split(":", 1)[1] not in log  # nor its secret half
    assert not UNREDACTED_URL.search(log)


async def test_the_token_never_appears_in_the_log_even_when_errors_are_logged(
        tmp_path: Path, telegram: FakeTelegram) -> None:
    bot = BotProcess(tmp_path, telegram, CONFIG)
    await bot.start()
    try:
        ana, ben = telegram.user(ANA, "Ana"), telegram.user(BEN, "Ben")
        telegram.faults.append(Fault("sendMessage", 500, chat_id=ANA, times=1))
        await ana.ask("/help", "Sorry, something went wrong")  # a handler error, logged
        telegram.faults.append(Fault("sendMessage", 403, chat_id=BEN, times=None))
        calls = len(telegram.calls)
        await ben.send("/start")  # blocked: the reply and the apology both fail, logged
        await wait_calls(telegram, "sendMessage", 2, after=calls)
        calls = len(telegram.calls)
        telegram.faults.append(Fault("getUpdates", 500, times=1))  # a polling error, logged
        await ana.ask("/start", "Welcome")  # ends the long poll in flight; the next one fails
        await wait_calls(telegram, "getUpdates", 2, after=calls)  # ... and polling goes on
    finally:
        await asyncio.to_thread(bot.stop)  # a clean stop logs its shutdown too
    log = bot.log_path.read_text(encoding="utf-8", errors="replace")
    assert log.count("error while handling an update") == 3  # the 500, the 403, polling
    assert "could not tell the user about the error" in log  # the apology to Ben: 403
    assert "Traceback" in log and "Forbidden" in log
    assert_no_token(log)


async def test_the_token_is_not_logged_when_telegram_rejects_it(
        tmp_path: Path, telegram: FakeTelegram) -> None:
    telegram.faults.append(Fault("getMe", 401, description="Unauthorized", times=None))
    bot = BotProcess(tmp_path, telegram, CONFIG)
    with pytest.raises(AssertionError, match="bot exited with 1"):
        await bot.start()
    assert_no_token(bot.log_path.read_text(encoding="utf-8", errors="replace"))


async def test_the_real_process_keeps_its_data_directory_and_database_owner_only(
        tmp_path: Path, telegram: FakeTelegram) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)  # made by hand, too open: the bot tightens it
    bot = BotProcess(tmp_path, telegram, CONFIG)
    with permissive_umask():
        await bot.start()
    try:
        await telegram.user(ANA, "Ana").ask("/start", "Welcome")
        await telegram.user(CHAIR, "Chair").ask("/broadcast The panel resumes at 15:00",
                                                "Broadcast preview")
        database = data / "panel.sqlite"
        assert mode(data) == 0o700
        assert mode(database) == 0o600
        for companion in (data / "panel.sqlite-wal", data / "panel.sqlite-shm"):
            assert mode(companion) == 0o600, companion  # WAL: recent writes live here too
        chroma = data / "chroma"
        if chroma.exists():
            assert chroma.resolve().parent == data.resolve()  # only reachable through data/
    finally:
        bot.kill9()
    assert mode(data) == 0o700
