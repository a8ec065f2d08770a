"""End-to-end: the six UN languages, from the first /start, through /language, to reminders."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.domain.bidi import LRI, PDI
from bot.i18n import LANGUAGES
from tests.support import FakeClock
from tests.telegram_server import FakeTelegram

ORGANISER = 111
ANA = 222
OLGA = 333
SAMIR = 444

PRIVATE = json.dumps({"type": "all_private_chats"}, sort_keys=True)


@pytest.mark.parametrize(("code", "greeting", "help_word"), [
    ("ar", "أهلًا وسهلًا", "ما يمكنك القيام به"),
    ("zh-hans", "欢迎您", "您可以使用的功能"),
    ("zh-CN", "欢迎您", "您可以使用的功能"),
    ("ru", "Добро пожаловать", "Доступные возможности"),
    ("ru-RU", "Добро пожаловать", "Доступные возможности"),
])
async def test_first_start_speaks_the_telegram_language(telegram: FakeTelegram, bot_factory: Any,
                                                        code: str, greeting: str,
                                                        help_word: str) -> None:
    await bot_factory()
    user = telegram.user(ANA, "Ana", language_code=code)
    welcome = await user.ask("/start", greeting)
    assert "Welcome" not in welcome.text and "/agenda" in welcome.text
    assert help_word in (await user.ask("/help", help_word)).text


async def test_arabic_replies_isolate_latin_names_commands_and_the_title(
        telegram: FakeTelegram, bot_factory: Any) -> None:
    await bot_factory()
    samir = telegram.user(SAMIR, "Samir Ana Silva", language_code="ar")
    welcome = await samir.ask("/start", "أهلًا وسهلًا")
    assert f"{LRI}Samir Ana Silva{PDI}" in welcome.text
    assert f"{LRI}/agenda{PDI}" in welcome.text and f"{LRI}/speak{PDI}" in welcome.text
    assert f"{LRI}CSTD 26 - High-level Panel on WSIS progress{PDI}" in welcome.text
    assert welcome.params["parse_mode"] == "HTML"
    english = telegram.user(ANA, "Ana Silva", language_code="en")
    assert LRI not in (await english.ask("/start", "Welcome")).text


async def test_language_command_switches_to_each_language_and_refuses_others(
        telegram: FakeTelegram, bot_factory: Any) -> None:
    bot = await bot_factory()
    ana = telegram.user(ANA, "Ana", language_code="en")
    await ana.ask("/start", "Welcome")
    await ana.ask("/language ar", "سأكتب إليك باللغة العربية")
    assert "ما يمكنك القيام به" in (await ana.ask("/help", "ما يمكنك")).text
    await ana.ask("/language 中文", "中文")
    assert bot.services.participants.get(ANA).language == "zh"
    await ana.ask("/language ru", "русском")
    refusal = await ana.ask("/language klingon", "/language")
    assert "ru (русский)" in refusal.text and "Используйте" in refusal.text
    assert bot.services.participants.get(ANA).language == "ru"  # a bad choice loses nothing
    await ana.ask("/language en", "I will write to you in English.")


async def test_menus_are_published_in_each_of_the_six_languages(
        telegram: FakeTelegram, bot_factory: Any) -> None:
    await bot_factory()
    menus = {code: commands for (scope, code), commands in telegram.commands.items()
             if scope == PRIVATE}
    assert set(menus) == {"", *LANGUAGES}
    described = {code: {c["command"]: c["description"] for c in commands}
                 for code, commands in menus.items()}
    assert described[""] == described["en"]
    assert described["ar"]["speak"] == "طلب الكلمة: /speak [اللغة] [الموضوع]"
    assert described["ru"]["language"].startswith("Выбрать язык")
    assert described["zh"]["language"].startswith("选择语言")
    assert len({d["help"] for d in described.values()}) == len(LANGUAGES)


async def test_an_organiser_menu_follows_the_language_chosen(telegram: FakeTelegram,
                                                             bot_factory: Any) -> None:
    await bot_factory({"roles": {"organisers": [ORGANISER]}})
    chair = telegram.user(ORGANISER, "Chair", language_code="en")
    await chair.ask("/start", "Welcome")
    chat = json.dumps({"chat_id": ORGANISER, "type": "chat"}, sort_keys=True)
    await chair.ask("/language ru", "русском")  # the menu is set before this reply
    organiser_menu = {c["command"]: c["description"] for c in telegram.commands[(chat, "")]}
    assert organiser_menu["language"].startswith("Выбрать язык")


REMINDED = {
    "reminders": {"before_minutes": [10]},
    "agenda": [{"id": "panel", "title": "WSIS panel", "start": "2023-03-29T15:00",
                "end": "2023-03-29T17:30", "link": "https://example.org/join?a=1&b=2"}],
}


async def test_a_reminder_arrives_in_the_language_chosen(telegram: FakeTelegram,
                                                         bot_factory: Any) -> None:
    clock = FakeClock(datetime(2023, 3, 29, 12, 0, tzinfo=UTC))  # 14:00 in Geneva
    first = await bot_factory(REMINDED, clock=clock)
    olga = telegram.user(OLGA, "Olga", language_code="en")
    samir = telegram.user(SAMIR, "Samir", language_code="ar")
    await olga.ask("/start", "Welcome")
    await olga.ask("/language ru", "русском")
    await samir.ask("/start", "أهلًا وسهلًا")
    await first.stop()

    clock.set(datetime(2023, 3, 29, 12, 52, tzinfo=UTC))  # the 10-minute reminder is due
    await bot_factory(REMINDED, clock=clock)
    russian = await telegram.wait_message(OLGA, "⏰", timeout=30)
    assert "Начало через" in russian.text and "Starts in" not in russian.text
    assert LRI not in russian.text
    arabic = await telegram.wait_message(SAMIR, "⏰", timeout=30)
    assert "يبدأ بعد" in arabic.text
    assert f"{LRI}15:00–17:30{PDI}" in arabic.text
    assert f"{LRI}WSIS panel{PDI}" in arabic.text
    assert 'href="https://example.org/join?a=1&amp;b=2"' in arabic.text  # the link tag intact
