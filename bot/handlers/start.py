"""/start (with invite codes), /help and the answer to unknown commands."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.handlers.common import (
    CommandSpec,
    Context,
    bind,
    command_args,
    esc,
    reply,
    role_label,
    user_context,
)
from bot.handlers.menu import help_text, publish_organiser_menu
from bot.services.registry import Services

COMMANDS = [
    CommandSpec("start", "Register and see what I can do"),
    CommandSpec("help", "The commands you can use"),
]


async def start(services: Services, update: Update, context: Context) -> None:
    """Greet, register (subscribed to reminders) and apply an invite code if given."""
    ctx = user_context(services, update)
    _ = ctx.gettext
    args = command_args(context)
    lines = [esc(_("Welcome, {name}!").format(name=ctx.participant.display_name or "")),
             esc(_("I am the assistant of {event}.").format(event=services.config.event.title))]
    if args:
        role = services.participants.redeem_invite(ctx.user_id, args[0])
        if role:
            lines.append(esc(_("Your invitation is accepted: you are now {role}.").format(
                role=role_label(role, _))))
            if role == "organiser":
                await publish_organiser_menu(context.bot, services.i18n,
                                             context.bot_data.get("commands", []),
                                             ctx.user_id, ctx.language)
        else:
            lines.append(esc(_("This invitation link is not valid or was already used.")))
    lines += [
        "",
        esc(_("• Ask me about the meeting in English, French, Spanish, Arabic, Chinese or "
              "Russian: I answer from the official documents, with sources.")),
        esc(_("• /agenda shows the schedule in your time zone; I remind you before it starts.")),
        esc(_("• /speak asks for the floor; /help lists everything.")),
    ]
    await reply(update, "\n".join(lines))


async def help_command(services: Services, update: Update, context: Context) -> None:
    """List the commands for the user's role."""
    ctx = user_context(services, update)
    await reply(update, help_text(context.bot_data.get("commands", []), ctx.gettext,
                                  ctx.is_organiser))


async def unknown(services: Services, update: Update, context: Context) -> None:
    """Any command nobody handles: point to /help."""
    ctx = user_context(services, update)
    _ = ctx.gettext
    await reply(update, esc(_("I do not know that command. Send /help to see what I can do.")))


def handlers(services: Services) -> list[BaseHandler]:
    """Handlers of this module (unknown-command handler comes from `fallback_handlers`)."""
    return [
        CommandHandler("start", bind(services, start)),
        CommandHandler("help", bind(services, help_command)),
    ]


async def unknown_button(services: Services, update: Update, context: Context) -> None:
    """A button no feature claims (an old message, or forged data): answer it anyway."""
    query = update.callback_query
    if query is not None:
        _ = user_context(services, update).gettext
        await query.answer(_("This button has expired."))


def fallback_handlers(services: Services) -> list[BaseHandler]:
    """Registered after every feature: unknown commands and unclaimed buttons."""
    return [MessageHandler(filters.COMMAND, bind(services, unknown)),
            CallbackQueryHandler(bind(services, unknown_button))]
