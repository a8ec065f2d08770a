"""Reading knowledge files (PDF, Markdown, plain text) into titled, sectioned parts.

Every problem becomes a `LoadError` whose text says what is wrong with the file and what to do,
in one line; the run reports it and goes on with the other files. PDFs are read in
`indexer.pdf`; Markdown and text are split at their headings here.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.domain.doc_language import document_language, normalise_language
from indexer.chunking import Part
from indexer.language import guess_language

PDF_SUFFIXES = (".pdf",)
MARKDOWN_SUFFIXES = (".md", ".markdown")
TEXT_SUFFIXES = (".txt", ".text")
SUPPORTED_SUFFIXES = PDF_SUFFIXES + MARKDOWN_SUFFIXES + TEXT_SUFFIXES


class LoadError(Exception):
    """A file that cannot be indexed; the text is the reason, for the run summary."""


@dataclass(frozen=True)
class SourceHints:
    """What is known about a file from elsewhere (fetch records, front matter)."""

    title: str | None = None
    url: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class LoadedDocument:
    """A readable document: its parts in order and what citations need."""

    file: str
    title: str
    language: str | None
    url: str | None
    parts: tuple[Part, ...]
    pages: int = 0


def load_document(path: Path, name: str, hints: SourceHints = SourceHints()) -> LoadedDocument:
    """Read one knowledge file; raises LoadError with a clear reason."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        kind = suffix or "without an extension"
        raise LoadError(f"unsupported file type {kind} (supported: "
                        f"{', '.join(SUPPORTED_SUFFIXES)})")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"cannot read the file: {exc.strerror or exc}") from None
    if not data.strip():
        raise LoadError("the file is empty")
    if suffix in PDF_SUFFIXES:
        from indexer.pdf import load_pdf

        return load_pdf(data, name, hints)
    text = decode_text(data)
    if suffix in MARKDOWN_SUFFIXES:
        return _load_markdown(text, name, hints)
    return _load_plain(text, name, hints)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) or BOM-marked UTF-16; anything else is refused."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise LoadError("not valid UTF-16 text despite its byte-order mark") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}); "
            "save it as UTF-8 and run the indexer again") from None
    if "\x00" in text:
        raise LoadError("looks like a binary file, not text")
    return text


# --- Markdown ---------------------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.DOTALL)
_ATX = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_BOLD_LINE = re.compile(r"^(?:\*\*|__)([^*_\n]{1,120}?)(?:\*\*|__)[ \t]*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.DOTALL)
_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=[^\s*_])(.+?)(?<=[^\s*_\\])\1(?![\w*])", re.DOTALL)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")


def _load_markdown(text: str, name: str, hints: SourceHints) -> LoadedDocument:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta: dict[str, str] = {}
    front = _FRONT_MATTER.match(text)
    if front:
        for line in front.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep:
                meta[key.strip().lower()] = value.strip().strip("\"'")
        text = text[front.end():]
    sections: list[tuple[str | None, list[str]]] = [(None, [])]
    path: list[tuple[int, str]] = []
    first_heading: str | None = None
    for line in text.split("\n"):
        atx = _ATX.match(line)
        bold = None if atx else _BOLD_LINE.match(line.strip())
        if atx or bold:
            level = len(atx.group(1)) if atx else 7
            title = clean_markdown(atx.group(2) if atx else bold.group(1)).strip()  # type: ignore[union-attr]
            if title:
                first_heading = first_heading or (title if level == 1 else None)
                path = [(lvl, t) for lvl, t in path if lvl < level] + [(level, title)]
                sections.append((" > ".join(t for _, t in path), []))
                continue
        sections[-1][1].append(line)
    parts = _parts_from_sections(
        (heading, clean_markdown("\n".join(lines))) for heading, lines in sections)
    if not parts:
        raise LoadError("the file has no text")
    title = (hints.title or meta.get("title") or first_heading
             or _first_line(parts[0].text) or _stem(name))
    body = " ".join(p.text for p in parts[:20])
    # The fetch record, then the front matter, then the file name, then the text.
    language = (normalise_language(hints.language)
                or document_language(name, meta.get("language") or meta.get("lang"))
                or guess_language(body))
    return LoadedDocument(file=name, title=title, language=language,
                          url=hints.url or meta.get("url") or meta.get("source"),
                          parts=tuple(parts))


def clean_markdown(text: str) -> str:
    """Markdown to readable plain text: links keep their text (and URL), markup goes."""
    def link(match: re.Match[str]) -> str:
        label, target = clean_markdown(match.group(1)).strip(), match.group(2)
        if not label or label.replace("\\", "") == target:
            return target
        return f"{label} ({target})"

    text = _LINK.sub(link, text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = _ESCAPE.sub(r"\1", text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text)


# --- plain text --------------------------------------------------------------------------------

_NUMBERED = re.compile(r"^(?:\d+(?:\.\d+)*|[IVXLC]+|[A-Z])[.)]?\s+\S")


def _load_plain(text: str, name: str, hints: SourceHints) -> LoadedDocument:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    sections: list[tuple[str | None, list[str]]] = [(None, [])]
    skip = False
    for i, line in enumerate(lines):
        if skip:
            skip = False
            continue
        before = lines[i - 1].strip() if i else ""
        after = lines[i + 1].strip() if i + 1 < len(lines) else ""
        underlined = bool(line.strip()) and bool(re.fullmatch(r"(=+|-+)", after)) and len(after) > 2
        if underlined or (not before and not after and is_heading_line(line)):
            sections.append((line.strip(), []))
            skip = underlined
            continue
        sections[-1][1].append(line)
    parts = _parts_from_sections((h, "\n".join(body)) for h, body in sections)
    if not parts:
        raise LoadError("the file has no text")
    title = hints.title or _first_line(parts[0].text if parts[0].section is None
                                       else parts[0].section or "") or _stem(name)
    body = " ".join(p.text for p in parts[:20])
    language = document_language(name, hints.language) or guess_language(body)
    return LoadedDocument(file=name, title=title, language=language, url=hints.url,
                          parts=tuple(parts))


def is_heading_line(line: str) -> bool:
    """A short line that looks like a heading: numbered (`II. Findings`) or in capitals."""
    stripped = line.strip()
    if not 2 < len(stripped) <= 90 or stripped[-1] in ".,;:!?":
        return False
    letters = [ch for ch in stripped if ch.isalpha()]
    if len(letters) >= 3 and all(ch.isupper() for ch in letters):
        return True
    return bool(_NUMBERED.match(stripped)) and len(stripped.split()) <= 12


# --- shared ------------------------------------------------------------------------------------

def _parts_from_sections(sections: Iterable[tuple[str | None, str]]) -> list[Part]:
    """Parts with offsets in the document's extracted text (sections joined by blank lines)."""
    parts: list[Part] = []
    offset = 0
    for heading, body in sections:
        stripped = body.strip()
        if not stripped:
            continue
        parts.append(Part(text=stripped, section=heading, offset=offset))
        offset += len(stripped) + 2
    return parts


def _first_line(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip(" \t#*-")
        if line:
            return line[:150]
    return None


def _stem(name: str) -> str:
    return name.rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("_", " ")
