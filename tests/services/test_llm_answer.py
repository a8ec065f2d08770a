"""The optional LLM path, driven by langchain-core's fake chat models (no network)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import (
    FakeListChatModel,
    GenericFakeChatModel,
)
from langchain_core.messages import AIMessage

from bot.config import LLMConfig
from bot.domain.answer import Source
from bot.services.llm_answer import NOT_IN_SOURCES, LLMAnswerer, build_messages
from bot.storage.knowledge import Chunk

CHUNKS = [
    Chunk("a", "The Panel aims to identify emerging opportunities.", "Concept note", "cn.md",
          section="Objectives"),
    Chunk("b", "Report available at: https://unctad.org/a78d62_en.pdf", "Concept note",
          "cn.md", page=3, section="Supporting documents"),
]
SOURCES = [Source("Concept note", section="Objectives")]
CONFIG = LLMConfig(enabled=True, model="fake", timeout_seconds=2.0)


class RecordingModel(FakeListChatModel):
    """Remembers the messages it was given."""

    seen: list[Any] = []

    def invoke(self, input: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: A002
        self.seen.append(input)
        return super().invoke(input, *args, **kwargs)


class FailingModel(FakeListChatModel):
    def invoke(self, input: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: A002
        raise ConnectionError("server down")


class BlockedModel(FakeListChatModel):
    release: Any = None

    def invoke(self, input: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: A002
        self.release.wait(10)
        return AIMessage(content="too late [1]")


def test_the_prompt_holds_only_the_numbered_sources_the_language_and_the_rules():
    system, human = build_messages("Quels sont les objectifs ?", "fr", CHUNKS)
    assert system[0] == "system" and "French" in system[1] and NOT_IN_SOURCES in system[1]
    assert "ONLY the numbered sources" in system[1]
    assert "[1] (Concept note, Objectives)" in human[1]
    assert "[2] (Concept note, p. 3, Supporting documents)" in human[1]
    assert human[1].endswith("Question: Quels sont les objectifs ?")


def test_a_cited_reply_is_used_and_the_model_saw_the_sources():
    model = RecordingModel(responses=["Le panel vise à identifier des opportunités [1]."])
    RecordingModel.seen = []
    llm = LLMAnswerer(CONFIG, model=model)
    assert llm.write("Objectifs ?", "fr", CHUNKS, SOURCES) == (
        "Le panel vise à identifier des opportunités [1].")
    assert "The Panel aims to identify" in model.seen[0][1][1]


@pytest.mark.parametrize("reply", [
    "The panel aims to identify opportunities.",  # no citation
    "See [7].",  # a source that does not exist
    NOT_IN_SOURCES,
    "",
])
def test_untrustworthy_replies_fall_back(reply):
    llm = LLMAnswerer(CONFIG, model=GenericFakeChatModel(messages=iter([AIMessage(reply)])))
    assert llm.write("q", "en", CHUNKS, SOURCES) is None


def test_a_failing_model_falls_back():
    llm = LLMAnswerer(CONFIG, model=FailingModel(responses=["x"]))
    assert llm.write("q", "en", CHUNKS, SOURCES) is None


def test_a_slow_model_falls_back_at_the_timeout():
    release = threading.Event()
    llm = LLMAnswerer(LLMConfig(enabled=True, model="fake", timeout_seconds=0.2),
                      model=BlockedModel(responses=["x"], release=release))
    try:
        assert llm.write("q", "en", CHUNKS, SOURCES) is None
    finally:
        release.set()
        llm.close()


def test_a_missing_api_key_or_provider_leaves_answers_extractive():
    no_key = LLMAnswerer(LLMConfig(enabled=True, model="m", api_key_env="PANEL_TEST_KEY"),
                         environ={})
    assert no_key.write("q", "en", CHUNKS, SOURCES) is None
    bad = LLMAnswerer(LLMConfig(enabled=True, model="m", provider="no-such-provider"),
                      environ={})
    assert bad.write("q", "en", CHUNKS, SOURCES) is None


def test_init_chat_model_gets_the_configured_settings(monkeypatch):
    captured: dict[str, Any] = {}

    def fake_init(model: str, **kwargs: Any) -> Any:
        captured.update(kwargs, model=model)
        return FakeListChatModel(responses=["ok [1]"])

    import langchain.chat_models as chat_models

    monkeypatch.setattr(chat_models, "init_chat_model", fake_init)
    config = LLMConfig(enabled=True, provider="openai", model="llama3.1",
                       base_url="http://127.0.0.1:11434/v1", api_key_env="PANEL_TEST_KEY",
                       timeout_seconds=5.0, temperature=0.1)
    llm = LLMAnswerer(config, environ={"PANEL_TEST_KEY": "secret"})
    assert llm.write("q", "en", CHUNKS, SOURCES) == "ok [1]"
    assert captured == {"model": "llama3.1", "model_provider": "openai",
                        "base_url": "http://127.0.0.1:11434/v1", "api_key": "secret",
                        "temperature": 0.1, "timeout": 5.0, "max_retries": 0}
