"""Bot API faults (5xx bursts, 429, 403, time-outs) through the real Application: nothing is lost.

Every command a user sends ends in exactly one outcome: its reply, or an error the bot logged
(and, when Telegram lets it, an apology to the user). After each fault a later user still gets
answers to /start, /help, /speak and /queue. Faults come from the fake Bot API server; every wait
is on what the server sees, never a sleep.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from telegram import Update
from telegram.error import Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, ContextTypes

from bot.handlers import floor_effects
from tests.process import BotProcess
from tests.telegram_server import FakeTelegram, Fault, Sent

CHAIR, ANA, BEN, CARLA, DAVID = 111, 201, 202, 203, 204
CONFIG: dict[str, Any] = {"roles": {"organisers": [CHAIR]}}
HANG = 60.0  # a held answer: longer than any client timeout, so the bot sees a time-out
APOLOGY = "Sorry, something went wrong"


class Outcomes:
    """The updates that ended in an error, by (user id, message text).

    Registered after the bot's own error handler: PTB runs error handlers in order, so an entry
    here means the bot has already logged the error and tried to tell the user.
    """

    def __init__(self, application: Application) -> None:
        self.errors: dict[tuple[int, str], list[BaseException]] = {}
        self._cond = asyncio.Condition()
        application.add_error_handler(self._seen)

    async def _seen(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if isinstance(update, Update) and update.effective_user and update.effective_message:
            key = (update.effective_user.id, update.effective_message.text or "")
            async with self._cond:
                self.errors.setdefault(key, []).append(context.error)  # type: ignore[arg-type]
                self._cond.notify_all()

    async def wait(self, user_id: int, text: str, timeout: float = 20.0) -> BaseException:
        """The error of one user's message, once the bot has finished handling it (once)."""
        async with self._cond:
            await asyncio.wait_for(
                self._cond.wait_for(lambda: (user_id, text) in self.errors), timeout)
        [error] = self.errors[(user_id, text)]  # one outcome per update, never two
        return error


def logged(caplog: pytest.LogCaptureFixture, message: str, error: BaseException) -> bool:
    """True when `message` was logged with this very exception attached."""
    return any(record.getMessage() == message and record.exc_info is not None
               and record.exc_info[1] is error for record in caplog.records)


def replies(user_messages: list[Sent], contains: str) -> list[Sent]:
    return [s for s in user_messages if contains.lower() in s.text.lower()]


async def serves_everyone(telegram: FakeTelegram, user_id: int) -> None:
    """A later user gets answers to /start, /help, /speak and /queue."""
    user = telegram.user(user_id, f"Later{user_id}")
    await user.ask("/start", "Welcome")
    await user.ask("/help", "What you can do")
    await user.ask("/mode room", "Noted")
    await user.ask("/speak", "on the list of speakers")
    listing = await user.ask("/queue", "<b>List of speakers</b>")
    assert f"Later{user_id}" in listing.text and "Your place" in listing.text


