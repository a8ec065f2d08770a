"""One index run: scan the knowledge folder, load and chunk what changed, embed, publish.

`run_index` is what `python -m indexer` and the bot's /reindex (from a worker thread) call. It is
incremental (content hashes in the manifest: unchanged files are neither read nor embedded),
crash-safe (it stages a new generation and publishes it in one step; see bot.storage.knowledge)
and exclusive (a lock file in the data directory keeps a second run out).
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot.config import Config
from bot.domain.derived import DERIVED_VERSION
from bot.domain.doc_language import parse_document_name
from bot.storage import vector_rows
from bot.storage.embeddings import Embedder, default_embedder
from bot.storage.knowledge import INDEX_DB_NAME, Chunk, KnowledgeStore, KnowledgeStoreError
from bot.storage.vectors import IndexVectors
from indexer.chunking import (
    CHUNKER_VERSION,
    MAX_CHARS,
    OVERLAP,
    chunk_document,
    document_key,
)
from indexer.fetch import read_hints
from indexer.loaders import LoadError, SourceHints, load_document
from indexer.manifest import Entry, Manifest, content_hash, plan_changes
from indexer.summary import Failure, IndexSummary, group_versions
from indexer.vectors import ChunkEmbedder, EmbedCounts

log = logging.getLogger(__name__)

EMBED_BATCH = 16
LOCK_FILE = "index.lock"


class IndexerError(Exception):
    """A usage or configuration problem (the CLI exits 2); one clear line."""


class IndexBusy(Exception):
    """Another index run holds the lock."""


def signature(embedder: Embedder) -> str:
    """What the stored vectors depend on; a change re-embeds every file."""
    return (f"{embedder.name}|chunker {CHUNKER_VERSION}|{MAX_CHARS}/{OVERLAP}"
            f"|derived {DERIVED_VERSION}|vectors {vector_rows.FORMAT_VERSION}")


def scan(knowledge_dir: Path) -> dict[str, Path]:
    """Files of the knowledge folder by relative POSIX name (hidden files and folders skipped)."""
    found = {}
    for path in sorted(knowledge_dir.rglob("*")):
        relative = path.relative_to(knowledge_dir)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        found[relative.as_posix()] = path
    return found


@contextlib.contextmanager
def run_lock(data_dir: Path) -> Iterator[None]:
    """Hold the data directory's index lock, or raise IndexBusy."""
    fd = os.open(data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexBusy("another indexing run is in progress") from None
        yield
    finally:
        os.close(fd)


def run_index(config: Config, data_dir: Path, *, rebuild: bool = False, progress: bool = False,
              embedder: Embedder | None = None, batch_size: int = EMBED_BATCH) -> IndexSummary:
    """Bring the index up to date with [knowledge].dir; returns what was done."""
    started = time.perf_counter()
    knowledge_dir = Path(config.knowledge.dir)
    if not knowledge_dir.is_dir():
        raise IndexerError(f"knowledge.dir: {knowledge_dir} is not a folder")
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(data_dir, 0o700)  # state is the owner's only, as for the bot
    embedder = embedder or default_embedder()
    with run_lock(data_dir):
        store = KnowledgeStore.open(data_dir, config.vector_store, embedder)
        manifest = Manifest(data_dir / INDEX_DB_NAME)
        try:
            summary = _Run(store, manifest, embedder, knowledge_dir, rebuild, progress,
                           max(1, batch_size)).execute()
        finally:
            manifest.close()
            store.close()
    summary.seconds = time.perf_counter() - started
    return summary


class _Run:
    def __init__(self, store: KnowledgeStore, manifest: Manifest, embedder: Embedder,
                 knowledge_dir: Path, rebuild: bool, progress: bool, batch_size: int) -> None:
        self.store, self.manifest, self.embedder = store, manifest, embedder
        self.knowledge_dir, self.progress, self.batch_size = knowledge_dir, progress, batch_size
        stored = store.state().get("signature")
        # A new model or chunker makes every stored vector stale: start clean.
        self.clean = rebuild or (stored is not None and stored != signature(embedder))
        self.counts = EmbedCounts()

    def execute(self) -> IndexSummary:
        files = scan(self.knowledge_dir)
        hints = read_hints(self.knowledge_dir)
        hashes = {name: content_hash(path, _fingerprint(hints.get(name)))
                  for name, path in files.items()}
        current = self.store.generation
        self.manifest.prune(current)
        before = self.manifest.entries(current)
        plan = plan_changes(hashes, before, rebuild=self.clean)
        after: dict[str, Entry] = {name: before[name] for name in plan.unchanged}
        failures = dict(plan.known_failures)
        for name in plan.known_failures:
            after.setdefault(name, before[name])
        fresh: dict[str, list[Chunk]] = {}
        for name in self._bar(plan.added + plan.updated, "reading", "file"):
            try:
                document = load_document(files[name], name, hints.get(name, SourceHints()))
                version_of = parse_document_name(name).key
                chunks = chunk_document(
                    document.parts, key=document_key(name, hashes[name]), title=document.title,
                    file=name, language=document.language, url=document.url,
                    document_key=version_of)
                if not chunks:
                    raise LoadError("the file has no text")
            except Exception as exc:
                reason = str(exc) if isinstance(exc, LoadError) else f"unexpected error: {exc!r}"
                if not isinstance(exc, LoadError):
                    log.exception("%s: unexpected error while loading", name)
                failures[name] = reason
                old = before.get(name)
                if old is not None and old.indexed and not self.clean:
                    after[name] = dataclasses.replace(old, failed_sha256=hashes[name], error=reason)
                else:
                    after[name] = Entry(name, None, failed_sha256=hashes[name], error=reason)
                continue
            fresh[name] = chunks
            after[name] = Entry(name, hashes[name], document.title, document.pages, len(chunks),
                                language=document.language, document_key=version_of)
        kept = [name for name, entry in after.items() if entry.indexed and name not in fresh]
        was_indexed = {name for name, entry in before.items() if entry.indexed}
        changed = bool(fresh) or set(kept) != was_indexed or (self.clean and current is not None)
        if changed:
            self._write_generation(kept, fresh, after)
        else:
            if self.store.needs_cleanup():
                self.store.discard_stale()
            if current is not None and after != before:
                self.manifest.write(current, after.values())  # remembers new failures
        return IndexSummary(
            documents=sum(1 for e in after.values() if e.indexed),
            pages=sum(e.pages for e in after.values() if e.indexed),
            chunks=self.store.count(),
            added=sum(1 for n in plan.added if n in fresh),
            updated=sum(1 for n in plan.updated if n in fresh),
            unchanged=len(plan.unchanged), removed=len(plan.removed),
            failed=[Failure(name, failures[name]) for name in sorted(failures)],
            embedded=sum(len(c) for c in fresh.values()), generation=self.store.generation,
            embedded_sentences=self.counts.sentences, embedded_names=self.counts.names,
            versions=group_versions(
                (e.file, e.document_key or parse_document_name(e.file).key, e.title or e.file,
                 e.language) for e in after.values() if e.indexed),
        )

    def _write_generation(self, kept: list[str], fresh: dict[str, list[Chunk]],
                          after: dict[str, Entry]) -> None:
        self.store.discard_stale()
        staged = self.store.stage()
        log.info("staging generation %d: %d files kept, %d to embed", staged.generation,
                 len(kept), len(fresh))
        if not self.clean:
            staged.copy_files(sorted(kept))
        pending = [chunk for name in sorted(fresh) for chunk in fresh[name]]
        embedder = ChunkEmbedder(self.embedder, self._reusable() if pending else None)
        bar = self._bar(None, "embedding", "chunk", total=len(pending))
        for start in range(0, len(pending), self.batch_size):
            batch = pending[start:start + self.batch_size]
            vectors, derived = embedder.embed(batch)
            staged.add(batch, vectors, derived)
            bar.update(len(batch))
        bar.close()
        self.counts = embedder.counts
        self.manifest.write(staged.generation, after.values())
        staged.publish(signature(self.embedder))
        self.manifest.prune(staged.generation)

    def _reusable(self) -> IndexVectors | None:
        """The published generation's vectors, when they were made the way this run makes
        them (same signature): their sentences and names need not be embedded again."""
        if self.clean or self.store.generation is None:
            return None
        try:
            return self.store.vectors()
        except KnowledgeStoreError:
            log.warning("the published vectors are unreadable: embedding every sentence again")
            return None

    def _bar(self, items: tuple[str, ...] | None, desc: str, unit: str, total: int = 0) -> Any:
        # tqdm is imported only when a run has work to show.
        from tqdm import tqdm

        show = self.progress and (len(items) if items is not None else total) > 1
        return tqdm(items, total=None if items is not None else total, desc=desc, unit=unit,
                    disable=not show, leave=False)


def _fingerprint(hints: SourceHints | None) -> str:
    if hints is None:
        return ""
    return "|".join(value or "" for value in (hints.title, hints.url, hints.language))
