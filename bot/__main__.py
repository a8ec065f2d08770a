"""Entry point: `python -m bot [run|ask|chat]`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys

os.environ.setdefault("PTB_TIMEDELTA", "1")  # PTB 23 behaviour: retry_after as a timedelta
# The embedding engine uses OpenMP: idle OpenMP threads spinning would take the cores from the
# event loop and the other answering worker under a burst of questions.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
# The bot answers several questions at once, one worker per core: each embedding runs on one
# thread (two OpenMP threads per worker on two cores cost about 25% more CPU: 3.05 s against
# 2.40 s for the 80 dev questions on two workers). The indexer CLI keeps OpenMP's default.
os.environ.setdefault("OMP_NUM_THREADS", "1")

from telegram.error import InvalidToken

from bot.config import ConfigError, Env, load_config

ALLOWED_UPDATES = ["message", "callback_query"]

NO_TOKEN_HELP = """\
TELEGRAM_BOT_TOKEN is not set, so the Telegram bot cannot start.
To create a bot and get its token:
  1. In Telegram, open a chat with @BotFather and send /newbot.
  2. Choose a name and a username ending in "bot"; BotFather replies with the token.
  3. Start the bot with:  TELEGRAM_BOT_TOKEN=123456:ABC... make run
Meanwhile, here is the same assistant in this terminal (type /help, or a question; Ctrl-D quits).
"""


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then removes the bot token (tracebacks and httpx URLs included)."""

    def __init__(self, token: str | None, fmt: str) -> None:
        super().__init__(fmt)
        self.token = token

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return text.replace(self.token, "<token>") if self.token else text


def setup_logging(token: str | None, level: int = logging.INFO) -> None:
    """Logging to stderr with the token redacted; httpx request lines only at WARNING."""
    fmt = "%(asctime)s %(levelname)s %(name)s: %(message)s"
    logging.basicConfig(level=level, format=fmt)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(RedactingFormatter(token, fmt))
    logging.getLogger("httpx").setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen mode; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv and not argv[0].startswith("-") else "run"
    rest = argv[1:] if argv and argv[0] == command else argv
    if command in ("ask", "chat"):
        return _cli(command, rest)
    if command != "run":
        print(f"unknown command {command!r}; use: python -m bot [run|ask|chat]", file=sys.stderr)
        return 2
    argparse.ArgumentParser(prog="python -m bot run").parse_args(rest)
    try:
        env = Env.from_environ()
        config = load_config(env.config_path)
    except ConfigError as error:
        print(f"config error: {error}", file=sys.stderr)
        return 2
    setup_logging(env.token)
    if not env.token:
        print(NO_TOKEN_HELP)
        return _cli("chat", [])
    from bot.app import build_application, build_services

    log = logging.getLogger("bot")
    _use_uvloop()
    try:
        application = build_application(build_services(config, env))
        # bootstrap_retries=-1: a Telegram outage at start-up is waited out, not fatal.
        if env.webhook_url:
            application.run_webhook(
                listen=env.webhook_listen, port=env.webhook_port, url_path="telegram",
                webhook_url=env.webhook_url.rstrip("/") + "/telegram",
                secret_token=env.webhook_secret, allowed_updates=ALLOWED_UPDATES,
                bootstrap_retries=-1,
            )
        else:
            application.run_polling(allowed_updates=ALLOWED_UPDATES, bootstrap_retries=-1)
    except InvalidToken:
        log.critical("Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather")
        return 1
    except Exception:  # logged through the redacting formatter, never printed raw
        log.exception("the bot stopped")
        return 1
    return 0


def _cli(command: str, argv: list[str]) -> int:
    """Run a terminal mode. Imported here (the Telegram bot does not need them), and never
    behind a `try`: a broken import in bot/cli/ is a bug that must fail with its traceback."""
    if command == "ask":
        from bot.cli import ask

        return ask.run(argv)
    from bot.cli import chat

    return chat.run(argv)


def _use_uvloop() -> None:
    """uvloop runs the event loop and its sockets in C, which leaves more of the two cores to
    answering under a burst (bench/load_bench.py). PTB's run_polling and run_webhook create
    their loop through this policy."""
    import uvloop

    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())


if __name__ == "__main__":
    sys.exit(main())
