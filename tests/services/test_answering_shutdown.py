"""At exit the chat model's worker threads stop, whether closed directly or by the
AnswerService that owns the writer."""

from __future__ import annotations

import threading
from pathlib import Path

from langchain_core.language_models.fake_chat_models import FakeListChatModel

from bot.config import LLMConfig, load_config
from bot.domain.answer import Source
from bot.i18n import I18n
from bot.services.answering import AnswerService
from bot.services.llm_answer import LLMAnswerer
from bot.storage.knowledge import Chunk
from tests.support import write_config

CHUNKS = [Chunk("a", "The Panel aims to identify emerging opportunities.", "Concept note",
                "cn.md", section="Objectives")]
SOURCES = [Source("Concept note", section="Objectives")]
CONFIG = LLMConfig(enabled=True, model="fake", timeout_seconds=5.0)


def threads_named(prefix: str) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith(prefix + "_")]


def assert_stopped(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.join(timeout=10)  # waits for the exit, which shutdown() has asked for
        assert not thread.is_alive(), thread.name


def test_closing_the_writer_stops_its_threads_and_later_writes_fall_back() -> None:
    llm = LLMAnswerer(CONFIG, model=FakeListChatModel(responses=["The aim [1]."]))
    before = set(threads_named("llm"))
    assert llm.write("What is the aim?", "en", CHUNKS, SOURCES) == "The aim [1]."
    started = [t for t in threads_named("llm") if t not in before]
    assert started
    llm.close()
    assert_stopped(started)
    assert llm.write("What is the aim?", "en", CHUNKS, SOURCES) is None  # extractive instead
    llm.close()  # a second close is harmless


def test_the_answer_service_closes_its_writer(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path))
    llm = LLMAnswerer(CONFIG, model=FakeListChatModel(responses=["The aim [1]."]))
    before = set(threads_named("llm"))
    assert llm.write("What is the aim?", "en", CHUNKS, SOURCES)
    started = [t for t in threads_named("llm") if t not in before]
    # Nothing is loaded by the constructor: the store and embedder are never used here.
    service = AnswerService(config=config, store=None, embedder=None,  # type: ignore[arg-type]
                            i18n=I18n.load(), llm=llm)
    service.close()
    assert_stopped(started)
    assert llm.write("What is the aim?", "en", CHUNKS, SOURCES) is None


def test_an_answer_service_without_a_writer_closes_quietly(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path))
    service = AnswerService(config=config, store=None, embedder=None,  # type: ignore[arg-type]
                            i18n=I18n.load())
    service.close()
    assert service.llm is None
