"""/console: the chair's way into the web console (organisers, private chat only).

The reply holds a one-time sign-in link (valid 10 minutes) for any browser and, when the public
address is HTTPS (Telegram's requirement), a button opening the console as a Mini App. The link
is a secret: it is never logged, and it is only ever sent to the organiser's own private chat.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update, WebAppInfo
from telegram.constants import ChatType
from telegram.ext import Application, BaseHandler, CommandHandler

from bot.handlers.common import CommandSpec, Context, bind, esc, organiser_only, reply, user_context
from bot.services.console_access import ConsoleAccess
from bot.services.registry import Services

log = logging.getLogger(__name__)

COMMANDS = [
    CommandSpec("console", "The chair's console, in a browser or inside Telegram",
                organiser=True),
]
# Where the running web server keeps its context (bot.web.context.WebContext) in bot_data: its
# public_url is the bound address even when the configured port is 0.
WEB_CONTEXT_KEY = "web"


def public_url(application: Application, services: Services) -> str:
    """The base of the console's links: the running server's, else the configured one."""
    running = application.bot_data.get(WEB_CONTEXT_KEY)
    url = getattr(running, "public_url", None)
    if isinstance(url, str) and url:
        return url.rstrip("/")
    return services.config.screen.url().rstrip("/")


@organiser_only("console")
async def console(services: Services, update: Update, context: Context) -> None:
    """/console: a one-time sign-in link, and the Mini App button when the address is HTTPS."""
    ctx = user_context(services, update)
    _ = ctx.gettext
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        await reply(update, esc(_("For your security, send /console to me in a private chat: "
                                  "the sign-in link is personal.")))
        return
    if not services.config.screen.enabled:
        await reply(update, esc(_("The web console is off: enable [screen] in the "
                                  "configuration.")))
        return
    base = public_url(context.application, services)
    access = ConsoleAccess.build(services.db, services.participants, services.env.token,
                                 services.clock)
    token = access.issue_link(ctx.user_id)
    link = f"{base}/console/signin/{token}"
    lines = ["🔐 " + esc(_("Your sign-in link to the chair's console. It works once, within "
                           "10 minutes; do not share it:")),
             f'<a href="{esc(link)}">{esc(link)}</a>']
    markup = None
    if base.lower().startswith("https://"):
        lines.append(esc(_("Or open the console inside Telegram with the button below.")))
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(
            "🎛 " + _("Open the console"), web_app=WebAppInfo(url=f"{base}/console"))]])
    else:
        lines.append(esc(_("Inside Telegram the console needs an https:// public_url in "
                           "[screen].")))
    await reply(update, "\n".join(lines), markup)
    log.info("console: sign-in link given to organiser %s", ctx.user_id)


def handlers(services: Services) -> list[BaseHandler]:
    """Handlers of this module."""
    return [CommandHandler("console", bind(services, console))]
