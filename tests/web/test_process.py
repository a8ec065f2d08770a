"""The real bot process (`python -m bot run`, on uvloop) serves the screens and logs where.

A chair's /screen link is opened over HTTP; /next from Telegram reaches an open stream; the log
names the address but never the key or the token; SIGTERM stops the server with the bot.
"""

from __future__ import annotations

import re
from pathlib import Path

import aiohttp

from tests.process import BotProcess
from tests.support import TOKEN
from tests.telegram_server import FakeTelegram
from tests.web.sse import EventStream

CHAIR = 111
CONFIG = {"roles": {"organisers": [CHAIR]}}
LISTENING = re.compile(r"screen: listening on 127\.0\.0\.1 port (\d+); links start with "
                       r"(http://127\.0\.0\.1:\d+)")


async def test_the_bot_process_serves_the_room_screen_live(telegram: FakeTelegram,
                                                           tmp_path: Path) -> None:
    bot = BotProcess(tmp_path, telegram, CONFIG)
    await bot.start()
    try:
        found = LISTENING.search(bot.log())
        assert found is not None, bot.log()
        port, base = int(found.group(1)), found.group(2)
        assert base == f"http://127.0.0.1:{port}"
        chair = telegram.user(CHAIR, "Chair")
        reply = await chair.ask("/screen", "Room screen")
        link = re.search(re.escape(base) + r"/screen/([A-Za-z0-9_-]{32})", reply.text)
        assert link is not None, reply.text
        key = link.group(1)
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None)) as http:
            async with http.get(f"{base}/screen/{key}") as page:
                assert page.status == 200 and "screen.js" in await page.text()
            response = await http.get(f"{base}/screen/{key}/events")
            stream = EventStream(response)
            assert (await stream.snapshot())["current"] is None
            await chair.ask("/add Ana Silva | Brazil", "Added")
            await chair.send("/next")
            given = await stream.snapshot_where(lambda s: s["current"] is not None)
            assert given["current"]["name"] == "Ana Silva"
            bot.stop()
            assert bot.process is not None and bot.process.returncode == 0, bot.log()
            while await stream.message() is not None:  # the stream ends with the bot
                pass
        log = bot.log_path.read_text(encoding="utf-8")
        assert key not in log and TOKEN not in log
    finally:
        bot.stop()
