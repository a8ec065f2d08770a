"""Every user-facing string in bot/ is translated into every language; plurals and codes."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.i18n import LANGUAGES, I18n, is_rtl, language_named, normalise_language, pick_language

BOT = Path(__file__).resolve().parent.parent / "bot"
MARKERS = {"_", "UserError", "CommandSpec"}
TRANSLATED = [language for language in LANGUAGES if language != "en"]
TAG = re.compile(r"</?[a-z]+>")
COMMAND = re.compile(r"(?<![\w/])/[a-z]+\b")


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


@pytest.fixture(scope="module")
def i18n() -> I18n:
    return I18n.load()


def test_the_six_un_languages_are_supported() -> None:
    assert LANGUAGES == ("en", "fr", "es", "ar", "zh", "ru")
    assert TRANSLATED == ["fr", "es", "ar", "zh", "ru"]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_marked_string_is_translated(language: str, i18n: I18n) -> None:
    catalog = i18n.catalog(language)
    missing = {msgid: where for msgid, where in marked_strings().items() if msgid not in catalog}
    assert not missing, f"{len(missing)} untranslated in {language}: " + "\n".join(
        f"{where}: {msgid!r}" for msgid, where in sorted(missing.items(), key=lambda x: x[1]))


def french_msgids() -> set[str]:
    """Every msgid of the French catalogs (the reference set of files and entries)."""
    ids: set[str] = set()
    for path in (BOT / "locales" / "fr").glob("*.po"):
        with path.open("rb") as handle:
            ids |= {str(m.id) for m in read_po(handle) if m.id and isinstance(m.id, str)}
    return ids


@pytest.mark.parametrize("language", [x for x in TRANSLATED if x != "fr"])
def test_every_catalog_entry_of_french_exists_in_each_language(language: str,
                                                               i18n: I18n) -> None:
    catalog = i18n.catalog(language)
    missing = sorted(french_msgids() - set(catalog))
    assert not missing, f"{len(missing)} missing in {language}: {missing}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders(language: str, i18n: I18n) -> None:
    catalog = i18n.catalog(language)
    wrong = [msgid for msgid, text in catalog.items() if placeholders(msgid) != placeholders(text)]
    assert not wrong, f"placeholders differ in {language}: {wrong}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_html_tags(language: str, i18n: I18n) -> None:
    catalog = i18n.catalog(language)
    wrong = [m for m, t in catalog.items() if sorted(TAG.findall(m)) != sorted(TAG.findall(t))]
    assert not wrong, wrong


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_commands(language: str, i18n: I18n) -> None:
    catalog = i18n.catalog(language)
    wrong = [m for m, t in catalog.items()
             if sorted(COMMAND.findall(m)) != sorted(COMMAND.findall(t))]
    assert not wrong, wrong


def test_the_marker_scan_finds_strings() -> None:
    assert "Welcome, {name}!" in marked_strings()


@pytest.mark.parametrize(("chosen", "telegram", "expected"), [
    (None, "fr-CA", "fr"), (None, "es", "es"), (None, "de", "en"), (None, None, "en"),
    ("es", "fr", "es"), ("xx", "fr", "fr"), (None, "ar", "ar"), (None, "zh-hans", "zh"),
    (None, "zh-CN", "zh"), (None, "ru-RU", "ru"), ("ru", "ar", "ru"), ("zh", None, "zh"),
])
def test_language_is_the_users_choice_then_telegrams(chosen: str | None, telegram: str | None,
                                                     expected: str) -> None:
    assert pick_language(chosen, telegram) == expected


def test_unknown_codes_fall_back_to_english(i18n: I18n) -> None:
    assert normalise_language("pt_BR") == "en"
    assert i18n.translator("de").gettext("Welcome, {name}!") == "Welcome, {name}!"


@pytest.mark.parametrize(("typed", "expected"), [
    ("ar", "ar"), (" ZH-cn", "zh"), ("ru_RU", "ru"), ("Arabic", "ar"), ("العربية", "ar"),
    ("中文", "zh"), ("Русский", "ru"), ("français", "fr"), ("de", None), ("", None),
    ("klingon", None),
])
def test_a_language_is_named_by_code_or_by_name(typed: str, expected: str | None) -> None:
    assert language_named(typed) == expected


def test_each_language_greets_in_its_own_words(i18n: I18n) -> None:
    greetings = {language: i18n.translator(language).gettext("I will write to you in English.")
                 for language in LANGUAGES}
    assert len(set(greetings.values())) == len(LANGUAGES), greetings
    assert "العربية" in greetings["ar"] and "русском" in greetings["ru"]


def test_only_arabic_is_written_right_to_left(i18n: I18n) -> None:
    assert [language for language in LANGUAGES if is_rtl(language)] == ["ar"]
    assert i18n.translator("ar").rtl and not i18n.translator("ru").rtl


# --- plurals ------------------------------------------------------------------------------
PLURAL_FORMS = {
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
          ": n%100>=11 ? 4 : 5);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
          "(n%100<10 || n%100>=20) ? 1 : 2);",
    "zh": "nplurals=1; plural=0;",
    "fr": "nplurals=2; plural=(n > 1);",
}


def write_plural_catalog(root: Path, language: str, forms: list[str],
                         header: str | None = None) -> None:
    folder = root / language
    folder.mkdir(parents=True)
    strings = "\n".join(f'msgstr[{i}] "{form}"' for i, form in enumerate(forms))
    plural_forms = header or PLURAL_FORMS[language]
    (folder / "test.po").write_text(
        'msgid ""\nmsgstr ""\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Language: {language}\\n"\n'
        f'"Plural-Forms: {plural_forms}\\n"\n\n'
        'msgid "{n} speaker"\nmsgid_plural "{n} speakers"\n' + strings + "\n",
        encoding="utf-8")


@pytest.mark.parametrize(("language", "forms", "expected"), [
    ("ru", ["{n} оратор", "{n} оратора", "{n} ораторов"],
     {1: 0, 2: 1, 5: 2, 21: 0, 11: 2, 22: 1, 111: 2, 0: 2}),
    ("ar", ["zero", "one", "two", "few", "many", "other"],
     {0: 0, 1: 1, 2: 2, 3: 3, 10: 3, 11: 4, 99: 4, 100: 5, 102: 5, 103: 3, 111: 4}),
    ("zh", ["{n} 位发言者"], {0: 0, 1: 0, 2: 0, 5: 0, 21: 0}),
    ("fr", ["{n} intervenant", "{n} intervenants"], {0: 0, 1: 0, 2: 1, 5: 1}),
])
def test_plural_forms_follow_each_languages_cldr_rule(tmp_path: Path, language: str,
                                                      forms: list[str],
                                                      expected: dict[int, int]) -> None:
    write_plural_catalog(tmp_path, language, forms)
    translator = I18n.load(tmp_path).translator(language)
    got = {n: translator.ngettext("{n} speaker", "{n} speakers", n) for n in expected}
    assert got == {n: forms[index] for n, index in expected.items()}


def test_a_header_with_another_order_of_forms_is_followed(tmp_path: Path) -> None:
    # Same Russian rule, forms listed many/few/one: the header says where each category is.
    header = ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 2 : n%10>=2 && n%10<=4 && "
              "(n%100<10 || n%100>=20) ? 1 : 0);")
    write_plural_catalog(tmp_path, "ru", ["ораторов", "оратора", "оратор"], header)
    translator = I18n.load(tmp_path).translator("ru")
    assert [translator.ngettext("{n} speaker", "{n} speakers", n) for n in (1, 2, 5, 21)] == [
        "оратор", "оратора", "ораторов", "оратор"]


def test_an_untranslated_plural_form_falls_back_to_english(tmp_path: Path) -> None:
    write_plural_catalog(tmp_path, "ar", ["", "متكلم واحد", "", "", "", ""])
    translator = I18n.load(tmp_path).translator("ar")
    assert translator.ngettext("{n} speaker", "{n} speakers", 1) == "متكلم واحد"
    assert translator.ngettext("{n} speaker", "{n} speakers", 3) == "{n} speakers"
    assert I18n.load(tmp_path).translator("en").ngettext("{n} speaker", "{n} speakers",
                                                          1) == "{n} speaker"
