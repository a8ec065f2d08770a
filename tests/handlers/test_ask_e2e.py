"""End-to-end: questions through the real Application and the local fake Bot API server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.config import load_config
from tests.support import write_config
from tests.telegram_server import FakeTelegram

MARIE, ANA, ORGANISER = 301, 302, 399
OVERRIDES = {"roles": {"organisers": [ORGANISER]}}


@pytest.fixture
def indexed(tmp_path: Path) -> Path:
    """The concept note indexed into the data dir the bot will use."""
    from indexer.run import run_index

    config = load_config(write_config(tmp_path, OVERRIDES))
    run_index(config, tmp_path / "data")
    return tmp_path


async def test_a_french_question_gets_a_cited_french_answer_with_feedback_buttons(
    indexed: Path, telegram: FakeTelegram, bot_factory: Any
) -> None:
    bot = await bot_factory(OVERRIDES)
    marie = telegram.user(MARIE, "Marie", language_code="fr")
    mark = await marie.send("Quels sont les objectifs du panel ?")
    reply = await telegram.wait_message(MARIE, "D'après les documents", after=mark)
    assert "<blockquote>" in reply.text and "The Panel aims to identify" in reply.text
    assert "<b>Sources :</b>" in reply.text and "Objectives" in reply.text
    assert reply.params["parse_mode"] == "HTML"
    assert [b["text"] for b in reply.buttons] == ["👍 Utile", "👎 Pas utile"]

    down = reply.button("Pas utile")["callback_data"]
    up = reply.button("Utile")["callback_data"]
    assert len(down.encode()) <= 64
    pressed = await marie.press(reply, down)
    await telegram.wait_for(lambda s: s.method == "answerCallbackQuery", after=pressed)
    edited = await telegram.wait_for(lambda s: s.method == "editMessageReplyMarkup",
                                     after=pressed)
    assert "✅ Pas utile" in str(edited.params["reply_markup"])
    pressed = await marie.press(reply, up)  # a second press replaces the first
    await telegram.wait_for(lambda s: s.method == "editMessageReplyMarkup", after=pressed)
    rows = bot.services.db.query("SELECT helpful FROM question_feedback")
    assert [r["helpful"] for r in rows] == [1]


async def test_typing_shows_while_an_answer_is_computed_not_for_a_cached_one(
    indexed: Path, telegram: FakeTelegram, bot_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.handlers import ask

    monkeypatch.setattr(ask, "TYPING_AFTER", 0.0)  # any answer still computing shows typing
    await bot_factory(OVERRIDES)
    ana = telegram.user(ANA, "Ana")
    replies = []
    for _ in range(2):
        mark = await ana.send("What does the Panel aim to identify?")
        replies.append(await telegram.wait_message(ANA, "From the documents", after=mark))
        sent = [s for s in telegram.sent[mark:] if s.chat_id == ANA]
        actions = [s.params["action"] for s in sent if s.method == "sendChatAction"]
        assert actions == (["typing"] if len(replies) == 1 else []), actions
        if actions:  # before the answer, not after it
            assert [s.method for s in sent][:2] == ["sendChatAction", "sendMessage"]
    assert replies[0].text == replies[1].text


async def test_schedule_rules_and_abstention_in_a_private_chat(
    indexed: Path, telegram: FakeTelegram, bot_factory: Any
) -> None:
    await bot_factory(OVERRIDES)
    ana = telegram.user(ANA, "Ana")
    reply = await ana.ask("What time is the panel in New York?", "New York")
    assert "09:00–11:30 (UTC-4)" in reply.text
    reply = await ana.ask("/ask How long can panelists speak?", "Panelists")
    assert "10 minutes" in reply.text
    reply = await ana.ask("Who are the panelists?", "documents do not say")
    assert "the CSTD secretariat" in reply.text
    reply = await ana.ask("/ask", "Usage")
    assert "/ask" in reply.text


def snapshot(bot: Any) -> list[list[tuple[Any, ...]]]:
    """Every row of the question log and of the participants."""
    return [[tuple(r) for r in bot.services.db.query(f"SELECT * FROM {table} ORDER BY 1")]
            for table in ("questions", "question_feedback", "participants")]


async def test_unanswered_is_for_organisers_only(
    indexed: Path, telegram: FakeTelegram, bot_factory: Any
) -> None:
    bot = await bot_factory(OVERRIDES)
    ana = telegram.user(ANA, "Ana")
    await ana.ask("Who are the panelists?", "documents do not say")
    await ana.ask("who are the panelists", "documents do not say")
    before = snapshot(bot)
    mark = await ana.send("/unanswered")
    refused = await telegram.wait_message(ANA, "only the organisers", after=mark)
    assert "panelists" not in refused.text and "why:" not in refused.text
    assert [s.text for s in telegram.sent[mark:] if s.chat_id == ANA] == [refused.text]
    assert snapshot(bot) == before
    audit = bot.services.db.query("SELECT actor_id, allowed FROM audit_log"
                                  " WHERE action = 'unanswered'")
    assert [tuple(r) for r in audit] == [(ANA, 0)]
    organiser = telegram.user(ORGANISER, "Olga")
    listing = await organiser.ask("/unanswered", "Unanswered")
    assert "Who are the panelists?" in listing.text or "who are the panelists" in listing.text
    assert "asked 2, unanswered 2" in listing.text



async def test_unanswered_tells_organisers_why_each_question_was_not_answered(
    indexed: Path, telegram: FakeTelegram, bot_factory: Any
) -> None:
    from bot.domain.answer import AbstainReason, Answer
    from bot.handlers.unanswered_render import reason_text

    bot = await bot_factory(OVERRIDES)
    ana = telegram.user(ANA, "Ana")
    await ana.ask("Hello!", "Ask me about the panel")  # small talk: not recorded
    await ana.ask("Who are the panelists?", "documents do not say")
    [row] = bot.services.db.query("SELECT id FROM questions")
    stored = bot.services.questions.repo.get(row["id"])
    assert stored is not None and stored.abstained
    # A name no document mentions, recorded as the answerer hands it over (hostile detail).
    bot.services.questions.record(Answer(
        "Is it on <b>Webex</b> & Teams?", "content", "en", ("The documents do not say.",),
        abstained=True, reason=AbstainReason.UNKNOWN_NAME, reason_detail="<b>Webex</b> & Co"),
        ANA, ANA)

    organiser = telegram.user(ORGANISER, "Olga", language_code="fr")
    listing = await organiser.ask("/unanswered", "Sans réponse ou pas utiles")
    french = bot.services.i18n.translator("fr").gettext
    assert "Who are the panelists?" in listing.text
    assert reason_text(stored.reason, stored.reason_detail, french) in listing.text
    assert "Is it on &lt;b&gt;Webex&lt;/b&gt; &amp; Teams?" in listing.text
    assert ("pourquoi : cite « &lt;b&gt;Webex&lt;/b&gt; &amp; Co », qu'aucun document ne"
            " mentionne") in listing.text
    assert listing.text.count("pourquoi :") == 2
