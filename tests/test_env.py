"""Every environment variable the bot uses is read by `Env`; the services get it from there."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from bot.app import build_services
from bot.config import ConfigError, Env, load_config
from bot.storage.db import Database
from tests.support import REPO, make_env, write_config


def test_defaults_keep_normal_sync_and_no_loop_monitor() -> None:
    env = Env.from_environ({})
    assert env.sqlite_sync == "NORMAL" and env.loop_monitor is None


@pytest.mark.parametrize(("value", "expected"), [("FULL", "FULL"), ("full", "FULL"),
                                                  (" Normal ", "NORMAL"), ("", "NORMAL")])
def test_sqlite_sync_is_read_case_insensitively(value: str, expected: str) -> None:
    assert Env.from_environ({"PANEL_SQLITE_SYNC": value}).sqlite_sync == expected


def test_an_unknown_sqlite_sync_is_a_config_error_naming_the_variable() -> None:
    with pytest.raises(ConfigError, match="PANEL_SQLITE_SYNC.*FULL or NORMAL.*'OFF'"):
        Env.from_environ({"PANEL_SQLITE_SYNC": "OFF"})


def test_the_loop_monitor_file_is_read(tmp_path: Path) -> None:
    target = tmp_path / "loop.json"
    assert Env.from_environ({"PANEL_LOOP_MONITOR": str(target)}).loop_monitor == target


def _pragma_sync(db: Database) -> int:
    return int(db.query("PRAGMA synchronous")[0][0])


def test_the_database_uses_the_sync_mode_it_is_given(tmp_path: Path) -> None:
    normal, full = Database(tmp_path / "a.sqlite"), Database(tmp_path / "b.sqlite", "FULL")
    try:
        assert (_pragma_sync(normal), _pragma_sync(full)) == (1, 2)  # NORMAL, FULL
    finally:
        normal.close()
        full.close()
    with pytest.raises(ValueError, match="NORMAL or FULL"):
        Database(tmp_path / "c.sqlite", "OFF; DROP TABLE x")


def test_build_services_passes_the_sync_mode_from_env(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path))
    env = dataclasses.replace(make_env(tmp_path), sqlite_sync="FULL")
    services = build_services(config, env)
    try:
        assert _pragma_sync(services.db) == 2
    finally:
        services.close()


def test_no_module_reads_the_environment_itself() -> None:
    """No `os.environ.get`, `os.environ[...]` or `os.getenv` in bot/ or indexer/: variables
    are read by Env.from_environ (the mapping is passed in; the LLM key lookup gets it too)."""
    found = [f"{path.relative_to(REPO)}:{node.lineno}"
             for path in sorted([*REPO.glob("bot/**/*.py"), *REPO.glob("indexer/**/*.py")])
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if _reads_environ(node)]
    assert not found, found


def _reads_environ(node: ast.AST) -> bool:
    """`os.environ.get(...)`, `os.environ[...]` or `os.getenv(...)` (not setdefault)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        func = node.func
        if func.attr == "getenv" and isinstance(func.value, ast.Name) and func.value.id == "os":
            return True
        if func.attr == "get" and _is_os_environ(func.value):
            return True
    return isinstance(node, ast.Subscript) and _is_os_environ(node.value) \
        and isinstance(node.ctx, ast.Load)


def _is_os_environ(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ"
            and isinstance(node.value, ast.Name) and node.value.id == "os")
