"""Real-browser tests' support: headless Chromium through Playwright, and the bot as a process.

`chromium_browser()` launches Debian's Chromium (`make test` installs it when /usr/bin/chromium
is missing; nothing is downloaded by Playwright). `web_bot()` runs the real `python -m bot run`
process (tests/process.py) against the fake Bot API server, with the web server of `[screen]`
on a fixed free port, so that a restarted process serves the same address and an open page
can reconnect to it. Both are async context managers, for module-scoped fixtures: every start
of the bot process loads the embedding model.
"""

from __future__ import annotations

import os
import re
import socket
import struct
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, async_playwright

from tests.process import BotProcess
from tests.support import merge
from tests.telegram_server import FakeTelegram, FakeUser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MIN_SCREENSHOT_BYTES = 10_000  # a blank or failed capture of these pages is far smaller
_LINK = re.compile(r"https?://[^\s<>\"']+")


def require_chromium() -> None:
    """Skip when Chromium is missing outside CI (`make test` installs it); fail in CI."""
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@asynccontextmanager
async def chromium_browser() -> AsyncIterator[Browser]:
    """Headless Debian Chromium driven by Playwright (closed on exit)."""
    require_chromium()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now (the bot binds it with SO_REUSEADDR)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def links_in(text: str) -> list[str]:
    """The http(s) links of a message's text (HTML-unescaped enough for our URLs)."""
    return [link.replace("&amp;", "&") for link in _LINK.findall(text)]


@dataclass
class WebBot:
    """The bot process with its web server, the fake Bot API server and the chair."""

    process: BotProcess
    telegram: FakeTelegram
    port: int
    chair: FakeUser

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def restart(self) -> None:
        """Start the process again after a kill -9 (same data directory, same port)."""
        await self.process.start(timeout=120)
        await self.process.wait_port(self.port, timeout=60)

    async def screen_links(self) -> tuple[str, str]:
        """The room screen's and booth view's links, from the chair's /screen."""
        answer = await self.chair.ask("/screen", "/screen/")
        links = links_in(answer.text)
        room = next(link for link in links if "/screen/" in link)
        booth = next(link for link in links if "/booth/" in link)
        return room, booth

    async def console_link(self) -> str:
        """A one-time sign-in link to the console, from the chair's /console."""
        answer = await self.chair.ask("/console", "/console/signin/")
        return next(link for link in links_in(answer.text) if "/console/signin/" in link)


@asynccontextmanager
async def web_bot(workdir: Path, chair_id: int,
                  overrides: Mapping[str, Any] | None = None) -> AsyncIterator[WebBot]:
    """The real bot process with [screen] enabled on a free port; killed on exit."""
    port = free_port()
    config = merge({"roles": {"organisers": [chair_id]},
                    "screen": {"enabled": True, "listen": "127.0.0.1", "port": port}},
                   overrides or {})
    telegram = FakeTelegram()
    await telegram.start()
    process = BotProcess(workdir, telegram, config)
    try:
        await process.start(timeout=120)
        await process.wait_port(port, timeout=60)
        yield WebBot(process, telegram, port, telegram.user(chair_id, "Chair"))
    finally:
        process.kill9()
        await telegram.stop()


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) of a PNG image; AssertionError when `data` is not one."""
    assert data[:8] == PNG_SIGNATURE, "not a PNG image"
    assert data[12:16] == b"IHDR", "PNG without its header chunk"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


async def save_screenshot(page: Page, path: Path) -> bytes:
    """Save a screenshot of the viewport to `path`; returns the file's bytes, checked to be a
    non-empty PNG image of the viewport's size."""
    await page.screenshot(path=str(path), full_page=False)
    data = path.read_bytes()
    assert len(data) > MIN_SCREENSHOT_BYTES, f"{path.name}: only {len(data)} bytes"
    viewport = page.viewport_size
    assert viewport is not None
    assert png_size(data) == (viewport["width"], viewport["height"])
    return data


async def scroll_overflow(page: Page) -> dict[str, int]:
    """How far the page would scroll, down and across (0 and 0 when everything fits)."""
    result: dict[str, int] = await page.evaluate(
        "() => { const s = document.scrollingElement;"
        " return {down: s.scrollHeight - window.innerHeight,"
        "         across: s.scrollWidth - window.innerWidth}; }")
    return result


async def speaker(bot: WebBot, user_id: int, name: str, mode: str) -> FakeUser:
    """A participant in the room or remote who asks for the floor."""
    user = bot.telegram.user(user_id, name)
    await user.ask(f"/mode {mode}", "Noted")
    await user.ask("/speak", "list of speakers")
    return user
