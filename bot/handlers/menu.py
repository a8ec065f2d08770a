"""The command menus (setMyCommands) and /help text, per role and language."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Bot, BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import TelegramError

from bot.handlers.common import CommandSpec, esc
from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, Gettext, I18n

log = logging.getLogger(__name__)


def help_text(specs: Sequence[CommandSpec], _: Gettext, organiser: bool) -> str:
    """The /help message: participant commands, then organiser commands for organisers."""
    lines = [f"<b>{esc(_('What you can do'))}</b>"]
    lines += [f"/{s.name} - {esc(_(s.description))}" for s in specs if not s.organiser]
    if organiser:
        lines += ["", f"<b>{esc(_('Organiser commands'))}</b>"]
        lines += [f"/{s.name} - {esc(_(s.description))}" for s in specs if s.organiser]
    lines += ["", esc(_("Or just write your question in a message."))]
    return "\n".join(lines)


def bot_commands(specs: Sequence[CommandSpec], _: Gettext, organiser: bool) -> list[BotCommand]:
    """BotCommand objects for one audience and language."""
    return [BotCommand(s.name, _(s.description)[:256]) for s in specs
            if organiser or not s.organiser]


async def publish_menus(bot: Bot, i18n: I18n, specs: Sequence[CommandSpec],
                        organisers: dict[int, str]) -> None:
    """Participant menus for all private chats in every language; a fuller one per organiser.

    The menu without a language code (English) is what clients in other languages see.
    """
    codes: tuple[str | None, ...] = (None, *LANGUAGES)
    for code in codes:
        _ = i18n.translator(code or DEFAULT_LANGUAGE).gettext
        await bot.set_my_commands(bot_commands(specs, _, False),
                                  scope=BotCommandScopeAllPrivateChats(), language_code=code)
    for user_id, language in organisers.items():
        await publish_organiser_menu(bot, i18n, specs, user_id, language)


async def publish_organiser_menu(bot: Bot, i18n: I18n, specs: Sequence[CommandSpec],
                                 user_id: int, language: str) -> None:
    """The organiser menu in one organiser's private chat (ignored if the chat is unknown)."""
    _ = i18n.translator(language).gettext
    try:
        await bot.set_my_commands(bot_commands(specs, _, True),
                                  scope=BotCommandScopeChat(user_id))
    except TelegramError as exc:
        log.info("organiser menu not set for %s: %s", user_id, exc)
