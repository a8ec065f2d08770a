"""/agenda, /calendar and /reminders on|off; reminder jobs rebuilt at start-up.

Reminder jobs are JobQueue (APScheduler) one-off jobs named `reminder:<key>`, rebuilt from the
config and the SQLite sent-log at every start (JobQueue jobs are not persisted). Misfire decision:
jobs are created with `misfire_grace_time=None`, so APScheduler always runs a late job (PTB's
default 1 s grace would silently drop it); whether a late reminder is still sent is decided by the
planner: only while its item has not started.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import InputFile, Update
from telegram.ext import Application, BaseHandler, CommandHandler, ContextTypes, JobQueue

from bot.domain.agenda import format_duration
from bot.domain.reminders import ReminderPlan
from bot.handlers.common import CommandSpec, Context, bind, command_text, esc, reply, user_context
from bot.handlers.telegram_sender import delivery_sender
from bot.services.registry import Services

log = logging.getLogger(__name__)

COMMANDS = [
    CommandSpec("agenda", "The agenda, in the meeting's time and yours"),
    CommandSpec("calendar", "Add the meeting to your calendar (.ics file)"),
    CommandSpec("reminders", "Turn reminders on or off: /reminders on|off"),
]

JOB_KWARGS: dict[str, Any] = {"misfire_grace_time": None, "coalesce": True}

_ON = {"on", "yes", "oui", "si", "sí", "1", "activer", "activar"}
_OFF = {"off", "no", "non", "0", "stop", "desactiver", "désactiver", "desactivar"}


async def agenda(services: Services, update: Update, context: Context) -> None:
    """Show every agenda item in the event's time and the user's own, now and next marked."""
    ctx = user_context(services, update)
    _ = ctx.gettext
    text = services.reminders.agenda_text(ctx.participant, _)
    if not ctx.participant.timezone:
        text += "\n\n" + esc(_("Tip: set /timezone Area/City to see the times in your zone."))
    await reply(update, text)


async def calendar(services: Services, update: Update, context: Context) -> None:
    """Send the agenda as an .ics file."""
    ctx = user_context(services, update)
    _ = ctx.gettext
    name, data = services.reminders.calendar()
    chat = update.effective_chat
    if chat is None:
        return
    await chat.send_document(
        document=InputFile(data, filename=name),
        caption=esc(_("Open this file to add the meeting to your calendar.")),
        parse_mode="HTML",
    )


async def reminders(services: Services, update: Update, context: Context) -> None:
    """/reminders on|off, or the current setting without an argument."""
    ctx = user_context(services, update)
    _ = ctx.gettext
    word = command_text(update).strip().lower()
    if word in _ON or word in _OFF:
        participant = services.reminders.set_subscribed(ctx.user_id, word in _ON)
        subscribed = participant.subscribed
    elif word:
        await reply(update, esc(_("Use /reminders on or /reminders off.")))
        return
    else:
        subscribed = ctx.participant.subscribed
    if subscribed:
        offsets = ", ".join(
            format_duration(m, _) for m in sorted(services.config.reminders.before_minutes)[::-1]
        )
        text = _("Reminders are on: I write to you {offsets} before each item.").format(
            offsets=offsets
        )
        text += " " + _("Turn them off with /reminders off.")
    else:
        text = _("Reminders are off. Turn them on with /reminders on.")
    await reply(update, esc(text))


# --- jobs ----------------------------------------------------------------------------------------


async def reminder_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send one reminder (its key is the job data) to every subscriber still missing it."""
    services: Services = context.application.bot_data["services"]
    job = context.job
    if job is None or not isinstance(job.data, str):
        return
    async with delivery_sender(services) as send:
        await services.reminders.fire(job.data, send)


def schedule_reminders(job_queue: JobQueue[Any], services: Services) -> ReminderPlan:
    """(Re)create one named job per reminder still to send; idempotent."""
    result = services.reminders.startup_plan()
    now = services.clock()  # delays on the services' clock, the one the planner used
    due_now = [(due.reminder, 0.0) for due in result.send_now]
    later = [(r, max(0.0, (r.due - now).total_seconds())) for r in result.schedule]
    for reminder, when in [*due_now, *later]:
        name = f"reminder:{reminder.key}"
        for old in job_queue.get_jobs_by_name(name):
            old.schedule_removal()
        job_queue.run_once(
            reminder_job, when=when, name=name, data=reminder.key, job_kwargs=JOB_KWARGS
        )
    log.info(
        "reminders: %d to send now, %d scheduled, %d past",
        len(result.send_now),
        len(result.schedule),
        len(result.expired),
    )
    return result


async def on_startup(
    application: Application[Any, Any, Any, Any, Any, Any], services: Services
) -> None:
    """Rebuild the reminder jobs from config and the sent-log."""
    if application.job_queue is None:
        log.error("no JobQueue: install python-telegram-bot[job-queue]; reminders are off")
        return
    schedule_reminders(application.job_queue, services)


def handlers(services: Services) -> list[BaseHandler[Any, Any, Any]]:
    """Handlers of this module."""
    return [
        CommandHandler("agenda", bind(services, agenda)),
        CommandHandler("calendar", bind(services, calendar)),
        CommandHandler("reminders", bind(services, reminders)),
    ]
