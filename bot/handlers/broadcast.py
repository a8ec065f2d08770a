"""Organiser broadcasts: /broadcast with Send/Cancel, /schedule, /scheduled, /cancel <id>.

Sending runs as an application task (the button handler returns at once); a progress message is
edited every few seconds on large audiences and ends as the delivery report. Scheduled and
interrupted broadcasts are rebuilt as JobQueue jobs at start-up (`broadcast:<id>`), with the same
explicit misfire rule as reminders: APScheduler always runs them, the domain decides (a scheduled
broadcast missed while the bot was down is sent up to 10 minutes late, else expired and reported).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    JobQueue,
)

from bot.domain.agenda import event_zone_name
from bot.domain.broadcast import (
    DeliveryReport,
    Due,
    audience_label,
    render_preview,
    render_report,
    render_scheduled,
)
from bot.errors import UserError
from bot.handlers.common import (
    CommandSpec,
    Context,
    bind,
    command_text,
    esc,
    gettext_for,
    html_for,
    organiser_only,
    reply,
    user_context,
)
from bot.handlers.telegram_sender import delivery_sender
from bot.services.registry import Services

log = logging.getLogger(__name__)

COMMANDS = [
    CommandSpec("broadcast", "Send a message to participants: /broadcast [audience] text", True),
    CommandSpec("schedule", "Schedule a broadcast: /schedule HH:MM [audience] text", True),
    CommandSpec("scheduled", "List scheduled broadcasts", True),
    CommandSpec("cancel", "Cancel a scheduled broadcast: /cancel <id>", True),
]

JOB_KWARGS: dict[str, Any] = {"misfire_grace_time": None, "coalesce": True}
CALLBACK = re.compile(r"^bc:(send|cancel):(\d{1,12})$")

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


# --- /broadcast ----------------------------------------------------------------------------------


@organiser_only("broadcast")
async def broadcast(services: Services, update: Update, context: Context) -> None:
    """Store a draft and show it with the recipient count and Send / Cancel buttons."""
    ctx = user_context(services, update)
    _ = ctx.gettext
    record, count = services.broadcasts.draft(ctx.user_id, ctx.chat_id, command_text(update))
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("Send"), callback_data=f"bc:send:{record.id}"),
                InlineKeyboardButton(_("Cancel"), callback_data=f"bc:cancel:{record.id}"),
            ]
        ]
    )
    await reply(update, render_preview(record.audience, record.text, count, _), keyboard)


@organiser_only("broadcast_send")
async def broadcast_button(services: Services, update: Update, context: Context) -> None:
    """Send or Cancel pressed under a preview."""
    query = update.callback_query
    if query is None:
        return
    ctx = user_context(services, update)
    _ = ctx.gettext
    match = CALLBACK.match(query.data or "")
    if match is None:
        await query.answer(_("This button is no longer valid."), show_alert=True)
        return
    action, broadcast_id = match.group(1), int(match.group(2))
    if action == "cancel":
        cancelled = services.broadcasts.cancel_draft(broadcast_id, ctx.user_id)
        await query.answer(_("Cancelled.") if cancelled else _("Too late: already handled."))
        await _drop_buttons(query)
        return
    if not services.broadcasts.start(broadcast_id):
        await query.answer(_("Too late: already handled."), show_alert=True)
        await _drop_buttons(query)
        return
    await query.answer(_("Sending…"))
    await _drop_buttons(query)
    context.application.create_task(
        deliver_and_report(context.application, services, broadcast_id), update=update
    )


async def _drop_buttons(query: Any) -> None:
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except TelegramError:
        log.debug("could not remove the buttons", exc_info=True)


async def deliver_and_report(
    application: AnyApplication, services: Services, broadcast_id: int, resumed: bool = False
) -> DeliveryReport | None:
    """Deliver a 'sending' broadcast, editing a progress message, ending with the report."""
    record = services.broadcasts.get(broadcast_id)
    if record is None:
        return None
    _ = gettext_for(services, record.created_by)
    bot = application.bot
    chat_id = record.report_chat_id
    header = esc(_("Broadcast #{id}").format(id=broadcast_id))
    if resumed:
        header += " — " + esc(_("resumed after a restart"))
    progress_id: int | None = None
    try:
        start_text = render_report(services.broadcasts.report(broadcast_id), _)
        message = await bot.send_message(
            chat_id, html_for(services, chat_id, f"{header}\n{start_text}"),
            parse_mode=ParseMode.HTML)
        progress_id = message.message_id
        services.broadcasts.set_progress_message(broadcast_id, progress_id)
    except TelegramError:
        log.warning("could not send the progress message of broadcast %s", broadcast_id)

    async def show(report: DeliveryReport) -> None:
        if progress_id is None:
            return
        try:
            await bot.edit_message_text(
                html_for(services, chat_id, f"{header}\n{render_report(report, _)}"),
                chat_id=chat_id,
                message_id=progress_id,
                parse_mode=ParseMode.HTML,
            )
        except BadRequest as error:  # "message is not modified" and the like
            log.debug("progress edit refused: %s", error)

    async with delivery_sender(services) as send:
        report = await services.broadcasts.run(broadcast_id, send, on_progress=show)
    if progress_id is not None:
        await show(report)
    else:
        await bot.send_message(
            chat_id, html_for(services, chat_id, f"{header}\n{render_report(report, _)}"),
            parse_mode=ParseMode.HTML)
    return report


# --- /schedule, /scheduled, /cancel --------------------------------------------------------------


@organiser_only("schedule")
async def schedule(services: Services, update: Update, context: Context) -> None:
    """/schedule <HH:MM | YYYY-MM-DD HH:MM> [audience] <text>, in the event's time zone."""
    ctx = user_context(services, update)
    _ = ctx.gettext
    record = services.broadcasts.schedule(ctx.user_id, ctx.chat_id, command_text(update))
    assert record.scheduled_for is not None
    if context.job_queue is not None:
        schedule_broadcast_job(context.job_queue, services, record.id, record.scheduled_for)
    when = record.scheduled_for.astimezone(services.config.tz).strftime("%Y-%m-%d %H:%M")
    count = len(services.broadcasts.recipients(record.audience))
    text = _(
        "Scheduled #{id} for {when} ({label}), to {audience} ({count} recipients today). "
        "Cancel it with /cancel {id}."
    ).format(
        id=record.id,
        when=when,
        label=event_zone_name(services.config.event.timezone_label, services.config.tz, _),
        audience=audience_label(record.audience, _),
        count=count,
    )
    await reply(update, esc(text))


