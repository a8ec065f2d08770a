"""The floor: /speak, /withdraw, /queue for everyone; the chair's commands and buttons.

Each command is one service call (one transaction) followed by `floor_effects.carry_out`, which
sends the messages, schedules the warning and time-up jobs and edits the live status messages.
Organiser commands and buttons are refused to anyone else (audited, no side effect).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from telegram import InputFile, Update
from telegram.error import TelegramError
from telegram.ext import Application, BaseHandler, CallbackQueryHandler, CommandHandler

from bot.domain.floor_events import Requested, ScheduleTimer
from bot.domain.floor_model import ChairAction
from bot.handlers import floor_effects as effects
from bot.handlers import floor_render as render
from bot.handlers.common import (
    Callback,
    CommandSpec,
    Context,
    bind,
    command_args,
    command_text,
    esc,
    organiser_only,
    reply,
    user_context,
)
from bot.services.floor_report import report_chart, report_csv
from bot.services.floor_service import ADD_KINDS, FloorService, Outcome, floor_language
from bot.services.registry import Services

log = logging.getLogger(__name__)

COMMANDS = [
    CommandSpec("speak", "Ask for the floor: /speak [language] [topic]"),
    CommandSpec("withdraw", "Withdraw your request for the floor"),
    CommandSpec("queue", "The list of speakers and your place"),
    CommandSpec("next", "Give the floor to the next speaker", organiser=True),
    CommandSpec("done", "End the current intervention", organiser=True),
    CommandSpec("pause", "Pause the speaker's clock", organiser=True),
    CommandSpec("resume", "Restart the speaker's clock", organiser=True),
    CommandSpec("skip", "The called speaker is not there", organiser=True),
    CommandSpec("undo", "Undo the last floor action", organiser=True),
    CommandSpec("move", "Reorder the list: /move <from> <to>", organiser=True),
    CommandSpec("remove", "Remove a request: /remove <position>", organiser=True),
    CommandSpec("add", "Add a speaker: /add name | delegation [room|remote|high] [language]",
                organiser=True),
    CommandSpec("close", "Close the list of speakers", organiser=True),
    CommandSpec("open", "Open the list of speakers", organiser=True),
    CommandSpec("budget", "The remote interpretation budget", organiser=True),
    CommandSpec("report", "Floor report: CSV and chart", organiser=True),
]


def _chat_id(update: Update) -> int:
    chat = update.effective_chat
    user = update.effective_user
    return chat.id if chat else (user.id if user else 0)


async def _run(services: Services, update: Update, context: Context, outcome: Outcome,
               *, desk: bool = True) -> None:
    """Carry out an outcome; organisers' chats join the desk first."""
    chat_id = _chat_id(update)
    if desk:
        await effects.ensure_desk(context.application, services, chat_id)
    await effects.carry_out(context.application, services, outcome, actor_chat=chat_id)


# --- participants ---------------------------------------------------------------------------
def language_and_topic(text: str) -> tuple[str | None, str]:
    """`/speak fr my topic` -> ('fr', 'my topic'): a first word naming a floor language (a code
    or a name) is the language; everything else is the topic."""
    first, _space, rest = text.strip().partition(" ")
    language = floor_language(first) if first else None
    return (language, rest.strip()) if language else (None, text)


async def speak(services: Services, update: Update, context: Context) -> None:
    """/speak [language] [topic]: join the list; reply with place, wait and language buttons.

    `/speak <language>` while already waiting changes that request's floor language.
    """
    ctx = user_context(services, update)
    language, topic = language_and_topic(command_text(update))
    if language is not None and not topic and services.floor.place_of(ctx.user_id) is not None:
        outcome = services.floor.set_language(ctx.user_id, language)
        _ = ctx.gettext
        await reply(update, "🗣 " + esc(_("Floor language: {language}.").format(
            language=render.language_name(language))))
        await effects.carry_out(context.application, services, outcome)
        return
    outcome = services.floor.request(ctx.user_id, topic, language)
    await _confirm_request(services, update, outcome)
    await effects.carry_out(context.application, services, outcome)


