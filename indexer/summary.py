"""The result of an index run: counts, failures with reasons, the documents and their language
versions, and how it is printed."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.domain.doc_language import FALLBACK_LANGUAGE, UN_LANGUAGES


@dataclass(frozen=True)
class Failure:
    """A file that could not be indexed, and why."""

    file: str
    error: str


@dataclass(frozen=True)
class DocumentVersions:
    """One document of the index and the files of its language versions."""

    key: str
    title: str
    files: tuple[tuple[str, str | None], ...]  # (file, language or None), by file name

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages it exists in, in UN order (unknown ones left out)."""
        found = {language for _, language in self.files if language}
        return (tuple(lang for lang in UN_LANGUAGES if lang in found)
                + tuple(sorted(found - set(UN_LANGUAGES))))

    def as_dict(self) -> dict[str, Any]:
        """Its JSON shape."""
        return {"key": self.key, "title": self.title, "languages": list(self.languages),
                "files": [{"file": f, "language": lang} for f, lang in self.files]}


def group_versions(files: Iterable[tuple[str, str, str, str | None]]) -> list[DocumentVersions]:
    """Documents from (file, key, title, language) of indexed files, sorted by key; a
    document's title is its English version's, else its first file's."""
    grouped: dict[str, list[tuple[str, str, str | None]]] = {}  # key -> (file, title, lang)
    for file, key, title, language in sorted(files, key=lambda row: row[0]):
        grouped.setdefault(key, []).append((file, title, language))
    documents = []
    for key in sorted(grouped):
        versions = grouped[key]
        english = [title for _, title, language in versions if language == FALLBACK_LANGUAGE]
        documents.append(DocumentVersions(
            key, english[0] if english else versions[0][1],
            tuple((file, language) for file, _, language in versions)))
    return documents


@dataclass
class IndexSummary:
    """What a run did. `documents`, `pages` and `chunks` describe the index after the run."""

    documents: int = 0
    pages: int = 0
    chunks: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    embedded: int = 0  # chunks embedded by this run (0 when nothing changed)
    embedded_sentences: int = 0  # distinct sentence texts embedded (the others were reused)
    embedded_names: int = 0  # distinct name texts embedded
    generation: int | None = None
    notes: list[str] = field(default_factory=list)  # e.g. what --fetch did
    versions: list[DocumentVersions] = field(default_factory=list)  # the indexed documents

    @property
    def indexed_anything(self) -> bool:
        """The index holds at least one document (the CLI exits 1 otherwise)."""
        return self.documents > 0

    def as_dict(self) -> dict[str, Any]:
        """The documented JSON shape of `python -m indexer --json`."""
        return {
            "documents": self.documents, "chunks": self.chunks, "added": self.added,
            "updated": self.updated, "unchanged": self.unchanged, "removed": self.removed,
            "failed": [{"file": f.file, "error": f.error} for f in self.failed],
            "seconds": round(self.seconds, 3),
            "versions": [document.as_dict() for document in self.versions],
        }

    def to_json(self) -> str:
        """One JSON object on one line."""
        return json.dumps(self.as_dict(), ensure_ascii=False)


def render_table(summary: IndexSummary) -> str:
    """The end-of-run table for a terminal (plain text, no colours)."""
    rows = [
        ("documents", str(summary.documents)), ("pages", str(summary.pages)),
        ("chunks", str(summary.chunks)), ("added", str(summary.added)),
        ("updated", str(summary.updated)), ("unchanged", str(summary.unchanged)),
        ("removed", str(summary.removed)), ("failed", str(len(summary.failed))),
        ("embedded", str(summary.embedded)),
        ("embedded sentences", str(summary.embedded_sentences)),
        ("embedded names", str(summary.embedded_names)), ("seconds", f"{summary.seconds:.2f}"),
    ]
    width = max(len(label) for label, _ in rows)
    value_width = max(len(value) for _, value in rows)
    rule = f"+-{'-' * width}-+-{'-' * value_width}-+"
    lines = [rule]
    lines += [f"| {label:<{width}} | {value:>{value_width}} |" for label, value in rows]
    lines.append(rule)
    for document in summary.versions:
        languages = ", ".join(document.languages) or "language unknown"
        lines.append(f"document: {document.title} ({document.key}): {languages}")
    for failure in summary.failed:
        lines.append(f"failed: {failure.file}: {failure.error}")
    lines.extend(summary.notes)
    return "\n".join(lines)
