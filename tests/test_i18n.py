"""Every user-facing string in bot/ has a French and a Spanish translation."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from bot.i18n import I18n, normalise_language, pick_language

BOT = Path(__file__).resolve().parent.parent / "bot"
MARKERS = {"_", "UserError", "CommandSpec"}


def marked_strings() -> dict[str, str]:
    """msgid -> 'file:line' for every literal passed to _(), UserError() or CommandSpec()."""
    found: dict[str, str] = {}
    for path in BOT.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else (
                node.func.attr if isinstance(node.func, ast.Attribute) else "")
            if name not in MARKERS or not node.args:
                continue
            index = 1 if name == "CommandSpec" else 0
            if len(node.args) <= index:
                continue
            arg = node.args[index]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value.strip():
                found.setdefault(arg.value, f"{path.relative_to(BOT.parent)}:{node.lineno}")
    return found


def placeholders(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_marked_string_is_translated(language: str) -> None:
    catalog = I18n.load().catalog(language)
    missing = {msgid: where for msgid, where in marked_strings().items() if msgid not in catalog}
    assert not missing, f"{len(missing)} untranslated in {language}: " + "\n".join(
        f"{where}: {msgid!r}" for msgid, where in sorted(missing.items(), key=lambda x: x[1]))


@pytest.mark.parametrize("language", ["fr", "es"])
def test_translations_keep_the_placeholders(language: str) -> None:
    catalog = I18n.load().catalog(language)
    wrong = [msgid for msgid, text in catalog.items() if placeholders(msgid) != placeholders(text)]
    assert not wrong, f"placeholders differ in {language}: {wrong}"


@pytest.mark.parametrize("language", ["fr", "es"])
def test_translations_keep_html_tags(language: str) -> None:
    catalog = I18n.load().catalog(language)
    tags = re.compile(r"</?[a-z]+>")
    wrong = [m for m, t in catalog.items() if sorted(tags.findall(m)) != sorted(tags.findall(t))]
    assert not wrong, wrong


def test_the_marker_scan_finds_strings() -> None:
    assert "Welcome, {name}!" in marked_strings()


@pytest.mark.parametrize(("chosen", "telegram", "expected"), [
    (None, "fr-CA", "fr"), (None, "es", "es"), (None, "de", "en"), (None, None, "en"),
    ("es", "fr", "es"), ("xx", "fr", "fr"),
])
def test_language_is_the_users_choice_then_telegrams(chosen: str | None, telegram: str | None,
                                                     expected: str) -> None:
    assert pick_language(chosen, telegram) == expected


def test_unknown_codes_fall_back_to_english() -> None:
    assert normalise_language("pt_BR") == "en"
    assert I18n.load().translator("de").gettext("Welcome, {name}!") == "Welcome, {name}!"
