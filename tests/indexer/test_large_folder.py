"""The issue's acceptance folder: a 300-page PDF beside a corrupt and an encrypted one (slow)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.storage.embeddings import default_embedder
from bot.storage.knowledge import KnowledgeStore
from indexer.run import run_index
from tests.indexer.helpers import CountingEmbedder, make_config
from tests.indexer.pdf_factory import (
    Heading,
    write_corrupt_pdf,
    write_encrypted_pdf,
    write_pdf,
)

PAGES = 300


@pytest.mark.slow
def test_a_300_page_pdf_is_indexed_beside_named_failures_and_a_rerun_is_unchanged(
        tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    pages: list[list[str | Heading]] = [
        [Heading(f"{n}. Item {n}")] if n % 50 == 1 else [] for n in range(1, PAGES + 1)]
    for n, page in enumerate(pages, start=1):
        page.append(f"Paragraph {n}: delegation code K{n:03d}X reported on page {n}.")
    write_pdf(folder / "report_en.pdf", pages, title="Three hundred pages")
    write_corrupt_pdf(folder / "corrupt.pdf")
    write_encrypted_pdf(folder / "locked.pdf", [["Hidden."]], user_password="s3cret")
    config = make_config(tmp_path, folder)

    summary = run_index(config, tmp_path / "data")

    assert (summary.documents, summary.pages) == (1, PAGES)
    failed = {f.file: f.error for f in summary.failed}
    assert set(failed) == {"corrupt.pdf", "locked.pdf"}
    assert "corrupt" in failed["corrupt.pdf"] and "password" in failed["locked.pdf"]
    store = KnowledgeStore.open(tmp_path / "data", config.vector_store, default_embedder())
    chunks = store.all_chunks()
    assert {c.page for c in chunks} == set(range(1, PAGES + 1))
    assert store.count() == len(chunks) == summary.chunks
    hit = store.lexical("K287X", 1)[0][0]
    assert (hit.page, hit.page_label, hit.section) == (287, "287", "251. Item 251")

    counting = CountingEmbedder()
    again = run_index(config, tmp_path / "data", embedder=counting)
    assert (again.unchanged, again.added, again.updated, counting.passages) == (1, 0, 0, 0)
    assert {f.file for f in again.failed} == {"corrupt.pdf", "locked.pdf"}