async def _confirm_request(services: Services, update: Update, outcome: Outcome) -> None:
    ctx = user_context(services, update)
    _ = ctx.gettext
    event = next(e for e in outcome.events if isinstance(e, Requested))
    request = event.request
    category = render.category_label(event.request.category, _)
    if event.ahead == 0:
        place = _("You are on the list of speakers, first in line.")
    else:
        place = _("You are on the list of speakers at position {position}: {ahead} ahead of "
                  "you, estimated wait about {minutes} min.").format(
            position=event.position, ahead=event.ahead,
            minutes=render.about_minutes(event.wait_seconds))
    hint = _("Category: {category}. If that is wrong, send /withdraw, set /mode room or "
             "/mode remote, and ask again.").format(category=category)
    spoken = "🗣 " + esc(_("The language you will speak is checked below: press another one to "
                          "change it for the interpreters."))
    await reply(update, esc(place) + "\n" + esc(hint) + "\n" + spoken,
                render.language_keyboard(request.id, request.language))


async def withdraw(services: Services, update: Update, context: Context) -> None:
    """/withdraw: leave the list."""
    ctx = user_context(services, update)
    _ = ctx.gettext
    outcome = services.floor.withdraw(ctx.user_id)
    await reply(update, esc(_("Your request for the floor is withdrawn.")))
    await effects.carry_out(context.application, services, outcome)


async def queue(services: Services, update: Update, context: Context) -> None:
    """/queue: the list with names, delegations and categories, and your place."""
    ctx = user_context(services, update)
    await _send_queue(services, update, ctx.user_id)
    if ctx.is_organiser:  # a fresh live status message, at the bottom of the chat
        await effects.post_status(context.application, services, _chat_id(update))


async def _send_queue(services: Services, update: Update, user_id: int) -> None:
    ctx = user_context(services, update)
    place = services.floor.place_of(user_id)
    state = services.floor.state()
    text = render.queue_text(state, user_id, place.wait_seconds if place else None,
                             ctx.gettext, services.config.tz)
    await reply(update, text, render.queue_keyboard(state, user_id, ctx.gettext))


# --- organisers -----------------------------------------------------------------------------
# The chair's one-tap actions, as commands (no argument) and as buttons (with the id the button
# names): which service method each one calls.
ChairCall = Callable[[FloorService, int, int | None], Outcome]
CHAIR_CALLS: dict[ChairAction, ChairCall] = {
    ChairAction.NEXT: FloorService.next,
    ChairAction.DONE: FloorService.done,
    ChairAction.PAUSE: FloorService.pause,
    ChairAction.RESUME: FloorService.resume,
    ChairAction.SKIP: FloorService.skip,
    ChairAction.UNDO: FloorService.undo,
}


def _chair_action(action: ChairAction, doc: str) -> Callback:
    """An organiser command that calls the service method of `action` and applies the result
    (audited as floor_<action>)."""
    call = CHAIR_CALLS[action]

    async def command(services: Services, update: Update, context: Context) -> None:
        ctx = user_context(services, update)
        await _run(services, update, context, call(services.floor, ctx.user_id, None))

    command.__doc__ = doc
    command.__name__ = command.__qualname__ = f"chair_{action}"
    return organiser_only(f"floor_{action}")(command)


next_speaker = _chair_action(ChairAction.NEXT, "/next: give the floor to the first waiting "
                                               "request.")
done = _chair_action(ChairAction.DONE, "/done: end the current intervention.")
pause = _chair_action(ChairAction.PAUSE, "/pause: stop the speaker's clock and the remote "
                                         "budget.")
resume = _chair_action(ChairAction.RESUME, "/resume: restart the speaker's clock.")
skip = _chair_action(ChairAction.SKIP, "/skip: the called speaker is not there.")
undo = _chair_action(ChairAction.UNDO, "/undo: revert the last floor action (a mistaken /done "
                                       "or /next).")


def _positions(args: list[str], count: int) -> list[int] | None:
    # isdecimal, not isdigit: "²" is a digit that int() refuses (it crashed /move and /remove)
    if len(args) != count or not all(a.isdecimal() and len(a) < 6 for a in args):
        return None
    return [int(a) for a in args]


@organiser_only("floor_move")
async def move(services: Services, update: Update, context: Context) -> None:
    """/move <from> <to>."""
    ctx = user_context(services, update)
    _ = ctx.gettext
    positions = _positions(command_args(context), 2)
    if positions is None:
        await reply(update, esc(_("Usage: /move <from> <to>, for example /move 4 1.")))
        return
    outcome = services.floor.move(ctx.user_id, positions[0], positions[1])
    await _run(services, update, context, outcome)


