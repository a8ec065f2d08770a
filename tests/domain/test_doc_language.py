"""Document versions: language and document key from UN-style file names, and version choice."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.domain.doc_language import (
    DocumentName,
    VersionChoice,
    choose_version,
    document_language,
    is_preferred,
    languages_by_document,
    normalise_language,
    parse_document_name,
)


@pytest.mark.parametrize(("name", "key", "language"), [
    ("a78d62_en.pdf", "a78d62", "en"),
    ("a78d62_fr.pdf", "a78d62", "fr"),
    ("Concept-Note-FR.pdf", "concept-note", "fr"),
    ("note-es.md", "note", "es"),
    ("plan.es.txt", "plan", "es"),
    ("index.zh.md", "index", "zh"),
    ("dir/plan_ar.pdf", "dir/plan", "ar"),
    ("report_ru.pdf", "report", "ru"),
    ("minutes_eng.pdf", "minutes", "en"),
    ("minutes_fra.pdf", "minutes", "fr"),
    ("Concept note FR.md", "concept note", "fr"),
    ("report (fr).pdf", "report", "fr"),
    ("report [French].pdf", "report", "fr"),
    ("report_zh-CN.pdf", "report", "zh"),
    ("report_zh_Hans.pdf", "report", "zh"),
    ("report-fr-CA.pdf", "report", "fr"),
    ("report_fr_FR.pdf", "report", "fr"),
    ("es-419/report.pdf", "es-419/report", None),
])
def test_language_suffixes_give_the_language_and_a_shared_key(name: str, key: str,
                                                              language: str | None) -> None:
    assert parse_document_name(name) == DocumentName(key, language)


@pytest.mark.parametrize(("name", "key", "language"), [
    ("N2312345_F.pdf", "n2312345", "fr"),
    ("N2312345_E.pdf", "n2312345", "en"),
    ("report_F.pdf", "report", "fr"),
    ("report-S.pdf", "report", "es"),
    ("A_78_62-R.pdf", "a_78_62", "ru"),
    ("a78d62_c.pdf", "a78d62", "zh"),
    ("E_CN.16_2023_2_A.pdf", "e_cn.16_2023_2", "ar"),
    ("Annex_A_F.pdf", "annex_a", "fr"),
])
def test_un_language_letters_at_the_end_of_a_name(name: str, key: str,
                                                  language: str | None) -> None:
    assert parse_document_name(name) == DocumentName(key, language)


@pytest.mark.parametrize("name", [
    "summary.pdf", "frontend.md", "Annex_A.pdf", "annex-c.pdf", "Appendix_E.pdf", "Part-A.md",
    "Plan A.pdf", "Option_C.txt", "Table_S.pdf", "report_f.pdf", "report_fr_v2.pdf",
    "french_fries.md", "en_route.md", "release.notes", "EN.pdf", "_en.pdf", "fr.md",
    "x_E.pdf", "report.E.pdf", "report E.pdf", "annex-s.md", "arena.pdf", "esfr.pdf",
])
def test_ordinary_names_carry_no_language(name: str) -> None:
    assert parse_document_name(name).language is None


@pytest.mark.parametrize("name", ["report_en_fr.pdf", "report_EN-FR.pdf", "report_E_F.pdf",
                                  "guide_es_ar.pdf", "plan_en_F.pdf"])
def test_names_with_two_language_tags_are_not_given_either(name: str) -> None:
    parsed = parse_document_name(name)
    assert parsed.language is None
    assert parsed.key == name.rsplit(".", 1)[0].casefold()


def test_a_name_without_a_tag_keeps_its_whole_stem_as_key() -> None:
    assert parse_document_name("docs/Concept_Note.md") == DocumentName("docs/concept_note", None)


@pytest.mark.parametrize(("name", "key", "language"), [
    ("fr/report.pdf", "report", "fr"),
    ("docs/EN/report.pdf", "docs/report", "en"),
    ("fr/report_fr.pdf", "report", "fr"),
    ("concept-note/fr.md", "concept-note", "fr"),
    ("concept-note/index.fr.md", "concept-note/index", "fr"),
    ("frontend/report.pdf", "frontend/report", None),
])
def test_a_language_folder_gives_the_language_and_is_left_out_of_the_key(
        name: str, key: str, language: str | None) -> None:
    assert parse_document_name(name) == DocumentName(key, language)


def test_versions_of_one_document_share_a_key_whatever_the_case_and_format() -> None:
    names = ["A78D62_EN.pdf", "a78d62_fr.md", "a78d62-Es.txt", "a78d62 (ru).pdf"]
    assert {parse_document_name(n).key for n in names} == {"a78d62"}
    assert [parse_document_name(n).language for n in names] == ["en", "fr", "es", "ru"]


@pytest.mark.parametrize(("value", "language"), [
    ("fr", "fr"), ("FR", "fr"), ("fr-CA", "fr"), ("fr_FR", "fr"), ("fra", "fr"),
    ("French", "fr"), ("français", "fr"), ("Español", "es"), ("castellano", "es"),
    ("zh-Hant-TW", "zh"), ("中文", "zh"), ("العربية", "ar"), ("Русский", "ru"),
    ("inglés", "en"), ("de-AT", "de"), (" en ", "en"),
    ("Deutsch", None), ("", None), (None, None), ("not a language", None), ("f", None),
])
def test_declared_languages_are_normalised(value: str | None, language: str | None) -> None:
    assert normalise_language(value) == language


def test_a_declared_language_wins_over_the_file_name() -> None:
    assert document_language("note_en.md", "fr") == "fr"
    assert document_language("note_en.md", None) == "en"
    assert document_language("note_en.md", "gibberish value") == "en"
    assert document_language("note.md", None) is None


@dataclass(frozen=True)
class Passage:
    document_key: str | None
    language: str | None


def test_languages_by_document_lists_each_documents_versions_in_un_order() -> None:
    passages = [Passage("note", "fr"), Passage("note", "en"), Passage("note", "fr"),
                Passage("report", None), Passage("memo", "de"), Passage(None, "es")]
    assert languages_by_document(passages) == {"note": ("en", "fr"), "report": (),
                                               "memo": ("de",)}


@pytest.mark.parametrize(("available", "wanted", "choice"), [
    (("en", "fr"), "fr", VersionChoice("fr", fallback=False)),
    (("en", "fr"), "es", VersionChoice("en", fallback=True)),
    (("en",), "fr", VersionChoice("en", fallback=True)),
    (("en", "fr"), None, VersionChoice("en", fallback=False)),
    (("fr", "es"), "ru", VersionChoice("fr", fallback=True)),
    (("es",), "es", VersionChoice("es", fallback=False)),
    ((), "fr", VersionChoice(None, fallback=False)),
])
def test_the_askers_language_is_chosen_else_english(available: tuple[str, ...],
                                                      wanted: str | None,
                                                      choice: VersionChoice) -> None:
    assert choose_version(available, wanted) == choice


def test_only_passages_of_the_chosen_version_are_preferred() -> None:
    passages = [Passage("note", "en"), Passage("note", "fr"), Passage("report", "en"),
                Passage(None, "es"), Passage("memo", None)]
    available = languages_by_document(passages)
    assert [is_preferred(p, available, "fr") for p in passages] == [False, True, True, True,
                                                                    True]
    assert [is_preferred(p, available, "es") for p in passages] == [True, False, True, True,
                                                                    True]
