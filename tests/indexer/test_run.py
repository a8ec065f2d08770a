"""Index runs with the real embedder, Chroma and SQLite: incremental, failures, crashes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from bot.config import Config
from bot.storage.embeddings import default_embedder
from bot.storage.knowledge import INDEX_DB_NAME, KnowledgeStore
from indexer.run import IndexBusy, IndexerError, run_index, run_lock
from tests.indexer.helpers import CountingEmbedder, make_config
from tests.indexer.pdf_factory import (
    Heading,
    write_corrupt_pdf,
    write_encrypted_pdf,
    write_image_only_pdf,
    write_pdf,
)
from tests.support import REPO


def populate(folder: Path) -> None:
    """Two readable documents, one openable encrypted PDF, and one of every kind of bad file."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "agenda.md").write_text(
        "# Agenda\n\n## Opening\n\nThe chair opens the panel on the information society.\n\n"
        "## Interventions\n\nRemote high-level participants speak for seven minutes.\n",
        encoding="utf-8")
    write_pdf(folder / "report_en.pdf", [
        [Heading("I. Introduction"), "Broadband connectivity reached new regions in 2022."],
        [Heading("II. Findings"), "The gender gap in internet use narrowed in Africa."],
        ["Annex: list of submissions received from member states."],
    ], title="Progress report")
    write_encrypted_pdf(folder / "open_encrypted.pdf", [["Satellite links serve islands."]])
    write_encrypted_pdf(folder / "locked.pdf", [["Hidden."]], user_password="s3cret")
    write_corrupt_pdf(folder / "corrupt.pdf")
    write_image_only_pdf(folder / "scanned.pdf", pages=1)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "latin1.txt").write_bytes("Société numérique".encode("latin-1"))
    (folder / "slides.pptx").write_bytes(b"PK\x03\x04")
    (folder / ".hidden.md").write_text("never indexed", encoding="utf-8")


EXPECTED_FAILURES = {
    "corrupt.pdf": "corrupt or unreadable PDF",
    "empty.txt": "the file is empty",
    "latin1.txt": "not UTF-8 text",
    "locked.pdf": "protected by a password",
    "scanned.pdf": "needs OCR",
    "slides.pptx": "unsupported file type .pptx",
}


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    populate(folder)
    return folder


def open_store(tmp_path: Path, config: Config) -> KnowledgeStore:
    return KnowledgeStore.open(tmp_path / "data", config.vector_store, default_embedder())


def chroma_ids(store: KnowledgeStore, file: str | None = None) -> set[str]:
    client, name = store.chroma_collection()
    where = {"file": file} if file else None
    return set(client.get_collection(name).get(where=where)["ids"])


def test_readable_documents_are_indexed_and_every_failure_is_named(tmp_path: Path,
                                                                   knowledge: Path) -> None:
    config = make_config(tmp_path, knowledge)
    summary = run_index(config, tmp_path / "data")

    assert (summary.documents, summary.added, summary.updated, summary.removed) == (3, 3, 0, 0)
    failed = {f.file: f.error for f in summary.failed}
    assert set(failed) == set(EXPECTED_FAILURES)
    for file, reason in EXPECTED_FAILURES.items():
        assert reason in failed[file]
    store = open_store(tmp_path, config)
    chunks = store.all_chunks()
    assert summary.chunks == store.count() == len(chunks) == len(chroma_ids(store))
    assert {c.file for c in chunks} == {"agenda.md", "report_en.pdf", "open_encrypted.pdf"}
    findings = [c for c in chunks if "gender gap" in c.text]
    assert [(c.page, c.section, c.document) for c in findings] == [
        (2, "II. Findings", "Progress report")]
    hit, score = store.lexical("gender gap Africa", 3)[0]
    assert hit.file == "report_en.pdf" and hit.page == 2 and score > 0
    best, similarity = store.dense("How long do remote high-level speakers talk?", 3)[0]
    assert best.file == "agenda.md" and best.section == "Agenda > Interventions"
    assert 0 < similarity <= 1


