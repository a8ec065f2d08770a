"""End-to-end: /reindex through the fake Bot API, with the real indexer, store and model."""

from __future__ import annotations

import asyncio
import html
import threading
from pathlib import Path
from typing import Any

from bot.services.indexing import IndexingService
from indexer.run import run_index
from tests.indexer.pdf_factory import write_corrupt_pdf
from tests.telegram_server import FakeTelegram

ORGANISER = 111
DELEGATE = 222
QUESTION = "Which languages is interpretation provided in?"


def knowledge_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / "logistics.md").write_text(
        "# Logistics\n\n## Interpretation\n\nInterpretation is provided in Arabic, Chinese, "
        "English, French, Russian and Spanish during the panel.\n", encoding="utf-8")
    write_corrupt_pdf(folder / "broken.pdf")
    return folder


async def test_non_organisers_cannot_reindex(tmp_path: Path, telegram: FakeTelegram,
                                             bot_factory: Any) -> None:
    bot = await bot_factory({"roles": {"organisers": [ORGANISER]},
                             "knowledge": {"dir": str(knowledge_folder(tmp_path))}})
    delegate = telegram.user(DELEGATE, "Delegate")
    refusal = await delegate.ask("/reindex", "only the organisers")
    assert "organisers" in refusal.text
    assert bot.services.knowledge.count() == 0


async def test_organiser_reindexes_while_the_bot_keeps_answering(
        tmp_path: Path, telegram: FakeTelegram, bot_factory: Any) -> None:
    bot = await bot_factory({"roles": {"organisers": [ORGANISER]},
                             "knowledge": {"dir": str(knowledge_folder(tmp_path))}})
    services = bot.services
    started, release = threading.Event(), threading.Event()

    def gated_run(*args: Any, **kwargs: Any) -> Any:
        started.set()  # the worker thread holds here until the test has seen the bot answer
        release.wait(60)
        return run_index(*args, **kwargs)

    services.indexer = IndexingService(services.config, services.env.data_dir, runner=gated_run)
    services.indexer.on_published(services.answers.refresh)
    organiser = telegram.user(ORGANISER, "Chair", language_code="fr")
    delegate = telegram.user(DELEGATE, "Delegate")
    await organiser.ask("/start", "")
    await delegate.ask("/start", "")
    before = await delegate.ask(QUESTION, "")
    assert "Spanish" not in before.text  # nothing indexed yet

    try:
        mark = await organiser.send("/reindex")
        await telegram.wait_message(ORGANISER, "Mise à jour de", after=mark)
        assert await asyncio.to_thread(started.wait, 30)
        busy = await organiser.ask("/reindex", "déjà en cours")
        assert "Une indexation est déjà en cours" in busy.text
        during = await delegate.ask("/agenda", "")  # answered while the index is being built
        assert services.indexer.running and during.text
    finally:
        release.set()
    summary = await telegram.wait_message(ORGANISER, "Index des connaissances mis à jour",
                                          after=mark, timeout=120)
    assert "Documents : 1" in summary.text
    assert "Impossible d'indexer (1) :" in html.unescape(summary.text)
    assert "<code>broken.pdf</code>: corrupt or unreadable PDF" in summary.text
    assert services.knowledge.lexical("interpretation Spanish", 1)[0][0].file == "logistics.md"

    # The same running bot now answers from the new index: no restart.
    answer = await delegate.ask(QUESTION, "Spanish", timeout=60)
    assert "Russian" in answer.text

    mark = telegram.mark()
    await organiser.send("/reindex")
    again = await telegram.wait_message(ORGANISER, "déjà à jour", after=mark, timeout=60)
    assert "inchangés : 1" in again.text
