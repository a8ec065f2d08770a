"""Extractive answers: clean passages (Markdown, HTML) into plain text and split them into
sentences. Pure functions over strings; nothing here reads files or calls a model.
"""

from __future__ import annotations

import html
import re

from bot.domain.languages.data import fold, words
from bot.domain.question_cues import sentence_enders

_MD_LINK = re.compile(r"\[([^\]]*)\]\((\S+?)\)")
_ANGLE_URL = re.compile(r"<(https?://[^>\s]+)>")
# "label-that-is-a-url (url)": keep the real link only.
_URL_TWICE = re.compile(r"(?:https?://|www\.)\S+ \(((?:https?://|www\.)[^)\s]+)\)")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_ESCAPE = re.compile(r"\\+([\\`*_{}\[\]()#+\-.!|])")
_EMPHASIS = re.compile(r"(\*\*|__|\*(?=\S)|(?<=\S)\*)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*", re.MULTILINE)
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+", re.MULTILINE)
_SPACES = re.compile(r"[ \t\u00a0]+")
# A sentence ends at . ! ? (or …, ؟, ۔) followed by space and an upper-case letter (Latin or
# Cyrillic), a letter of a script without case (Arabic, Chinese), a digit or a quote; or at
# 。！？, which need no space after them.
_CAPITAL = "A-ZÀ-Ý0-9А-ЯЁ\u0600-\u06ff\u3400-\u9fff"
_BOUNDARY = re.compile(
    rf"(?<=[{re.escape(sentence_enders(True))}])[\"”’)]?\s+(?=[\"“‘(¿¡«]?[{_CAPITAL}])"
    rf"|(?<=[{re.escape(sentence_enders(False))}])[”’」』）)]?\s*(?=\S)")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "Mr.", "Ms.", "Mrs.", "Dr.", "Prof.", "No.", "St.",
                  "H.E.", "cf.", "vs.", "Sr.", "Sra.", "M.", "Mme.", "p.", "pp.", "Art.")


def clean_text(text: str) -> str:
    """Markdown/HTML source text -> readable plain text (idempotent on plain text)."""
    text = html.unescape(text)

    def link(match: re.Match[str]) -> str:
        label, url = _ESCAPE.sub(r"\1", match.group(1)).strip(), match.group(2)
        return url if not label or label == url or label.startswith("http") else f"{label} ({url})"

    text = _MD_LINK.sub(link, text)
    text = _ANGLE_URL.sub(r"\1", text)
    text = _URL_TWICE.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _ESCAPE.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    text = _HEADING.sub("", text)
    text = _BULLET.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines)


def split_sentences(text: str) -> list[str]:
    """Sentences of a cleaned passage. Lines stay apart (headings, bullets, header lines),
    except a line broken in the middle of a sentence (a PDF's wrapped line, a title over two
    lines), which joins the next one."""
    sentences: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        for line in _joined_lines(block.split("\n")):
            line = line.strip()
            if not line:
                continue
            start = 0
            for match in _BOUNDARY.finditer(line):
                piece = line[start:match.start()].strip()
                if piece.endswith(_ABBREVIATIONS):
                    continue
                if piece:
                    sentences.append(piece)
                start = match.end()
            tail = line[start:].strip()
            if tail:
                sentences.append(tail)
    return sentences


# A line that stops where no sentence or heading does, and the start of a line that goes on.
_OPEN_END = re.compile(r"(?:\b(?:of|the|and|or|to|for|in|on|at|by|with|a|an|de|des|du|la|le|"
                       r"les|el|los|las|del|y|et|en|que)|[,(“‘-])$", re.IGNORECASE)
_GOES_ON = re.compile(r"^[a-zà-ÿ(“‘\"]")


_LINE_END = (".", "!", "?", ":", ";", "。", "！", "？", "؟")


def _joined_lines(lines: list[str]) -> list[str]:
    joined: list[str] = []
    for raw in lines:
        line = raw.strip()
        if joined and line and joined[-1] and not joined[-1].endswith(_LINE_END) \
                and (_OPEN_END.search(joined[-1]) or _GOES_ON.match(line)):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


__all__ = ["clean_text", "fold", "split_sentences", "words"]
