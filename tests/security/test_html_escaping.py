"""HTML and Telegram markup typed by users is shown as text in every message the bot sends.

Names (from Telegram and /profile), delegations, floor topics and questions carry tags, entities
and quotes. Every message the bot sends with parse_mode=HTML must be valid Telegram HTML (only the
tags Telegram knows, balanced, every & an entity) and show the hostile strings literally once
parsed; plain-text messages must not show HTML escapes; the /report CSV keeps the raw text.
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from typing import Any

from tests.support import FakeClock
from tests.telegram_server import FakeTelegram, Fault, Sent

CHAIR, EVE, FRANCOISE = 111, 201, 301
CONFIG: dict[str, Any] = {"roles": {"organisers": [CHAIR]}}
FIRST_NAME = "<u>Eve</u> & <tg-spoiler>Co</tg-spoiler>"
NAME = '<b>Eve</b> & <a href="tg://user?id=111">Chair</a> *md* _x_ `y` ~z~'
DELEGATION = '<i>Atlantis</i> &amp; "Co" <script>x</script>'
TOPIC = "<code>rm -rf</code> & <pre>'quoted'</pre>"
GUEST = "<s>Guest</s> & Co"
QUESTION = 'What does the concept note say about <b>gender</b> & "AI" in &lt;2030&gt;?'
ZONE = "<b>Mars</b>/Olympus"
TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
        "tg-emoji", "code", "pre", "blockquote"}
BARE_AMPERSAND = re.compile(r"&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)")
HTML_ESCAPES = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class _TelegramHTML(HTMLParser):
    """Telegram's HTML subset: collects the visible text and what Telegram would refuse."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.text: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.problems.append(f"<{tag}> is not Telegram HTML")
        if tag == "a" and [name for name, _value in attrs] != ["href"]:
            self.problems.append(f"<a> with attributes {attrs}")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.problems.append(f"unbalanced </{tag}>")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def visible(html_text: str) -> str:
    """What a Telegram user sees for an HTML message; fails on anything Telegram would reject."""
    assert not BARE_AMPERSAND.search(html_text), f"bare & in {html_text!r}"
    parser = _TelegramHTML()
    parser.feed(html_text)
    parser.close()
    assert not parser.problems and not parser.open, (parser.problems, parser.open, html_text)
    return "".join(parser.text)


def check_every_message(sent: list[Sent]) -> None:
    """Every message, caption and edit the bot sent is valid for its parse mode."""
    for item in sent:
        if item.method not in ("sendMessage", "editMessageText", "sendDocument", "sendPhoto"):
            continue
        if item.params.get("parse_mode") == "HTML":
            visible(item.text)
        else:  # plain text: an escape would be shown as is
            assert not HTML_ESCAPES.search(item.text), f"HTML escape in plain text {item.text!r}"


async def test_names_delegations_topics_and_questions_are_shown_as_text_everywhere(
        telegram: FakeTelegram, bot_factory: Any) -> None:
    await bot_factory(CONFIG)
    eve = telegram.user(EVE, FIRST_NAME)
    chair = telegram.user(CHAIR, "Chair")
    await chair.ask("/start", "Welcome")

    greeting = await eve.ask("/start", "Welcome")
    assert f"Welcome, {FIRST_NAME}!" in visible(greeting.text)
    saved = await eve.ask(f"/profile {NAME} | {DELEGATION}", "Saved")
    assert visible(saved.text) == f"Saved: {NAME}, {DELEGATION}."
    await eve.ask("/mode room", "Noted")
    await eve.ask(f"/speak {TOPIC}", "list of speakers")

    mark = await chair.send("/queue")
    status = await telegram.wait_for(
        lambda s: s.chat_id == CHAIR and "fl:u" in str(s.buttons), after=mark)
    listing = await telegram.wait_for(
        lambda s: s.chat_id == CHAIR and "List of speakers" in s.text
        and "fl:u" not in str(s.buttons), after=mark)
    assert f"1. {NAME} ({DELEGATION}) · in the room" in visible(listing.text)
    assert f"1. {NAME} ({DELEGATION}) · in the room" in visible(status.text)
    assert status.button(f"Next: {NAME}"[:20])  # button labels are plain text: not escaped

    given = await chair.ask("/next", "has the floor (")
    assert f"{NAME} ({DELEGATION}) has the floor (in the room)" in visible(given.text)
    await telegram.wait_message(EVE, "You have the floor")
    edited = await telegram.wait_for(
        lambda s: s.method == "editMessageText" and s.chat_id == CHAIR and "🎙" in s.text,
        after=mark)
    assert f"🎙 {NAME} ({DELEGATION}) · in the room" in visible(edited.text)
    paused = await chair.ask("/pause", "clock paused")
    assert visible(paused.text) == f"⏸ {NAME}: clock paused."
    done = await chair.ask("/done", " spoke ")
    assert visible(done.text).startswith(f"⏹ {NAME} spoke ")

    added = await chair.ask(f"/add {GUEST} | {DELEGATION} remote", "Added")
    assert visible(added.text) == f"Added {GUEST} at position 1."
    mark = await chair.send("/report")
    document = await telegram.wait_message(CHAIR, "Floor report", after=mark,
                                           method="sendDocument")
    unreached = await telegram.wait_message(CHAIR, "Never reached", after=mark)
    assert f"1. {GUEST} ({DELEGATION}) · remote" in visible(unreached.text)
    rows = list(csv.DictReader(io.StringIO(
        next(iter(document.files.values()))[1].decode("utf-8-sig"))))
    assert [(r["speaker"], r["delegation"], r["topic"]) for r in rows] == [
        (NAME, DELEGATION, TOPIC), (GUEST, DELEGATION, "")]  # the CSV keeps the raw text
    removed = await chair.ask("/remove 1", "Removed from the list")
    assert visible(removed.text) == f"Removed from the list: {GUEST}."

    mark = await eve.send(QUESTION)
    await telegram.wait_message(EVE, "documents", after=mark, method="sendMessage", timeout=60)
    troubles = await chair.ask("/unanswered", "Unanswered or not helpful")
    assert QUESTION in visible(troubles.text)
    refused = await eve.ask(f"/timezone {ZONE}", "Unknown time zone")
    assert ZONE in visible(refused.text)

    check_every_message(telegram.sent)


async def test_every_plain_text_apology_is_free_of_html_escapes(
        telegram: FakeTelegram, bot_factory: Any) -> None:
    await bot_factory(CONFIG)
    francoise = telegram.user(FRANCOISE, "Françoise", language_code="fr")
    await francoise.ask("/start", "Bienvenue")
    telegram.faults.append(Fault("sendMessage", 500, chat_id=FRANCOISE, times=1))
    await francoise.ask("/help", "Désolé")
    check_every_message(telegram.sent)


async def test_the_expired_broadcast_notice_is_free_of_html_escapes(
        telegram: FakeTelegram, bot_factory: Any) -> None:
    clock = FakeClock()  # 12:00 UTC, 14:00 in Geneva
    bot = await bot_factory(CONFIG, clock=clock)
    chair = telegram.user(CHAIR, "Chair", language_code="fr")
    await chair.ask("/start", "Bienvenue")
    await chair.ask("/schedule 15:00 La séance reprend", "/cancel 1")
    await bot.stop()
    clock.advance(hours=2)  # the bot was down when it was due, and far beyond the grace
    await bot_factory(CONFIG, clock=clock)
    notice = await telegram.wait_message(CHAIR, "pas été envoyée")
    check_every_message([notice])
