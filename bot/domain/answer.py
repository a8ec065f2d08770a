"""An answer to a delegate's question, and its rendering as plain text or Telegram HTML.

The bot's own words (`paragraphs`) are already in the user's language; `quotes` are verbatim
text from the sources and are never translated.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from bot.domain.question_kind import QuestionKind

Gettext = Callable[[str], str]


class AbstainReason(StrEnum):
    """Why the assistant declined to answer (logged, and shown to organisers in /unanswered)."""

    SMALL_TALK = "small_talk"  # nothing was asked (a greeting, a thank-you, an empty message)
    EMPTY_INDEX = "empty_index"  # no documents are indexed
    MISSING_KIND = "missing_kind"  # asks for a kind of thing (a name, a link, a number...) the
    #                                best passages do not hold
    UNKNOWN_NAME = "unknown_name"  # names something (an event, an organisation, a product, a
    #                                place) that no indexed document mentions
    NOT_CLOSE = "not_close"  # nothing retrieved is close to the question
    DOCUMENT_NOT_INDEXED = "document_not_indexed"  # asks what a listed document says, and only
    #                                                its reference (symbol, link) is indexed
    NO_RULE = "no_rule"  # a speaking rule that neither the configuration nor the documents set
    NO_SCHEDULE = "no_schedule"  # no agenda is configured


@dataclass(frozen=True)
class Source:
    """Where a quotation comes from."""

    document: str
    page: int | None = None
    section: str | None = None
    snippet: str = ""
    url: str | None = None

    def label(self, _: Gettext) -> str:
        """'Concept note, p. 2, Background' in the user's language."""
        parts = [self.document]
        if self.page is not None:
            parts.append(_("p. {page}").format(page=self.page))
        if self.section:
            parts.append(self.section)
        return ", ".join(parts)


@dataclass(frozen=True)
class Answer:
    """What the assistant replies, with how it got there."""

    question: str
    kind: QuestionKind
    language: str
    paragraphs: tuple[str, ...]
    quotes: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    abstained: bool = False
    generated: bool = False  # an LLM wrote the paragraphs (from the quoted sources)
    reason: AbstainReason | None = None  # set when abstained: why
    reason_detail: str = ""  # what the reason is about ("Teams", "a person's name"), if known
    details: dict[str, Any] = field(default_factory=dict, compare=False)

    def sources_json(self) -> list[dict[str, Any]]:
        """Sources as plain dicts (for --json output)."""
        return [asdict(s) for s in self.sources]


def render_plain(answer: Answer, _: Gettext) -> str:
    """The answer as plain text (terminal, JSON lines)."""
    blocks = list(answer.paragraphs)
    blocks.extend(f"“{quote}”" for quote in answer.quotes)
    if answer.sources:
        lines = [_("Sources:")]
        for number, source in enumerate(answer.sources, start=1):
            line = f"[{number}] {source.label(_)}"
            if source.url:
                line += f" — {source.url}"
            lines.append(line)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def render_html(answer: Answer, _: Gettext) -> str:
    """The answer as Telegram HTML; every dynamic string is escaped."""
    def esc(text: str) -> str:
        return html.escape(text, quote=False)

    blocks = [esc(p) for p in answer.paragraphs]
    blocks.extend(f"<blockquote>{esc(quote)}</blockquote>" for quote in answer.quotes)
    if answer.sources:
        lines = [f"<b>{esc(_('Sources:'))}</b>"]
        for number, source in enumerate(answer.sources, start=1):
            label = esc(source.label(_))
            if source.url:
                label = f'<a href="{html.escape(source.url, quote=True)}">{label}</a>'
            lines.append(f"[{number}] {label}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
