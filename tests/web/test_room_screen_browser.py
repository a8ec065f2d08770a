"""The room screen and the booth view in a real browser, against the real bot process.

Headless Chromium (Playwright) opens the links the chair gets from /screen, while users and the
chair talk to the real `python -m bot run` process through the fake Bot API server: what the
room sees must follow Telegram live, count down, change colour at the warning and the overrun,
show hostile names as text, fit a projector's screen, and survive a kill -9 of the bot. One bot
process serves the whole module (each start loads the embedding model); each test leaves the
floor as it found it: nobody speaking, nobody waiting.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Dialog, Page, expect

from tests.web.browser import (
    WebBot,
    chromium_browser,
    require_chromium,
    save_screenshot,
    scroll_overflow,
    speaker,
    web_bot,
)

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.slow]

CHAIR = 111
# Fake-short limits: an intervention in the room lasts 3 s, the warning comes 2 s before its end.
CONFIG = {"floor": {"minutes": {"in_room": 0.05}, "warn_before_seconds": 2}}
LIVE_MS = 1000  # "a change appears within a second without reload"
NOBODY = "Nobody has the floor"
HOSTILE = "<img src=x onerror=alert(1)>"
AMBER, RED = "rgb(255, 176, 32)", "rgb(255, 77, 77)"  # --warn and --over in screen.css
VIEWPORTS = [(1920, 1080), (1280, 720)]
WAITING = ["Kwame Mensah | Ghana remote en", "Jean-Pierre Dubois-Lefebvre | France remote fr",
           "Li Wei | China remote zh", "Olga Petrova | Russian Federation remote ru",
           "Ahmed Al-Mansouri | Saudi Arabia high ar", "Ngozi Okonjo | Nigeria remote"]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[WebBot]:
    """The bot process with its web server, for the whole module."""
    require_chromium()  # before the bot's start-up, not after it
    async with web_bot(tmp_path_factory.mktemp("room"), CHAIR, CONFIG) as running:
        yield running


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[Browser]:
    """Headless Chromium, for the whole module."""
    async with chromium_browser() as running:
        yield running


@pytest_asyncio.fixture(loop_scope="module")
async def links(bot: WebBot) -> tuple[str, str]:
    """The room screen's and booth view's links, as the chair gets them from /screen."""
    return await bot.screen_links()


@pytest_asyncio.fixture(loop_scope="module")
async def page(browser: Browser) -> AsyncIterator[Page]:
    """A fresh 1920x1080 page (its own context: no cookies shared between tests)."""
    context = await browser.new_context(viewport={"width": 1920, "height": 1080})
    opened = await context.new_page()
    yield opened
    await context.close()


async def open_screen(page: Page, link: str) -> None:
    """Open a screen and wait until its feed has delivered the list (nobody speaking)."""
    await page.goto(link)
    await expect(page.locator("#name")).to_have_text(NOBODY, timeout=10_000)


def seconds_left(text: str) -> int:
    """The countdown's text as seconds left ("+0:04", an overrun, is -4)."""
    match = re.fullmatch(r"(\+?)(\d+):(\d\d)", text.strip())
    assert match, f"not a countdown: {text!r}"
    value = int(match[2]) * 60 + int(match[3])
    return -value if match[1] else value