def test_a_second_run_embeds_nothing_and_still_lists_the_failures(tmp_path: Path,
                                                                  knowledge: Path) -> None:
    config = make_config(tmp_path, knowledge)
    first = run_index(config, tmp_path / "data")
    counting = CountingEmbedder()

    second = run_index(config, tmp_path / "data", embedder=counting)

    assert counting.passages == 0 and counting.queries == []
    assert (second.added, second.updated, second.removed, second.unchanged) == (0, 0, 0, 3)
    assert second.chunks == first.chunks and second.generation == first.generation
    assert [f.file for f in second.failed] == [f.file for f in first.failed]


def test_changing_one_file_re_embeds_only_that_file(tmp_path: Path, knowledge: Path) -> None:
    config = make_config(tmp_path, knowledge)
    run_index(config, tmp_path / "data")
    reader = open_store(tmp_path, config)  # a long-lived reader, as in the bot
    pdf_ids = {c.id for c in reader.all_chunks() if c.file == "report_en.pdf"}
    (knowledge / "agenda.md").write_text(
        "# Agenda\n\n## Interventions\n\nEach panelist presents for ten minutes, then questions.\n",
        encoding="utf-8")
    counting = CountingEmbedder()

    summary = run_index(config, tmp_path / "data", embedder=counting)

    assert (summary.updated, summary.unchanged, summary.added) == (1, 2, 0)
    assert summary.embedded == 1
    assert counting.passages == 1 + summary.embedded_sentences
    assert "ten minutes" in counting.texts[0]
    assert reader.lexical("seven minutes", 5) == [] or all(
        "seven" not in c.text for c, _ in reader.lexical("seven minutes", 5))
    assert reader.lexical("panelist presents", 1)[0][0].file == "agenda.md"
    assert {c.id for c in reader.all_chunks() if c.file == "report_en.pdf"} == pdf_ids
    assert chroma_ids(reader) == {c.id for c in reader.all_chunks()}


def test_deleting_a_file_removes_its_chunks_from_both_indexes(tmp_path: Path,
                                                              knowledge: Path) -> None:
    config = make_config(tmp_path, knowledge)
    run_index(config, tmp_path / "data")
    (knowledge / "report_en.pdf").unlink()
    counting = CountingEmbedder()

    summary = run_index(config, tmp_path / "data", embedder=counting)

    assert (summary.removed, summary.documents, counting.passages) == (1, 2, 0)
    store = open_store(tmp_path, config)
    assert store.lexical("gender gap broadband", 5) == []
    assert chroma_ids(store, "report_en.pdf") == set()
    assert all(c.file != "report_en.pdf" for c, _ in store.dense("gender gap in Africa", 10))
    assert store.count() == summary.chunks == len(chroma_ids(store))


def test_a_file_that_becomes_unreadable_keeps_its_previous_version(tmp_path: Path,
                                                                   knowledge: Path) -> None:
    config = make_config(tmp_path, knowledge)
    run_index(config, tmp_path / "data")
    write_corrupt_pdf(knowledge / "report_en.pdf")

    summary = run_index(config, tmp_path / "data")

    assert "corrupt or unreadable PDF" in {f.file: f.error for f in summary.failed}[
        "report_en.pdf"]
    assert summary.documents == 3
    store = open_store(tmp_path, config)
    assert store.lexical("gender gap", 1)[0][0].file == "report_en.pdf"


def test_rebuild_re_embeds_everything(tmp_path: Path, knowledge: Path) -> None:
    config = make_config(tmp_path, knowledge)
    first = run_index(config, tmp_path / "data")
    counting = CountingEmbedder()

    summary = run_index(config, tmp_path / "data", rebuild=True, embedder=counting)

    assert summary.embedded == first.chunks == summary.chunks
    assert counting.passages == summary.chunks + summary.embedded_sentences
    assert summary.generation != first.generation
    assert summary.updated == 3 and summary.unchanged == 0


