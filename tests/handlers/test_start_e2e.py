"""End-to-end: the real Application against the fake Bot API server, acting as users."""

from __future__ import annotations

import pytest

from tests.telegram_server import FakeTelegram

ORGANISER = 111
PARTICIPANT = 222


async def test_start_greets_registers_and_lists_features_in_english(telegram: FakeTelegram,
                                                                    bot_factory) -> None:
    bot = await bot_factory()
    user = telegram.user(PARTICIPANT, "Ana", language_code="en")
    reply = await user.ask("/start", "Welcome")
    assert "Ana" in reply.text
    assert "/agenda" in reply.text and "/speak" in reply.text
    assert reply.params["parse_mode"] == "HTML"
    participant = bot.services.participants.get(PARTICIPANT)
    assert participant is not None and participant.subscribed


@pytest.mark.parametrize(("code", "greeting", "help_word"), [
    ("fr", "Bienvenue", "Ce que vous pouvez faire"),
    ("es", "Bienvenido", "Lo que puede hacer"),
    ("fr-CA", "Bienvenue", "Ce que vous pouvez faire"),
])
async def test_start_and_help_follow_the_telegram_language(telegram: FakeTelegram, bot_factory,
                                                           code: str, greeting: str,
                                                           help_word: str) -> None:
    await bot_factory()
    user = telegram.user(PARTICIPANT, "Marie", language_code=code)
    assert greeting in (await user.ask("/start", greeting)).text
    assert help_word in (await user.ask("/help", help_word)).text


async def test_help_shows_organiser_commands_only_to_organisers(telegram: FakeTelegram,
                                                                bot_factory) -> None:
    await bot_factory({"roles": {"organisers": [ORGANISER]}})
    organiser = telegram.user(ORGANISER, "Chair")
    participant = telegram.user(PARTICIPANT, "Delegate")
    assert "/grant" in (await organiser.ask("/help", "/help")).text
    participant_help = await participant.ask("/help", "/help")
    assert "/grant" not in participant_help.text and "/start" in participant_help.text


async def test_html_in_a_name_is_shown_as_text(telegram: FakeTelegram, bot_factory) -> None:
    await bot_factory()
    user = telegram.user(PARTICIPANT, "<b>Eve</b> & co")
    reply = await user.ask("/start", "Welcome")
    assert "&lt;b&gt;Eve&lt;/b&gt; &amp; co" in reply.text


async def test_unknown_command_points_to_help(telegram: FakeTelegram, bot_factory) -> None:
    await bot_factory()
    user = telegram.user(PARTICIPANT)
    await user.ask("/start", "Welcome")
    reply = await user.ask("/frobnicate now", "/help")
    assert "do not know that command" in reply.text


@pytest.mark.parametrize("command", ["/grant 333 panelist", "/revoke 333 panelist",
                                     "/invite panelist"])
async def test_organiser_commands_are_refused_to_participants(telegram: FakeTelegram,
                                                              bot_factory, command: str) -> None:
    bot = await bot_factory({"roles": {"organisers": [ORGANISER]}})
    user = telegram.user(PARTICIPANT)
    reply = await user.ask(command, "only the organisers")
    assert "only the organisers" in reply.text
    assert bot.services.participants.roles(333) == frozenset()
    assert bot.services.participants.repo.db.query("SELECT COUNT(*) AS n FROM invites")[0]["n"] == 0
    audit = bot.services.participants.repo.audit_entries()
    assert audit[0]["allowed"] == 0 and audit[0]["actor_id"] == PARTICIPANT


async def test_roles_and_participants_survive_a_restart(telegram: FakeTelegram,
                                                        bot_factory) -> None:
    bot = await bot_factory({"roles": {"organisers": [ORGANISER]}})
    organiser = telegram.user(ORGANISER, "Chair")
    delegate = telegram.user(PARTICIPANT, "Delegate", language_code="es")
    await delegate.ask("/start", "Bienvenido")
    assert "333" in (await organiser.ask("/grant 333 panelist", "333")).text
    await delegate.ask("/profile Ana Silva | Brazil", "Ana Silva")
    await bot.stop()

    restarted = await bot_factory({"roles": {"organisers": [ORGANISER]}})
    assert restarted.services.participants.roles(333) == frozenset({"panelist"})
    participant = restarted.services.participants.get(PARTICIPANT)
    assert participant is not None
    assert (participant.display_name, participant.delegation) == ("Ana Silva", "Brazil")
    assert "Lo que puede hacer" in (await delegate.ask("/help", "/help")).text


async def test_invite_link_grants_its_role_once(telegram: FakeTelegram, bot_factory) -> None:
    bot = await bot_factory({"roles": {"organisers": [ORGANISER]}})
    organiser = telegram.user(ORGANISER, "Chair")
    reply = await organiser.ask("/invite panelist", "t.me/")
    code = reply.text.split("?start=")[1].split()[0]
    guest = telegram.user(444, "Guest")
    assert "accepted" in (await guest.ask(f"/start {code}", "Welcome")).text
    assert "panelist" in bot.services.participants.roles(444)
    other = telegram.user(555, "Other")
    assert "not valid" in (await other.ask(f"/start {code}", "Welcome")).text
    assert bot.services.participants.roles(555) == frozenset()


async def test_menus_are_published_per_language_and_for_organisers(telegram: FakeTelegram,
                                                                   bot_factory) -> None:
    await bot_factory({"roles": {"organisers": [ORGANISER]}})
    organiser = telegram.user(ORGANISER, "Chair")
    await organiser.ask("/start", "Welcome")
    await organiser.ask(f"/grant {ORGANISER} organiser", str(ORGANISER))
    private = [k for k in telegram.commands if "all_private_chats" in k[0]]
    assert {k[1] for k in private} == {"", "en", "fr", "es", "ar", "zh", "ru"}
    assert all("grant" not in [c["command"] for c in telegram.commands[k]] for k in private)
    chat_scope = [k for k in telegram.commands if f'"chat_id": {ORGANISER}' in k[0]]
    assert chat_scope and "grant" in [c["command"] for c in telegram.commands[chat_scope[0]]]


async def test_a_ten_thousand_character_message_gets_a_normal_reply(telegram: FakeTelegram,
                                                                    bot_factory) -> None:
    bot = await bot_factory()
    user = telegram.user(PARTICIPANT, "Long")
    await user.ask("/start", "Welcome")
    text = ("When is the panel? " + "blah " * 2000)[:10_000]
    mark = await user.send(text)
    reply = await telegram.wait_message(PARTICIPANT, "", after=mark, method="sendMessage",
                                        timeout=60)
    assert 0 < len(reply.text) <= 4096
    long_profile = await user.ask("/profile " + "N" * 10_000 + " | X", "too long")
    assert len(long_profile.text) < 4096
    assert bot.services.participants.get(PARTICIPANT).display_name == "Long"  # type: ignore[union-attr]
