"""`python -m bot ask "question" [--json] [--lang fr] [--tz America/New_York]`.

With a question: prints the answer (or one JSON object with --json). Without one: reads one
question per line from standard input and writes one JSON object per line. The model and the
index load once.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.cli.loading import CliError, load_service
from bot.domain.answer import Answer, render_plain
from bot.i18n import LANGUAGES
from bot.services.answering import AnswerService


def parser() -> argparse.ArgumentParser:
    """The command line of `ask`."""
    p = argparse.ArgumentParser(prog="python -m bot ask",
                                description="Answer questions about the meeting.")
    p.add_argument("question", nargs="*", help="the question (omit to read lines from stdin)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--lang", choices=LANGUAGES, default=None,
                   help="the user's language when the question's own is unclear")
    p.add_argument("--tz", default=None, help="the user's time zone, e.g. America/New_York")
    return p


def run(argv: list[str], stdin: TextIO | None = None, stdout: TextIO | None = None,
        stderr: TextIO | None = None) -> int:
    """Run `ask`; returns the exit status."""
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    args = parser().parse_args(argv)
    if args.tz:
        try:
            ZoneInfo(args.tz)
        except (ZoneInfoNotFoundError, ValueError):
            print(f"unknown time zone {args.tz!r}: use an IANA name such as America/New_York",
                  file=stderr)
            return 2
    question = " ".join(args.question).strip()
    if args.question and not question:
        print("the question is empty", file=stderr)
        return 2
    try:
        _, service = load_service(stderr)
    except CliError as error:
        print(error, file=stderr)
        return 2
    if question:
        answer, ms = timed(service, question, args.lang, args.tz)
        if args.json:
            stdout.write(json.dumps(as_json(service, answer, ms), ensure_ascii=False) + "\n")
        else:
            stdout.write(text_of(service, answer) + "\n")
        return 0
    for line in stdin:
        line = line.strip()
        if not line:
            continue
        answer, ms = timed(service, line, args.lang, args.tz)
        stdout.write(json.dumps(as_json(service, answer, ms), ensure_ascii=False) + "\n")
        stdout.flush()
    return 0


def timed(service: AnswerService, question: str, lang: str | None,
          tz: str | None) -> tuple[Answer, float]:
    """The answer and how long it took, in milliseconds."""
    started = time.perf_counter()
    answer = service.answer(question, lang, tz)
    return answer, (time.perf_counter() - started) * 1000


def text_of(service: AnswerService, answer: Answer) -> str:
    """The answer as plain text in its language."""
    return render_plain(answer, service.i18n.translator(answer.language).gettext)


def as_json(service: AnswerService, answer: Answer, ms: float) -> dict[str, Any]:
    """The JSON line of one answer."""
    return {
        "question": answer.question,
        "answer": text_of(service, answer),
        "abstained": answer.abstained,
        "kind": answer.kind,
        "sources": [{"document": s.document, "page": s.page, "section": s.section,
                     "snippet": s.snippet, "url": s.url} for s in answer.sources],
        "ms": round(ms, 2),
        "language": answer.language,
    }
