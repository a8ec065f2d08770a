"""End-to-end in Arabic, Chinese and Russian: a schedule question naming a city in the asker's
language, and a content question answered with its cited English quotation, through the real
Application and the local Bot API server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.config import load_config
from tests.support import write_config
from tests.telegram_server import FakeTelegram

OVERRIDES: dict[str, Any] = {"roles": {"organisers": [999]}}


@pytest.fixture
def indexed(tmp_path: Path) -> Path:
    """The concept note indexed into the data dir the bot will use."""
    from indexer.run import run_index

    config = load_config(write_config(tmp_path, OVERRIDES))
    run_index(config, tmp_path / "data")
    return tmp_path


@pytest.mark.parametrize(("user_id", "code", "question", "city"), [
    (501, "ar", "متى تبدأ الجلسة في بكين؟", "بكين"),
    (502, "zh-hans", "会议在北京是几点开始？", "北京"),
    (503, "ru", "Во сколько начнётся заседание по времени Пекина?", "Пекин"),
])
async def test_a_city_named_in_the_askers_language_gets_its_local_time(
        indexed: Path, telegram: FakeTelegram, bot_factory: Any, user_id: int, code: str,
        question: str, city: str) -> None:
    await bot_factory(OVERRIDES)
    user = telegram.user(user_id, "Delegate", language_code=code)
    mark = await user.send(question)
    reply = await telegram.wait_message(user_id, "21:00", after=mark)
    assert city in reply.text and "23:30" in reply.text and "UTC+8" in reply.text
    assert "15:00" in reply.text  # the Geneva time is always given


@pytest.mark.parametrize(("user_id", "code", "question", "lead", "quoted"), [
    (511, "ar", "ما هي أهداف الفريق؟", "من الوثائق", "The Panel"),
    (512, "zh-hans", "文件提到人工智能了吗？", "文件内容", "artificial intelligence"),
    (513, "ru", "Упоминается ли искусственный интеллект?", "документ",
     "artificial intelligence"),
])
async def test_a_content_question_gets_the_english_quotation_cited_in_the_askers_words(
        indexed: Path, telegram: FakeTelegram, bot_factory: Any, user_id: int, code: str,
        question: str, lead: str, quoted: str) -> None:
    await bot_factory(OVERRIDES)
    user = telegram.user(user_id, "Delegate", language_code=code)
    mark = await user.send(question)
    reply = await telegram.wait_message(user_id, "<blockquote>", after=mark)
    assert lead in reply.text and quoted in reply.text
    assert "Concept note" in reply.text  # the source, cited
    assert "From the documents" not in reply.text  # the bot's own words are translated
