"""Index runs store each chunk's sentence and name vectors with the generation."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np

from bot.domain.derived import DERIVED_VERSION, names_of, sentences_of
from bot.storage.embeddings import default_embedder
from bot.storage.knowledge import INDEX_DB_NAME, KnowledgeStore
from bot.storage.vectors import IndexVectors
from indexer.run import run_index, signature
from tests.indexer.helpers import CountingEmbedder, make_config
from tests.support import REPO

FORMAT = ("# Format\n\nThe Commission on Science and Technology for Development (CSTD) holds the "
          "panel. Remote high-level participants may speak for seven minutes.\n")
REPORT = ("# Report\n\nThe gender gap in internet use narrowed in Africa in 2022. The report "
          "A/78/62 was introduced by the UNCTAD secretariat.\n")


def write_corpus(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "format.md").write_text(FORMAT, encoding="utf-8")
    (folder / "report.md").write_text(REPORT, encoding="utf-8")


def rows_of(vectors: IndexVectors, chunk_ids: set[str]) -> dict[str, list[tuple[str, bytes]]]:
    """Per table, the (text, vector bytes) rows of some chunks."""
    found: dict[str, list[tuple[str, bytes]]] = {}
    for kind in ("chunks", "sentences", "names"):
        table = getattr(vectors, kind)
        found[kind] = [(text, table.matrix[i].tobytes())
                       for i, (text, cid) in enumerate(zip(table.texts, table.chunk_ids,
                                                           strict=True)) if cid in chunk_ids]
    return found


def open_store(tmp_path: Path) -> KnowledgeStore:
    return KnowledgeStore.open(tmp_path / "data", make_config(
        tmp_path, tmp_path / "knowledge").vector_store, default_embedder())


def test_an_incremental_run_copies_unchanged_vectors_and_embeds_only_new_texts(
        tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    write_corpus(knowledge)
    config = make_config(tmp_path, knowledge)
    run_index(config, tmp_path / "data")
    reader = open_store(tmp_path)  # long-lived, as in the bot
    before = reader.vectors()
    report_ids = {c.id for c in reader.all_chunks() if c.file == "report.md"}
    (knowledge / "format.md").write_text(
        FORMAT + "\nEach panelist presents for ten minutes. The International Telecommunication "
        "Union (ITU) moderates.\n", encoding="utf-8")
    counting = CountingEmbedder()

    summary = run_index(config, tmp_path / "data", embedder=counting)

    after = reader.vectors()
    assert after is not before
    assert rows_of(after, report_ids) == rows_of(before, report_ids)  # copied, bit for bit
    fresh = [c for c in reader.all_chunks() if c.file == "format.md"]
    sentences = [s for c in fresh for s in sentences_of(c.text)]
    names = [n for c in fresh for n in names_of(c.text)]
    new_rows = [i for i, cid in enumerate(after.sentences.chunk_ids) if cid in
                {c.id for c in fresh}]
    assert [after.sentences.texts[i] for i in new_rows] == sentences
    model = default_embedder()
    assert np.array_equal(after.sentences.matrix[new_rows], model.embed_passages(sentences))
    # Only texts that the published index did not hold went to the model.
    old_sentences, old_names = set(before.sentences.texts), set(before.names.texts)
    assert summary.embedded == len(fresh)
    embedded_sentences = counting.texts[len(fresh):]
    assert embedded_sentences and not set(embedded_sentences) & old_sentences
    assert set(embedded_sentences) == set(sentences) - old_sentences
    assert "ITU" in counting.queries and not set(counting.queries) & old_names
    assert set(counting.queries) == set(names) - old_names
    reader.close()


def test_a_deleted_files_vectors_are_gone(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    write_corpus(knowledge)
    config = make_config(tmp_path, knowledge)
    run_index(config, tmp_path / "data")
    (knowledge / "report.md").unlink()

    summary = run_index(config, tmp_path / "data")

    store = open_store(tmp_path)
    vectors = store.vectors()
    kept = {c.id for c in store.all_chunks()}
    assert {c.file for c in store.all_chunks()} == {"format.md"}
    for table in (vectors.chunks, vectors.sentences, vectors.names):
        assert table.chunk_ids and set(table.chunk_ids) <= kept
    assert "A/78/62" not in vectors.names.texts
    with sqlite3.connect(tmp_path / "data" / INDEX_DB_NAME) as conn:
        tables = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                              "AND name GLOB 'vec_g*'").fetchall()
    assert tables == [(f"vec_g{summary.generation}",)]
    store.close()


def test_an_index_made_by_an_older_version_is_re_embedded_with_its_vectors(
        tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    write_corpus(knowledge)
    config = make_config(tmp_path, knowledge)
    first = run_index(config, tmp_path / "data")
    assert f"derived {DERIVED_VERSION}" in signature(default_embedder())
    with sqlite3.connect(tmp_path / "data" / INDEX_DB_NAME) as conn:
        conn.execute("UPDATE state SET value = ? WHERE key = 'signature'",
                     (signature(default_embedder()).replace(f"derived {DERIVED_VERSION}",
                                                            "derived 0"),))
        conn.execute(f"DROP TABLE vec_g{first.generation}")  # an older version wrote none
    counting = CountingEmbedder()

    summary = run_index(config, tmp_path / "data", embedder=counting)

    assert summary.embedded == first.chunks and summary.generation != first.generation
    store = open_store(tmp_path)
    assert len(store.vectors().chunks) == first.chunks and len(store.vectors().sentences) > 0
    store.close()


ASK = """
import json, sys
from pathlib import Path
from bot.config import VectorStoreConfig
from bot.storage.embeddings import default_embedder
from bot.storage.knowledge import KnowledgeStore
store = KnowledgeStore.open(Path(sys.argv[1]), VectorStoreConfig(), default_embedder())
print(json.dumps([[c.id for c, _ in store.dense(q, 6)] for q in json.loads(sys.argv[2])]))
"""
QUESTIONS = ["When does the panel start?", "How long may remote speakers talk?",
             "Which report covers the gender gap?", "Does the note mention cybercrime?"]


def test_the_same_question_gets_the_same_passages_in_every_process(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    topics = ["connectivity", "the gender gap", "data governance", "artificial intelligence",
              "cybersecurity", "e-government", "digital skills", "sustainability"]
    (knowledge / "topics.md").write_text("# Topics\n\n" + "".join(
        f"## {topic.title()}\n\nThe panel discusses {topic} in session {i}. Delegations "
        f"report on {topic} and its effect on development.\n\n"
        for i, topic in enumerate(topics)), encoding="utf-8")
    write_corpus(knowledge)
    config = make_config(tmp_path, knowledge)
    run_index(config, tmp_path / "data")

    answers = []
    for threads in ("1", "2"):  # the bot runs one OpenMP thread, the indexer all cores
        env = {**os.environ, "OMP_NUM_THREADS": threads, "OPENBLAS_NUM_THREADS": threads}
        done = subprocess.run(
            [sys.executable, "-c", ASK, str(tmp_path / "data"), json.dumps(QUESTIONS)],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=True)
        answers.append(json.loads(done.stdout))

    store = open_store(tmp_path)
    here = [[c.id for c, _ in store.dense(q, 6)] for q in QUESTIONS]
    assert store.count() >= 6 and all(len(ids) == 6 for ids in here)
    assert answers[0] == answers[1] == here
    store.close()
