"""Language versions of one document: real index runs (real embedder, Chroma and SQLite)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.config import Config
from bot.storage import lexical
from bot.storage.embeddings import default_embedder
from bot.storage.knowledge import INDEX_DB_NAME, Chunk, KnowledgeStore
from indexer.manifest import Manifest
from indexer.run import run_index
from indexer.summary import DocumentVersions, render_table
from tests.indexer.helpers import CountingEmbedder, make_config
from tests.indexer.pdf_factory import write_pdf

ENGLISH = ("---\ntitle: \"Concept note: WSIS progress\"\n---\n\n# Concept note\n\n"
           "The high-level panel will review the progress made in the implementation of the "
           "outcomes of the World Summit on the Information Society.\n")
FRENCH = ("---\ntitle: \"Note conceptuelle : progrès du SMSI\"\n---\n\n# Note conceptuelle\n\n"
          "Le groupe de haut niveau examinera les progrès accomplis dans la mise en oeuvre des "
          "textes issus du Sommet mondial sur la société de l'information.\n")


def knowledge_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    return folder


def chunks_by_file(tmp_path: Path, config: Config) -> dict[str, list[Chunk]]:
    store = KnowledgeStore.open(tmp_path / "data", config.vector_store, default_embedder())
    try:
        found: dict[str, list[Chunk]] = {}
        for chunk in store.all_chunks():
            found.setdefault(chunk.file, []).append(chunk)
        client, name = store.chroma_collection()
        stored = client.get_collection(name).get(include=["metadatas", "documents"])
        from_chroma = [Chunk.from_metadata(i, d or "", dict(m or {})) for i, d, m in zip(
            stored["ids"], stored["documents"] or [], stored["metadatas"] or [], strict=True)]
        assert sorted(from_chroma, key=lambda c: c.id) == sorted(
            (c for chunks in found.values() for c in chunks), key=lambda c: c.id)
        return found
    finally:
        store.close()


def test_two_language_versions_of_a_markdown_document_share_one_key(tmp_path: Path) -> None:
    folder = knowledge_dir(tmp_path)
    (folder / "concept-note_en.md").write_text(ENGLISH, encoding="utf-8")
    (folder / "Concept-Note_FR.md").write_text(FRENCH, encoding="utf-8")
    config = make_config(tmp_path, folder)

    summary = run_index(config, tmp_path / "data")

    chunks = chunks_by_file(tmp_path, config)
    assert {(c.file, c.document_key, c.language) for cs in chunks.values() for c in cs} == {
        ("concept-note_en.md", "concept-note", "en"),
        ("Concept-Note_FR.md", "concept-note", "fr"),
    }
    assert summary.versions == [DocumentVersions(
        "concept-note", "Concept note: WSIS progress",
        (("Concept-Note_FR.md", "fr"), ("concept-note_en.md", "en")))]
    assert summary.versions[0].languages == ("en", "fr")


def test_front_matter_language_wins_over_the_file_name(tmp_path: Path) -> None:
    folder = knowledge_dir(tmp_path)
    (folder / "memo_en.md").write_text("---\nlanguage: French\n---\n\n# Mémo\n\nCourt.\n",
                                       encoding="utf-8")
    (folder / "agenda.md").write_text("---\nlang: es-ES\n---\n\n# Orden del día\n\nBreve.\n",
                                      encoding="utf-8")
    config = make_config(tmp_path, folder)

    run_index(config, tmp_path / "data")

    chunks = chunks_by_file(tmp_path, config)
    assert [(c.language, c.document_key) for c in chunks["memo_en.md"]] == [("fr", "memo")]
    assert [(c.language, c.document_key) for c in chunks["agenda.md"]] == [("es", "agenda")]


def test_a_pdf_with_the_un_letter_f_is_french(tmp_path: Path) -> None:
    folder = knowledge_dir(tmp_path)
    # Too little text to guess from: the name decides.
    write_pdf(folder / "report_F.pdf", [["Paragraphe 1. Budget 2024: 3 millions."]])
    write_pdf(folder / "report_E.pdf", [["Paragraph 1. Budget 2024: 3 million."]])
    config = make_config(tmp_path, folder)

    summary = run_index(config, tmp_path / "data")

    chunks = chunks_by_file(tmp_path, config)
    assert [(c.language, c.document_key, c.page) for c in chunks["report_F.pdf"]] == [
        ("fr", "report", 1)]
    assert [c.language for c in chunks["report_E.pdf"]] == ["en"]
    assert [(d.key, d.languages) for d in summary.versions] == [("report", ("en", "fr"))]


def test_a_file_without_a_language_suffix_keeps_no_language(tmp_path: Path) -> None:
    folder = knowledge_dir(tmp_path)
    (folder / "Annex_A.md").write_text("# Annex A\n\nRoom XVII, 10:00.\n", encoding="utf-8")
    config = make_config(tmp_path, folder)

    summary = run_index(config, tmp_path / "data")

    chunks = chunks_by_file(tmp_path, config)
    assert [(c.language, c.document_key) for c in chunks["Annex_A.md"]] == [(None, "annex_a")]
    assert summary.as_dict()["versions"] == [{
        "key": "annex_a", "title": "Annex A", "languages": [],
        "files": [{"file": "Annex_A.md", "language": None}]}]
    assert "document: Annex A (annex_a): language unknown" in render_table(summary)


def test_the_summary_lists_each_document_with_its_languages(tmp_path: Path) -> None:
    folder = knowledge_dir(tmp_path)
    (folder / "concept-note_en.md").write_text(ENGLISH, encoding="utf-8")
    (folder / "concept-note_fr.md").write_text(FRENCH, encoding="utf-8")
    (folder / "fr").mkdir()
    (folder / "fr" / "agenda.md").write_text("# Ordre du jour\n\nOuverture.\n", encoding="utf-8")
    config = make_config(tmp_path, folder)

    summary = run_index(config, tmp_path / "data")

    table = render_table(summary)
    assert "document: Concept note: WSIS progress (concept-note): en, fr" in table
    assert "document: Ordre du jour (agenda): fr" in table
    assert [(d["key"], d["languages"]) for d in summary.as_dict()["versions"]] == [
        ("agenda", ["fr"]), ("concept-note", ["en", "fr"])]


def test_adding_a_french_version_embeds_only_the_new_file(tmp_path: Path) -> None:
    folder = knowledge_dir(tmp_path)
    (folder / "concept-note_en.md").write_text(ENGLISH, encoding="utf-8")
    config = make_config(tmp_path, folder)
    first = run_index(config, tmp_path / "data")
    assert [(d.key, d.languages) for d in first.versions] == [("concept-note", ("en",))]

    (folder / "concept-note_fr.md").write_text(FRENCH, encoding="utf-8")
    embedder = CountingEmbedder()
    second = run_index(config, tmp_path / "data", embedder=embedder)

    assert (second.added, second.unchanged, second.embedded) == (1, 1, 1)
    assert embedder.texts and all("Sommet mondial" in text or "SMSI" in text
                                  or "Note conceptuelle" in text for text in embedder.texts)
    assert [(d.key, d.languages) for d in second.versions] == [("concept-note", ("en", "fr"))]
    chunks = chunks_by_file(tmp_path, config)
    assert {c.language for c in chunks["concept-note_en.md"]} == {"en"}

    third = run_index(config, tmp_path / "data")  # the manifest remembers languages and keys
    assert (third.embedded, third.versions) == (0, second.versions)


def test_an_index_made_before_document_keys_is_still_read_and_then_rebuilt(
        tmp_path: Path) -> None:
    folder = knowledge_dir(tmp_path)
    (folder / "concept-note_en.md").write_text(ENGLISH, encoding="utf-8")
    config = make_config(tmp_path, folder)
    run_index(config, tmp_path / "data")
    make_old(tmp_path / "data" / INDEX_DB_NAME)

    store = KnowledgeStore.open(tmp_path / "data", config.vector_store, default_embedder())
    try:
        assert {(c.file, c.document_key) for c in store.all_chunks()} == {
            ("concept-note_en.md", None)}
        assert [c.document_key for c, _ in store.lexical("World Summit", 3)] == [None]
    finally:
        store.close()

    again = run_index(config, tmp_path / "data")

    assert again.embedded == 1  # the older chunker's signature: everything is re-embedded
    chunks = chunks_by_file(tmp_path, config)
    assert [c.document_key for c in chunks["concept-note_en.md"]] == ["concept-note"]
    assert [(d.key, d.languages) for d in again.versions] == [("concept-note", ("en",))]


def make_old(index_db: Path) -> None:
    """Turn the published generation into what the previous version wrote: FTS5 rows without
    document keys, a manifest without languages, the old chunker in the signature."""
    conn = sqlite3.connect(index_db)
    conn.row_factory = sqlite3.Row
    try:
        generation = int(conn.execute("SELECT value FROM state WHERE key = 'generation'")
                         .fetchone()[0])
        old_columns = lexical.COLUMNS[:-1]
        rows = [tuple(row[c] for c in old_columns) for row in lexical.all_rows(conn, generation)]
        name = lexical.table_name(generation)
        conn.execute(f"DROP TABLE {name}")
        unindexed = ", ".join(f"{c} UNINDEXED" for c in old_columns[2:])
        conn.execute(f"CREATE VIRTUAL TABLE {name} USING fts5(text, heading, {unindexed}, "
                     "tokenize = 'unicode61 remove_diacritics 2')")
        conn.executemany(f"INSERT INTO {name} ({', '.join(old_columns)}) VALUES "
                         f"({', '.join('?' for _ in old_columns)})", rows)
        conn.execute("ALTER TABLE manifest DROP COLUMN language")
        conn.execute("ALTER TABLE manifest DROP COLUMN document_key")
        conn.execute("UPDATE state SET value = replace(value, 'chunker 2', 'chunker 1') "
                     "WHERE key = 'signature'")
        conn.commit()
    finally:
        conn.close()


def test_an_old_manifest_gains_the_language_columns(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE manifest (generation INTEGER NOT NULL, file TEXT NOT NULL, "
                 "sha256 TEXT, title TEXT, pages INTEGER NOT NULL DEFAULT 0, chunks INTEGER NOT "
                 "NULL DEFAULT 0, failed_sha256 TEXT, error TEXT, PRIMARY KEY (generation, file))")
    conn.execute("INSERT INTO manifest VALUES (3, 'a_fr.md', 'abc', 'A', 0, 2, NULL, NULL)")
    conn.commit()
    conn.close()

    manifest = Manifest(path)
    try:
        entry = manifest.entries(3)["a_fr.md"]
        assert (entry.sha256, entry.chunks, entry.language, entry.document_key) == (
            "abc", 2, None, None)
    finally:
        manifest.close()


@pytest.mark.parametrize("language", ["fr", "FR", "fr-CA", "français"])
def test_a_fetch_record_language_is_normalised(tmp_path: Path, language: str) -> None:
    folder = knowledge_dir(tmp_path)
    (folder / "brief.md").write_text("# Brief\n\nShort.\n", encoding="utf-8")
    (folder / ".sources.json").write_text(
        '{"brief.md": {"url": "https://example.org/b", "language": "%s"}}' % language,
        encoding="utf-8")
    config = make_config(tmp_path, folder)

    run_index(config, tmp_path / "data")

    assert [c.language for c in chunks_by_file(tmp_path, config)["brief.md"]] == ["fr"]
