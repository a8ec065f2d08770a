"""`python -m indexer`: options, the JSON object, the table, and the exit statuses."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.__main__ import main
from tests.indexer.pdf_factory import write_corrupt_pdf
from tests.support import REPO, write_config


@pytest.fixture
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config whose knowledge folder holds one note and one corrupt PDF; returns the folder."""
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / "note.md").write_text("# Note\n\nThe panel meets in room XVII.\n", encoding="utf-8")
    write_corrupt_pdf(folder / "broken.pdf")
    monkeypatch.setenv("PANEL_CONFIG", str(write_config(tmp_path, {"knowledge": {
        "dir": str(folder)}})))
    monkeypatch.setenv("PANEL_DATA_DIR", str(tmp_path / "data"))
    return folder


def test_json_output_lists_counts_and_failures_and_exits_0(
        configured: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"documents", "chunks", "added", "updated", "unchanged", "removed",
                           "failed", "seconds", "versions"}
    assert (result["documents"], result["chunks"], result["added"]) == (1, 1, 1)
    assert [f["file"] for f in result["failed"]] == ["broken.pdf"]
    assert "corrupt" in result["failed"][0]["error"]
    assert isinstance(result["seconds"], float)
    # One short sentence is too little to tell its language.
    assert result["versions"] == [{"key": "note", "title": "Note", "languages": [],
                                   "files": [{"file": "note.md", "language": None}]}]


def test_the_table_reports_an_unchanged_second_run(
        configured: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--json"]) == 0
    capsys.readouterr()
    assert main([]) == 0
    table = capsys.readouterr().out
    rows = {line.split("|")[1].strip(): line.split("|")[2].strip()
            for line in table.splitlines() if line.startswith("| ")}
    assert rows["unchanged"] == "1" and rows["embedded"] == "0" and rows["failed"] == "1"
    assert "failed: broken.pdf: corrupt or unreadable PDF" in table


def test_nothing_indexable_exits_1(tmp_path: Path, configured: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    (configured / "note.md").unlink()
    assert main(["--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["documents"] == 0
    assert "nothing could be indexed" in captured.err


def test_knowledge_option_overrides_the_config(tmp_path: Path, configured: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.txt").write_text("Interpretation in six languages.", encoding="utf-8")
    assert main(["--json", "--knowledge", str(other)]) == 0
    assert json.loads(capsys.readouterr().out)["failed"] == []


def test_a_missing_knowledge_folder_exits_2(tmp_path: Path, configured: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--knowledge", str(tmp_path / "absent")]) == 2
    assert "knowledge.dir:" in capsys.readouterr().err


def test_a_bad_config_exits_2_naming_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = write_config(tmp_path, {"vector_store": {"mode": "cloud"}})
    monkeypatch.setenv("PANEL_CONFIG", str(path))
    assert main([]) == 2
    assert "vector_store.mode" in capsys.readouterr().err


def test_an_unknown_option_exits_2() -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--bogus"])
    assert exit_info.value.code == 2


def test_fetch_offline_says_so_and_indexes_what_is_there(
        configured: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    (configured / "note.md").write_text(
        f"# Note\n\nSee [the report]({dead}/report_en.pdf).\n", encoding="utf-8")
    assert main(["--json", "--fetch"]) == 0
    captured = capsys.readouterr()
    assert "fetch: cannot reach 127.0.0.1" in captured.err
    assert "offline, nothing was downloaded" in captured.err
    assert json.loads(captured.out)["documents"] == 1


def test_python_dash_m_indexer_runs_as_a_program(configured: Path) -> None:
    completed = subprocess.run([sys.executable, "-m", "indexer", "--json"], cwd=REPO,
                               capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["documents"] == 1
