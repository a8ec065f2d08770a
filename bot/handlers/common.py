"""Shared shell helpers: who is talking, organiser guard, sending HTML safely."""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot.domain.roles import ORGANISER
from bot.domain.text import split_message
from bot.errors import UserError
from bot.handlers.telegram_sender import for_reader
from bot.i18n import Gettext, pick_language
from bot.services.participants import Participant
from bot.services.registry import Services

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
Callback = Callable[[Services, Update, Context], Coroutine[Any, Any, Any]]
Bound = Callable[[Update, Context], Coroutine[Any, Any, Any]]

esc = html.escape

# The language of the user whose update is being handled, looked up when a reply is sent (after
# a /language change it is already the new one). `bind` sets it for the callback's own task
# (PTB runs each update in its own task), `reply` reads it.
_reader_language: ContextVar[Callable[[], str] | None] = ContextVar("reader_language",
                                                                   default=None)


@dataclass(frozen=True)
class CommandSpec:
    """A command for /help and setMyCommands; `description` is an English msgid."""

    name: str
    description: str
    organiser: bool = False


@dataclass(frozen=True)
class UserContext:
    """The person behind an update, registered, with their language and roles."""

    user_id: int
    chat_id: int
    participant: Participant
    language: str
    gettext: Gettext
    roles: frozenset[str]
    created: bool

    @property
    def is_organiser(self) -> bool:
        return ORGANISER in self.roles


def user_context(services: Services, update: Update) -> UserContext:
    """Register or refresh the sender and work out their language and roles."""
    user = update.effective_user
    chat = update.effective_chat
    if user is None:
        raise RuntimeError("update without a user")
    participant, created = services.participants.seen(
        user.id, user.full_name or "", user.username, user.language_code
    )
    language = pick_language(participant.language, user.language_code)
    return UserContext(
        user_id=user.id,
        chat_id=chat.id if chat else user.id,
        participant=participant,
        language=language,
        gettext=services.i18n.translator(language).gettext,
        roles=services.participants.roles(user.id),
        created=created,
    )


async def reply(update: Update, text: str,
                reply_markup: InlineKeyboardMarkup | None = None) -> Message | None:
    """Send HTML text to the chat of `update`, split at 4096 characters.

    The keyboard goes on the last part. Every dynamic piece of `text` must already be escaped.
    """
    chat = update.effective_chat
    if chat is None:
        return None
    language = _reader_language.get()
    if language is not None:
        text = for_reader(language(), text)
    parts = split_message(text)
    last: Message | None = None
    for index, part in enumerate(parts):
        markup = reply_markup if index == len(parts) - 1 else None
        last = await chat.send_message(part, parse_mode=ParseMode.HTML, reply_markup=markup,
                                       disable_web_page_preview=True)
    return last


def bind(services: Services, callback: Callback) -> Bound:
    """Pass the services explicitly to a callback (PTB calls it with update and context)."""
    @functools.wraps(callback)
    async def bound(update: Update, context: Context) -> Any:
        user = update.effective_user
        token = _reader_language.set(None if user is None else functools.partial(
            services.participants.language, user.id, user.language_code))
        try:
            return await callback(services, update, context)
        except UserError as error:
            await _explain(services, update, error)
            return None
        finally:
            _reader_language.reset(token)
    return bound


def organiser_only(action: str) -> Callable[[Callback], Callback]:
    """Refuse the callback to anyone but an organiser: clear message, audit, no side effect."""
    def decorate(callback: Callback) -> Callback:
        @functools.wraps(callback)
        async def guarded(services: Services, update: Update, context: Context) -> Any:
            user = update.effective_user
            if user is None or not services.participants.is_organiser(user.id):
                services.participants.audit(user.id if user else None, action,
                                            "refused: not an organiser", allowed=False)
                # No user_context here: a refusal must not even register the sender.
                _ = gettext_for(services, user.id if user else None,
                                user.language_code if user else None)
                text = _("Sorry, only the organisers can use this.")
                if update.callback_query:
                    await update.callback_query.answer(text, show_alert=True)
                else:
                    await reply(update, esc(text))
                return None
            return await callback(services, update, context)
        return guarded
    return decorate


def html_for(services: Services, chat_id: int, text: str) -> str:
    """HTML as sent to one chat: left-to-right runs isolated when its reader reads right to
    left (Arabic), so times, links and Latin names are not scrambled."""
    return for_reader(services.participants.language(chat_id), text)


def gettext_for(services: Services, user_id: int | None,
                telegram_code: str | None = None) -> Gettext:
    """The gettext of a user outside a full UserContext (jobs, errors, refusals)."""
    return services.i18n.translator(services.participants.language(user_id, telegram_code)).gettext


async def _explain(services: Services, update: Update, error: UserError) -> None:
    user = update.effective_user
    _ = gettext_for(services, user.id if user else None, user.language_code if user else None)
    text = _(error.message).format(**{k: str(v) for k, v in error.params.items()})
    if update.callback_query:
        await update.callback_query.answer(text[:200], show_alert=True)
    else:
        await reply(update, esc(text))


def command_args(context: Context) -> list[str]:
    """The words after the command."""
    return list(context.args or [])


def command_text(update: Update) -> str:
    """Everything after the command word, with original spacing ('' when none)."""
    message = update.effective_message
    text = (message.text or "") if message else ""
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


def role_label(role: str, _: Gettext) -> str:
    """A role name in the user's language."""
    labels = {"organiser": _("organiser"), "panelist": _("panelist"),
              "high_level": _("high-level participant")}
    return labels.get(role, role)