def test_a_different_embedding_model_re_embeds_everything(tmp_path: Path,
                                                          knowledge: Path) -> None:
    config = make_config(tmp_path, knowledge)
    first = run_index(config, tmp_path / "data")
    other = CountingEmbedder(name="another-model")

    summary = run_index(config, tmp_path / "data", embedder=other)

    assert summary.embedded == first.chunks
    assert other.passages == first.chunks + summary.embedded_sentences


def test_a_second_run_at_the_same_time_is_refused(tmp_path: Path, knowledge: Path) -> None:
    config = make_config(tmp_path, knowledge)
    (tmp_path / "data").mkdir()
    with run_lock(tmp_path / "data"), pytest.raises(IndexBusy, match="in progress"):
        run_index(config, tmp_path / "data")


def test_a_missing_knowledge_folder_is_a_configuration_error(tmp_path: Path) -> None:
    config = make_config(tmp_path, tmp_path / "nowhere")
    with pytest.raises(IndexerError, match="knowledge.dir: .*nowhere is not a folder"):
        run_index(config, tmp_path / "data")


def wait_for(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def staged_rows(data_dir: Path) -> int:
    """Rows written so far into the generation being staged (0 when none)."""
    try:
        with sqlite3.connect(data_dir / INDEX_DB_NAME, timeout=5) as conn:
            row = conn.execute("SELECT value FROM state WHERE key = 'staging'").fetchone()
            if row is None:
                return 0
            return int(conn.execute(f"SELECT count(*) FROM lex_g{int(row[0])}").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def test_kill_9_in_the_middle_of_a_run_leaves_the_previous_index_usable(tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / "before.md").write_text("The zebrafish delegation arrives on Tuesday.\n",
                                      encoding="utf-8")
    config = make_config(tmp_path, folder)
    data = tmp_path / "data"
    before = run_index(config, data)
    sections = "".join(f"## Topic {i}\n\nThe quokka working group reports on item {i}. "
                       + "Digital cooperation matters. " * 12 + "\n\n" for i in range(30))
    (folder / "big.md").write_text("# Big\n\n" + sections, encoding="utf-8")
    env = {**os.environ, "PANEL_CONFIG": str(tmp_path / "config.toml"),
           "PANEL_DATA_DIR": str(data)}
    process = subprocess.Popen([sys.executable, "-m", "indexer", "--json", "--batch-size", "2"],
                               cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        # Wait until the new generation holds the copied file and a first embedded batch.
        wait_for(lambda: staged_rows(data) >= before.chunks + 2, 120, "a staged batch")
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    store = open_store(tmp_path, config)
    assert store.generation == before.generation
    assert store.count() == before.chunks
    assert store.lexical("zebrafish", 1)[0][0].file == "before.md"
    assert store.lexical("quokka", 5) == []
    assert store.dense("When does the delegation arrive?", 1)[0][0].file == "before.md"

    after = run_index(config, data)
    assert after.added == 1 and after.unchanged == 1
    assert store.lexical("quokka working group", 1)[0][0].file == "big.md"
    assert staged_rows(data) == 0
    with sqlite3.connect(data / INDEX_DB_NAME) as conn:
        tables = conn.execute("SELECT name FROM sqlite_master WHERE name GLOB 'lex_g*' "
                              "AND sql LIKE 'CREATE VIRTUAL TABLE%'").fetchall()
    assert tables == [(f"lex_g{after.generation}",)]
    client, name = store.chroma_collection()
    ours = [c.name for c in client.list_collections() if c.name.startswith("panel_knowledge-g")]
    assert ours == [name]


def test_the_index_and_its_folder_are_readable_by_the_owner_only(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "note.md").write_text("# Note\n\nThe panel meets in Geneva.\n", encoding="utf-8")
    data = tmp_path / "state"
    data.mkdir(mode=0o755)
    run_index(make_config(tmp_path, knowledge), data)
    assert data.stat().st_mode & 0o777 == 0o700
    assert (data / INDEX_DB_NAME).stat().st_mode & 0o777 == 0o600
