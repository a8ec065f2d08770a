"""`python -m bot chat`: the assistant in a terminal, for trying it without Telegram.

Type a question, or /agenda, /rules, /lang fr, /timezone America/New_York, /help; Ctrl-D quits.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.cli.loading import CliError, load_service
from bot.domain.answer import render_plain
from bot.i18n import LANGUAGES, normalise_language
from bot.services.answering import AnswerService

PROMPT = "> "


def run(argv: list[str], stdin: TextIO | None = None, stdout: TextIO | None = None,
        stderr: TextIO | None = None) -> int:
    """Run the terminal chat until end of input; returns the exit status."""
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    argparse.ArgumentParser(prog="python -m bot chat").parse_args(argv)
    try:
        config, service = load_service(stderr)
    except CliError as error:
        print(error, file=stderr)
        return 2
    session = ChatSession(service)
    stdout.write(f"{config.event.title}\n{session.help_text()}\n")
    interactive = stdin.isatty()
    while True:
        if interactive:
            stdout.write(PROMPT)
            stdout.flush()
        line = stdin.readline()
        if not line:
            break
        reply = session.handle(line.strip())
        if reply is None:
            break
        if reply:
            stdout.write(reply + "\n\n")
            stdout.flush()
    return 0


class ChatSession:
    """One terminal user: their language and time zone, and what each line gets."""

    def __init__(self, service: AnswerService, language: str = "en",
                 timezone: str | None = None) -> None:
        self.service = service
        self.language = language
        self.timezone = timezone

    def help_text(self) -> str:
        """The commands, in the session's language."""
        _ = self.service.i18n.translator(self.language).gettext
        return _("Ask a question about the panel, or use /agenda, /rules, "
                 "/lang en|fr|es|ar|zh|ru, /timezone Area/City, /help. Ctrl-D quits.")

    def handle(self, line: str) -> str | None:
        """The reply to one line ('' for nothing, None to quit)."""
        _ = self.service.i18n.translator(self.language).gettext
        if not line:
            return ""
        command, _sep, rest = line.partition(" ")
        rest = rest.strip()
        if command in ("/quit", "/exit"):
            return None
        if command in ("/help", "/start"):
            return self.help_text()
        if command == "/agenda":
            answer = self.service.schedule(self.language, self.timezone)
            return render_plain(answer, _)
        if command == "/rules":
            return render_plain(self.service.rules(self.language), _)
        if command == "/lang":
            if rest not in LANGUAGES:
                return _("Usage: /lang en|fr|es|ar|zh|ru")
            self.language = normalise_language(rest)
            _ = self.service.i18n.translator(self.language).gettext
            return _("Language set.")
        if command == "/timezone":
            try:
                ZoneInfo(rest or "-")
            except (ZoneInfoNotFoundError, ValueError):
                return _("Unknown time zone. Use a name such as America/New_York.")
            self.timezone = rest
            return _("Time zone set to {zone}.").format(zone=rest)
        if command.startswith("/"):
            return self.help_text()
        answer = self.service.answer(line, self.language, self.timezone)
        return render_plain(answer, self.service.i18n.translator(answer.language).gettext)
