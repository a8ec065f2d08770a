"""Telegram text helpers: splitting long messages on paragraph boundaries."""

from __future__ import annotations

TELEGRAM_LIMIT = 4096


def split_message(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split text into parts of at most `limit` characters.

    Cuts at paragraph breaks first, then line breaks, then spaces, and only as a last resort
    inside a word. Parts are never empty; joining them (with the cut whitespace) gives the text.
    """
    if limit <= 0:
        raise ValueError("limit must be positive")
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = -1
        for sep in ("\n\n", "\n", " "):
            position = window.rfind(sep)
            if position > 0:
                cut = position
                break
        if cut <= 0:
            parts.append(window)
            rest = rest[limit:]
            continue
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest.strip() or not parts:
        parts.append(rest)
    return [p for p in parts if p] or [""]


def truncate(text: str, limit: int) -> str:
    """Shorten text to at most `limit` characters, ending with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)].rstrip() + "…"