@organiser_only("floor_remove")
async def remove(services: Services, update: Update, context: Context) -> None:
    """/remove <position>."""
    ctx = user_context(services, update)
    _ = ctx.gettext
    positions = _positions(command_args(context), 1)
    if positions is None:
        await reply(update, esc(_("Usage: /remove <position>, for example /remove 3.")))
        return
    await _run(services, update, context, services.floor.remove(ctx.user_id, positions[0]))


@organiser_only("floor_add")
async def add(services: Services, update: Update, context: Context) -> None:
    """/add name | delegation [room|remote|high]: someone without Telegram."""
    ctx = user_context(services, update)
    _ = ctx.gettext
    name, bar, rest = command_text(update).partition("|")
    words = rest.split()
    kind: str | None = None
    language: str | None = None
    for _word in range(2):  # "[room|remote|high] [language]", in either order
        if words and kind is None and words[-1].lower() in ADD_KINDS:
            kind = words.pop().lower()
        elif words and language is None and (code := floor_language(words[-1])) is not None:
            language = code
            words.pop()
    if not bar or not name.strip():
        await reply(update, esc(_(
            "Usage: /add name | delegation [room|remote|high] [language], for example "
            "/add Ana Silva | Brazil remote es")))
        return
    outcome = services.floor.add(ctx.user_id, name, " ".join(words), kind or "room", language)
    await _run(services, update, context, outcome)


@organiser_only("floor_close")
async def close(services: Services, update: Update, context: Context) -> None:
    """/close: participants can no longer ask for the floor."""
    ctx = user_context(services, update)
    await _run(services, update, context, services.floor.set_open(ctx.user_id, False))


@organiser_only("floor_open")
async def open_list(services: Services, update: Update, context: Context) -> None:
    """/open: participants can ask for the floor again."""
    ctx = user_context(services, update)
    await _run(services, update, context, services.floor.set_open(ctx.user_id, True))


@organiser_only("floor_budget")
async def budget(services: Services, update: Update, context: Context) -> None:
    """/budget: the remote interpretation budget, used and left."""
    ctx = user_context(services, update)
    _ = ctx.gettext
    b = services.floor.budget()
    text = _("Remote budget: {used} used of {total}, {left} left.").format(
        used=render.clock(b.used), total=render.clock(b.total), left=render.clock(b.left))
    if b.left <= 0:
        text += " " + _("It is exhausted: each further remote speaker needs your confirmation.")
    await reply(update, "🌐 " + esc(text))


@organiser_only("floor_report")
async def report(services: Services, update: Update, context: Context) -> None:
    """/report: a CSV of every request and a PNG chart, plus the requests never reached."""
    ctx = user_context(services, update)
    _ = ctx.gettext
    chat = update.effective_chat
    if chat is None:
        return
    data = services.floor.report(ctx.user_id, services.config.tz)
    csv_bytes = report_csv(data)
    png = await asyncio.to_thread(report_chart, data, _)
    stamp = f"{data.generated_at.astimezone(services.config.tz):%Y%m%d-%H%M}"
    await chat.send_document(InputFile(csv_bytes, filename=f"floor-report-{stamp}.csv"),
                             caption=esc(_("Floor report: every request, with times.")),
                             parse_mode="HTML")
    await chat.send_photo(InputFile(png, filename=f"floor-chart-{stamp}.png"),
                          caption=esc(_("Speaking time per category and remote budget used.")),
                          parse_mode="HTML")
    await reply(update, render.unreached_text(data.unreached, _))


# --- buttons --------------------------------------------------------------------------------
async def on_button(services: Services, update: Update, context: Context) -> None:
    """Every floor button: validated, dispatched, always answered."""
    query = update.callback_query
    if query is None:
        return
    button = render.parse_data(query.data)
    if button is None:
        _ = user_context(services, update).gettext
        await query.answer(_("This button is no longer valid."), show_alert=True)
        return
    await _BUTTONS[button.action](services, update, context)


async def _request_button(services: Services, update: Update, context: Context) -> None:
    ctx = user_context(services, update)
    outcome = services.floor.request(ctx.user_id)
    await update.callback_query.answer()  # type: ignore[union-attr]
    await _confirm_request(services, update, outcome)
    await effects.carry_out(context.application, services, outcome)


