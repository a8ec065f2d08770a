"""The vectors stored with a generation: read back as embedded, cached per generation, checked."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from bot.config import VectorStoreConfig
from bot.domain.derived import names_of, sentences_of
from bot.storage.embeddings import default_embedder
from bot.storage.knowledge import INDEX_DB_NAME, Chunk, KnowledgeStore, KnowledgeStoreError
from indexer.chunking import embedding_text
from indexer.vectors import ChunkEmbedder

CHUNKS = [
    Chunk(id="note-00000", text="# Format\n\nRemote high-level participants may speak for seven "
          "minutes. The Commission on Science and Technology for Development (CSTD) meets in "
          "Geneva.", document="Concept note", file="concept_note.md", section="Format",
          language="en", start=0, end=150),
    Chunk(id="report-00000", text="The gender gap in internet use narrowed in Africa in 2022, "
          "according to the report A/78/62 of the Secretary-General.", document="Progress "
          "report", file="report.md", language="en", start=0, end=120),
    Chunk(id="report-00001", text="Broadband reached new regions. Satellite links serve small "
          "island developing States.", document="Progress report", file="report.md",
          language="en", start=120, end=210),
]


def publish(store: KnowledgeStore, chunks: list[Chunk]) -> None:
    staged = store.stage()
    staged.add(chunks, *ChunkEmbedder(store.embedder).embed(chunks))
    staged.publish("test")


def open_store(tmp_path: Path) -> KnowledgeStore:
    return KnowledgeStore.open(tmp_path / "data", VectorStoreConfig(), default_embedder())


@pytest.fixture
def store(tmp_path: Path) -> Iterator[KnowledgeStore]:
    opened = open_store(tmp_path)
    yield opened
    opened.close()


def test_stored_vectors_equal_fresh_embeddings_of_the_same_texts(store: KnowledgeStore) -> None:
    publish(store, CHUNKS)
    model = default_embedder()

    vectors = store.vectors()

    assert vectors.chunks.chunk_ids == tuple(c.id for c in store.all_chunks())
    assert vectors.chunks.texts == tuple(c.text for c in CHUNKS)
    assert np.array_equal(vectors.chunks.matrix,
                          model.embed_passages([embedding_text(c) for c in CHUNKS]))
    sentences = [(c.id, p, s) for c in CHUNKS for p, s in enumerate(sentences_of(c.text))]
    assert list(zip(vectors.sentences.chunk_ids, vectors.sentences.positions,
                    vectors.sentences.texts, strict=True)) == sentences
    assert np.array_equal(vectors.sentences.matrix,
                          model.embed_passages([s for _, _, s in sentences]))
    names = [(c.id, p, n) for c in CHUNKS for p, n in enumerate(names_of(c.text))]
    assert {"CSTD", "A/78/62", "Secretary-General"} <= {n for _, _, n in names}
    assert list(zip(vectors.names.chunk_ids, vectors.names.positions, vectors.names.texts,
                    strict=True)) == names
    assert np.array_equal(vectors.names.matrix, model.embed_queries([n for _, _, n in names]))
    assert vectors.sentences.matrix.dtype == np.float32
    assert not vectors.sentences.matrix.flags.writeable  # shared by every reader


def test_an_empty_store_has_empty_vector_tables(store: KnowledgeStore) -> None:
    vectors = store.vectors()
    assert (len(vectors.chunks), len(vectors.sentences), len(vectors.names)) == (0, 0, 0)
    assert vectors.chunks.matrix.shape == (0, 384)


def test_vectors_load_once_per_generation_and_reload_after_a_switch(
        tmp_path: Path, store: KnowledgeStore) -> None:
    publish(store, CHUNKS[:1])
    first = store.vectors()
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert all(v is first for v in pool.map(lambda _: store.vectors(), range(8)))

    writer = open_store(tmp_path)
    publish(writer, CHUNKS)
    writer.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        seen = list(pool.map(lambda _: store.vectors(), range(8)))
    assert all(v is seen[0] for v in seen) and seen[0] is not first
    assert seen[0].chunks.chunk_ids == tuple(c.id for c in CHUNKS)
    with sqlite3.connect(tmp_path / "data" / INDEX_DB_NAME) as conn:
        tables = conn.execute("SELECT name FROM sqlite_master WHERE name GLOB 'vec_g*' "
                              "AND type = 'table'").fetchall()
    assert tables == [(f"vec_g{store.generation}",)]  # the old generation's rows are dropped


def test_dense_search_is_exact_and_breaks_ties_by_document_order(store: KnowledgeStore) -> None:
    twins = [Chunk(id=f"copy-{i}", text="The panel meets in Geneva on 29 March.",
                   document="Copies", file=f"copy_{i}.md", start=0, end=38)
             for i in (3, 1, 2)]
    publish(store, [*CHUNKS, *twins])
    query = default_embedder().embed_queries(["Where does the panel meet?"])[0]

    found = store.dense_by_vector(query, 4)

    assert [c.id for c, _ in found[:3]] == ["copy-3", "copy-1", "copy-2"]
    assert found[0][1] == found[1][1] == found[2][1]
    everything = store.dense_by_vector(query, 100)
    expected = store.vectors().chunks.matrix.astype(np.float64) @ query.astype(np.float64)
    assert [c.id for c, _ in everything] == [
        store.vectors().chunks.chunk_ids[i] for i in np.argsort(-expected, kind="stable")]
    assert np.allclose([s for _, s in everything], np.sort(expected)[::-1], atol=1e-5)


def drop_table(conn: sqlite3.Connection, table: str) -> None:
    conn.execute(f"DROP TABLE {table}")


DAMAGE: dict[str, Callable[[sqlite3.Connection, str], object]] = {
    "missing table": drop_table,
    "truncated vector": lambda conn, table: conn.execute(
        f"UPDATE {table} SET vector = substr(vector, 1, 10) WHERE rowid = 2"),
    "chunk without a passage vector": lambda conn, table: conn.execute(
        f"DELETE FROM {table} WHERE kind = 0 AND chunk_id = 'report-00001'"),
    "vectors of an unknown chunk": lambda conn, table: conn.execute(
        f"UPDATE {table} SET chunk_id = 'nowhere' WHERE kind = 1 AND rowid = "
        f"(SELECT min(rowid) FROM {table} WHERE kind = 1)"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_or_missing_vector_table_asks_for_a_rebuild(tmp_path: Path,
                                                             damage: str) -> None:
    writer = open_store(tmp_path)
    publish(writer, CHUNKS)
    table = f"vec_g{writer.generation}"
    writer.close()
    with sqlite3.connect(tmp_path / "data" / INDEX_DB_NAME) as conn:
        DAMAGE[damage](conn, table)
    reader = open_store(tmp_path)

    with pytest.raises(KnowledgeStoreError, match=r"stored vectors of index generation "
                       r"\d+ are missing.*: run python -m indexer --rebuild"):
        reader.vectors()
    if damage == "missing table":  # as in an index made by an older version: Chroma answers
        assert reader.dense("seven minutes", 1)[0][0].id == "note-00000"
    else:
        with pytest.raises(KnowledgeStoreError, match="damaged .*--rebuild"):
            reader.dense("seven minutes", 1)
    assert reader.lexical("seven minutes", 1)[0][0].id == "note-00000"  # BM25 still answers
    reader.close()
