"""The chair's console in a real browser, against the real bot process.

The chair sends /console through the fake Bot API server, opens the one-time sign-in link in
headless Chromium (Playwright) and runs the floor with the console's buttons; every click must
show where the chairs and speakers see it too: in their Telegram chats, the live status
message included. One bot process serves the module (each start loads the embedding model).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, BrowserContext, Dialog, Page, expect

from tests.telegram_server import Sent
from tests.web.browser import (
    WebBot,
    chromium_browser,
    require_chromium,
    save_screenshot,
    speaker,
    web_bot,
)

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.slow]

CHAIR = 111
NOBODY = "Nobody has the floor."
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[WebBot]:
    """The bot process with its web server, for the whole module."""
    require_chromium()  # before the bot's start-up, not after it
    async with web_bot(tmp_path_factory.mktemp("console"), CHAIR) as running:
        yield running


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[Browser]:
    """Headless Chromium, for the whole module."""
    async with chromium_browser() as running:
        yield running


@pytest_asyncio.fixture(loop_scope="module")
async def context(browser: Browser) -> AsyncIterator[BrowserContext]:
    """A fresh browser profile (no cookie from another test)."""
    opened = await browser.new_context(viewport={"width": 1280, "height": 800})
    yield opened
    await opened.close()


async def signed_in(bot: WebBot, context: BrowserContext) -> tuple[Page, str]:
    """A console page signed in with the link of the chair's /console, and the link."""
    link = await bot.console_link()
    page = await context.new_page()
    await page.goto(link)
    await expect(page).to_have_url(f"{bot.base_url}/console")
    await expect(page.locator("#console")).to_be_visible(timeout=10_000)
    return page, link


def status_edit(sent: Sent, contains: str) -> bool:
    """The chair's live status message, edited to say `contains`."""
    return sent.method == "editMessageText" and sent.chat_id == CHAIR and contains in sent.text


async def test_the_chair_signs_in_with_the_console_link_and_done_ends_the_floor_in_telegram(
        bot: WebBot, context: BrowserContext, browser: Browser, tmp_path: Path) -> None:
    ana = await speaker(bot, 301, "Ana Lima", "room")
    await speaker(bot, 302, "Kwame Mensah", "remote")
    await bot.chair.ask("/next", "has the floor")  # the chair's chat gets the live status
    page, link = await signed_in(bot, context)
    await expect(page.locator("#speaker-name")).to_have_text("Ana Lima")
    await expect(page.locator("#countdown")).to_contain_text("left")
    await expect(page.locator("#queue .who")).to_have_count(1)
    await expect(page.locator("#queue .who")).to_contain_text(["1. Kwame Mensah"])
    await save_screenshot(page, tmp_path / "console-1280x800.png")

    mark = bot.telegram.mark()
    await page.get_by_role("button", name="Done").click()
    ended = await bot.telegram.wait_message(CHAIR, "spoke", after=mark, method="sendMessage")
    assert "Ana Lima spoke" in ended.text
    await bot.telegram.wait_for(lambda sent: status_edit(sent, NOBODY), after=mark)
    await bot.telegram.wait_message(ana.id, "your intervention has ended", after=mark)
    await expect(page.locator("#speaker-name")).to_have_text(NOBODY)
    await expect(page.locator("#next")).to_have_text("▶ Next: Kwame Mensah")

    # The link worked once: another browser that opens it again is refused, and gets nothing.
    other = await browser.new_context()
    try:
        again = await other.new_page()
        answer = await again.goto(link)
        assert answer is not None and answer.status == 401
        await expect(again.locator("body")).to_contain_text("already used")
        await again.goto(f"{bot.base_url}/console")
        await expect(again.locator("#notice")).to_contain_text("not signed in")
        await expect(again.locator("#console")).to_be_hidden()
    finally:
        await other.close()

    await page.get_by_role("button", name="Next: Kwame Mensah").click()
    await expect(page.locator("#speaker-name")).to_have_text("Kwame Mensah")
    await page.get_by_role("button", name="Done").click()
    await expect(page.locator("#speaker-name")).to_have_text(NOBODY)
    await expect(page.locator("#queue-empty")).to_be_visible()


async def test_a_name_made_of_html_shows_as_text_in_the_console_and_is_escaped_in_telegram(
        bot: WebBot, context: BrowserContext, tmp_path: Path) -> None:
    await speaker(bot, 303, HOSTILE, "remote")
    page, _link = await signed_in(bot, context)
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)

    page.on("dialog", dismiss)
    await expect(page.locator("#queue .who")).to_contain_text([f"1. {HOSTILE}"])
    await expect(page.locator("#next")).to_have_text(f"▶ Next: {HOSTILE}")
    await page.set_viewport_size({"width": 390, "height": 844})  # a phone, as in Telegram
    await save_screenshot(page, tmp_path / "console-390x844.png")

    mark = bot.telegram.mark()
    await page.locator("#next").click()
    await expect(page.locator("#speaker-name")).to_have_text(HOSTILE)
    given = await bot.telegram.wait_message(CHAIR, "has the floor", after=mark,
                                            method="sendMessage")
    assert "&lt;img src=x onerror=alert(1)&gt;" in given.text
    assert "<img" not in given.text
    assert await page.locator("img").count() == 0
    assert dialogs == []

    mark = bot.telegram.mark()
    await page.get_by_role("button", name="Done").click()
    await expect(page.locator("#speaker-name")).to_have_text(NOBODY)
    await bot.telegram.wait_for(lambda sent: status_edit(sent, NOBODY), after=mark)
