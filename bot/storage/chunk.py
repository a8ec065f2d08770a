"""A passage of a knowledge document with what a citation needs (re-exported by knowledge).

Kept apart from `bot.storage.knowledge` so that the pure chunking code and the Chroma adapter
can use it without importing the store.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Chunk:
    """A passage of a knowledge document with what a citation needs.

    `start`/`end` are character offsets in the extracted text of the chunk's page (PDFs) or of
    the whole file (Markdown and text); `page` is 1-based, `page_label` the printed label.
    `document_key` is the same for every language version of one document (`a78d62_en.pdf`
    and `a78d62_fr.pdf` are both `a78d62`; see `bot.domain.doc_language`), `language` the
    version's language.
    """

    id: str
    text: str
    document: str
    file: str
    page: int | None = None
    page_label: str | None = None
    section: str | None = None
    language: str | None = None
    url: str | None = None
    start: int = 0
    end: int = 0
    document_key: str | None = None

    @property
    def heading(self) -> str:
        """The document title and section heading, as indexed beside the text."""
        return f"{self.document}\n{self.section}" if self.section else self.document

    def metadata(self) -> dict[str, str | int]:
        """Chroma metadata (Chroma rejects None values, so absent fields are left out)."""
        fields: dict[str, str | int | None] = {
            "document": self.document, "file": self.file, "page": self.page,
            "page_label": self.page_label, "section": self.section, "language": self.language,
            "url": self.url, "start": self.start, "end": self.end,
            "document_key": self.document_key,
        }
        return {key: value for key, value in fields.items() if value is not None}

    @classmethod
    def from_metadata(cls, chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
        """Rebuild a chunk from what Chroma returns."""
        page = meta.get("page")
        return cls(
            id=chunk_id, text=text, document=str(meta.get("document", "")),
            file=str(meta.get("file", "")), page=int(page) if page is not None else None,
            page_label=_opt(meta.get("page_label")), section=_opt(meta.get("section")),
            language=_opt(meta.get("language")), url=_opt(meta.get("url")),
            start=int(meta.get("start", 0)), end=int(meta.get("end", 0)),
            document_key=_opt(meta.get("document_key")),
        )

    def lexical_row(self) -> tuple[Any, ...]:
        """The row stored in the FTS5 table (lexical.COLUMNS order)."""
        return (self.text, self.heading, self.id, self.file, self.document, self.page,
                self.page_label, self.section, self.language, self.url, self.start, self.end,
                self.document_key)

    @classmethod
    def from_lexical_row(cls, row: sqlite3.Row) -> Chunk:
        """Rebuild a chunk from an FTS5 row."""
        page = row["page"]
        return cls(
            id=row["chunk_id"], text=row["text"], document=row["document"], file=row["file"],
            page=int(page) if page is not None else None, page_label=row["page_label"],
            section=row["section"], language=row["language"], url=row["url"],
            start=int(row["char_start"]), end=int(row["char_end"]),
            document_key=row["document_key"],
        )


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)
