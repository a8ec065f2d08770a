"""Carrying out the floor's events: messages to speakers and chairs, timers, the live status.

The "desk" is the set of chats with a live status message (every organiser who ran the floor).
Timers are JobQueue one-off jobs named `floor:<kind>:<request id>`, rebuilt from SQLite at
start-up; a tick job edits the status messages and counts the overrun on the time-up notices.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, assert_never

from telegram import InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, ContextTypes

from bot.domain.floor_events import (
    CancelTimers,
    ConfirmationNeeded,
    Ended,
    Event,
    FloorGiven,
    HeadsUp,
    LanguageSet,
    ListChanged,
    Moved,
    Paused,
    Requested,
    Resumed,
    ScheduleTimer,
    Skipped,
    TimeUp,
    Warned,
    Withdrawn,
)
from bot.domain.floor_model import TIME_UP, WARNING, Request
from bot.handlers import floor_render as render
from bot.handlers.common import esc, gettext_for, html_for
from bot.i18n import Gettext
from bot.services.floor_service import Outcome
from bot.services.registry import Services

log = logging.getLogger(__name__)

TICK_SECONDS = 5.0
JOB_KWARGS: dict[str, Any] = {"misfire_grace_time": None, "coalesce": True}
_LOCK = "floor_status_lock"
_SHOWN = "floor_status_shown"


async def send(app: Application, services: Services, chat_id: int, text: str,
               markup: InlineKeyboardMarkup | None = None) -> Message | None:
    """Send HTML; a chat that cannot be reached is logged, never fatal to the floor."""
    try:
        return await app.bot.send_message(chat_id, html_for(services, chat_id, text),
                                          parse_mode=ParseMode.HTML,
                                          reply_markup=markup, disable_web_page_preview=True)
    except TelegramError as error:
        log.warning("floor message to %s not delivered: %s", chat_id, error)
        return None


async def ensure_desk(app: Application, services: Services, chat_id: int) -> None:
    """Give an organiser's chat a live status message if it has none."""
    if chat_id in services.floor.status_messages():
        return
    await post_status(app, services, chat_id)


async def post_status(app: Application, services: Services, chat_id: int) -> None:
    """Send a fresh live status message to a chat (the old one is no longer edited)."""
    _state, view, _now = services.floor.snapshot()
    _ = gettext_for(services, chat_id)
    text, markup = render.status_text(view, _), render.status_keyboard(view, _)
    message = await send(app, services, chat_id, text, markup)
    if message is not None:
        services.floor.set_status_message(chat_id, message.message_id)
        app.bot_data.setdefault(_SHOWN, {})[chat_id] = (text, markup.to_json())


async def refresh_status(app: Application, services: Services) -> None:
    """Edit every live status message that no longer shows the current state."""
    lock = app.bot_data.setdefault(_LOCK, asyncio.Lock())
    async with lock:  # edits land in the order the states were read
        _state, view, _now = services.floor.snapshot()
        shown: dict[int, tuple[str, str]] = app.bot_data.setdefault(_SHOWN, {})
        for chat_id, message_id in services.floor.status_messages().items():
            _ = gettext_for(services, chat_id)
            text, markup = render.status_text(view, _), render.status_keyboard(view, _)
            if shown.get(chat_id) == (text, markup.to_json()):
                continue
            try:
                await app.bot.edit_message_text(html_for(services, chat_id, text), chat_id,
                                                message_id, parse_mode=ParseMode.HTML,
                                                reply_markup=markup)
            except BadRequest as error:
                if "not modified" not in error.message.lower():
                    log.info("status message of %s lost (%s): sending a new one", chat_id, error)
                    await post_status(app, services, chat_id)
                    continue
                # not modified: it already shows this text
            except Forbidden:
                services.floor.forget_status_message(chat_id)
                continue
            except TelegramError as error:
                log.warning("status message of %s not edited: %s", chat_id, error)
                continue
            shown[chat_id] = (text, markup.to_json())


async def to_desk(app: Application, services: Services, text_for: Any) -> dict[int, int]:
    """Send `text_for(gettext)` to every chair's chat; returns chat id -> message id."""
    sent: dict[int, int] = {}
    for chat_id in services.floor.status_messages():
        message = await send(app, services, chat_id, text_for(gettext_for(services, chat_id)))
        if message is not None:
            sent[chat_id] = message.message_id
    return sent


async def to_person(app: Application, services: Services, request: Request,
                    text_for: Any) -> None:
    """Send `text_for(gettext)` to the person of a request, if they use Telegram."""
    if request.participant_id is not None:
        _ = gettext_for(services, request.participant_id)
        await send(app, services, request.participant_id, text_for(_))


