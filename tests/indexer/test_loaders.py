"""Loading real-shaped files: PDFs made here with fpdf2/pypdf, Markdown, text, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.language import guess_language, language_from_name
from indexer.loaders import LoadError, SourceHints, clean_markdown, load_document
from tests.indexer.pdf_factory import (
    Heading,
    write_corrupt_pdf,
    write_encrypted_pdf,
    write_image_only_pdf,
    write_pdf,
)
from tests.support import REPO

INTRO = "The World Summit on the Information Society set a people-centred vision. " * 4
FINDINGS = "Progress in connectivity remains uneven between and within countries. " * 4


def test_pdf_pages_are_numbered_from_one_with_labels_and_outline_sections(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "a78d62_en.pdf", [
        ["Report of the Secretary-General"],
        [Heading("I. Introduction"), INTRO],
        [FINDINGS, Heading("II. Findings"), FINDINGS],
        ["Annex without a heading of its own."],
    ], title="Progress made in the implementation of WSIS outcomes", roman_front_pages=1)

    document = load_document(path, "a78d62_en.pdf")

    assert document.pages == 4
    assert document.title == "Progress made in the implementation of WSIS outcomes"
    assert document.language == "en"
    assert [p.page for p in document.parts] == [1, 2, 3, 4]
    assert [p.page_label for p in document.parts] == ["i", "1", "2", "3"]
    page3 = document.parts[2]
    assert page3.section == "I. Introduction"
    assert [title for _, title in page3.headings] == ["II. Findings"]
    offset = page3.headings[0][0]
    assert page3.text[offset:].startswith("II. Findings")
    assert document.parts[3].section == "II. Findings"


def test_pdf_without_outline_takes_sections_from_heading_lines(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "note.pdf", [
        [Heading("I. Introduction"), INTRO], [Heading("II. Findings"), FINDINGS],
    ], outline=False)
    document = load_document(path, "note.pdf")
    assert [[t for _, t in p.headings] for p in document.parts] == [["I. Introduction"],
                                                                    ["II. Findings"]]
    assert document.parts[1].section == "I. Introduction"
    assert document.title == "I. Introduction"


def test_encrypted_pdf_with_empty_user_password_is_read(tmp_path: Path) -> None:
    path = write_encrypted_pdf(tmp_path / "protected.pdf", [[INTRO]])
    document = load_document(path, "protected.pdf")
    assert "Information Society" in document.parts[0].text


def test_encrypted_pdf_needing_a_password_is_refused_with_the_reason(tmp_path: Path) -> None:
    path = write_encrypted_pdf(tmp_path / "locked.pdf", [[INTRO]], user_password="s3cret")
    with pytest.raises(LoadError, match="encrypted PDF protected by a password"):
        load_document(path, "locked.pdf")


def test_pdf_without_text_layer_is_reported_as_needing_ocr(tmp_path: Path) -> None:
    path = write_image_only_pdf(tmp_path / "scan.pdf", pages=2)
    with pytest.raises(LoadError, match=r"no text layer in its 2 page\(s\).*needs OCR"):
        load_document(path, "scan.pdf")


def test_corrupt_pdf_is_reported(tmp_path: Path) -> None:
    path = write_corrupt_pdf(tmp_path / "broken.pdf")
    with pytest.raises(LoadError, match="corrupt or unreadable PDF"):
        load_document(path, "broken.pdf")


def test_web_page_saved_as_pdf_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "download.pdf"
    path.write_text("<!DOCTYPE html><html><body>Not found</body></html>", encoding="utf-8")
    with pytest.raises(LoadError, match="not a PDF: the file is a web page"):
        load_document(path, "download.pdf")


@pytest.mark.parametrize("name", ["empty.pdf", "empty.md", "empty.txt"])
def test_empty_files_are_reported(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"" if name.endswith(".pdf") else b"  \n\n ")
    with pytest.raises(LoadError, match="the file is empty"):
        load_document(path, name)


def test_non_utf8_text_is_refused_with_the_position(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Développement numérique".encode("latin-1"))
    with pytest.raises(LoadError, match=r"not UTF-8 text \(byte 0xe9 at position 1\)"):
        load_document(path, "latin1.txt")


def test_utf16_text_with_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes("Développement numérique et société de l'information.".encode("utf-16"))
    document = load_document(path, "note.txt")
    assert document.parts[0].text.startswith("Développement")
    assert document.language == "fr"


def test_unsupported_extension_is_named(tmp_path: Path) -> None:
    path = tmp_path / "slides.docx"
    path.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(LoadError, match=r"unsupported file type \.docx \(supported: \.pdf"):
        load_document(path, "slides.docx")


def test_markdown_is_split_at_headings_with_their_path(tmp_path: Path) -> None:
    path = tmp_path / "programme.md"
    path.write_text(
        "---\ntitle: Programme of the panel\nurl: https://example.org/programme\n---\n"
        "Intro before any heading.\n\n# Panel\n\nOpening.\n\n## Speakers\n\n**Ms. A**, "
        "moderator.\n\n## Format\n\nTen *minutes* each, see [the note](https://example.org/n)."
        "\n\n**Closing**\n\nThanks.\n", encoding="utf-8")
    document = load_document(path, "programme.md")
    assert document.title == "Programme of the panel"
    assert document.url == "https://example.org/programme"
    assert [(p.section, p.text) for p in document.parts] == [
        (None, "Intro before any heading."),
        ("Panel", "Opening."),
        ("Panel > Speakers", "Ms. A, moderator."),
        ("Panel > Format", "Ten minutes each, see the note (https://example.org/n)."),
        ("Panel > Format > Closing", "Thanks."),
    ]
    offsets = [p.offset for p in document.parts]
    assert offsets == sorted(offsets) and offsets[0] == 0


def test_the_concept_note_loads_with_its_sections() -> None:
    document = load_document(REPO / "knowledge" / "concept_note.md", "concept_note.md")
    sections = [p.section for p in document.parts]
    assert "Guiding questions for discussion" in sections
    assert "Supporting documents" in sections
    assert document.language == "en"
    supporting = document.parts[sections.index("Supporting documents")].text
    assert "https://unctad.org/system/files/official-document/a78d62_en.pdf" in supporting
    assert "**" not in supporting and "<sup>" not in "".join(p.text for p in document.parts)


def test_plain_text_headings_split_sections(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Logistics for the panel\n\nINTERPRETATION\n\nSix languages.\n\n"
                    "2. Remote participation\n\nUse the link.\n\nSecurity\n========\n\n"
                    "Badges at the gate.\n", encoding="utf-8")
    document = load_document(path, "notes.txt")
    assert [(p.section, p.text) for p in document.parts] == [
        (None, "Logistics for the panel"), ("INTERPRETATION", "Six languages."),
        ("2. Remote participation", "Use the link."), ("Security", "Badges at the gate."),
    ]
    assert document.title == "Logistics for the panel"


def test_hints_from_the_fetch_records_give_title_and_url(tmp_path: Path) -> None:
    path = tmp_path / "res.md"
    path.write_text("Text of the resolution.", encoding="utf-8")
    hints = SourceHints(title="Resolution 2022/15", url="https://example.org/res.pdf")
    document = load_document(path, "res.md", hints)
    assert (document.title, document.url) == ("Resolution 2022/15", "https://example.org/res.pdf")


def test_clean_markdown_keeps_underscores_in_urls() -> None:
    text = "[https://x.org/a78d62\\_en.pdf](https://x.org/a78d62_en.pdf) and snake_case_name"
    assert clean_markdown(text) == "https://x.org/a78d62_en.pdf and snake_case_name"


@pytest.mark.parametrize(("name", "language"), [
    ("a78d62_en.pdf", "en"), ("note-fr.md", "fr"), ("report.es.txt", "es"),
    ("dir/plan_ar.pdf", "ar"), ("summary.pdf", None), ("frontend.md", None),
])
def test_language_from_un_style_file_names(name: str, language: str | None) -> None:
    assert language_from_name(name) == language


@pytest.mark.parametrize(("text", "language"), [
    ("The panel will discuss the progress of the information society and the role of data.",
     "en"),
    ("Le panel examinera les progrès de la société de l'information et le rôle des données.",
     "fr"),
    ("El panel examinará los avances de la sociedad de la información y el papel de los datos.",
     "es"),
    ("Группа обсудит прогресс информационного общества", "ru"),
    ("12345 67890", None),
])
def test_language_guess(text: str, language: str | None) -> None:
    assert guess_language(text) == language
