"""--fetch against a local HTTP server on 127.0.0.1 serving a generated PDF."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from indexer.fetch import (
    RECORDS_FILE,
    Source,
    fetch_all,
    linked_documents,
    read_hints,
    read_records,
    sources_to_fetch,
)
from indexer.run import run_index
from tests.indexer.helpers import make_config
from tests.indexer.pdf_factory import Heading, pdf_bytes
from tests.support import REPO

LAST_MODIFIED = "Wed, 01 Mar 2023 10:00:00 GMT"


@dataclass
class Site:
    """What the local server serves, and the requests it received."""

    base: str = ""
    pdf: bytes = b""
    etag: str = '"v1"'
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site(pdf=pdf_bytes([[Heading("I. Summary"), "Broadband reached 5.3 billion people."]]))

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            state.requests.append((self.path, dict(self.headers.items())))
            if self.path == "/docs/report_en.pdf":
                if self.headers.get("If-None-Match") == state.etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self._send(200, "application/pdf", state.pdf,
                           {"ETag": state.etag, "Last-Modified": LAST_MODIFIED})
            elif self.path == "/docs/error_page.pdf":
                self._send(200, "text/html", b"<!DOCTYPE html><html>Maintenance</html>")
            elif self.path == "/meeting":
                self._send(200, "text/html", b"<html>Meeting page</html>")
            elif self.path == "/docs/slow.pdf":
                state.release.wait(10)
                self._send(200, "application/pdf", state.pdf)
            else:
                self._send(404, "text/plain", b"not found")

        def _send(self, status: int, content_type: str, body: bytes,
                  headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (the timeout test)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    state.release.set()
    server.shutdown()
    server.server_close()


def write_note(folder: Path, base: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "concept_note.md").write_text(
        "## Supporting documents\n\n"
        f"- Report of the Secretary-General (A/78/62), available at: [{base}/docs/report\\_en.pdf]"
        f"({base}/docs/report_en.pdf)\n"
        f"- Documents on the website: <{base}/meeting>\n", encoding="utf-8")


def test_the_concept_note_links_two_documents_with_their_titles() -> None:
    text = (REPO / "knowledge" / "concept_note.md").read_text(encoding="utf-8")
    found = linked_documents(text)
    assert [s.url.rsplit("/", 1)[-1] for s in found] == ["a78d62_en.pdf",
                                                         "ecosoc_res_2022d15_en.pdf"]
    assert found[0].title is not None and found[0].title.startswith(
        "Report of the Secretary-General: Progress made")
    assert found[0].title.endswith("(A/78/62-E/2023/49)")
    assert found[1].title is not None and found[1].title.startswith("Resolution 2022/15")


def test_fetch_downloads_the_linked_pdf_and_the_index_cites_its_url(tmp_path: Path,
                                                                    site: Site) -> None:
    folder = tmp_path / "knowledge"
    write_note(folder, site.base)

    results = fetch_all(folder, sources_to_fetch(folder, ()))

    assert [(r.status, r.file) for r in results] == [("downloaded", "report_en.pdf")]
    assert (folder / "report_en.pdf").read_bytes() == site.pdf
    record = read_records(folder)["report_en.pdf"]
    assert record == {"url": f"{site.base}/docs/report_en.pdf",
                      "title": "Report of the Secretary-General (A/78/62)",
                      "etag": '"v1"', "last_modified": LAST_MODIFIED}
    assert read_hints(folder)["report_en.pdf"].url == record["url"]

    summary = run_index(make_config(tmp_path, folder), tmp_path / "data")
    assert summary.documents == 2 and summary.failed == []
    from bot.storage.embeddings import default_embedder
    from bot.storage.knowledge import KnowledgeStore

    store = KnowledgeStore.open(tmp_path / "data", make_config(tmp_path, folder).vector_store,
                                default_embedder())
    chunk = store.lexical("broadband billion", 1)[0][0]
    assert (chunk.file, chunk.page, chunk.url) == ("report_en.pdf", 1, record["url"])
    assert chunk.document == "Report of the Secretary-General (A/78/62)"


def test_a_second_fetch_is_conditional_and_keeps_the_file(tmp_path: Path, site: Site) -> None:
    folder = tmp_path / "knowledge"
    write_note(folder, site.base)
    fetch_all(folder, sources_to_fetch(folder, ()))
    before = (folder / "report_en.pdf").stat().st_mtime_ns

    results = fetch_all(folder, sources_to_fetch(folder, ()))

    assert [r.status for r in results] == ["unchanged"]
    headers = site.requests[-1][1]
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == LAST_MODIFIED
    assert (folder / "report_en.pdf").stat().st_mtime_ns == before


def test_a_changed_document_is_downloaded_again(tmp_path: Path, site: Site) -> None:
    folder = tmp_path / "knowledge"
    write_note(folder, site.base)
    fetch_all(folder, sources_to_fetch(folder, ()))
    site.pdf = pdf_bytes([["Revised edition of the report."]])
    site.etag = '"v2"'

    results = fetch_all(folder, sources_to_fetch(folder, ()))

    assert [r.status for r in results] == ["downloaded"]
    assert (folder / "report_en.pdf").read_bytes() == site.pdf
    assert read_records(folder)["report_en.pdf"]["etag"] == '"v2"'


def test_a_pdf_link_that_returns_a_web_page_is_refused(tmp_path: Path, site: Site) -> None:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    results = fetch_all(folder, [Source(f"{site.base}/docs/error_page.pdf")])
    assert results[0].status == "failed"
    assert "did not send a PDF" in results[0].message
    assert sorted(p.name for p in folder.iterdir()) == []


def test_missing_documents_and_web_pages_are_reported(tmp_path: Path, site: Site) -> None:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    results = fetch_all(folder, [Source(f"{site.base}/docs/gone.pdf"),
                                 Source(f"{site.base}/meeting")])
    assert [r.status for r in results] == ["failed", "skipped"]
    assert "HTTP 404" in results[0].message
    assert "a web page (text/html), not a document" in results[1].message
    assert not (folder / RECORDS_FILE).exists()


def test_offline_is_said_clearly_and_existing_copies_are_kept(tmp_path: Path, site: Site) -> None:
    folder = tmp_path / "knowledge"
    write_note(folder, site.base)
    fetch_all(folder, sources_to_fetch(folder, ()))
    records = read_records(folder)
    # The same URL now points at a port where nothing listens: no network.
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    moved = {name: {**r, "url": r["url"].replace(site.base, dead)} for name, r in records.items()}
    (folder / RECORDS_FILE).write_text(__import__("json").dumps(moved), encoding="utf-8")

    results = fetch_all(folder, [Source(f"{dead}/docs/report_en.pdf"),
                                 Source(f"{dead}/docs/other.pdf")])

    assert all(r.offline and r.status == "failed" for r in results)
    assert results[0].message.startswith(f"cannot reach {dead[7:]} (offline?")
    assert results[0].message.endswith("kept report_en.pdf")
    assert results[1].message.endswith("no copy yet")
    assert (folder / "report_en.pdf").read_bytes() == site.pdf


def test_a_server_that_does_not_answer_times_out(tmp_path: Path, site: Site) -> None:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    results = fetch_all(folder, [Source(f"{site.base}/docs/slow.pdf")], timeout=0.5)
    assert results[0].status == "failed"
    assert "no answer within 0.5 s" in results[0].message
    assert list(folder.iterdir()) == []
