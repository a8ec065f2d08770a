"""The import rules of STYLE.md, checked on the source tree (AST scan)."""

from __future__ import annotations

import ast
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


def test_nothing_is_built_at_import_time() -> None:
    """Importing the composition root opens no database and loads no model."""
    source = (ROOT / "bot" / "app.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    top_level_calls = [n for n in tree.body if isinstance(n, ast.Expr | ast.Assign)
                       and any(isinstance(c, ast.Call) for c in ast.walk(n))]
    assert top_level_calls == [] or all(
        isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name)
        and n.targets[0].id in {"log", "FEATURES"} for n in top_level_calls)