@organiser_only("scheduled")
async def scheduled(services: Services, update: Update, context: Context) -> None:
    """List pending scheduled broadcasts."""
    _ = user_context(services, update).gettext
    text = render_scheduled(
        services.broadcasts.scheduled(),
        services.config.tz,
        _,
        event_label=services.config.event.timezone_label,
    )
    await reply(update, text)


@organiser_only("cancel_broadcast")
async def cancel(services: Services, update: Update, context: Context) -> None:
    """/cancel <id>: cancel a pending scheduled broadcast."""
    ctx = user_context(services, update)
    _ = ctx.gettext
    word = command_text(update).lstrip("#").strip()
    if not (word.isascii() and word.isdigit()) or len(word) > 12:
        raise UserError("Use /cancel <id>; /scheduled lists the ids.")
    record = services.broadcasts.cancel_scheduled(int(word), ctx.user_id)
    if context.job_queue is not None:
        for job in context.job_queue.get_jobs_by_name(f"broadcast:{record.id}"):
            job.schedule_removal()
    await reply(update, esc(_("Scheduled broadcast #{id} is cancelled.").format(id=record.id)))


# --- jobs ----------------------------------------------------------------------------------------


def schedule_broadcast_job(
    job_queue: JobQueue[Any], services: Services, broadcast_id: int, when: datetime
) -> None:
    """One named job per scheduled broadcast (replacing any older one).

    The delay is measured on the services' clock, the one `decide()` uses.
    """
    name = f"broadcast:{broadcast_id}"
    for old in job_queue.get_jobs_by_name(name):
        old.schedule_removal()
    delay = max(0.0, (when - services.clock()).total_seconds())
    job_queue.run_once(
        scheduled_job, when=delay, name=name, data=broadcast_id, job_kwargs=JOB_KWARGS
    )


async def scheduled_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """A scheduled broadcast is due: send it, or expire it if far too late."""
    services: Services = context.application.bot_data["services"]
    job = context.job
    if job is None or not isinstance(job.data, int):
        return
    record = services.broadcasts.get(job.data)
    if record is None or record.status != "scheduled" or record.scheduled_for is None:
        return  # cancelled meanwhile
    decision = services.broadcasts.decide(record)
    if decision is Due.WAIT:  # fired early (clock adjustment): wait again
        if context.job_queue is not None:
            schedule_broadcast_job(context.job_queue, services, record.id, record.scheduled_for)
        return
    if decision is Due.EXPIRE:
        if services.broadcasts.expire(record.id):
            _ = gettext_for(services, record.created_by)
            when = record.scheduled_for.astimezone(services.config.tz).strftime("%Y-%m-%d %H:%M")
            text = _(
                "Scheduled broadcast #{id} ({when}) was not sent: the bot was not running at "
                "that time and it is now too late. Send it again with /broadcast if needed."
            ).format(id=record.id, when=when)
            await context.bot.send_message(record.report_chat_id, esc(text),
                                           parse_mode=ParseMode.HTML)
        return
    if services.broadcasts.start(record.id, ("scheduled",)):
        await deliver_and_report(context.application, services, record.id)


async def resume_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Finish a broadcast a restart interrupted."""
    services: Services = context.application.bot_data["services"]
    job = context.job
    if job is not None and isinstance(job.data, int):
        await deliver_and_report(context.application, services, job.data, resumed=True)


async def on_startup(application: AnyApplication, services: Services) -> None:
    """Resume interrupted broadcasts and rebuild the jobs of scheduled ones."""
    job_queue = application.job_queue
    if job_queue is None:
        log.error("no JobQueue: scheduled broadcasts are off")
        return
    for record in services.broadcasts.interrupted():
        name = f"broadcast:{record.id}"
        for old in job_queue.get_jobs_by_name(name):
            old.schedule_removal()
        job_queue.run_once(resume_job, when=0.0, name=name, data=record.id, job_kwargs=JOB_KWARGS)
    for view in services.broadcasts.scheduled():
        schedule_broadcast_job(job_queue, services, view.id, view.when)


def handlers(services: Services) -> list[BaseHandler[Any, Any, Any]]:
    """Handlers of this module."""
    return [
        CommandHandler("broadcast", bind(services, broadcast)),
        CallbackQueryHandler(bind(services, broadcast_button), pattern=r"^bc:"),
        CommandHandler("schedule", bind(services, schedule)),
        CommandHandler("scheduled", bind(services, scheduled)),
        CommandHandler("cancel", bind(services, cancel)),
    ]