def schedule(app: Application, services: Services, timer: ScheduleTimer, now: Any) -> None:
    """Schedule a warning or time-up job (replacing one of the same name)."""
    if app.job_queue is None:
        log.error("no JobQueue: install python-telegram-bot[job-queue]")
        return
    name = f"floor:{timer.kind}:{timer.request_id}"
    for job in app.job_queue.get_jobs_by_name(name):
        job.schedule_removal()
    delay = max(0.0, (timer.at - now).total_seconds())
    app.job_queue.run_once(on_timer, delay, data=(timer.request_id, timer.kind), name=name,
                           job_kwargs=JOB_KWARGS)


def cancel(app: Application, request_id: int) -> None:
    """Cancel the pending timers of a request."""
    if app.job_queue is None:
        return
    for kind in (WARNING, TIME_UP):
        for job in app.job_queue.get_jobs_by_name(f"floor:{kind}:{request_id}"):
            job.schedule_removal()


async def on_timer(context: ContextTypes.DEFAULT_TYPE) -> None:
    """A warning or time-up job fired."""
    job = context.job
    services: Services = context.application.bot_data["services"]
    if job is None or not isinstance(job.data, tuple):
        return
    request_id, kind = job.data
    outcome = services.floor.timer(int(request_id), str(kind))
    await carry_out(context.application, services, outcome)


async def on_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Keep the status messages and the overrun counters current."""
    services: Services = context.application.bot_data["services"]
    await refresh_status(context.application, services)
    state, _view, now = services.floor.snapshot()
    current = state.current
    if current is not None and current.timed_up:
        await edit_notices(context.application, services, current,
                           -current.remaining_seconds(now), final=False)


async def edit_notices(app: Application, services: Services, request: Request,
                       overrun: float, *, final: bool) -> None:
    """Count the overrun on the chairs' time-up messages."""
    shown: dict[tuple[int, int], str] = app.bot_data.setdefault("floor_notice_shown", {})
    for chat_id, message_id in services.floor.notices(request.id).items():
        _ = gettext_for(services, chat_id)
        text = notice_text(request, overrun, _, final=final)
        if shown.get((chat_id, message_id)) == text:
            continue
        try:
            await app.bot.edit_message_text(html_for(services, chat_id, text), chat_id,
                                            message_id, parse_mode=ParseMode.HTML)
            shown[(chat_id, message_id)] = text
        except TelegramError as error:
            log.info("time-up notice of %s not edited: %s", chat_id, error)


def notice_text(request: Request, overrun: float, _: Gettext, *, final: bool) -> str:
    """The chair's time-up message, counting the overrun."""
    limit = render.clock(request.limit_seconds or 0)
    over = render.clock(max(0.0, overrun))
    head = "⏰ " + esc(_("Time is up for {name} ({limit}).").format(name=request.name,
                                                                   limit=limit))
    if final:
        return head + "\n" + esc(_("Ended with an overrun of {overrun}.").format(overrun=over))
    return head + "\n" + esc(_("Overrun: {overrun}").format(overrun=over))


async def carry_out(app: Application, services: Services, outcome: Outcome,
                    actor_chat: int | None = None) -> None:
    """Send, schedule and cancel what the events say; then refresh the live status."""
    for event in outcome.events:
        await _one(app, services, event, outcome, actor_chat)
    await refresh_status(app, services)


async def _one(app: Application, services: Services, event: Event, outcome: Outcome,
               actor_chat: int | None) -> None:
    match event:
        case ScheduleTimer():
            schedule(app, services, event, outcome.now)
        case CancelTimers():
            cancel(app, event.request_id)
        case FloorGiven():
            await _floor_given(app, services, event)
        case HeadsUp():
            await to_person(app, services, event.request, lambda _: "🔔 " + esc(_(
                "You are next on the list of speakers: please get ready.")))
        case Warned():
            left = render.clock(event.remaining_seconds)
            await to_person(app, services, event.request, lambda _: "⏳ " + esc(_(
                "{left} left of your speaking time.").format(left=left)))
            await to_desk(app, services, lambda _: "⏳ " + esc(_("{name}: {left} left.").format(
                name=event.request.name, left=left)))
        case TimeUp():
            await to_person(app, services, event.request, lambda _: "⏰ " + esc(_(
                "Your speaking time is up. Please conclude.")))
            sent = await to_desk(app, services, lambda _: notice_text(
                event.request, event.overrun_seconds, _, final=False))
            for chat_id, message_id in sent.items():
                services.floor.add_notice(event.request.id, chat_id, message_id)
        case Ended():
            await _ended(app, services, event)
        case Paused():
            await to_person(app, services, event.request, lambda _: "⏸ " + esc(_(
                "The chair paused your clock ({left} left).").format(
                    left=render.clock(event.remaining_seconds))))
            await to_desk(app, services, lambda _: "⏸ " + esc(_("{name}: clock paused.").format(
                name=event.request.name)))
        case Resumed():
            left = render.clock(event.request.remaining_seconds(outcome.now))
            await to_person(app, services, event.request, lambda _: "▶ " + esc(_(
                "Your clock runs again: {left} left.").format(left=left)))
            await to_desk(app, services, lambda _: "▶ " + esc(_("{name}: clock running, {left} "
                                                                "left.").format(
                name=event.request.name, left=left)))
        case Skipped():
            await _skipped(app, services, event)
        case Withdrawn() if event.by_organiser:
            await to_person(app, services, event.request, lambda _: esc(_(
                "An organiser removed your request for the floor.")))
            await to_desk(app, services, lambda _: esc(_("Removed from the list: {name}.").format(
                name=event.request.name)))
        case Moved():
            await to_desk(app, services, lambda _: esc(
                _("{name} moved from {old} to {new}.").format(
                    name=event.request.name, old=event.from_position, new=event.to_position)))
        case ListChanged():
            await to_desk(app, services, lambda _: esc(
                _("The list of speakers is now open.") if event.is_open
                else _("The list of speakers is now closed.")))
        case Requested() if event.request.participant_id is None:
            await to_desk(app, services, lambda _: esc(_("Added {name} at position {position}.")
                                                       .format(name=event.request.name,
                                                               position=event.position)))
        case ConfirmationNeeded() if actor_chat is not None:
            await _confirm(app, services, event, actor_chat)
        case Withdrawn() | Requested() | ConfirmationNeeded() | LanguageSet():
            # A participant's own withdrawal or request was answered by its command; a
            # confirmation goes to whoever acted; a floor language shows in the live status.
            pass
        case _:
            assert_never(event)  # mypy: every floor event is handled above


