"""Every organiser button, pressed by a participant, real or forged: refused, nothing changed.

The callback patterns come from the CallbackQueryHandlers registered in the running Application,
and the payloads from the buttons the bot really showed while the floor, a broadcast and a
question were under way; a pattern no payload covers fails the test, so a new button is covered
the day it is added. A button is an organiser button when the bot only ever showed it to
organisers. Forgeries: the exact payload (another user's), tampered ids, garbage, over-long data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from telegram.ext import CallbackQueryHandler

from tests.security.test_organiser_commands import snapshot
from tests.telegram_server import FakeTelegram, Sent

CHAIR, ANA, VICTOR, MALLORY = 111, 201, 202, 666
CONFIG: dict[str, Any] = {"roles": {"organisers": [CHAIR]},
                          "floor": {"remote_budget_minutes": 0}}  # remote needs confirmation
REFUSED = "Sorry, only the organisers can use this."
INVALID = {"This button is no longer valid.", "This button has expired."}


async def run_the_meeting(telegram: FakeTelegram) -> None:
    """Bring every kind of button on screen: floor status, confirmation, broadcast, feedback."""
    chair = telegram.user(CHAIR, "Chair")
    await chair.ask("/start", "Welcome")
    for uid, name, mode in ((ANA, "Ana", "room"), (VICTOR, "Victor", "remote")):
        user = telegram.user(uid, name)
        await user.ask(f"/mode {mode}", "Noted")
        await user.ask("/speak", "on the list of speakers")
    mark = await chair.send("/queue")  # then the live status message, with "Next: Ana"
    await telegram.wait_for(lambda s: s.chat_id == CHAIR and "fl:u" in str(s.buttons),
                            after=mark)
    mark = telegram.mark()
    await chair.ask("/next", "Ana has the floor")
    # The live status shows Done / Pause / Not here (status edits are coalesced: wait for it
    # before pausing, or the next edit may already show the paused clock).
    await telegram.wait_for(lambda s: s.chat_id == CHAIR and "fl:p:" in str(s.buttons),
                            after=mark)
    await chair.ask("/pause", "Ana: clock paused")  # Resume
    await chair.ask("/done", "Ana spoke")
    await chair.ask("/next", "Give the floor anyway?")  # Victor, beyond the remote budget
    await chair.ask("/broadcast The panel resumes at 15:00", "Broadcast preview")
    await telegram.user(ANA, "Ana").ask("/queue", "List of speakers")  # "Ask for the floor"
    victor = telegram.user(VICTOR, "Victor")
    await victor.ask("/queue", "List of speakers")  # "Withdraw my request"
    await victor.ask("When is the panel?", "29")  # feedback buttons


def shown_buttons(telegram: FakeTelegram) -> dict[str, set[int]]:
    """Callback data of every button the bot showed -> the chats it showed it in."""
    shown: dict[str, set[int]] = {}
    for sent in telegram.sent:
        for button in sent.buttons:
            if "callback_data" in button and sent.chat_id is not None:
                shown.setdefault(button["callback_data"], set()).add(sent.chat_id)
    return shown


def prefix_of(pattern: re.Pattern[str]) -> str:
    """The literal start of a callback pattern such as ^fl: or ^bc:(send|cancel):..."""
    match = re.match(r"\^([A-Za-z0-9_]+:)", pattern.pattern)
    assert match, f"callback pattern {pattern.pattern!r} has no literal prefix: extend this test"
    return match.group(1)


def tampered(data: str) -> Iterator[str]:
    """The same button with other ids, and with data past Telegram's 64 bytes."""
    if re.search(r"\d+", data):
        for other in ("0", "1", "999999999", "9" * 12, "9" * 20, "-1"):
            yield re.sub(r"\d+", other, data)
    yield data + "0" * 64


def garbage(prefix: str) -> Iterator[str]:
    """Data no button of the bot carries, under a registered prefix."""
    yield from (prefix, prefix + "zz", prefix + "n:1:2", prefix + "<b>1</b>", prefix + "\u0661",
                prefix + "send:" + "\u00b2", prefix + "x" * 200, prefix + "\x00")


