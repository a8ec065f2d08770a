"""Re-indexing from the bot (/reindex): one run at a time, in the caller's worker thread.

`IndexingService.run` blocks (the handler calls it through `asyncio.to_thread`, so the bot keeps
answering). When a run publishes a new index generation, the listeners (the knowledge store and
the answering caches) are told, so answers use the new documents without a restart.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from bot.config import Config
from bot.errors import UserError
from bot.storage.embeddings import Embedder
from bot.storage.knowledge import KnowledgeStoreError
from indexer.run import IndexBusy, IndexerError, run_index
from indexer.summary import Failure, IndexSummary

log = logging.getLogger(__name__)

__all__ = ["Failure", "IndexSummary", "IndexingService"]

Runner = Callable[..., IndexSummary]


class IndexingService:
    """Runs the indexer for organisers and tells the readers about the new index."""

    def __init__(self, config: Config, data_dir: Path, embedder: Embedder | None = None,
                 runner: Runner = run_index) -> None:
        self.config = config
        self.data_dir = Path(data_dir)
        self.embedder = embedder
        self._runner = runner
        self._lock = threading.Lock()
        self._listeners: list[Callable[[], object]] = []

    @property
    def running(self) -> bool:
        """A run started from this process is in progress."""
        return self._lock.locked()

    def on_published(self, listener: Callable[[], object]) -> None:
        """Call `listener` after each run that changed the index (e.g. a cache refresh)."""
        self._listeners.append(listener)

    def run(self) -> IndexSummary:
        """Bring the index up to date (blocking); raises UserError when it cannot run."""
        if not self._lock.acquire(blocking=False):
            raise UserError("An indexing run is already in progress. Try again when it has "
                            "finished.")
        try:
            try:
                summary = self._runner(self.config, self.data_dir, embedder=self.embedder)
            except IndexBusy:
                raise UserError("An indexing run is already in progress. Try again when it "
                                "has finished.") from None
            except (IndexerError, KnowledgeStoreError) as exc:
                log.error("re-indexing failed: %s", exc)
                raise UserError("The knowledge index could not be updated: {reason}",
                                reason=str(exc)) from None
        finally:
            self._lock.release()
        if summary.embedded or summary.removed or summary.added or summary.updated:
            for listener in self._listeners:
                try:
                    listener()
                except Exception:  # one stale cache must not hide the summary
                    log.exception("refresh after re-indexing failed")
        return summary
