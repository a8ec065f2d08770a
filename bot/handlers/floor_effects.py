"""Carrying out the floor's events: messages to speakers and chairs, timers, the live status.

The texts are pure functions in `bot.handlers.floor_texts`; this module only sends them,
schedules and cancels the timers, and keeps the live status messages current.

The "desk" is the set of chats with a live status message (every organiser who ran the floor).
Timers are JobQueue one-off jobs named `floor:<kind>:<request id>`, rebuilt from SQLite at
start-up; a tick job edits the status messages and counts the overrun on the time-up notices.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
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
    Undone,
    Warned,
    Withdrawn,
)
from bot.domain.floor_model import Request, TimerKind
from bot.handlers import floor_render as render
from bot.handlers import floor_texts as texts
from bot.handlers.common import gettext_for, html_for
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


async def to_desk(app: Application, services: Services,
                  text_for: Callable[[Gettext], str | None]) -> dict[int, int]:
    """Send `text_for(gettext)` to every chair's chat; returns chat id -> message id."""
    sent: dict[int, int] = {}
    for chat_id in services.floor.status_messages():
        text = text_for(gettext_for(services, chat_id))
        if text is None:
            continue
        message = await send(app, services, chat_id, text)
        if message is not None:
            sent[chat_id] = message.message_id
    return sent


async def tell(app: Application, services: Services, event: Event,
               now: datetime) -> dict[int, int]:
    """Send an event's texts to its person, then to the chairs; returns the chairs' messages."""
    rules = services.floor.rules
    request = texts.request_of(event)
    person = request.participant_id if request is not None else None
    if person is not None:
        text = texts.to_person(event, gettext_for(services, person), now, rules)
        if text is not None:
            await send(app, services, person, text)
    return await to_desk(app, services, lambda _: texts.to_desk(event, _, now, rules))


def schedule(app: Application, services: Services, timer: ScheduleTimer, now: datetime) -> None:
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
    for kind in (TimerKind.WARNING, TimerKind.TIME_UP):
        for job in app.job_queue.get_jobs_by_name(f"floor:{kind}:{request_id}"):
            job.schedule_removal()


async def on_timer(context: ContextTypes.DEFAULT_TYPE) -> None:
    """A warning or time-up job fired."""
    job = context.job
    services: Services = context.application.bot_data["services"]
    if job is None or not isinstance(job.data, tuple):
        return
    request_id, kind = job.data
    outcome = services.floor.timer(int(request_id), TimerKind(str(kind)))
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
        text = texts.notice_text(request, overrun, _, final=final)
        if shown.get((chat_id, message_id)) == text:
            continue
        try:
            await app.bot.edit_message_text(html_for(services, chat_id, text), chat_id,
                                            message_id, parse_mode=ParseMode.HTML)
            shown[(chat_id, message_id)] = text
        except TelegramError as error:
            log.info("time-up notice of %s not edited: %s", chat_id, error)


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
        case TimeUp():
            sent = await tell(app, services, event, outcome.now)
            for chat_id, message_id in sent.items():
                services.floor.add_notice(event.request.id, chat_id, message_id)
        case Ended():
            await edit_notices(app, services, event.request, event.overrun_seconds, final=True)
            await tell(app, services, event, outcome.now)
        case ConfirmationNeeded():
            if actor_chat is not None:  # the confirmation goes to whoever acted
                await _confirm(app, services, event, actor_chat)
        case Undone():
            for request in event.requests:
                person = request.participant_id
                text = (texts.undone_to_person(request, gettext_for(services, person),
                                               outcome.now) if person is not None else None)
                if person is not None and text is not None:
                    await send(app, services, person, text)
            await tell(app, services, event, outcome.now)
        case (FloorGiven() | HeadsUp() | Warned() | Paused() | Resumed() | Skipped() | Withdrawn()
              | Moved() | ListChanged() | Requested() | LanguageSet()):
            await tell(app, services, event, outcome.now)
        case _:
            assert_never(event)  # mypy: every floor event is handled above


async def _confirm(app: Application, services: Services, event: ConfirmationNeeded,
                   chat_id: int) -> None:
    _ = gettext_for(services, chat_id)
    granted = render.clock(texts.granted_seconds(event))
    await send(app, services, chat_id, texts.confirmation_text(event, _),
               render.confirm_keyboard(event.request.id, granted, _))