async def test_every_organiser_button_pressed_by_a_participant_is_refused_and_changes_nothing(
        telegram: FakeTelegram, bot_factory: Any, tmp_path: Path) -> None:
    bot = await bot_factory(CONFIG)
    await run_the_meeting(telegram)
    patterns: list[re.Pattern[str]] = []
    for group in bot.application.handlers.values():
        for handler in group:
            if isinstance(handler, CallbackQueryHandler) and handler.pattern is not None:
                assert isinstance(handler.pattern, re.Pattern), handler  # a str is compiled
                patterns.append(handler.pattern)
    assert patterns
    shown = shown_buttons(telegram)
    for pattern in patterns:
        assert any(pattern.match(data) for data in shown), (
            f"no button on screen matches {pattern.pattern!r}: add it to run_the_meeting()")
    organiser_buttons = sorted(data for data, chats in shown.items() if chats == {CHAIR})
    assert {"fl:u", "fl:x", "bc:send:1", "bc:cancel:1"} <= set(organiser_buttons)
    assert {re.sub(r"\d+", "#", d) for d in organiser_buttons} >= {
        "fl:n:#", "fl:d:#", "fl:p:#", "fl:r:#", "fl:s:#", "fl:c:#"}

    forged = list(dict.fromkeys(
        [*organiser_buttons, *(t for d in organiser_buttons for t in tampered(d)),
         *(g for p in patterns for g in garbage(prefix_of(p)))]))
    mallory = telegram.user(MALLORY, "Mallory")
    own_message = await mallory.ask("/start", "Welcome")
    db_path = tmp_path / "data" / "panel.sqlite"
    before = snapshot(db_path)
    audited_before = len(bot.services.participants.repo.audit_entries(10_000))
    mark = telegram.mark()

    answers: dict[str, Sent] = {}
    for data in forged:
        pressed = await mallory.press(own_message, data)
        answers[data] = await telegram.wait_for(
            lambda s: s.method == "answerCallbackQuery", after=pressed)

    assert snapshot(db_path) == before
    assert [s.method for s in telegram.sent[mark:]] == ["answerCallbackQuery"] * len(forged)
    for data, answer in answers.items():
        text = answer.params.get("text")
        assert text == REFUSED or text in INVALID, (data, text)
    for data in organiser_buttons:  # the real buttons: refused as such, with an alert
        assert answers[data].params.get("text") == REFUSED, data
        assert answers[data].params.get("show_alert") is True, data
    refusals = [d for d, a in answers.items() if a.params.get("text") == REFUSED]
    audit = bot.services.participants.repo.audit_entries(10_000)  # newest first
    entries = audit[: len(audit) - audited_before]
    assert len(entries) == len(refusals)
    assert all((e["actor_id"], e["allowed"]) == (MALLORY, 0) for e in entries)
    assert not bot.services.participants.is_organiser(MALLORY)
    assert not [s for s in telegram.to(VICTOR) if "You have the floor" in s.text]
    assert not [s for s in telegram.sent if "From the organisers" in s.text]


async def test_feedback_buttons_of_someone_elses_answer_are_refused(
        telegram: FakeTelegram, bot_factory: Any) -> None:
    bot = await bot_factory(CONFIG)
    answer = await telegram.user(VICTOR, "Victor").ask("When is the panel?", "29")
    data = answer.button("Not helpful")["callback_data"]
    mallory = telegram.user(MALLORY, "Mallory")
    own_message = await mallory.ask("/start", "Welcome")
    pressed = await mallory.press(own_message, data)
    reply = await telegram.wait_for(lambda s: s.method == "answerCallbackQuery", after=pressed)
    assert reply.params.get("text") in INVALID | {REFUSED}
    assert bot.services.db.query("SELECT * FROM question_feedback") == []


async def test_a_button_no_feature_knows_is_still_answered(
        telegram: FakeTelegram, bot_factory: Any) -> None:
    await bot_factory(CONFIG)
    mallory = telegram.user(MALLORY, "Mallory")
    own_message = await mallory.ask("/start", "Welcome")
    pressed = await mallory.press(own_message, "zz:1")
    answer = await telegram.wait_for(lambda s: s.method == "answerCallbackQuery", after=pressed,
                                     timeout=3)
    assert answer.params.get("text") in INVALID
