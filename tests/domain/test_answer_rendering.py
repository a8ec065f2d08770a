"""An answer rendered as plain text and as Telegram HTML: order, numbering, links, escaping."""

from __future__ import annotations

import html

from bot.domain.answer import Answer, Source, render_html, render_plain


def marked(text: str) -> str:
    """A stand-in translation that shows where the catalogs are used (placeholders kept)."""
    return "«" + text + "»"


def answer(**fields: object) -> Answer:
    base: dict[str, object] = {
        "question": "When?",
        "kind": "content",
        "language": "en",
        "paragraphs": ("First <para>.", "Second & last."),
    }
    base.update(fields)
    return Answer(**base)  # type: ignore[arg-type]


CONCEPT = Source("Concept note", page=2, section="Background")
LINKED = Source("Web <page>", url='https://example.org/a?x=1&y="2"')


def test_source_label_joins_document_translated_page_and_section() -> None:
    assert CONCEPT.label(marked) == "Concept note, «p. 2», Background"


def test_source_label_has_page_zero_but_no_empty_section() -> None:
    assert Source("Note", page=0, section="").label(lambda s: s) == "Note, p. 0"
    assert Source("Note").label(lambda s: s) == "Note"


def test_plain_text_has_paragraphs_quotes_then_numbered_sources_with_links() -> None:
    text = render_plain(answer(quotes=("Verbatim",), sources=(CONCEPT, LINKED)), marked)
    blocks = text.split("\n\n")
    assert blocks[:3] == ["First <para>.", "Second & last.", "“Verbatim”"]
    assert blocks[3].split("\n") == [
        "«Sources:»",
        "[1] Concept note, «p. 2», Background",
        f"[2] Web <page> — {LINKED.url}",
    ]


def test_plain_text_without_sources_has_no_sources_heading() -> None:
    assert render_plain(answer(), marked) == "First <para>.\n\nSecond & last."


def test_html_escapes_paragraphs_quotes_and_labels_and_links_sources() -> None:
    text = render_html(answer(quotes=("a < b",), sources=(CONCEPT, LINKED)), marked)
    blocks = text.split("\n\n")
    assert blocks[0] == "First &lt;para&gt;."
    assert blocks[1] == "Second &amp; last."
    assert blocks[2] == "<blockquote>a &lt; b</blockquote>"
    lines = blocks[3].split("\n")
    assert lines[0] == "<b>«Sources:»</b>"
    assert lines[1] == "[1] Concept note, «p. 2», Background"
    href = html.escape(LINKED.url or "", quote=True)
    assert lines[2] == f'[2] <a href="{href}">Web &lt;page&gt;</a>'
    assert '"2"' not in lines[2]  # the quote in the URL cannot close the attribute
    assert len(lines) == 3


def test_html_text_keeps_quotation_marks_readable() -> None:
    text = render_html(answer(paragraphs=('He said "yes" and \'no\'',)), marked)
    assert text == 'He said "yes" and \'no\''


def test_html_without_sources_or_quotes_is_just_the_paragraphs() -> None:
    assert render_html(answer(), marked) == "First &lt;para&gt;.\n\nSecond &amp; last."


def test_sources_as_json_are_plain_dicts_in_order() -> None:
    rows = answer(sources=(CONCEPT, LINKED)).sources_json()
    assert rows == [
        {"document": "Concept note", "page": 2, "section": "Background", "snippet": "",
         "url": None},
        {"document": "Web <page>", "page": None, "section": None, "snippet": "",
         "url": LINKED.url},
    ]
