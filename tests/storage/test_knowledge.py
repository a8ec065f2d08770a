"""The knowledge store: embedded Chroma and a real `chroma run` server, FTS5, generations."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import VectorStoreConfig
from bot.storage.embeddings import LangchainEmbeddings, default_embedder
from bot.storage.knowledge import Chunk, KnowledgeStore, KnowledgeStoreError
from indexer.run import run_index
from indexer.vectors import ChunkEmbedder
from tests.indexer.helpers import make_config

CHUNKS = [
    Chunk(id="doc-00000", text="Remote high-level participants may speak for seven minutes.",
          document="Concept note", file="concept_note.md", section="Format", language="en",
          start=0, end=60),
    Chunk(id="doc-00001", text="The gender gap in internet use narrowed in Africa in 2022.",
          document="Progress report", file="a78d62_en.pdf", page=12, page_label="8",
          section="II. Findings", language="en", url="https://unctad.org/a78d62_en.pdf",
          start=120, end=178),
    Chunk(id="doc-00002", text="La coopération numérique inclut la gouvernance des données.",
          document="Note", file="note_fr.md", language="fr", start=0, end=59),
]


def publish(store: KnowledgeStore, chunks: list[Chunk]) -> None:
    staged = store.stage()
    staged.add(chunks, *ChunkEmbedder(store.embedder).embed(chunks))
    staged.publish("test")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[KnowledgeStore]:
    opened = KnowledgeStore.open(tmp_path / "data", VectorStoreConfig(), default_embedder())
    yield opened
    opened.close()


def test_an_empty_store_answers_nothing(store: KnowledgeStore) -> None:
    assert (store.count(), store.all_chunks()) == (0, [])
    assert store.dense("anything", 5) == [] and store.lexical("anything", 5) == []
    with pytest.raises(KnowledgeStoreError, match="run python -m indexer"):
        store.chroma_collection()


def test_chunks_round_trip_with_their_citation_metadata(store: KnowledgeStore) -> None:
    publish(store, CHUNKS)
    assert store.all_chunks() == CHUNKS
    dense = store.dense("How many minutes for a remote speaker?", 3)
    assert dense[0][0] == CHUNKS[0]
    assert [c for c, _ in dense] and all(-1 <= s <= 1 for _, s in dense)
    assert dense == sorted(dense, key=lambda pair: -pair[1])
    lexical = store.lexical("internet gender gap", 3)
    assert lexical[0][0] == CHUNKS[1] and lexical[0][1] > 0


def test_lexical_search_ignores_accents_case_and_query_syntax(store: KnowledgeStore) -> None:
    publish(store, CHUNKS)
    assert store.lexical("COOPERATION numerique", 2)[0][0].file == "note_fr.md"
    assert store.lexical('NEAR( "gap" * AND OR) -:', 2)[0][0].file == "a78d62_en.pdf"
    assert store.lexical("?!", 2) == []


def test_dense_by_vector_uses_a_precomputed_query(store: KnowledgeStore) -> None:
    publish(store, CHUNKS)
    vector = default_embedder().embed_queries(["data governance cooperation"])[0]
    assert store.dense_by_vector(vector, 1)[0][0].file == "note_fr.md"


def test_another_writer_publishing_is_seen_without_reopening(tmp_path: Path,
                                                             store: KnowledgeStore) -> None:
    publish(store, CHUNKS[:1])
    assert store.refresh() is False
    writer = KnowledgeStore.open(tmp_path / "data", VectorStoreConfig(), default_embedder())
    publish(writer, CHUNKS)
    writer.close()
    assert store.count() == 3
    assert store.lexical("gender", 1)[0][0].id == "doc-00001"
    assert store.refresh() is False


def test_the_langchain_baseline_reads_the_same_collection(store: KnowledgeStore) -> None:
    from langchain_chroma import Chroma

    publish(store, CHUNKS)
    client, name = store.chroma_collection()
    baseline = Chroma(client=client, collection_name=name,
                      embedding_function=LangchainEmbeddings(default_embedder()))
    found = baseline.similarity_search("seven minutes for remote participants", k=1)
    assert found[0].metadata["file"] == "concept_note.md"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    """A real `chroma run` server on 127.0.0.1 with a temporary path; yields its port."""
    port = free_port()
    log = (tmp_path / "chroma.log").open("wb")
    binary = Path(sys.executable).parent / "chroma"
    process = subprocess.Popen(
        [str(binary), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1",
         "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise AssertionError("chroma run exited: "
                                     + (tmp_path / "chroma.log").read_text(errors="replace"))
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat",
                                            timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("chroma run did not answer its heartbeat") from None
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_server_mode_indexes_into_and_answers_from_a_chroma_server(tmp_path: Path,
                                                                   chroma_server: int) -> None:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / "format.md").write_text(
        "# Format\n\nRemote high-level participants may speak for seven minutes.\n\n"
        "# Documents\n\nThe report of the Secretary-General is A/78/62.\n", encoding="utf-8")
    config = make_config(tmp_path, folder, mode="http", host="127.0.0.1", port=chroma_server)

    summary = run_index(config, tmp_path / "data")
    store = KnowledgeStore.open(tmp_path / "data", config.vector_store, default_embedder())

    assert summary.documents == 1 and summary.chunks == store.count() == 2
    assert store.dense("How long can remote speakers talk?", 1)[0][0].section == "Format"
    assert store.lexical("Secretary-General report", 1)[0][0].section == "Documents"
    client, name = store.chroma_collection()
    assert client.heartbeat() > 0
    assert name in [c.name for c in client.list_collections()]
    assert not (tmp_path / "data" / "chroma").exists()  # nothing embedded on the side

    (folder / "format.md").write_text("# Format\n\nPanelists present for ten minutes.\n",
                                      encoding="utf-8")
    again = run_index(config, tmp_path / "data")
    assert again.updated == 1
    assert [c.name for c in client.list_collections()] == [store.chroma_collection()[1]]
    assert "ten minutes" in store.dense("presentation length", 1)[0][0].text


def test_an_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    port = free_port()
    config = VectorStoreConfig(mode="http", host="127.0.0.1", port=port)
    store = KnowledgeStore.open(tmp_path / "data", config, default_embedder())
    with pytest.raises(KnowledgeStoreError,
                       match=rf"cannot open the Chroma server at http://127.0.0.1:{port}"):
        store.stage()


def test_dense_search_reads_the_stored_vectors_not_the_chroma_collection(
        store: KnowledgeStore) -> None:
    publish(store, CHUNKS)
    client, name = store.chroma_collection()
    client.delete_collection(name)
    assert store.dense("seven minutes", 1)[0][0].id == "doc-00000"
