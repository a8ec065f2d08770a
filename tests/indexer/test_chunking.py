"""Chunking is pure: sizes, sentence boundaries, overlap, ids and citation metadata."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.chunking import (
    MAX_CHARS,
    Part,
    chunk_document,
    document_key,
    embedding_text,
    section_at,
    split_spans,
)

SENTENCES = [
    "The Commission reviews progress in the implementation of the WSIS outcomes.",
    "Digital cooperation is needed to contain the risk of cyber conflict.",
    "Remote participants intervene for seven minutes, e.g. high-level speakers.",
    "Priority is given to participants in the meeting room.",
    "Data governance shapes digital development for the common good.",
]


def prose(sentences: int, paragraph_every: int = 6) -> str:
    parts = []
    for i in range(sentences):
        parts.append(SENTENCES[i % len(SENTENCES)])
        parts.append("\n\n" if (i + 1) % paragraph_every == 0 else " ")
    return "".join(parts).strip()


def test_short_text_is_one_chunk_without_surrounding_whitespace() -> None:
    text = "\n  A single short paragraph.  \n"
    assert [text[s:e] for s, e in split_spans(text)] == ["A single short paragraph."]


def test_empty_or_blank_text_has_no_chunks() -> None:
    assert split_spans("") == []
    assert split_spans(" \n\t ") == []


def test_long_prose_chunks_respect_the_size_limit_and_end_at_sentence_ends() -> None:
    text = prose(120)
    spans = split_spans(text, max_chars=1000, overlap=150, min_chars=500)
    assert len(spans) > 5
    for start, end in spans:
        assert end - start <= 1000
        assert text[end - 1] == "."
        assert start == 0 or text[start - 1] in " \n"


def test_chunks_overlap_by_whole_sentences_at_most_the_overlap() -> None:
    text = prose(80)
    spans = split_spans(text, max_chars=900, overlap=200, min_chars=400)
    for (_, end), (next_start, _) in zip(spans, spans[1:], strict=False):
        assert 0 < end - next_start <= 200
        overlap = text[next_start:end]
        assert overlap.rstrip().endswith(".")
        assert overlap[0].isupper()


def test_zero_overlap_gives_adjacent_chunks() -> None:
    text = prose(60)
    spans = split_spans(text, max_chars=800, overlap=0, min_chars=300)
    for (_, end), (next_start, _) in zip(spans, spans[1:], strict=False):
        assert next_start >= end


def test_paragraph_ends_are_preferred_to_sentence_ends() -> None:
    first = " ".join(SENTENCES[:3] * 3)  # ~600 characters
    text = first + "\n\n" + " ".join(SENTENCES * 4)
    start, end = split_spans(text, max_chars=1000, overlap=0, min_chars=400)[0]
    assert text[start:end] == first


def test_abbreviations_do_not_end_a_chunk() -> None:
    filler = "word " * 150
    text = filler + "See e.g. the annex and Res. 2022/15 for details " + "more " * 150
    for _start, end in split_spans(text, max_chars=800, overlap=0, min_chars=700):
        assert not text[:end].endswith(("e.g.", "Res."))


def test_text_without_any_boundary_is_cut_at_the_limit() -> None:
    text = "x" * 3000
    spans = split_spans(text, max_chars=1000, overlap=100, min_chars=500)
    assert spans == [(0, 1000), (1000, 2000), (2000, 3000)]


def test_words_are_not_cut_when_spaces_exist() -> None:
    text = " ".join(["information"] * 400)
    for start, end in split_spans(text, max_chars=1000, overlap=100, min_chars=500):
        assert text[start:end].split()[0] == "information"
        assert text[start:end].split()[-1] == "information"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(SENTENCES + ["\n\n", "\n", "x" * 200, "é ü ñ"]), max_size=80),
       st.integers(min_value=200, max_value=1500), st.integers(min_value=0, max_value=300))
def test_every_character_is_covered_and_no_chunk_exceeds_the_limit(
        pieces: list[str], max_chars: int, overlap: int) -> None:
    text = " ".join(pieces)
    spans = split_spans(text, max_chars=max_chars, overlap=overlap, min_chars=max_chars // 2)
    covered: set[int] = set()
    for start, end in spans:
        assert 0 <= start < end <= len(text)
        assert end - start <= max_chars
        assert not text[start].isspace() and not text[end - 1].isspace()
        covered.update(range(start, end))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())
    assert [s for s, _ in spans] == sorted(s for s, _ in spans)


def test_document_chunks_carry_pages_sections_offsets_and_stable_ids() -> None:
    key = document_key("report_en.pdf", "abc")
    parts = [
        Part(text="Cover page text.", page=1, page_label="i"),
        Part(text=prose(30), page=2, page_label="1", section="I. Introduction",
             headings=((0, "I. Introduction"),)),
        Part(text="End of the introduction. " * 10 + "II. Findings\n" + prose(10), page=3,
             page_label="2", section="I. Introduction", headings=((250, "II. Findings"),)),
    ]
    chunks = chunk_document(parts, key=key, title="Progress report", file="report_en.pdf",
                            language="en", url="https://example.org/report_en.pdf",
                            max_chars=1000, overlap=150, min_chars=500)
    assert [c.id for c in chunks] == [f"{key}-{i:05d}" for i in range(len(chunks))]
    assert chunks[0].page == 1 and chunks[0].page_label == "i" and chunks[0].section is None
    assert {c.page for c in chunks} == {1, 2, 3}
    page_two = [c for c in chunks if c.page == 2]
    assert page_two and all(c.section == "I. Introduction" for c in page_two)
    assert [c.section for c in chunks if c.page == 3][-1] == "II. Findings"
    for chunk in chunks:
        part = parts[chunk.page - 1]  # type: ignore[operator]
        assert part.text[chunk.start:chunk.end] == chunk.text
        assert chunk.document == "Progress report" and chunk.language == "en"
        assert chunk.url == "https://example.org/report_en.pdf"
    again = chunk_document(parts, key=key, title="Progress report", file="report_en.pdf",
                           language="en", url=None, max_chars=1000, overlap=150, min_chars=500)
    assert [c.id for c in again] == [c.id for c in chunks]


def test_document_key_depends_on_file_and_content() -> None:
    assert document_key("a.md", "h1") == document_key("a.md", "h1")
    assert document_key("a.md", "h1") != document_key("b.md", "h1")
    assert document_key("a.md", "h1") != document_key("a.md", "h2")
    assert re.fullmatch(r"[0-9a-f]{16}", document_key("a.md", "h1"))


def test_section_in_force_follows_the_last_heading_before_the_offset() -> None:
    part = Part(text="x" * 100, section="Before", headings=((10, "One"), (50, "Two")))
    assert section_at(part, 5) == "Before"
    assert section_at(part, 10) == "One"
    assert section_at(part, 99) == "Two"


def test_embedding_text_puts_title_and_section_before_the_passage() -> None:
    parts = [Part(text="Seven minutes each.", section="Format")]
    chunk = chunk_document(parts, key="k", title="Concept note", file="n.md", language="en",
                           url=None)[0]
    assert embedding_text(chunk) == "Concept note\nFormat\n\nSeven minutes each."
    assert len(chunk.text) <= MAX_CHARS
