"""End-to-end: /screen and /screen reset, through the fake Bot API server.

The links are then opened on the bot's own web server (port 0), as the room's projector would.
"""

from __future__ import annotations

import re
from typing import Any

import aiohttp

from bot.web.server import web_server
from tests.telegram_server import FakeTelegram
from tests.web.sse import EventStream

CHAIR, ANA = 111, 201
PUBLIC = "https://panel.example.org/meeting"
CONFIG: dict[str, Any] = {"roles": {"organisers": [CHAIR]}, "screen": {"public_url": PUBLIC}}
LINK = re.compile(re.escape(PUBLIC) + r"/(screen|booth)/([A-Za-z0-9_-]{32})")


def links(text: str) -> dict[str, str]:
    return {view: key for view, key in LINK.findall(text)}


def local(bot: Any, view: str, key: str, tail: str = "") -> str:
    server = web_server(bot.application)
    assert server is not None
    return f"http://127.0.0.1:{server.port}/{view}/{key}{tail}"


def audit(bot: Any, action: str) -> list[tuple[int, str, int]]:
    rows = bot.services.db.query(
        "SELECT actor_id, detail, allowed FROM audit_log WHERE action = ? ORDER BY id", (action,))
    return [(row["actor_id"], row["detail"], row["allowed"]) for row in rows]


async def test_an_organiser_gets_the_room_screen_and_booth_links_and_the_console_hint(
        telegram: FakeTelegram, bot_factory) -> None:
    bot = await bot_factory(CONFIG)
    reply = await telegram.user(CHAIR, "Chair").ask("/screen", "Room screen")
    found = links(reply.text)
    assert set(found) == {"screen", "booth"} and found["screen"] == found["booth"]
    assert "/console" in reply.text and "?lang=" in reply.text and "/screen reset" in reply.text
    assert audit(bot, "screen") == [(CHAIR, "links shown", 1)]
    async with aiohttp.ClientSession() as http:
        for view in ("screen", "booth"):
            async with http.get(local(bot, view, found[view])) as response:
                assert response.status == 200


async def test_the_links_come_in_the_organisers_language(telegram: FakeTelegram,
                                                          bot_factory) -> None:
    await bot_factory(CONFIG)
    reply = await telegram.user(CHAIR, "Chair", language_code="fr").ask("/screen", "cabines")
    assert "Écran de salle" in reply.text and len(links(reply.text)) == 2


async def test_a_participant_is_refused_sees_no_link_and_it_is_audited(
        telegram: FakeTelegram, bot_factory) -> None:
    bot = await bot_factory(CONFIG)
    key = web_server(bot.application).ctx.screens.key  # type: ignore[union-attr]
    for command in ("/screen", "/screen reset"):
        reply = await telegram.user(ANA, "Ana").ask(command, "only the organisers")
        assert not links(reply.text) and key not in reply.text
    assert audit(bot, "screen") == [(ANA, "refused: not an organiser", 0)] * 2
    assert web_server(bot.application).ctx.screens.key == key  # type: ignore[union-attr]


async def test_reset_replaces_the_links_and_closes_the_old_ones_streams(
        telegram: FakeTelegram, bot_factory) -> None:
    bot = await bot_factory(CONFIG)
    chair = telegram.user(CHAIR, "Chair")
    old = links((await chair.ask("/screen", "Room screen")).text)["screen"]
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None)) as http:
        response = await http.get(local(bot, "screen", old, "/events"))
        assert response.status == 200
        stream = EventStream(response)
        await stream.snapshot()
        reply = await chair.ask("/screen reset", "New links")
        new = links(reply.text)["screen"]
        assert new != old and links(reply.text)["booth"] == new
        while (message := await stream.message()) is not None:  # the old stream is closed
            assert message.event == "snapshot"
        for view in ("screen", "booth"):
            for tail in ("", "/events", "/state"):
                async with http.get(local(bot, view, old, tail)) as gone:
                    assert gone.status == 404, (view, tail)
            async with http.get(local(bot, view, new)) as fresh:
                assert fresh.status == 200
    assert audit(bot, "screen_reset") == [(CHAIR, "screen links replaced", 1)]
    assert old not in str(audit(bot, "screen_reset")) and new not in str(audit(bot, "screen"))


async def test_unknown_arguments_get_the_usage_and_change_nothing(telegram: FakeTelegram,
                                                                  bot_factory) -> None:
    bot = await bot_factory(CONFIG)
    key = web_server(bot.application).ctx.screens.key  # type: ignore[union-attr]
    reply = await telegram.user(CHAIR, "Chair").ask("/screen resett now", "Usage")
    assert "/screen reset" in reply.text and not links(reply.text)
    assert web_server(bot.application).ctx.screens.key == key  # type: ignore[union-attr]
    assert audit(bot, "screen_reset") == []