async def test_a_burst_of_500s_on_replies_ends_each_command_in_a_reply_or_a_logged_error(
        telegram: FakeTelegram, bot_factory: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    bot = await bot_factory(CONFIG)
    outcomes = Outcomes(bot.application)
    ana = telegram.user(ANA, "Ana")
    telegram.faults.append(Fault("sendMessage", 500, times=3))

    await ana.send("/start")  # the greeting and then the apology both get a 500
    start_error = await outcomes.wait(ANA, "/start")
    assert isinstance(start_error, NetworkError)
    assert logged(caplog, "error while handling an update", start_error)
    assert any(r.getMessage() == "could not tell the user about the error"
               for r in caplog.records)

    mark = await ana.send("/help")  # the help text gets the third 500; the apology goes out
    apology = await telegram.wait_message(ANA, APOLOGY, after=mark)
    help_error = await outcomes.wait(ANA, "/help")
    assert logged(caplog, "error while handling an update", help_error)
    assert telegram.fault_hits == [("sendMessage", ANA, 500)] * 3

    again = await ana.ask("/help", "What you can do")  # the user tries again: served
    await serves_everyone(telegram, BEN)
    assert ana.received("sendMessage") == [apology, again]
    assert set(outcomes.errors) == {(ANA, "/start"), (ANA, "/help")}
    assert bot.services.participants.get(ANA) is not None  # /start did its work despite it


async def test_a_burst_of_500s_on_get_updates_delays_updates_but_loses_none(
        telegram: FakeTelegram, bot_factory: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    bot = await bot_factory(CONFIG)
    outcomes = Outcomes(bot.application)
    calls = len(telegram.calls)
    telegram.faults.append(Fault("getUpdates", 500, times=2))
    await telegram.wait_call("getUpdates", after=calls)  # the outage has begun

    users = [telegram.user(uid, f"U{uid}") for uid in (ANA, BEN, CARLA)]
    marks = await asyncio.gather(*(user.send("/start") for user in users))
    for user, mark in zip(users, marks, strict=True):
        await telegram.wait_message(user.id, "Welcome", after=mark)
    for user in users:  # a barrier: anything handled twice would have been answered by now
        await user.ask("/help", "What you can do")

    assert [hit[0] for hit in telegram.fault_hits] == ["getUpdates", "getUpdates"]
    polling = [r for r in caplog.records
               if r.getMessage() == "Exception happened while polling for updates."]
    assert len(polling) == 2
    for user in users:
        assert len(replies(user.received(), "Welcome")) == 1
        assert len(replies(user.received(), "What you can do")) == 1
    assert outcomes.errors == {}
    await serves_everyone(telegram, DAVID)


async def test_a_429_on_a_reply_is_waited_out_and_the_reply_arrives_once(
        telegram: FakeTelegram, bot_factory: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    bot = await bot_factory(CONFIG)
    outcomes = Outcomes(bot.application)
    ana = telegram.user(ANA, "Ana")
    telegram.faults.append(Fault("sendMessage", 429, chat_id=ANA, retry_after=1, times=1))
    await ana.ask("/help", "What you can do")
    assert telegram.fault_hits == [("sendMessage", ANA, 429)]

    # More 429s than the rate limiter retries (3): the user gets an apology, the error is logged.
    telegram.faults.append(Fault("sendMessage", 429, chat_id=ANA, retry_after=1, times=4))
    mark = await ana.send("/queue")
    await telegram.wait_message(ANA, APOLOGY, after=mark)
    error = await outcomes.wait(ANA, "/queue")
    assert isinstance(error, RetryAfter)
    assert logged(caplog, "error while handling an update", error)
    assert len(telegram.fault_hits) == 5

    await serves_everyone(telegram, BEN)
    assert len(replies(ana.received(), "What you can do")) == 1
    assert replies(ana.received(), "<b>List of speakers</b>") == []
    assert set(outcomes.errors) == {(ANA, "/queue")}


async def test_a_user_who_blocked_the_bot_costs_a_logged_error_and_nobody_else_notices(
        telegram: FakeTelegram, bot_factory: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    bot = await bot_factory(CONFIG)
    outcomes = Outcomes(bot.application)
    ana = telegram.user(ANA, "Ana")
    telegram.faults.append(Fault("sendMessage", 403, chat_id=ANA, times=None))

    await ana.send("/start")
    error = await outcomes.wait(ANA, "/start")
    assert isinstance(error, Forbidden)
    assert logged(caplog, "error while handling an update", error)
    assert telegram.fault_hits == [("sendMessage", ANA, 403)] * 2  # reply, then the apology
    assert ana.received() == []
    await serves_everyone(telegram, BEN)
    assert set(outcomes.errors) == {(ANA, "/start")}


async def test_500s_while_the_chair_gives_the_floor_change_it_once_and_the_status_catches_up(
        telegram: FakeTelegram, bot_factory: Any, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(floor_effects, "TICK_SECONDS", 0.5)  # the status tick retries edits
    caplog.set_level(logging.INFO)
    bot = await bot_factory(CONFIG)
    ana, chair = telegram.user(ANA, "Ana"), telegram.user(CHAIR, "Chair")
    await ana.ask("/mode room", "Noted")
    await ana.ask("/speak", "on the list of speakers")
    mark = await chair.send("/queue")
    status = await telegram.wait_for(
        lambda s: s.chat_id == CHAIR and "fl:u" in str(s.buttons), after=mark)
    telegram.faults.append(Fault("sendMessage", 500, chat_id=ANA, times=1))
    telegram.faults.append(Fault("editMessageText", 500, times=2))

    mark = await chair.send("/next")
    await telegram.wait_message(CHAIR, "Ana has the floor", after=mark)
    await telegram.wait_for(lambda s: s.method == "editMessageText"
                            and s.message_id == status.message_id and "🎙" in s.text, after=mark)
    assert telegram.fault_hits == [("sendMessage", ANA, 500), ("editMessageText", CHAIR, 500),
                                   ("editMessageText", CHAIR, 500)]
    messages = [r.getMessage() for r in caplog.records]
    assert f"floor message to {ANA} not delivered: Internal Server Error" in messages
    assert messages.count(f"status message of {CHAIR} not edited: Internal Server Error") == 2
    rows = bot.services.db.query("SELECT state FROM floor_requests")
    assert [r["state"] for r in rows] == ["speaking"]  # given once
    await serves_everyone(telegram, BEN)


async def test_a_broadcast_through_500s_and_a_blocked_user_accounts_for_every_recipient(
        telegram: FakeTelegram, bot_factory: Any) -> None:
    bot = await bot_factory(CONFIG)
    chair = telegram.user(CHAIR, "Chair")
    await chair.ask("/start", "Welcome")
    for uid in (ANA, BEN, CARLA):
        await telegram.user(uid, f"U{uid}").ask("/start", "Welcome")
    telegram.faults.append(Fault("sendMessage", 500, chat_id=ANA, times=2))  # then delivered
    telegram.faults.append(Fault("sendMessage", 403, chat_id=BEN, times=None))  # blocked

    preview = await chair.ask("/broadcast The panel resumes at 15:00 in Room XVII",
                              "Broadcast preview")
    mark = await chair.press(preview, preview.button("Send")["callback_data"])
    report = await telegram.wait_for(
        lambda s: s.chat_id == CHAIR and "Broadcast delivered" in s.text, after=mark, timeout=30)

    for line in ("Recipients: 4", "Delivered: 3", "Blocked the bot: 1", "Failed: 0"):
        assert line in report.text
    for uid in (CHAIR, ANA, CARLA):
        assert len(replies(telegram.to(uid), "From the organisers")) == 1, uid
    assert replies(telegram.to(BEN), "From the organisers") == []
    states = dict(bot.services.db.query(
        "SELECT participant_id, status FROM broadcast_deliveries"))
    assert states == {CHAIR: "delivered", ANA: "delivered", BEN: "blocked",
                      CARLA: "delivered"}
    attempts = bot.services.db.query(
        "SELECT attempts FROM broadcast_deliveries WHERE participant_id = ?", (ANA,))
    assert attempts[0]["attempts"] == 3
    assert bot.services.participants.get(BEN).active is False
    await serves_everyone(telegram, DAVID)


async def test_a_reply_that_times_out_is_logged_apologised_for_and_not_sent_twice(
        telegram: FakeTelegram, bot_factory: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    bot = await bot_factory(CONFIG)
    outcomes = Outcomes(bot.application)
    ana = telegram.user(ANA, "Ana")
    telegram.faults.append(Fault("sendMessage", 504, chat_id=ANA, times=1, delay=HANG))

    mark = await ana.send("/help")
    await serves_everyone(telegram, BEN)  # meanwhile, others are served
    error = await outcomes.wait(ANA, "/help", timeout=30)
    assert isinstance(error, TimedOut)
    assert logged(caplog, "error while handling an update", error)
    await telegram.wait_message(ANA, APOLOGY, after=mark)
    assert replies(ana.received(), "What you can do") == []  # not retried behind our back
    await ana.ask("/help", "What you can do")


async def test_a_get_updates_call_that_times_out_loses_no_update(
        telegram: FakeTelegram, bot_factory: Any) -> None:
    bot = await bot_factory(CONFIG)
    outcomes = Outcomes(bot.application)
    calls = len(telegram.calls)
    telegram.faults.append(Fault("getUpdates", 504, times=1, delay=HANG))
    await telegram.wait_call("getUpdates", after=calls)  # this poll hangs

    users = [telegram.user(uid, f"U{uid}") for uid in (ANA, BEN)]
    marks = await asyncio.gather(*(user.send("/start") for user in users))
    for user, mark in zip(users, marks, strict=True):
        await telegram.wait_message(user.id, "Welcome", after=mark, timeout=30)
    for user in users:
        await user.ask("/help", "What you can do")
        assert len(replies(user.received(), "Welcome")) == 1
    assert outcomes.errors == {}
    await serves_everyone(telegram, CARLA)


async def test_a_bot_api_outage_during_start_up_does_not_kill_the_process(
        tmp_path: Any, telegram: FakeTelegram) -> None:
    telegram.faults.append(Fault("getMe", 502, times=2))
    bot = BotProcess(tmp_path, telegram, CONFIG)
    try:
        await bot.start()
        await telegram.user(ANA, "Ana").ask("/start", "Welcome", timeout=30)
    finally:
        bot.kill9()
