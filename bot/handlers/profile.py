"""/profile, /mode, /timezone and /language: who the participant is and how they attend."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_datetime
from telegram import Update
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.handlers.common import (
    CommandSpec,
    Context,
    bind,
    command_text,
    esc,
    reply,
    user_context,
)
from bot.handlers.menu import publish_organiser_menu
from bot.services.registry import Services

COMMANDS = [
    CommandSpec("profile", "Set your name and delegation"),
    CommandSpec("mode", "Say whether you attend in the room or remotely"),
    CommandSpec("timezone", "Set your time zone, e.g. America/New_York"),
    CommandSpec("language", "Choose your language: en, fr, es, ar, zh or ru"),
]

ASK_PROFILE = 1


async def profile(services: Services, update: Update, context: Context) -> int:
    """Set name | delegation, or start a one-question dialogue when no argument is given."""
    ctx = user_context(services, update)
    _ = ctx.gettext
    text = command_text(update)
    if not text:
        await reply(update, esc(_(
            "Send your name and delegation separated by |, for example: Ana Silva | Brazil. "
            "Send /cancel to stop.")))
        return ASK_PROFILE
    await _save_profile(services, update, text)
    return ConversationHandler.END


async def profile_answer(services: Services, update: Update, context: Context) -> int:
    """The answer to the profile question."""
    message = update.effective_message
    await _save_profile(services, update, (message.text or "") if message else "")
    return ConversationHandler.END


async def profile_cancel(services: Services, update: Update, context: Context) -> int:
    """Leave the profile dialogue."""
    _ = user_context(services, update).gettext
    await reply(update, esc(_("Nothing was changed.")))
    return ConversationHandler.END


async def _save_profile(services: Services, update: Update, text: str) -> None:
    ctx = user_context(services, update)
    _ = ctx.gettext
    name, _sep, delegation = text.partition("|")
    participant = services.participants.set_profile(ctx.user_id, name, delegation)
    await reply(update, esc(_("Saved: {name}, {delegation}.").format(
        name=participant.display_name, delegation=participant.delegation or "-")))


async def mode(services: Services, update: Update, context: Context) -> None:
    """/mode room|remote."""
    ctx = user_context(services, update)
    _ = ctx.gettext
    participant = services.participants.set_mode(ctx.user_id, command_text(update))
    label = _("in the meeting room") if participant.mode == "room" else _("remotely")
    await reply(update, esc(_("Noted: you take part {how}.").format(how=label)))


async def timezone(services: Services, update: Update, context: Context) -> None:
    """/timezone Area/City: validated; shows the time there and in the event's zone."""
    ctx = user_context(services, update)
    _ = ctx.gettext
    name = command_text(update)
    if not name:
        current = ctx.participant.timezone or services.config.event.timezone
        await reply(update, esc(_("Your time zone is {zone}. Change it with /timezone "
                                  "Area/City, for example /timezone America/New_York.")
                                .format(zone=current)))
        return
    _participant, zone = services.participants.set_timezone(ctx.user_id, name)
    now = services.clock()
    event_tz = services.config.tz
    await reply(update, esc(_("Time zone set to {zone}. It is now {local} there and {event} "
                              "({label}).").format(
        zone=zone.key, local=_clock_time(now.astimezone(zone), ctx.language),
        event=_clock_time(now.astimezone(event_tz), ctx.language),
        label=_(services.config.event.timezone_label))))


async def language(services: Services, update: Update, context: Context) -> None:
    """/language en|fr|es|ar|zh|ru (or the language's name); an organiser's menu follows."""
    ctx = user_context(services, update)
    participant = services.participants.set_language(ctx.user_id, command_text(update))
    chosen = participant.language or ctx.language
    if ctx.is_organiser:  # before the reply, so the menu has changed once it is read
        await publish_organiser_menu(context.bot, services.i18n,
                                     context.bot_data.get("commands", []), ctx.user_id, chosen)
    _ = services.i18n.translator(chosen).gettext
    await reply(update, esc(_("I will write to you in English.")))


def _clock_time(moment: datetime, language: str) -> str:
    return format_datetime(moment, "HH:mm (EEE d MMM)", locale=language)


def handlers(services: Services) -> list[BaseHandler]:
    """Handlers of this module."""
    conversation = ConversationHandler(
        entry_points=[CommandHandler("profile", bind(services, profile))],
        states={ASK_PROFILE: [MessageHandler(filters.TEXT & ~filters.COMMAND,
                                             bind(services, profile_answer))]},
        fallbacks=[CommandHandler("cancel", bind(services, profile_cancel))],
        allow_reentry=True,
    )
    return [
        conversation,
        CommandHandler("mode", bind(services, mode)),
        CommandHandler("timezone", bind(services, timezone)),
        CommandHandler("language", bind(services, language)),
    ]
