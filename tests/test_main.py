"""`python -m bot`: no token explains itself; the token never reaches the logs."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import setup_logging
from tests.support import REPO, TOKEN


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "PANEL_"))}
    env.update(PANEL_DATA_DIR=str(tmp_path / "data"), PANEL_CONFIG=str(REPO / "config.toml"))
    env.update(extra)
    return env


def test_without_a_token_it_explains_how_to_get_one(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "bot"], capture_output=True, text=True,
                            input="", env=_env(tmp_path), cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "TELEGRAM_BOT_TOKEN is not set" in result.stdout
    assert "@BotFather" in result.stdout and "/newbot" in result.stdout


def test_an_unknown_subcommand_exits_2(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "bot", "dance"], capture_output=True,
                            text=True, env=_env(tmp_path), cwd=REPO, timeout=60)
    assert result.returncode == 2 and "unknown command" in result.stderr


def test_the_token_is_redacted_from_every_log_line(caplog: pytest.LogCaptureFixture,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    handler = logging.StreamHandler(sys.stderr)
    root.addHandler(handler)
    try:
        setup_logging(TOKEN)
        logging.getLogger("httpx").warning("POST https://x/bot%s/getMe 500", TOKEN)
        try:
            raise RuntimeError(f"failed with {TOKEN}")
        except RuntimeError:
            logging.getLogger("bot").exception("error for %s", TOKEN)
    finally:
        root.removeHandler(handler)
        root.handlers[:] = before
    err = capsys.readouterr().err
    assert "getMe" in err and "<token>" in err
    assert TOKEN not in err


@pytest.mark.parametrize("command", ["ask", "chat"])
def test_a_broken_import_inside_a_terminal_mode_fails_loudly(tmp_path: Path,
                                                              command: str) -> None:
    # None in sys.modules makes `from bot.cli.loading import ...` (in both modes) raise
    # ModuleNotFoundError, as a missing dependency or a renamed module would.
    code = ("import runpy, sys; sys.modules['bot.cli.loading'] = None; "
            f"sys.argv = ['bot', {command!r}, 'When is the panel?']; "
            "runpy.run_module('bot', run_name='__main__')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            input="", env=_env(tmp_path), cwd=REPO, timeout=120)
    assert result.returncode != 0
    assert "ModuleNotFoundError" in result.stderr and "bot.cli.loading" in result.stderr
    assert "not available" not in result.stdout + result.stderr
