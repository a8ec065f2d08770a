"""/console end to end: the real bot polls the fake Bot API server and serves its web server;
the link it sends is opened on that server like a browser would."""

from __future__ import annotations

import logging
import re
from typing import Any

import aiohttp
import pytest

from bot.storage.console_repo import ConsoleRepo
from bot.web.server import web_server
from tests.telegram_server import FakeTelegram

CHAIR, DELEGATE = 111, 201
CONFIG: dict[str, Any] = {"roles": {"organisers": [CHAIR]}}
LINK = re.compile(r'href="(https?://[^"]+/console/signin/([A-Za-z0-9_-]{43}))"')


def counts(bot: Any) -> tuple[int, int]:
    return ConsoleRepo(bot.services.db).counts()


async def test_console_gives_an_organiser_a_one_time_link_to_the_running_console(
        telegram: FakeTelegram, bot_factory, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    bot = await bot_factory(CONFIG)
    server = web_server(bot.application)
    assert server is not None and server.running
    chair = telegram.user(CHAIR, "Chair")
    answer = await chair.ask("/console", "sign-in link")
    match = LINK.search(answer.text)
    assert match is not None, answer.text
    link, token = match.groups()
    assert link.startswith(f"{server.public_url}/console/signin/")
    assert "10 minutes" in answer.text and "https://" in answer.text  # why no Mini App button
    assert not answer.buttons  # http: Telegram opens Mini Apps on HTTPS only
    # no link preview: Telegram fetching the page must not use the link up
    assert answer.params.get("link_preview_options") == {"is_disabled": True}
    assert all(token not in record.getMessage() for record in caplog.records)

    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        response = await browser.get(link)  # follows the redirect to the page
        assert response.status == 200 and str(response.url).endswith("/console")
        state = await browser.get(f"{server.public_url}/console/state")
        assert state.status == 200 and (await state.json())["current"] is None
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as other:
        again = await other.get(link, allow_redirects=False)
        assert again.status == 401
    assert counts(bot) == (1, 1)
    assert all(token not in record.getMessage() for record in caplog.records)


async def test_behind_https_the_reply_has_a_mini_app_button(telegram: FakeTelegram,
                                                            bot_factory) -> None:
    bot = await bot_factory({**CONFIG, "screen": {"port": 0,
                                                  "public_url": "https://panel.example.org"}})
    answer = await telegram.user(CHAIR, "Chair").ask("/console", "sign-in link")
    match = LINK.search(answer.text)
    assert match is not None and match.group(1).startswith(
        "https://panel.example.org/console/signin/")
    button = answer.button("Open the console")
    assert button["web_app"] == {"url": "https://panel.example.org/console"}
    assert match.group(2) not in str(button)  # the Mini App signs in with initData instead
    assert counts(bot) == (1, 0)


async def test_a_participant_is_refused_and_gets_no_link(telegram: FakeTelegram,
                                                         bot_factory) -> None:
    bot = await bot_factory(CONFIG)
    delegate = telegram.user(DELEGATE, "Ana")
    await delegate.ask("/start")
    answer = await delegate.ask("/console", "only the organisers")
    assert "/console/signin/" not in answer.text and not answer.buttons
    assert counts(bot) == (0, 0)
    refused = [e for e in bot.services.participants.repo.audit_entries(50)
               if e["action"] == "console"]
    assert [(e["actor_id"], e["allowed"]) for e in refused] == [(DELEGATE, 0)]


async def test_in_a_group_the_link_is_not_given(telegram: FakeTelegram, bot_factory) -> None:
    bot = await bot_factory(CONFIG)
    chair = telegram.user(CHAIR, "Chair")
    group = {"id": -100500, "type": "supergroup", "title": "Bureau"}
    mark = telegram.mark()
    await telegram.push_update({"message": {
        "message_id": 1, "date": 0, "chat": group, "from": chair._from(), "text": "/console",
        "entities": [{"type": "bot_command", "offset": 0, "length": 8}]}})
    answer = await telegram.wait_message(-100500, "private chat", after=mark)
    assert "/console/signin/" not in answer.text
    assert counts(bot) == (0, 0)


async def test_with_the_screen_off_the_console_says_so(telegram: FakeTelegram,
                                                       bot_factory) -> None:
    bot = await bot_factory({**CONFIG, "screen": {"enabled": False}})
    answer = await telegram.user(CHAIR, "Chair").ask("/console", "[screen]")
    assert "/console/signin/" not in answer.text
    assert counts(bot) == (0, 0)