async def _floor_given(app: Application, services: Services, event: FloorGiven) -> None:
    limit = render.clock(event.limit_seconds)
    warn = render.clock(services.floor.rules.warn_before_seconds)
    await to_person(app, services, event.request, lambda _: "🎙 <b>" + esc(_(
        "You have the floor.")) + "</b> " + esc(_("Your time: {limit}. I will warn you {warn} "
                                                "before the end.").format(limit=limit, warn=warn)))

    def for_desk(_: Gettext) -> str:
        text = "🎙 " + esc(_("{name} has the floor ({category}): {limit}.").format(
            name=render.who(event.request), category=render.category_label(
                event.request.category, _), limit=limit))
        if event.budget_before is not None:
            text += "\n🌐 " + esc(_("Remote budget before this intervention: {left}.").format(
                left=render.clock(event.budget_before)))
        if event.over_budget:
            text += "\n⚠️ " + esc(_("Given beyond the remote budget, as confirmed."))
        return text
    await to_desk(app, services, for_desk)


async def _ended(app: Application, services: Services, event: Ended) -> None:
    await edit_notices(app, services, event.request, event.overrun_seconds, final=True)
    await to_person(app, services, event.request, lambda _: esc(_(
        "Thank you: your intervention has ended.")))

    def for_desk(_: Gettext) -> str:
        text = "⏹ " + esc(_("{name} spoke {spoken}.").format(
            name=event.request.name, spoken=render.clock(event.spoken_seconds)))
        if round(event.overrun_seconds) >= 1:
            text += " " + esc(_("Overrun: {overrun}.").format(
                overrun=render.clock(event.overrun_seconds)))
        if event.budget_after is not None:
            text += "\n🌐 " + esc(_("Remote budget left: {left}").format(
                left=render.clock(event.budget_after)))
        return text
    await to_desk(app, services, for_desk)


async def _skipped(app: Application, services: Services, event: Skipped) -> None:
    request = event.request
    if event.absent:
        await to_person(app, services, request, lambda _: esc(_(
            "You were called twice but were not there: your request is closed.")))
        await to_desk(app, services, lambda _: "⏭ " + esc(_(
            "{name} was not there again: marked absent.").format(name=request.name)))
        return
    await to_person(app, services, request, lambda _: esc(_(
        "You were called but were not there: you are back on the list at position "
        "{position}.").format(position=request.position)))
    await to_desk(app, services, lambda _: "⏭ " + esc(_(
        "{name} was not there: back to position {position}.").format(
            name=request.name, position=request.position)))


async def _confirm(app: Application, services: Services, event: ConfirmationNeeded,
                   chat_id: int) -> None:
    _ = gettext_for(services, chat_id)
    budget, limit = event.budget_seconds, event.limit_seconds
    granted = budget if budget > 0 else limit
    if budget > 0:
        text = esc(_("The remote budget left ({left}) cannot cover a full slot of {limit} for "
                     "{name}.").format(left=render.clock(budget), limit=render.clock(limit),
                                       name=event.request.name))
    else:
        text = esc(_("The remote budget is exhausted ({left}). {name} would speak beyond it.")
                   .format(left=render.clock(budget), name=event.request.name))
    text = "⚠️ " + text + "\n" + esc(_("Give the floor anyway?"))
    await send(app, services, chat_id, text,
               render.confirm_keyboard(event.request.id, render.clock(granted), _))
