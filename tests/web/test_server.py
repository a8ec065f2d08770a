"""The web server in the bot: the room screen and booth view over a real socket (port 0).

The bot is the real Application polling the fake Bot API server; its web server is started by
post_init like in production. Streams are read as a browser's EventSource would.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.web import server as web_server_module
from bot.web.server import WebServer, build_web_app, stop_web, web_server
from tests.support import TOKEN, FakeClock
from tests.telegram_server import FakeTelegram
from tests.web.sse import EventStream

CHAIR, ANA = 111, 201
CONFIG: dict[str, Any] = {"roles": {"organisers": [CHAIR]}}
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def page_data(page: str) -> dict[str, Any]:
    """The JSON block a page carries (view, language, labels)."""
    match = re.search(r'id="screen-data">(.*?)</script>', page, re.S)
    assert match is not None
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def server_of(bot: Any) -> WebServer:
    server = web_server(bot.application)
    assert server is not None and server.running
    return server


def base(server: WebServer) -> str:
    return f"http://127.0.0.1:{server.port}"


async def add_speaker(bot: Any, name: str = "Ana Silva", delegation: str = "Brazil") -> None:
    bot.services.floor.add(CHAIR, name, delegation, "room")


async def open_stream(http: aiohttp.ClientSession, url: str) -> EventStream:
    response = await http.get(url, timeout=aiohttp.ClientTimeout(total=None, sock_read=None))
    assert response.status == 200, response.status
    assert response.headers["Content-Type"].startswith("text/event-stream")
    return EventStream(response)


async def test_the_room_screen_is_served_with_its_labels_and_no_outside_resources(
        bot_factory, http: aiohttp.ClientSession) -> None:
    bot = await bot_factory({**CONFIG, "event": {"title": "CSTD <26> & WSIS"}})
    server = server_of(bot)
    async with http.get(server.room_url().replace(server.public_url, base(server))) as response:
        assert response.status == 200
        page = await response.text()
        csp = response.headers["Content-Security-Policy"]
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert '<html lang="en" dir="ltr">' in page
    assert "CSTD &lt;26&gt; &amp; WSIS" in page and "CSTD <26>" not in page
    data = page_data(page)
    assert data["view"] == "room" and data["labels"]["next"] == "Next speakers"
    assert data["labels"]["lang_fr"] == "French"
    assert "http://" not in page.replace(server.public_url, "") and "https://" not in page
    for asset in ("screen.js", "screen.css"):
        async with http.get(f"{base(server)}/static/screen/{asset}") as response:
            assert response.status == 200 and len(await response.read()) > 500
            assert response.headers["X-Content-Type-Options"] == "nosniff"


async def test_labels_follow_the_event_language_and_lang_picks_any_of_the_six(
        bot_factory, http: aiohttp.ClientSession) -> None:
    bot = await bot_factory({**CONFIG, "event": {"language": "es"}})
    server = server_of(bot)
    url = f"{base(server)}/booth/{server.ctx.screens.key}"

    async def page(query: str) -> tuple[str, dict[str, Any]]:
        async with http.get(url + query) as response:
            assert response.status == 200
            text = await response.text()
        return text, page_data(text)

    _text, spanish = await page("")
    assert spanish["language"] == "es" and spanish["labels"]["next"] == "Próximos oradores"
    text, arabic = await page("?lang=ar")
    assert '<html lang="ar" dir="rtl">' in text
    assert arabic["labels"]["next"] == "المتكلمون التالون" and arabic["view"] == "booth"
    _text, chinese = await page("?lang=ZH")
    assert chinese["labels"]["lang_ru"] == "俄语"
    _text, unknown = await page("?lang=de")
    assert unknown["language"] == "es"  # not one of the bot's languages: the event's


async def test_a_wrong_key_gets_the_same_404_as_an_unknown_address(
        bot_factory, http: aiohttp.ClientSession) -> None:
    bot = await bot_factory(CONFIG)
    server = server_of(bot)
    key = server.ctx.screens.key
    async with http.get(f"{base(server)}/no/such/page") as response:
        assert response.status == 404
        unknown = await response.text()
    wrong = key[:-1] + ("A" if key[-1] != "A" else "B")
    for path in (f"/screen/{wrong}", f"/booth/{wrong}", f"/screen/{wrong}/events",
                 f"/booth/{wrong}/state", "/screen/", f"/screen/{key}x", "/static/screen/x.js",
                 "/static/screen/../server.py"):
        async with http.get(base(server) + path) as response:
            assert response.status == 404, path
            body = await response.text()
            assert body == unknown and key not in body


async def test_a_screen_gets_a_snapshot_on_connect_and_each_change_from_telegram(
        telegram: FakeTelegram, bot_factory, http: aiohttp.ClientSession) -> None:
    bot = await bot_factory(CONFIG)
    server = server_of(bot)
    stream = await open_stream(http, f"{base(server)}/screen/{server.ctx.screens.key}/events")
    first = await stream.message()
    assert first is not None and first.retry == "2000"  # the browser reconnects by itself
    initial = await stream.snapshot()
    assert initial["current"] is None and initial["meeting"]["title"].startswith("CSTD")

    await add_speaker(bot, name=XSS, delegation="Brazil")
    queued = await stream.snapshot_where(lambda s: s["waiting"] == 1)
    assert queued["next"][0]["name"] == XSS  # text as data, never markup

    chair = telegram.user(CHAIR, "Chair")
    mark = telegram.mark()
    await chair.send("/next")
    given = await stream.snapshot_where(lambda s: s["current"] is not None)
    assert given["current"]["name"] == XSS and given["current"]["phase"] == "normal"
    assert given["waiting"] == 0
    # the same change shows in Telegram, the chair's status message included
    await telegram.wait_message(CHAIR, "has the floor", after=mark)
    await chair.send("/done")
    ended = await stream.snapshot_where(lambda s: s["current"] is None)
    assert ended["next"] == []


async def test_a_change_made_on_another_thread_reaches_the_screens(
        bot_factory, http: aiohttp.ClientSession) -> None:
    bot = await bot_factory(CONFIG)
    server = server_of(bot)
    stream = await open_stream(http, f"{base(server)}/booth/{server.ctx.screens.key}/events")
    await stream.snapshot()
    await asyncio.to_thread(bot.services.floor.add, CHAIR, "Li Wei", "China", "remote")
    data = await stream.snapshot_where(lambda s: s["waiting"] == 1)
    assert data["next"][0]["remote"] is True and data["next"][0]["mode"] == "remote"


async def test_the_state_endpoint_and_the_feed_use_the_service_clock(
        bot_factory, http: aiohttp.ClientSession) -> None:
    clock = FakeClock()
    bot = await bot_factory(CONFIG, clock=clock)
    server = server_of(bot)
    await add_speaker(bot)
    bot.services.floor.next(CHAIR)
    clock.advance(seconds=125)
    async with http.get(f"{base(server)}/screen/{server.ctx.screens.key}/state") as response:
        assert response.status == 200 and response.headers["Cache-Control"] == "no-store"
        data = await response.json()
    assert data["now"] == clock.now.timestamp()
    assert data["current"]["spoken_seconds"] == 125
    assert data["current"]["started_at"] == clock.now.timestamp() - 125


async def test_stopping_the_server_ends_open_streams(bot_factory,
                                                     http: aiohttp.ClientSession) -> None:
    bot = await bot_factory(CONFIG)
    server = server_of(bot)
    stream = await open_stream(http, f"{base(server)}/screen/{server.ctx.screens.key}/events")
    await stream.snapshot()
    await stop_web(bot.application)
    while (message := await stream.message()) is not None:
        assert message.event == "snapshot"
    assert web_server(bot.application) is None
    with pytest.raises(aiohttp.ClientConnectionError):
        await http.get(f"{base(server)}/healthz")


async def test_links_and_their_key_survive_a_restart(bot_factory,
                                                     http: aiohttp.ClientSession) -> None:
    bot = await bot_factory(CONFIG)
    key = server_of(bot).ctx.screens.key
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", key)
    await bot.stop()
    again = await bot_factory(CONFIG)
    server = server_of(again)
    assert server.ctx.screens.key == key
    async with http.get(f"{base(server)}/screen/{key}") as response:
        assert response.status == 200


async def test_the_address_is_logged_at_start_up_without_the_key_or_the_token(
        bot_factory, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        bot = await bot_factory({**CONFIG, "screen": {"public_url": "https://panel.example.org/"}})
    server = server_of(bot)
    assert server.public_url == "https://panel.example.org"
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.web.server"]
    assert any("https://panel.example.org" in line and f"port {server.port}" in line
               for line in lines), lines
    everything = "\n".join(r.getMessage() for r in caplog.records)
    assert server.ctx.screens.key not in everything and TOKEN not in everything


async def test_a_taken_port_is_logged_and_the_bot_keeps_running(
        telegram: FakeTelegram, bot_factory, caplog: pytest.LogCaptureFixture) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        with caplog.at_level(logging.INFO):
            bot = await bot_factory({**CONFIG, "screen": {"port": port}})
        server = web_server(bot.application)
        assert server is not None and not server.running
        errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
        assert any(f"cannot listen on 127.0.0.1 port {port}" in e for e in errors), errors
        reply = await telegram.user(CHAIR, "Chair").ask("/screen", "not running")
        assert "/screen/" not in reply.text
        await telegram.user(ANA, "Ana").ask("/start", "")  # the bot answers as usual
    finally:
        taken.close()


async def test_a_disabled_screen_serves_nothing_and_says_how_to_turn_it_on(
        telegram: FakeTelegram, bot_factory) -> None:
    bot = await bot_factory({**CONFIG, "screen": {"enabled": False}})
    assert web_server(bot.application) is None
    reply = await telegram.user(CHAIR, "Chair").ask("/screen", "turned off")
    assert "enabled = true" in reply.text


def test_the_pages_never_write_html_from_data() -> None:
    script = (Path(web_server_module.__file__).parent / "static" / "screen.js").read_text()
    assert "textContent" in script
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script
    for page in ("room.html", "booth.html"):
        html = (Path(web_server_module.__file__).parent / "static" / page).read_text()
        assert "<script>" not in html  # no inline script: the CSP allows none
        assert "http" not in html


async def test_a_console_module_that_fails_to_import_is_not_hidden(
        bot_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bot = await bot_factory(CONFIG)
    ctx, feed = server_of(bot).ctx, server_of(bot).feed
    (tmp_path / "broken_console_xyz.py").write_text("import module_that_does_not_exist_xyz\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(web_server_module, "CONSOLE_MODULE", "broken_console_xyz")
    with pytest.raises(ModuleNotFoundError, match="module_that_does_not_exist_xyz"):
        build_web_app(ctx, feed)
    sys.modules.pop("broken_console_xyz", None)
    monkeypatch.setattr(web_server_module, "CONSOLE_MODULE", "no_console_module_here_xyz")
    app = build_web_app(ctx, feed)  # no console module: the screens alone
    paths = {resource.canonical for resource in app.router.resources()}
    assert "/screen/{key}/events" in paths and not any(p.startswith("/console") for p in paths)
