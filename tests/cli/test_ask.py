"""`python -m bot ask` and `python -m bot chat` on a real index."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.cli import ask, chat
from tests.support import write_config


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bot.config import load_config
    from indexer.run import run_index

    directory = tmp_path_factory.mktemp("cli")
    config = load_config(write_config(directory))
    run_index(config, directory / "data")
    return directory


@pytest.fixture
def env(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PANEL_CONFIG", str(workdir / "config.toml"))
    monkeypatch.setenv("PANEL_DATA_DIR", str(workdir / "data"))
    return workdir


def run(module, argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = module.run(argv, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def test_one_question_as_json(env):
    status, out, _ = run(ask, ["What time is the panel?", "--json", "--tz", "America/New_York"])
    assert status == 0
    result = json.loads(out)
    assert result["kind"] == "schedule" and result["abstained"] is False
    assert "09:00–11:30" in result["answer"]
    assert result["sources"][0]["snippet"].startswith("Wednesday 29th March 2023")
    assert isinstance(result["ms"], float)


def test_lines_from_stdin_give_one_json_object_each(env):
    questions = "Quels sont les objectifs du panel ?\n\nWho are the panelists?\n" \
                "¿Cuánto tiempo puede intervenir un participante de alto nivel a distancia?\n"
    status, out, _ = run(ask, [], stdin=questions)
    assert status == 0
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["kind"] for r in results] == ["content", "content", "rules"]
    assert [r["abstained"] for r in results] == [False, True, False]
    assert results[0]["sources"][0]["section"] == "Objectives"
    assert results[0]["answer"].startswith("D'après les documents")
    assert "7 minutos" in results[2]["answer"]
    assert set(results[0]) >= {"question", "answer", "abstained", "kind", "sources", "ms"}


def test_plain_text_output_and_language_option(env):
    status, out, _ = run(ask, ["WSIS+20?", "--lang", "fr"])
    assert status == 0 and out.strip()


def test_a_bad_time_zone_is_refused_with_a_clear_message(env):
    status, out, err = run(ask, ["When?", "--tz", "Mars/Olympus"])
    assert status == 2 and "unknown time zone" in err and out == ""


def test_a_missing_config_is_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("PANEL_CONFIG", str(tmp_path / "nope.toml"))
    monkeypatch.setenv("PANEL_DATA_DIR", str(tmp_path / "data"))
    status, _, err = run(ask, ["When is the panel?"])
    assert status == 2 and "config error" in err


def test_the_terminal_chat_answers_and_knows_its_commands(env):
    lines = "/agenda\n/rules\n/lang fr\nQuand a lieu le panel ?\n/timezone Nowhere/City\n" \
            "/timezone Asia/Tokyo\n/agenda\n/help\n"
    status, out, _ = run(chat, [], stdin=lines)
    assert status == 0
    assert "15:00–17:30" in out
    assert "Panelists: up to 10 minutes" in out
    assert "Langue choisie." in out and "mercredi 29 mars 2023" in out
    assert "Fuseau horaire inconnu." in out and "Tokyo" in out
    assert "/agenda, /rules" in out
