"""The delivery engine's `Sender` for Telegram: one Bot call, Telegram errors mapped to ours.

Deliveries use their own `Bot` without PTB's rate limiter. The delivery engine is the limiter for
them (global rate and 1/s per chat) and must see every 429: the Application's AIORateLimiter
retries 429s internally (max_retries=3), which would hide them from the delivery report.
Interactive replies keep going through the Application's bot and its AIORateLimiter.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from bot.domain.bidi import isolate_ltr
from bot.i18n import is_rtl
from bot.services.delivery import Blocked, Rejected, RetryLater, Sender, SendError, Transient
from bot.services.registry import Services
from bot.telegram_http import AiohttpRequest

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.telegram.org/bot"


def retry_seconds(error: RetryAfter) -> float:
    """Telegram's retry_after in seconds (PTB 22 gives an int or, opted in, a timedelta)."""
    with warnings.catch_warnings():  # the int form is deprecated; both are handled here
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def for_reader(language: str, text: str) -> str:
    """The HTML `text` as sent to a reader of `language`: LTR runs isolated for RTL readers."""
    return isolate_ltr(text) if is_rtl(language) else text


async def send_or_raise(bot: Bot, chat_id: int, text: str) -> None:
    """Send one HTML message; raise the engine's error type on failure."""
    try:
        await bot.send_message(
            chat_id,
            text,
            parse_mode=ParseMode.HTML,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        )
    except RetryAfter as error:
        raise RetryLater(retry_seconds(error)) from error
    except Forbidden as error:
        raise Blocked(error.message) from error
    except (BadRequest, ChatMigrated, InvalidToken) as error:
        raise Rejected(str(error)) from error
    except NetworkError as error:  # includes TimedOut and 5xx answers
        raise Transient(str(error)) from error
    except TelegramError as error:
        raise SendError(str(error)) from error


@asynccontextmanager
async def delivery_sender(services: Services) -> AsyncIterator[Sender]:
    """A `Sender` on a dedicated Bot, open for one delivery run."""
    env = services.env
    if not env.token:
        raise RuntimeError("TELEGRAM_BOT_TOKEN is not set")
    workers = services.broadcasts.engine.settings.workers
    request = AiohttpRequest(workers + 2, pool_timeout=30.0, read_timeout=15.0)
    bot = Bot(env.token, base_url=env.api_base_url or DEFAULT_BASE_URL, request=request)
    await bot.initialize()
    try:

        async def send(chat_id: int, text: str) -> None:
            language = services.participants.language(chat_id)
            await send_or_raise(bot, chat_id, for_reader(language, text))

        yield send
    finally:
        await bot.shutdown()
