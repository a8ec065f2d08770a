"""Optional LLM answers: a chat model writes the answer from the retrieved passages only, with
citations, within a timeout. Any failure, timeout or uncited reply returns None and the caller
sends the extractive answer instead.

The model is any chat model LangChain's `init_chat_model` supports (typically an
OpenAI-compatible server such as Ollama, vLLM or llama.cpp: provider "openai", base_url, model;
the provider's integration package, e.g. langchain-openai, must be installed). The API key is
read from the environment variable named in [llm].api_key_env, never from the config file.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, Protocol

from babel import Locale

from bot.config import LLMConfig
from bot.domain.answer import Source
from bot.services.retrieval import ChunkLike

log = logging.getLogger(__name__)

NOT_IN_SOURCES = "NOT_IN_SOURCES"
MAX_PASSAGE_CHARS = 1500

SYSTEM_PROMPT = (
    "You answer delegates' questions about a United Nations meeting. Use ONLY the numbered "
    "sources below; never add facts, names, links or numbers that are not in them. Cite the "
    "sources you use as [1], [2]. Answer in {language}, in at most 120 words; keep quotations, "
    "document symbols and links exactly as written. If the sources do not answer the question, "
    "reply exactly " + NOT_IN_SOURCES + "."
)


class AnswerWriter(Protocol):
    """What the AnswerService asks of a writer of answers (LLMAnswerer; fakes in tests)."""

    def write(self, question: str, language: str, chunks: Sequence[ChunkLike],
              sources: Sequence[Source]) -> str | None: ...

    def close(self) -> None: ...


def build_messages(question: str, language: str,
                   chunks: Sequence[ChunkLike]) -> list[tuple[str, str]]:
    """The system and user messages for one question (pure; shown in tests)."""
    name = Locale.parse(language).get_display_name("en") or "English"
    numbered = []
    for number, chunk in enumerate(chunks, start=1):
        where = ", ".join(str(x) for x in (chunk.document, _page(chunk), chunk.section) if x)
        numbered.append(f"[{number}] ({where})\n{chunk.text[:MAX_PASSAGE_CHARS]}")
    user = "Sources:\n\n" + "\n\n".join(numbered) + f"\n\nQuestion: {question}"
    return [("system", SYSTEM_PROMPT.format(language=name)), ("human", user)]


def _page(chunk: ChunkLike) -> str:
    return f"p. {chunk.page}" if chunk.page is not None else ""


class LLMAnswerer:
    """Writes answers with a chat model; `write` returns None whenever it cannot be trusted."""

    def __init__(self, config: LLMConfig, model: Any = None,
                 environ: Mapping[str, str] | None = None) -> None:
        self.config = config
        self._model = model
        self._environ = os.environ if environ is None else environ
        self._lock = threading.Lock()
        self._broken = False
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="llm")

    def _chat_model(self) -> Any:
        with self._lock:
            if self._model is None and not self._broken:
                try:
                    self._model = self._init_model()
                except Exception:  # missing provider package, bad settings: stay extractive
                    log.exception("cannot start the chat model; answers stay extractive")
                    self._broken = True
            return self._model

    def _init_model(self) -> Any:
        from langchain.chat_models import init_chat_model

        kwargs: dict[str, Any] = {"temperature": self.config.temperature,
                                  "timeout": self.config.timeout_seconds, "max_retries": 0}
        if self.config.base_url:
            kwargs["base_url"] = self.config.base_url
        if self.config.api_key_env:
            key = self._environ.get(self.config.api_key_env)
            if not key:
                raise RuntimeError(f"environment variable {self.config.api_key_env} is not set")
            kwargs["api_key"] = key
        return init_chat_model(self.config.model, model_provider=self.config.provider or None,
                               **kwargs)

    def write(self, question: str, language: str, chunks: Sequence[ChunkLike],
              sources: Sequence[Source]) -> str | None:
        """The model's answer, or None (failure, timeout, refusal, or no valid citation)."""
        model = self._chat_model()
        if model is None or not chunks:
            return None
        messages = build_messages(question, language, chunks)
        try:
            future = self._pool.submit(model.invoke, messages)
        except RuntimeError:  # closed: the bot is shutting down
            return None
        try:
            reply = future.result(timeout=self.config.timeout_seconds)
        except FutureTimeout:
            future.cancel()
            log.warning("the chat model took longer than %ss; sending the extractive answer",
                        self.config.timeout_seconds)
            return None
        except Exception:
            log.warning("the chat model failed; sending the extractive answer", exc_info=True)
            return None
        text = str(getattr(reply, "content", reply) or "").strip()
        return text if _trustworthy(text, len(chunks)) else None

    def close(self) -> None:
        """Stop the worker threads (a running call is abandoned; `write` then returns None)."""
        self._pool.shutdown(wait=False, cancel_futures=True)


def _trustworthy(text: str, count: int) -> bool:
    """Non-empty, not a refusal, and citing at least one source that exists."""
    if not text or NOT_IN_SOURCES in text:
        return False
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
    return bool(cited) and all(1 <= n <= count for n in cited)
