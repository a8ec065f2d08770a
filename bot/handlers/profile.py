"""/profile, /mode, /timezone and /language: who the participant is and how they attend.

`/profile Name | Delegation` saves at once; `/profile` alone asks for them and takes the same
user's next plain message in that chat as the answer (`bot.domain.pending_steps`: decided when
the message is routed, so concurrent updates cannot both be taken). Any command in between
cancels the question; `/cancel` says so. No ConversationHandler: its state is not safe with the
concurrent updates this application uses.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from babel.dates import format_datetime
from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.clock import Clock
from bot.domain.pending_steps import Key, PendingSteps
from bot.errors import UserError
from bot.handlers.common import (
    Bound,
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

PROFILE_QUESTION_TTL = timedelta(minutes=10)  # a much later message is a question again
GUARD_GROUP = -1  # before every feature: sees each command of a user with a pending question


class ProfileDialogue:
    """The guided /profile: one question, the answer routed by `AnswerHandler`."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.steps = PendingSteps(PROFILE_QUESTION_TTL)

    async def profile(self, services: Services, update: Update, context: Context) -> None:
        """Set name | delegation, or ask for them when no argument is given."""
        key = _key(update)
        text = command_text(update)
        if text or key is None:
            await _save_profile(services, update, text)
            return
        _ = user_context(services, update).gettext
        self.steps.ask(key, self.clock())
        await reply(update, esc(_(
            "Send your name and delegation separated by |, for example: Ana Silva | Brazil. "
            "Send /cancel to stop.")))

    async def answer(self, services: Services, update: Update, context: Context) -> None:
        """The answer to the profile question (already claimed by `AnswerHandler`)."""
        message = update.effective_message
        try:
            await _save_profile(services, update, (message.text or "") if message else "")
        except UserError:
            key = _key(update)
            if key is not None:  # bad input changes nothing: the question stays open
                self.steps.ask(key, self.clock())
            raise

    async def interrupted(self, services: Services, update: Update, context: Context) -> None:
        """A command while the question is open: forget the question. `/cancel` alone says
        so and stops there; any other command then runs as usual."""
        key = _key(update)
        if key is not None:
            self.steps.drop(key)
        if _command_word(update) == "cancel" and not command_text(update):
            _ = user_context(services, update).gettext
            await reply(update, esc(_("Nothing was changed.")))
            raise ApplicationHandlerStop


class AnswerHandler(MessageHandler):
    """A plain text from someone asked the profile question. The question is claimed here, at
    routing time, so a second message handled concurrently goes on to the other features."""

    def __init__(self, dialogue: ProfileDialogue, callback: Bound) -> None:
        super().__init__(filters.TEXT & ~filters.COMMAND, callback)
        self.dialogue = dialogue

    def check_update(self, update: object) -> bool | dict[str, list[object]] | None:
        matched = super().check_update(update)
        key = _key(update) if matched and isinstance(update, Update) else None
        if key is None or not self.dialogue.steps.claim(key, self.dialogue.clock()):
            return None
        return matched


class InterruptHandler(MessageHandler):
    """Any command from someone who was asked the profile question (checked, not claimed)."""

    def __init__(self, dialogue: ProfileDialogue, callback: Bound) -> None:
        super().__init__(filters.COMMAND, callback)
        self.dialogue = dialogue

    def check_update(self, update: object) -> bool | dict[str, list[object]] | None:
        matched = super().check_update(update)
        key = _key(update) if matched and isinstance(update, Update) else None
        if key is None or not self.dialogue.steps.waiting(key, self.dialogue.clock()):
            return None
        return matched


def _key(update: object) -> Key | None:
    if not isinstance(update, Update):
        return None
    user, chat = update.effective_user, update.effective_chat
    return (chat.id, user.id) if user is not None and chat is not None else None


def _command_word(update: Update) -> str:
    """'cancel' for '/cancel' and '/cancel@SomeBot ...'."""
    message = update.effective_message
    words = ((message.text or "") if message else "").split(maxsplit=1)
    return words[0].lstrip("/").partition("@")[0].casefold() if words else ""


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


def handlers(services: Services) -> dict[int, list[BaseHandler]]:
    """Handlers of this module: the interrupt guard runs before every feature's handlers."""
    dialogue = ProfileDialogue(services.clock)
    return {
        GUARD_GROUP: [InterruptHandler(dialogue, bind(services, dialogue.interrupted))],
        0: [
            CommandHandler("profile", bind(services, dialogue.profile)),
            AnswerHandler(dialogue, bind(services, dialogue.answer)),
            CommandHandler("mode", bind(services, mode)),
            CommandHandler("timezone", bind(services, timezone)),
            CommandHandler("language", bind(services, language)),
        ],
    }