async def _language_button(services: Services, update: Update, context: Context) -> None:
    """A floor language button under the /speak reply: only its speaker, only while waiting."""
    ctx = user_context(services, update)
    _ = ctx.gettext
    query = update.callback_query
    button = render.parse_data(query.data if query else None)
    if query is None or button is None or button.request_id is None or button.language is None:
        return
    outcome = services.floor.set_language(ctx.user_id, button.language, button.request_id)
    await query.answer(_("Floor language: {language}.").format(
        language=render.language_name(button.language)))
    if outcome.events:  # pressing the checked language again changes nothing
        try:
            await query.edit_message_reply_markup(
                render.language_keyboard(button.request_id, button.language))
        except TelegramError as error:  # e.g. too old to edit: the choice is saved anyway
            log.info("language buttons not updated: %s", error)
    await effects.carry_out(context.application, services, outcome)


async def _withdraw_button(services: Services, update: Update, context: Context) -> None:
    ctx = user_context(services, update)
    _ = ctx.gettext
    outcome = services.floor.withdraw(ctx.user_id)
    await update.callback_query.answer(  # type: ignore[union-attr]
        _("Your request for the floor is withdrawn."))
    await reply(update, esc(_("Your request for the floor is withdrawn.")))
    await effects.carry_out(context.application, services, outcome)


def _chair_button(action: ChairAction) -> Callback:
    """A status-message button calling the service method of `action` with the id it names."""
    call = CHAIR_CALLS[action]

    @organiser_only(f"floor_{action}")
    async def press(services: Services, update: Update, context: Context) -> None:
        ctx = user_context(services, update)
        query = update.callback_query
        button = render.parse_data(query.data if query else None)
        if query is None or button is None:
            return
        outcome = call(services.floor, ctx.user_id, button.request_id)
        await query.answer()
        await _run(services, update, context, outcome)
    return press


@organiser_only("floor_next")
async def _confirm_button(services: Services, update: Update, context: Context) -> None:
    """Give the floor beyond the remote budget, as the chair confirmed."""
    ctx = user_context(services, update)
    query = update.callback_query
    button = render.parse_data(query.data if query else None)
    if query is None or button is None:
        return
    outcome = services.floor.next(ctx.user_id, button.request_id, confirmed=True)
    await query.edit_message_reply_markup(None)
    await query.answer()
    await _run(services, update, context, outcome)


@organiser_only("floor_refresh")
async def _refresh_button(services: Services, update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    await effects.ensure_desk(context.application, services, _chat_id(update))
    await effects.refresh_status(context.application, services)


@organiser_only("floor_cancel")
async def _cancel_button(services: Services, update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None:
        return
    _ = user_context(services, update).gettext
    await query.answer(_("Nothing was changed."))
    await query.edit_message_reply_markup(None)


# Every action a floor button can name -> its callback (a test checks that none is missing).
_BUTTONS: dict[render.Action, Callback] = {
    render.ButtonAction.REQUEST: _request_button,
    render.ButtonAction.WITHDRAW: _withdraw_button,
    render.ButtonAction.LANGUAGE: _language_button,
    render.ButtonAction.CONFIRM: _confirm_button,
    render.ButtonAction.REFRESH: _refresh_button,
    render.ButtonAction.CANCEL: _cancel_button,
    **{action: _chair_button(action) for action in CHAIR_CALLS},
}


# --- start-up ---------------------------------------------------------------------------------
async def on_startup(application: Application, services: Services) -> None:
    """Rebuild the warning and time-up jobs from SQLite; start the status tick."""
    timers = [t for t in services.floor.pending_timers() if isinstance(t, ScheduleTimer)]
    now = services.clock()
    for timer in timers:
        effects.schedule(application, services, timer, now)
    if application.job_queue is not None:
        application.job_queue.run_repeating(effects.on_tick, effects.TICK_SECONDS,
                                            first=effects.TICK_SECONDS, name="floor:tick",
                                            job_kwargs={"coalesce": True})
    log.info("floor: %d timers rescheduled", len(timers))


def handlers(services: Services) -> list[BaseHandler]:
    """Handlers of this module."""
    commands = {
        "speak": speak, "withdraw": withdraw, "queue": queue, "next": next_speaker,
        "done": done, "pause": pause, "resume": resume, "skip": skip, "undo": undo, "move": move,
        "remove": remove, "add": add, "close": close, "open": open_list, "budget": budget,
        "report": report,
    }
    result: list[BaseHandler] = [CommandHandler(name, bind(services, callback))
                                 for name, callback in commands.items()]
    result.append(CallbackQueryHandler(bind(services, on_button), pattern=r"^fl:"))
    return result
