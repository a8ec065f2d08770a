"""Right-to-left messages that keep their left-to-right pieces readable.

An Arabic message embeds times (15:00–17:30), numbers, links, /commands, @usernames and Latin
names. Laid out right to left without help, a range such as 15:00–17:30 reads 17:30–15:00, and
"Ana Silva" becomes "Silva Ana". `isolate_ltr` wraps each left-to-right run in the Unicode
isolates LRI (U+2066) ... PDI (U+2069): inside, the run keeps its own order; outside, it counts
as one neutral character, so it also never flips the direction of the paragraph around it.

The input is Telegram HTML. Tags and entity references are never cut: isolates go only between
characters of text (a run may cross a tag such as <b>, because the bidi algorithm works on the
text Telegram extracts, without the tags). Text already inside isolates is left alone, so the
function is idempotent.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

LRI = "\u2066"
PDI = "\u2069"
_OPENERS = {"\u2066", "\u2067", "\u2068"}  # LRI, RLI, FSI

# What continues a run between two left-to-right characters: spaces and punctuation, not a
# right-to-left letter, an Arabic-Indic digit, a line break or another isolate.
_CONTINUES = {"L", "EN", "ES", "ET", "CS", "NSM", "BN", "WS", "ON", "S"}
# Arabic punctuation is classed neutral but belongs to the Arabic sentence: a list of Latin
# names separated by "،" is an Arabic list.
_ARABIC_PUNCTUATION = set("\u060c\u061b\u061f\u06d4")
_BRACKETS = {")": "(", "]": "[", "}": "{"}

_MARKUP = re.compile(r"<[^>]*>|&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
# Tokens that start with a neutral character, or end with one, and still belong to the run.
_TOKEN = re.compile(
    r"(?:https?://|www\.)[^\s<>\"\u2066-\u2069]*[^\s<>\"\u2066-\u2069.,;:!?)\]»”’'\u060c\u061b]"
    r"|(?<![\w/])/[A-Za-z]\w*(?:@\w+)?"
    r"|(?<!\w)@\w+"
    r"|[#+](?=\d)"
    r"|(?<![\w.])\.(?=[A-Za-z])"  # a file extension such as .ics
)


@dataclass(frozen=True)
class _Char:
    """One character of the text, and the slice of the HTML it comes from."""

    char: str
    start: int
    end: int


def isolate_ltr(text: str) -> str:
    """Wrap every left-to-right run of an RTL HTML message in LRI ... PDI."""
    chars = _text_chars(text)
    plain = "".join(c.char for c in chars)
    opaque = _already_isolated(plain)
    inserts: list[tuple[int, str]] = []
    i = 0
    while i < len(plain):
        end = _run_end(plain, opaque, i)
        if end is None:
            i += 1
            continue
        inserts += [(chars[i].start, LRI), (chars[end - 1].end, PDI)]
        i = end
    out: list[str] = []
    last = 0
    for position, mark in inserts:
        out += [text[last:position], mark]
        last = position
    out.append(text[last:])
    return "".join(out)


def _text_chars(text: str) -> list[_Char]:
    """The characters Telegram shows (entities decoded), skipping tags."""
    chars: list[_Char] = []
    last = 0
    for match in _MARKUP.finditer(text):
        chars += [_Char(ch, k, k + 1) for k, ch in enumerate(text[last:match.start()], last)]
        if match.group().startswith("&"):
            decoded = html.unescape(match.group())
            chars += [_Char(ch, match.start(), match.end()) for ch in decoded[:1]]
        last = match.end()
    chars += [_Char(ch, k, k + 1) for k, ch in enumerate(text[last:], last)]
    return chars


def _already_isolated(plain: str) -> list[bool]:
    """True for isolate marks and everything between an opener and its PDI."""
    opaque: list[bool] = []
    depth = 0
    for ch in plain:
        if ch in _OPENERS:
            depth += 1
        opaque.append(depth > 0 or ch == PDI)
        if ch == PDI and depth:
            depth -= 1
        elif ch in "\n\r\u2029":  # a paragraph end closes every isolate
            depth = 0
    return opaque


def _direction(ch: str) -> str:
    return "ON" if ch in _ARABIC_PUNCTUATION else unicodedata.bidirectional(ch)


def _run_end(plain: str, opaque: list[bool], start: int) -> int | None:
    """The end of the left-to-right run starting at `start`, or None if none starts there."""
    if opaque[start] or _direction(plain[start]) not in {"L", "EN"} and not (
            _TOKEN.match(plain, start)):
        return None
    end = start
    i = start
    while i < len(plain) and not opaque[i]:
        if plain[i] in _ARABIC_PUNCTUATION:
            break
        token = _TOKEN.match(plain, i)
        if token and (i == start or token.group()[0] not in "#+."):
            i = end = token.end()
            continue
        kind = _direction(plain[i])
        if kind not in _CONTINUES or _unopened(plain, start, i):
            break
        if kind in {"L", "EN"} or (kind == "ET" and _direction(plain[i - 1]) == "EN"):
            end = i + 1  # a strong character, or % after a number
        i += 1
    return _close_brackets(plain, opaque, start, end)


def _unopened(plain: str, start: int, i: int) -> bool:
    """True when plain[i] closes a bracket opened before the run (it belongs outside)."""
    opener = _BRACKETS.get(plain[i])
    return opener is not None and plain.count(opener, start, i) <= plain.count(plain[i], start, i)


def _close_brackets(plain: str, opaque: list[bool], start: int, end: int) -> int:
    """Take in the closing brackets whose opening bracket is inside the run."""
    run = plain[start:end]
    while end < len(plain) and not opaque[end] and plain[end] in _BRACKETS:
        opener = _BRACKETS[plain[end]]
        if run.count(opener) <= run.count(plain[end]):
            break
        run += plain[end]
        end += 1
    return end