async def test_next_from_telegram_shows_the_speaker_then_the_clock_turns_amber_and_red(
        bot: WebBot, links: tuple[str, str], page: Page) -> None:
    room_link, _booth = links
    await open_screen(page, room_link)
    await speaker(bot, 201, "Ana Lima", "room")
    await expect(page.locator("#next .next-name")).to_have_text(["Ana Lima"], timeout=LIVE_MS)

    mark = await bot.chair.send("/next")
    await expect(page.locator("#name")).to_have_text("Ana Lima", timeout=LIVE_MS)
    await expect(page.locator("#speaker-label")).to_have_text("Has the floor")
    await expect(page.locator("#next li.empty")).to_have_count(1)
    await bot.telegram.wait_message(CHAIR, "has the floor", after=mark)

    countdown = page.locator("#countdown")
    first = await countdown.text_content() or ""
    await page.wait_for_function(
        "(first) => document.getElementById('countdown').textContent !== first", arg=first,
        polling=50, timeout=5_000)
    second = await countdown.text_content() or ""
    assert seconds_left(second) < seconds_left(first) <= 3

    # Each probe reads the phase and the colour in one go (the phase moves on by itself).
    amber = await page.wait_for_function(
        "() => document.body.classList.contains('warning') && [getComputedStyle("
        "document.getElementById('countdown')).color, document.getElementById('countdown')"
        ".textContent]", polling=50, timeout=5_000)
    colour, text = await amber.json_value()
    assert colour == AMBER
    assert 0 < seconds_left(text) <= 2
    red = await page.wait_for_function(
        "() => document.body.classList.contains('overrun') && [getComputedStyle("
        "document.getElementById('countdown')).color, document.getElementById('countdown')"
        ".textContent]", polling=50, timeout=5_000)
    colour, text = await red.json_value()
    assert colour == RED
    assert text.startswith("+")
    await expect(page.locator("#countdown-label")).to_have_text("Overrun")
    await expect(countdown).not_to_have_text(text, timeout=3_000)  # the overrun is counted
    assert seconds_left(await countdown.text_content() or "") < seconds_left(text)

    await bot.chair.ask("/done", "spoke")
    await expect(page.locator("#name")).to_have_text(NOBODY, timeout=LIVE_MS)
    await expect(page.locator("body")).to_have_class(re.compile(r"\bidle\b"))


async def test_a_name_made_of_html_shows_as_text_on_the_room_screen_and_the_booth_view(
        bot: WebBot, links: tuple[str, str], page: Page) -> None:
    room_link, booth_link = links
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)

    page.on("dialog", dismiss)
    booth = await page.context.new_page()
    booth.on("dialog", dismiss)
    await open_screen(page, room_link)
    await open_screen(booth, booth_link)
    await speaker(bot, 202, HOSTILE, "remote")

    await expect(page.locator("#next .next-name")).to_have_text([HOSTILE], timeout=LIVE_MS)
    await expect(booth.locator("#next .next-name")).to_have_text([HOSTILE], timeout=LIVE_MS)
    await bot.chair.send("/next")
    await expect(page.locator("#name")).to_have_text(HOSTILE, timeout=LIVE_MS)
    await expect(booth.locator("#name")).to_have_text(HOSTILE, timeout=LIVE_MS)
    for screen in (page, booth):
        assert await screen.locator("img").count() == 0
        assert await screen.evaluate("() => document.querySelectorAll('[onerror]').length") == 0
    assert dialogs == []

    await bot.chair.ask("/done", "spoke")
    await expect(page.locator("#name")).to_have_text(NOBODY, timeout=LIVE_MS)


async def test_the_screens_fit_1920x1080_and_1280x720_without_scrolling(
        bot: WebBot, links: tuple[str, str], page: Page, tmp_path: Path) -> None:
    room_link, booth_link = links
    await open_screen(page, room_link)
    current = "Ambassador Maria Fernanda Espinosa Garces"
    await speaker(bot, 210, current, "remote")
    await bot.chair.send("/next")
    await expect(page.locator("#name")).to_have_text(current, timeout=LIVE_MS)
    for count, line in enumerate(WAITING, start=1):  # people without Telegram, added by the chair
        await bot.chair.send(f"/add {line}")
        await expect(page.locator("#next-label")).to_contain_text(f"Waiting: {count}")

    saved: list[Path] = []
    for view, link in (("room", room_link), ("booth", booth_link)):
        await page.goto(link)
        await expect(page.locator("#name")).to_have_text(current, timeout=10_000)
        for width, height in VIEWPORTS:
            await page.set_viewport_size({"width": width, "height": height})
            await expect(page.locator("#countdown")).to_have_text(re.compile(r"^\d+:\d\d$"))
            assert await scroll_overflow(page) == {"down": 0, "across": 0}, (view, width)
            path = tmp_path / f"{view}-{width}x{height}.png"
            await save_screenshot(page, path)
            saved.append(path)
    assert sorted(p.name for p in tmp_path.glob("*.png")) == sorted(p.name for p in saved)

    await bot.chair.ask("/done", "spoke")
    for left in range(len(WAITING) - 1, -1, -1):  # leave nobody waiting
        await bot.chair.send("/remove 1")
        await expect(page.locator("#next-label")).to_contain_text(f"Waiting: {left}")
    await expect(page.locator("#name")).to_have_text(NOBODY, timeout=LIVE_MS)


