"""Organiser commands for roles: /grant, /revoke, /invite."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.domain.roles import ORGANISER, parse_role
from bot.handlers.common import (
    CommandSpec,
    Context,
    bind,
    command_args,
    esc,
    organiser_only,
    reply,
    role_label,
    user_context,
)
from bot.handlers.menu import publish_organiser_menu
from bot.services.registry import Services

COMMANDS = [
    CommandSpec("grant", "Give a role: /grant <user_id> <role>", organiser=True),
    CommandSpec("revoke", "Take a role back: /revoke <user_id> <role>", organiser=True),
    CommandSpec("invite", "One-time invitation link for a role: /invite <role>", organiser=True),
]


def _target_and_role(args: list[str]) -> tuple[int, str] | None:
    if len(args) != 2:
        return None
    try:
        user_id = int(args[0])
    except ValueError:
        return None
    role = parse_role(args[1])
    if role is None or not 0 < user_id < 2**52:  # Telegram ids fit in 52 bits
        return None
    return user_id, role


@organiser_only("grant")
async def grant(services: Services, update: Update, context: Context) -> None:
    """/grant <user_id> <role>."""
    ctx = user_context(services, update)
    _ = ctx.gettext
    parsed = _target_and_role(command_args(context))
    if parsed is None:
        await reply(update, esc(_("Usage: /grant <user_id> <role>, where role is organiser, "
                                  "panelist or high_level.")))
        return
    user_id, role = parsed
    changed = services.participants.grant(ctx.user_id, user_id, role)
    if role == ORGANISER:
        target = services.participants.get(user_id)
        await publish_organiser_menu(context.bot, services.i18n,
                                     context.bot_data.get("commands", []), user_id,
                                     (target.language if target else None) or "en")
    text = (_("User {user} is now {role}.") if changed
            else _("User {user} already was {role}."))
    await reply(update, esc(text.format(user=user_id, role=role_label(role, _))))


@organiser_only("revoke")
async def revoke(services: Services, update: Update, context: Context) -> None:
    """/revoke <user_id> <role>."""
    ctx = user_context(services, update)
    _ = ctx.gettext
    parsed = _target_and_role(command_args(context))
    if parsed is None:
        await reply(update, esc(_("Usage: /revoke <user_id> <role>, where role is organiser, "
                                  "panelist or high_level.")))
        return
    user_id, role = parsed
    changed = services.participants.revoke(ctx.user_id, user_id, role)
    text = (_("User {user} is no longer {role}.") if changed
            else _("User {user} did not have the role {role}."))
    await reply(update, esc(text.format(user=user_id, role=role_label(role, _))))


@organiser_only("invite")
async def invite(services: Services, update: Update, context: Context) -> None:
    """/invite <role>: a one-time deep link."""
    ctx = user_context(services, update)
    _ = ctx.gettext
    args = command_args(context)
    role = parse_role(args[0]) if len(args) == 1 else None
    if role is None:
        await reply(update, esc(_("Usage: /invite <role>, where role is organiser, panelist "
                                  "or high_level.")))
        return
    code = services.participants.create_invite(ctx.user_id, role)
    link = f"https://t.me/{context.bot.username}?start={code}"
    await reply(update, esc(_("One-time invitation for the role {role}:").format(
        role=role_label(role, _))) + f"\n{esc(link)}")


def handlers(services: Services) -> list[BaseHandler]:
    """Handlers of this module."""
    return [
        CommandHandler("grant", bind(services, grant)),
        CommandHandler("revoke", bind(services, revoke)),
        CommandHandler("invite", bind(services, invite)),
    ]
