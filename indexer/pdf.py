"""PDF files with pypdf: text per page, 1-based page numbers, printed page labels, sections.

Sections come from the PDF outline (bookmarks) when it has one, otherwise from heading-like lines
("II. Findings", "A. Digital cooperation", capitals). Encrypted files are opened with the empty
password when that is all they need; files without a text layer are reported as needing OCR.
"""

from __future__ import annotations

import io
import logging
import re
from typing import Any

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

from bot.domain.doc_language import document_language
from indexer.chunking import Part
from indexer.language import guess_language
from indexer.loaders import LoadedDocument, LoadError, SourceHints

log = logging.getLogger(__name__)

_PDF_HEADING = re.compile(r"^(?:[IVXLC]+|[A-Z])\.\s+[A-Z][^.;:!?]{2,80}$")
_WORD_TITLE = re.compile(r"^(microsoft word|untitled|document\d*)\b", re.IGNORECASE)


def load_pdf(data: bytes, name: str, hints: SourceHints) -> LoadedDocument:
    """Read a PDF's pages into parts; raises LoadError with a clear reason."""
    head = data[:1024]
    if b"%PDF-" not in head:
        if head.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
            raise LoadError("not a PDF: the file is a web page (a failed download?)")
        raise LoadError("not a PDF file (no %PDF- header): damaged or mislabelled")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _decrypt(reader)
        count = len(reader.pages)
    except LoadError:
        raise
    except Exception as exc:
        raise LoadError(f"corrupt or unreadable PDF ({_short(exc)})") from None
    if count == 0:
        raise LoadError("the PDF has no pages")
    labels = _labels(reader, count)
    outline = _outline(reader)
    parts: list[Part] = []
    unreadable = 0
    section: str | None = None
    for index in range(count):
        try:
            text = normalise_page_text(reader.pages[index].extract_text() or "")
        except Exception as exc:
            unreadable += 1
            log.warning("%s: page %d cannot be read: %s", name, index + 1, _short(exc))
            continue
        headings = _locate(text, outline.get(index, [])) if outline else _heading_lines(text)
        if text.strip():
            parts.append(Part(text=text, page=index + 1, page_label=labels[index],
                              section=section, headings=headings))
        if headings:
            section = headings[-1][1]
    if not parts:
        if unreadable == count:
            raise LoadError(f"corrupt PDF: none of its {count} pages can be read")
        raise LoadError(f"no text layer in its {count} page(s) (scanned images?): "
                        "it needs OCR before it can be indexed")
    if unreadable:
        log.warning("%s: %d of %d pages could not be read", name, unreadable, count)
    sample = " ".join(p.text for p in parts[:5])
    return LoadedDocument(
        file=name,
        title=hints.title or _metadata_title(reader) or _first_heading(parts) or _stem(name),
        # The fetch record, then the file name, then the PDF's /Lang (often a template's
        # default), then the text.
        language=(document_language(name, hints.language) or _catalog_language(reader)
                  or guess_language(sample)),
        url=hints.url, parts=tuple(parts), pages=count,
    )


def normalise_page_text(text: str) -> str:
    """Join words hyphenated across lines; drop NULs and trailing spaces."""
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"(\w)-\n(?=[a-zà-ÿ])", r"\1", text)
    return re.sub(r"[ \t]+\n", "\n", text)


def _decrypt(reader: PdfReader) -> None:
    try:
        result = reader.decrypt("")
    except DependencyError:
        raise LoadError("encrypted PDF (AES): reading it needs the cryptography package "
                        "(pip install 'pypdf[crypto]')") from None
    except Exception as exc:
        raise LoadError(f"encrypted PDF that cannot be opened ({_short(exc)})") from None
    if result == PasswordType.NOT_DECRYPTED:
        raise LoadError("encrypted PDF protected by a password: ask for an unprotected copy")


def _labels(reader: PdfReader, count: int) -> list[str | None]:
    try:
        labels = list(reader.page_labels)
    except Exception:
        labels = []
    if len(labels) != count:
        return [str(i + 1) for i in range(count)]
    return [str(label) if label else None for label in labels]


def _outline(reader: PdfReader) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}

    def walk(items: Any) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
                continue
            try:
                page = reader.get_destination_page_number(item)
                title = " ".join(str(item.title).split())
            except Exception:
                continue
            if title and page is not None and page >= 0:
                found.setdefault(page, []).append(title)

    try:
        walk(reader.outline)
    except Exception:
        return {}
    return found


def _locate(text: str, titles: list[str]) -> tuple[tuple[int, str], ...]:
    located = []
    for title in titles:
        pattern = r"\s+".join(re.escape(word) for word in title.split())
        match = re.search(pattern, text, re.IGNORECASE)
        located.append((match.start() if match else 0, title))
    return tuple(sorted(located, key=lambda item: item[0]))


def _heading_lines(text: str) -> tuple[tuple[int, str], ...]:
    found = []
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        letters = [ch for ch in stripped if ch.isalpha()]
        capitals = (len(stripped.split()) >= 2 and len(letters) >= 6 and len(stripped) <= 80
                    and all(ch.isupper() for ch in letters))
        if capitals or _PDF_HEADING.match(stripped):
            found.append((offset + line.index(stripped[0]), stripped))
        offset += len(line) + 1
    return tuple(found)


def _metadata_title(reader: PdfReader) -> str | None:
    try:
        title = reader.metadata.title if reader.metadata else None
    except Exception:
        return None
    title = " ".join(str(title or "").split())
    if len(title) < 4 or _WORD_TITLE.match(title) or re.search(r"\.(docx?|pdf|indd)$", title,
                                                                 re.IGNORECASE):
        return None
    return title[:200]


def _first_heading(parts: list[Part]) -> str | None:
    first = parts[0]
    if first.headings:
        return first.headings[0][1]
    for line in first.text.splitlines():
        line = line.strip()
        if len(line) >= 8:
            return line[:150]
    return None


def _catalog_language(reader: PdfReader) -> str | None:
    try:
        root: Any = reader.trailer["/Root"]
        lang = str(root.get("/Lang", "") or "")
    except Exception:
        return None
    code = lang.split("-")[0].lower()
    return code if code in ("en", "fr", "es", "ar", "ru", "zh") else None


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


def _stem(name: str) -> str:
    return name.rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("_", " ")