# What a panel (overflow: hidden) cuts off: a waiting speaker, "and N more" or the budget shown
# only in part is worse than not shown (the room cannot tell a list was cut).
CLIPPED = """() => {
  const cut = [];
  for (const node of document.querySelectorAll('#next li, #more, #budget, #name, #countdown')) {
    if (!node.textContent) continue;
    const own = node.getBoundingClientRect();
    for (let box = node.parentElement; box; box = box.parentElement) {
      if (getComputedStyle(box).overflow === 'visible') continue;
      const edge = box.getBoundingClientRect();
      if (own.bottom > edge.bottom + 0.5 || own.right > edge.right + 0.5) {
        cut.push(node.id || node.textContent.trim());
        break;
      }
    }
  }
  return cut;
}"""


async def test_no_waiting_speaker_is_cut_off_when_the_list_is_long(
        bot: WebBot, links: tuple[str, str], page: Page) -> None:
    room_link, booth_link = links
    await open_screen(page, room_link)
    lines = WAITING + ["Ana Silva | Brazil remote es", "Hiroshi Tanaka | Japan remote",
                       "Fatima Zahra | Morocco remote fr"]
    for count, line in enumerate(lines, start=1):
        await bot.chair.send(f"/add {line}")
        await expect(page.locator("#next-label")).to_contain_text(f"Waiting: {count}")
    cut: dict[str, list[str]] = {}
    try:
        for view, link in (("room", room_link), ("booth", booth_link)):
            await page.goto(link)
            await expect(page.locator("#next-label")).to_contain_text(f"Waiting: {len(lines)}")
            for width, height in VIEWPORTS:
                await page.set_viewport_size({"width": width, "height": height})
                await expect(page.locator("body")).to_have_attribute(
                    "data-fitted", f"{width}x{height}")
                cut[f"{view} {width}x{height}"] = await page.evaluate(CLIPPED)
    finally:
        for left in range(len(lines) - 1, -1, -1):
            await bot.chair.send("/remove 1")
            await expect(page.locator("#next-label")).to_contain_text(f"Waiting: {left}")
    assert cut == {name: [] for name in cut}


async def test_an_open_screen_follows_the_list_again_after_the_bot_is_killed_and_restarted(
        bot: WebBot, links: tuple[str, str], page: Page) -> None:
    room_link, _booth = links
    await open_screen(page, room_link)
    await speaker(bot, 231, "Tomas Novak", "remote")
    await speaker(bot, 232, "Amina Diallo", "remote")
    await bot.chair.send("/next")
    await expect(page.locator("#name")).to_have_text("Tomas Novak", timeout=LIVE_MS)
    await page.evaluate("() => { window.sameDocument = true; }")

    bot.process.kill9()
    banner = page.locator("#banner")
    await expect(banner).to_be_visible(timeout=10_000)
    await expect(banner).to_have_text("Connection lost: reconnecting…")
    await bot.restart()
    await expect(banner).to_be_hidden(timeout=15_000)  # reconnected by itself

    await bot.chair.ask("/done", "spoke")
    await expect(page.locator("#name")).to_have_text(NOBODY, timeout=LIVE_MS)
    await bot.chair.send("/next")
    await expect(page.locator("#name")).to_have_text("Amina Diallo", timeout=LIVE_MS)
    assert await page.evaluate("() => window.sameDocument === true")  # never reloaded
    await bot.chair.ask("/done", "spoke")
    await expect(page.locator("#name")).to_have_text(NOBODY, timeout=LIVE_MS)
