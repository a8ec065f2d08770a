"""/screen: the room screen's and booth view's links for organisers; /screen reset replaces them.

The links carry one unguessable key (`bot.services.screen`); a reset makes the old links answer
404 and closes the streams they opened. The web server itself is started by the composition
root (`bot.web.server`); this module only reads its address.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.handlers.common import (
    CommandSpec,
    Context,
    bind,
    command_args,
    esc,
    organiser_only,
    reply,
    user_context,
)
from bot.i18n import LANGUAGES, Gettext
from bot.services.registry import Services
from bot.web.server import WebServer, web_server

COMMANDS = [
    CommandSpec("screen", "Room screen and booth view links (/screen reset: new links)",
                organiser=True),
]


def handlers(services: Services) -> list[BaseHandler]:
    """The /screen command."""
    return [CommandHandler("screen", bind(services, screen))]


@organiser_only("screen")
async def screen(services: Services, update: Update, context: Context) -> None:
    """/screen [reset]: the links (a new key first with reset)."""
    ctx = user_context(services, update)
    _ = ctx.gettext
    args = [word.lower() for word in command_args(context)]
    if args not in ([], ["reset"]):
        await reply(update, esc(_("Usage: /screen, or /screen reset for new links.")))
        return
    server = web_server(context.application)
    if server is None:
        await reply(update, esc(_("The room screen is turned off: set enabled = true under "
                                  "[screen] in config.toml and restart the bot.")))
        return
    if not server.running:
        await reply(update, esc(_("The room screen's web server is not running (its port may "
                                  "be taken): see the bot's log.")))
        return
    head = ""
    if args == ["reset"]:
        server.ctx.screens.reset(ctx.user_id)
        head = "🔄 " + esc(_("New links made: the old ones no longer work.")) + "\n\n"
    else:
        services.participants.audit(ctx.user_id, "screen", "links shown")
    await reply(update, head + links_text(server, _))


def links_text(server: WebServer, _: Gettext) -> str:
    """The links message (HTML, every dynamic piece escaped)."""
    return "\n".join([
        "🖥 <b>" + esc(_("Room screen (for the projector, read-only):")) + "</b>",
        esc(server.room_url()),
        "",
        "🎧 <b>" + esc(_("Booth view (for the interpreters):")) + "</b>",
        esc(server.booth_url()),
        "",
        esc(_("Add ?lang= and a language code ({codes}) to a link for its labels in that "
              "language.").format(codes=", ".join(LANGUAGES))),
        esc(_("/console gives the chair's console.")),
        esc(_("Anyone with these links can follow the list of speakers: share them only with "
              "the room's technicians and the interpreters. /screen reset replaces both; the "
              "old ones stop working at once.")),
    ])
