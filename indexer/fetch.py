"""`--fetch`: download the documents the concept note links (and [knowledge].sources).

Downloads go into the knowledge folder with a timeout, are written atomically, and are checked
(a PDF link that returns a web page is refused). What is known about each download (URL, title
from the concept note, ETag, Last-Modified) is kept in `<knowledge>/.sources.json`, so the next
fetch sends a conditional request and the indexer can cite the source URL. Offline, the message
says so and the files already there are indexed as they are.
"""

from __future__ import annotations

import json
import os
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indexer.loaders import SUPPORTED_SUFFIXES, SourceHints, clean_markdown

RECORDS_FILE = ".sources.json"
MAX_BYTES = 200 * 1024 * 1024
USER_AGENT = "panel-assistant-indexer/0.1 (+python-urllib)"
_CONTENT_TYPES = {"application/pdf": ".pdf", "text/markdown": ".md", "text/plain": ".txt"}
_LINK = re.compile(r"\[([^\]]*)\]\((https?://[^)\s]+)\)|<(https?://[^>\s]+)>")


@dataclass(frozen=True)
class Source:
    """A URL to download, with the title the concept note gives it."""

    url: str
    title: str | None = None


@dataclass(frozen=True)
class FetchResult:
    """What happened to one URL: downloaded, unchanged, skipped or failed."""

    url: str
    status: str
    message: str
    file: str | None = None
    offline: bool = False


def linked_documents(markdown: str) -> list[Source]:
    """Links to documents (PDF, Markdown, text) in a Markdown text, titled by their line."""
    found: list[Source] = []
    for line in markdown.splitlines():
        for match in _LINK.finditer(line):
            url = match.group(2) or match.group(3)
            if Path(urllib.parse.urlparse(url).path).suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            label = clean_markdown(match.group(1) or "").replace("\\", "").strip()
            title = label if label and label != url else _line_title(line, match)
            if all(s.url != url for s in found):
                found.append(Source(url=url, title=title or None))
    return found


def _line_title(line: str, match: re.Match[str]) -> str:
    before = clean_markdown(line[:match.start()]).strip(" \t-*+>")
    before = re.sub(r"[,;:]?\s*(available at|see|at)\s*:?\s*$", "", before, flags=re.IGNORECASE)
    return before.strip(" ,;:")[:300]


def sources_to_fetch(knowledge_dir: Path, extra_urls: Sequence[str]) -> list[Source]:
    """Documents linked from the Markdown files of the folder, then the configured URLs."""
    sources: list[Source] = []
    for path in sorted(knowledge_dir.glob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        sources += [s for s in linked_documents(text) if all(s.url != o.url for o in sources)]
    sources += [Source(url=u) for u in extra_urls if all(u != o.url for o in sources)]
    return sources


def read_records(knowledge_dir: Path) -> dict[str, dict[str, Any]]:
    """The download records, by file name (empty when there are none or they are unreadable)."""
    try:
        data = json.loads((knowledge_dir / RECORDS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, dict)}


def read_hints(knowledge_dir: Path) -> dict[str, SourceHints]:
    """Title and URL of downloaded files, for the loader."""
    return {name: SourceHints(title=r.get("title") or None, url=r.get("url") or None,
                              language=r.get("language") or None)
            for name, r in read_records(knowledge_dir).items()}


def fetch_all(knowledge_dir: Path, sources: Iterable[Source], *,
              timeout: float = 20.0) -> list[FetchResult]:
    """Download each source into the folder (conditionally when fetched before)."""
    records = read_records(knowledge_dir)
    results = []
    for source in sources:
        result = fetch_one(knowledge_dir, source, records, timeout=timeout)
        results.append(result)
        if result.status == "downloaded":
            _write_records(knowledge_dir, records)
    return results


def fetch_one(knowledge_dir: Path, source: Source, records: dict[str, dict[str, Any]], *,
              timeout: float) -> FetchResult:
    """Download one URL; updates `records` when a file is written."""
    known = next((name for name, r in records.items() if r.get("url") == source.url), None)
    headers = {"User-Agent": USER_AGENT,
               "Accept": "application/pdf, text/markdown, text/plain;q=0.9, */*;q=0.1"}
    if known and (knowledge_dir / known).is_file():
        record = records[known]
        if record.get("etag"):
            headers["If-None-Match"] = record["etag"]
        if record.get("last_modified"):
            headers["If-Modified-Since"] = record["last_modified"]
    request = urllib.request.Request(source.url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            content_type = response.headers.get_content_type()
            name = known or _file_name(source.url, content_type, records)
            if name is None:
                return FetchResult(source.url, "skipped", f"{source.url}: a web page "
                                   f"({content_type}), not a document; skipped")
            _save(response, knowledge_dir / name)
            records[name] = {
                "url": source.url, "title": source.title or records.get(name, {}).get("title"),
                "etag": response.headers.get("ETag"),
                "last_modified": response.headers.get("Last-Modified"),
            }
            return FetchResult(source.url, "downloaded", f"downloaded {name}", file=name)
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return FetchResult(source.url, "unchanged", f"{known}: unchanged", file=known)
        return FetchResult(source.url, "failed", f"{source.url}: HTTP {exc.code} {exc.reason}")
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        host = urllib.parse.urlparse(source.url).netloc
        kept = f"kept {known}" if known else "no copy yet"
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError | socket.timeout):
            why = f"no answer within {timeout:g} s"
        else:
            why = " ".join(str(reason).split())
        return FetchResult(source.url, "failed", f"cannot reach {host} (offline? {why}); {kept}",
                           file=known, offline=True)
    except _NotADocument as exc:
        return FetchResult(source.url, "failed", f"{source.url}: {exc}")


class _NotADocument(Exception):
    pass


def _file_name(url: str, content_type: str, records: dict[str, dict[str, Any]]) -> str | None:
    raw = urllib.parse.unquote(Path(urllib.parse.urlparse(url).path).name)
    stem, suffix = os.path.splitext(re.sub(r"[^\w.\-]+", "_", raw).strip("._"))
    if suffix.lower() not in SUPPORTED_SUFFIXES:
        suffix = _CONTENT_TYPES.get(content_type, "")
        if not suffix:
            return None
        stem = stem or "document"
    name, n = f"{stem}{suffix}", 2
    # A file of that name put there by hand is replaced; another URL's download is not.
    while name in records and records[name].get("url") != url:
        name, n = f"{stem}-{n}{suffix}", n + 1
    return name


def _save(response: Any, target: Path) -> None:
    partial = target.with_name(f".{target.name}.part")
    size = 0
    try:
        with partial.open("wb") as out:
            while block := response.read(1 << 16):
                size += len(block)
                if size > MAX_BYTES:
                    raise _NotADocument(f"larger than {MAX_BYTES // (1024 * 1024)} MB; skipped")
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
        with partial.open("rb") as check:
            head = check.read(1024)
        if target.suffix.lower() == ".pdf" and b"%PDF-" not in head:
            raise _NotADocument("the server did not send a PDF (a web page or an error page?)")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _write_records(knowledge_dir: Path, records: dict[str, dict[str, Any]]) -> None:
    path = knowledge_dir / RECORDS_FILE
    partial = path.with_name(path.name + ".part")
    partial.write_text(json.dumps(records, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(partial, path)
