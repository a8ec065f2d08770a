"""Splitting loaded documents into chunks sized for the embedding model (pure functions).

multilingual-e5-small reads at most 512 tokens; 1,400 characters is about 300-400 tokens of
English, French or Spanish, leaving room for the title and section that are embedded with the
text. Chunks end at a paragraph or sentence end when one is in reach, and the next chunk starts
at a sentence start about `overlap` characters earlier, so no sentence is cut when avoidable.
Chunks never span two PDF pages (a citation names one page).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.storage.chunk import Chunk

MAX_CHARS = 1400
MIN_CHARS = 700
OVERLAP = 200
# Bump when splitting or loading changes what goes into the index: every file is re-embedded.
# 2: chunks carry their document key, and file names are read by bot.domain.doc_language.
CHUNKER_VERSION = "2"

_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?…。！？;])[\"'”’»)\]]*\s+")
_NEWLINE = re.compile(r"\n\s*")
_SPACE = re.compile(r"\s+")
# Words after which a period does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "e.g", "i.e", "etc", "mr", "mrs", "ms", "dr", "prof", "no", "nos", "art", "arts", "para",
        "paras", "vol", "p", "pp", "cf", "st", "fig", "al", "approx", "inc", "ltd", "co", "sr",
        "jr", "vs", "res", "rev", "doc", "ibid", "op"
    ]
)


@dataclass(frozen=True)
class Part:
    """A stretch of a document on one page (PDF) or under one heading (Markdown, text)."""

    text: str
    page: int | None = None
    page_label: str | None = None
    section: str | None = None
    # Headings that start inside `text`, as (offset in text, title); PDFs only.
    headings: tuple[tuple[int, str], ...] = ()
    # Offset of `text` in the page (PDF) or in the document's extracted text.
    offset: int = 0


def split_spans(text: str, max_chars: int = MAX_CHARS, overlap: int = OVERLAP,
                min_chars: int = MIN_CHARS) -> list[tuple[int, int]]:
    """(start, end) offsets of chunks covering `text`, trimmed of surrounding whitespace."""
    if max_chars <= 0:
        raise ValueError("max_chars must be positive")
    min_chars = max(1, min(min_chars, max_chars))
    n = len(text)
    spans: list[tuple[int, int]] = []
    start = _skip_space(text, 0)
    while start < n:
        end = n if n - start <= max_chars else _break_at(text, start, max_chars, min_chars)
        s, e = _trim(text, start, end)
        if e > s:
            spans.append((s, e))
        if end >= n:
            break
        start = _skip_space(text, _next_start(text, start, end, overlap))
    return spans


def _break_at(text: str, start: int, max_chars: int, min_chars: int) -> int:
    hi = start + max_chars
    window = text[start:hi + 1]
    # Prefer a paragraph end, then a sentence end, in the upper part of the window; then in a
    # wider part; then a line break or a space; cut mid-word only as a last resort.
    for low in (min_chars, max_chars // 4):
        for pattern in (_PARAGRAPH, _SENTENCE_END):
            cut = _last_break(pattern, text, window, start, low)
            if cut is not None:
                return cut
    for pattern in (_NEWLINE, _SPACE):
        cut = _last_break(pattern, text, window, start, max_chars // 4)
        if cut is not None:
            return cut
    return hi


def _last_break(pattern: re.Pattern[str], text: str, window: str, start: int,
                low: int) -> int | None:
    best = None
    for match in pattern.finditer(window):
        if match.start() < max(low, 1):
            continue
        if pattern is _SENTENCE_END and _is_abbreviation(window, match.start()):
            continue
        best = match.start()
    return None if best is None else start + best


def _is_abbreviation(window: str, end: int) -> bool:
    word = re.search(r"(\w[\w.]*)\W*$", window[max(0, end - 12):end])
    if word is None:
        return False
    token = word.group(1).rstrip(".").casefold()
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def _next_start(text: str, start: int, end: int, overlap: int) -> int:
    if overlap <= 0:
        return end
    low = max(start + 1, end - overlap)
    segment = text[low:end]
    for pattern in (_SENTENCE_END, _NEWLINE):
        for match in pattern.finditer(segment):
            if pattern is _SENTENCE_END and _is_abbreviation(segment, match.start()):
                continue
            if low + match.end() < end:
                return low + match.end()
    return end


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def section_at(part: Part, offset: int) -> str | None:
    """The heading in force at `offset` of a part's text."""
    section = part.section
    for heading_offset, title in part.headings:
        if heading_offset <= offset:
            section = title
    return section


def document_key(file: str, content_hash: str) -> str:
    """The stable prefix of a document's chunk ids (same file and content, same ids)."""
    return hashlib.sha256(f"{file}\0{content_hash}".encode()).hexdigest()[:16]


def chunk_document(parts: Sequence[Part], *, key: str, title: str, file: str,
                   language: str | None, url: str | None, document_key: str | None = None,
                   max_chars: int = MAX_CHARS, overlap: int = OVERLAP,
                   min_chars: int = MIN_CHARS) -> list[Chunk]:
    """Chunks of a document with stable ids `<key>-<position>` and citation metadata;
    `document_key` names the document whatever the language version (doc_language)."""
    chunks: list[Chunk] = []
    for part in parts:
        for start, end in split_spans(part.text, max_chars, overlap, min_chars):
            middle = start + (end - start) // 3
            chunks.append(Chunk(
                id=f"{key}-{len(chunks):05d}", text=part.text[start:end], document=title,
                file=file, page=part.page, page_label=part.page_label,
                section=section_at(part, middle), language=language, url=url,
                start=part.offset + start, end=part.offset + end, document_key=document_key,
            ))
    return chunks


def embedding_text(chunk: Chunk) -> str:
    """What is embedded for a chunk: its title and section give the passage its context."""
    return f"{chunk.heading}\n\n{chunk.text}"
