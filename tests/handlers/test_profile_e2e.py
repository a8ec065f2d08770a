"""End-to-end: /profile in one line, and the guided form (one question, the next message is the
answer) with several users at once, commands in between, bad answers and expiry."""

from __future__ import annotations

import asyncio
import html

from bot.handlers.profile import PROFILE_QUESTION_TTL
from tests.support import FakeClock
from tests.telegram_server import FakeTelegram, FakeUser

ORGANISER = 111
ANA, BO, CARLA = 201, 202, 203
QUESTION = "separated by |"
SMALL_TALK = "Ask me about the panel"


def profile_of(bot, user_id: int) -> tuple[str, str | None]:
    participant = bot.services.participants.get(user_id)
    assert participant is not None
    return participant.display_name, participant.delegation


async def asked(user: FakeUser) -> None:
    await user.ask("/profile", QUESTION)


async def test_the_one_line_form_saves_at_once(telegram: FakeTelegram, bot_factory) -> None:
    bot = await bot_factory()
    ana = telegram.user(ANA, "Ana")
    reply = await ana.ask("/profile Ana Silva | Brazil", "Saved")
    assert "Ana Silva" in reply.text and "Brazil" in reply.text
    assert profile_of(bot, ANA) == ("Ana Silva", "Brazil")


async def test_profile_alone_asks_and_the_next_message_is_the_answer(
        telegram: FakeTelegram, bot_factory) -> None:
    bot = await bot_factory()
    ana = telegram.user(ANA, "Ana")
    await asked(ana)
    reply = await ana.ask("Ana Silva | Brazil", "Saved")
    assert "Ana Silva" in reply.text
    assert profile_of(bot, ANA) == ("Ana Silva", "Brazil")
    # Answered once: the message after that is a question again, not a new profile.
    await ana.ask("Hello!", SMALL_TALK)
    assert profile_of(bot, ANA) == ("Ana Silva", "Brazil")


async def test_two_users_answer_their_own_questions_at_once(telegram: FakeTelegram,
                                                            bot_factory) -> None:
    bot = await bot_factory()
    ana, bo, carla = (telegram.user(ANA, "Ana"), telegram.user(BO, "Bo"),
                      telegram.user(CARLA, "Carla"))
    await asyncio.gather(asked(ana), asked(bo))
    marks = [await bo.send("Bo Chen | China"), await carla.send("Hello!"),
             await ana.send("Ana Silva | Brazil")]
    await asyncio.gather(
        telegram.wait_message(BO, "Saved", after=marks[0]),
        telegram.wait_message(CARLA, SMALL_TALK, after=marks[1]),
        telegram.wait_message(ANA, "Saved", after=marks[2]))
    assert profile_of(bot, ANA) == ("Ana Silva", "Brazil")
    assert profile_of(bot, BO) == ("Bo Chen", "China")
    assert profile_of(bot, CARLA)[0] == "Carla"  # never asked: her message was a question


async def test_two_quick_messages_only_the_first_is_the_answer(telegram: FakeTelegram,
                                                                bot_factory) -> None:
    bot = await bot_factory()
    ana = telegram.user(ANA, "Ana")
    await asked(ana)
    first = await ana.send("Ana Silva | Brazil")
    await ana.send("Hello!")
    await telegram.wait_message(ANA, "Saved", after=first)
    await telegram.wait_message(ANA, SMALL_TALK, after=first)
    assert profile_of(bot, ANA) == ("Ana Silva", "Brazil")


async def test_a_command_in_the_middle_cancels_the_question(telegram: FakeTelegram,
                                                            bot_factory) -> None:
    bot = await bot_factory()
    ana = telegram.user(ANA, "Ana")
    await asked(ana)
    await ana.ask("/mode remote", "remotely")  # the command itself still runs
    await ana.ask("Hello!", SMALL_TALK)  # no longer taken as the name
    assert profile_of(bot, ANA)[0] == "Ana"
    participant = bot.services.participants.get(ANA)
    assert participant is not None and participant.mode == "remote"


async def test_cancel_says_nothing_was_changed_and_nothing_else(telegram: FakeTelegram,
                                                                bot_factory) -> None:
    bot = await bot_factory({"roles": {"organisers": [ORGANISER]}})
    for user in (telegram.user(ANA, "Ana"), telegram.user(ORGANISER, "Chair")):
        await asked(user)
        mark = await user.send("/cancel")
        await telegram.wait_message(user.id, "Nothing was changed", after=mark)
        await user.ask("Hello!", SMALL_TALK)
        replies = [s.text for s in telegram.sent[mark:]
                   if s.chat_id == user.id and s.method == "sendMessage"]
        # Only the dialogue answered /cancel (not /cancel <id> of the broadcasts).
        assert replies[0] == "Nothing was changed." and SMALL_TALK in replies[1]
        assert len(replies) == 2
    assert profile_of(bot, ANA)[0] == "Ana"


async def test_cancel_with_an_argument_still_reaches_the_broadcasts(telegram: FakeTelegram,
                                                                    bot_factory) -> None:
    await bot_factory({"roles": {"organisers": [ORGANISER]}})
    chair = telegram.user(ORGANISER, "Chair")
    await asked(chair)
    reply = await chair.ask("/cancel 99")
    assert "Nothing was changed" not in reply.text
    await chair.ask("Hello!", SMALL_TALK)  # and the profile question is gone


async def test_a_bad_answer_is_explained_and_the_question_stays_open(telegram: FakeTelegram,
                                                                     bot_factory) -> None:
    bot = await bot_factory()
    ana = telegram.user(ANA, "Ana")
    await asked(ana)
    before = profile_of(bot, ANA)
    await ana.ask(" | Brazil", "Please give your name")
    assert profile_of(bot, ANA) == before
    await ana.ask("Ana Silva | Brazil", "Saved")
    assert profile_of(bot, ANA) == ("Ana Silva", "Brazil")


async def test_asking_profile_again_restarts_the_question(telegram: FakeTelegram,
                                                          bot_factory) -> None:
    bot = await bot_factory()
    ana = telegram.user(ANA, "Ana")
    await asked(ana)
    await asked(ana)
    await ana.ask("Ana Silva | Brazil", "Saved")
    assert profile_of(bot, ANA) == ("Ana Silva", "Brazil")


async def test_an_unanswered_question_expires(telegram: FakeTelegram, bot_factory) -> None:
    clock = FakeClock()
    bot = await bot_factory(clock=clock)
    ana = telegram.user(ANA, "Ana")
    await asked(ana)
    clock.advance(seconds=PROFILE_QUESTION_TTL.total_seconds())
    await ana.ask("Hello!", SMALL_TALK)
    assert profile_of(bot, ANA)[0] == "Ana"


async def test_the_question_and_cancel_are_translated(telegram: FakeTelegram,
                                                      bot_factory) -> None:
    await bot_factory()
    marie = telegram.user(ANA, "Marie", language_code="fr")
    await marie.ask("/profile", "délégation")
    assert html.unescape((await marie.ask("/cancel")).text) == "Rien n'a été modifié."
