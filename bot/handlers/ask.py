"""Questions: any text in a private chat, /ask in groups; feedback buttons; /unanswered.

Register this module LAST: its private-text handler catches every message the other features
left. Answering runs in a small worker pool (one thread per core) so other users are not held up;
only new questions take a worker, and the chat shows "typing" when an answer takes a while.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.domain.answer import AbstainReason, Answer, render_html
from bot.domain.question_kind import QuestionKind
from bot.domain.rate_limit import SlidingWindowLimiter
from bot.handlers.common import (
    CommandSpec,
    Context,
    UserContext,
    bind,
    command_text,
    esc,
    organiser_only,
    reply,
    user_context,
)
from bot.handlers.unanswered_render import render_unanswered
from bot.i18n import Gettext
from bot.services.registry import Services

log = logging.getLogger(__name__)

COMMANDS = [
    CommandSpec("ask", "Ask a question about the panel: /ask your question"),
    CommandSpec("unanswered", "Questions the assistant could not answer", organiser=True),
]

FEEDBACK = re.compile(r"^qa:([ud]):(\d{1,12})$")
_LIMITER_KEY = "ask_limiter"
_POOL_KEY = "ask_pool"
TYPING_AFTER = 0.5  # seconds: quicker answers need no "typing..." (it would only flicker)


def feedback_markup(question_id: int, _: Gettext, chosen: bool | None = None
                    ) -> InlineKeyboardMarkup:
    """Helpful / not helpful buttons; the chosen one is ticked."""
    up = ("✅ " if chosen is True else "👍 ") + _("Helpful")
    down = ("✅ " if chosen is False else "👎 ") + _("Not helpful")
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(up, callback_data=f"qa:u:{question_id}"),
        InlineKeyboardButton(down, callback_data=f"qa:d:{question_id}"),
    ]])


async def ask_private(services: Services, update: Update, context: Context) -> None:
    """Answer any text written in a private chat."""
    message = update.effective_message
    if message is None or not message.text:
        return
    await _answer(services, update, context, message.text)


async def ask_command(services: Services, update: Update, context: Context) -> None:
    """/ask <question>: answer in any chat (groups included)."""
    question = command_text(update)
    if not question:
        _ = user_context(services, update).gettext
        await reply(update, esc(_("Usage: /ask your question, e.g. /ask When is the panel?")))
        return
    await _answer(services, update, context, question)


async def _answer(services: Services, update: Update, context: Context, question: str) -> None:
    ctx = user_context(services, update)
    _ = ctx.gettext
    if not _allowed(services, context, ctx):
        await reply(update, esc(_("You are asking very fast. Please wait a minute.")))
        return
    answer = await _answer_of(services, context, ctx, question)
    question_id = None
    if _recorded(answer):
        question_id = (await asyncio.to_thread(
            services.questions.record, answer, ctx.user_id, ctx.chat_id)).id
    answer_ = services.i18n.translator(answer.language).gettext
    markup = feedback_markup(question_id, answer_) if question_id else None
    await reply(update, render_html(answer, answer_), reply_markup=markup)


def _recorded(answer: Answer) -> bool:
    """Greetings, thanks and empty messages are not questions: they are not recorded."""
    return answer.kind is not QuestionKind.NONE and answer.reason is not AbstainReason.SMALL_TALK


async def _answer_of(services: Services, context: Context, ctx: UserContext,
                     question: str) -> Answer:
    """The answer: from the cache at once, shared with the same question being answered for
    someone else, or computed in the worker pool (only new questions take a worker). The chat
    shows "typing" when the answer takes longer than TYPING_AFTER seconds."""
    ticket = await asyncio.to_thread(services.answers.ticket, question, ctx.language,
                                     ctx.participant.timezone)
    waiting: asyncio.Future[Answer] = (
        asyncio.get_running_loop().run_in_executor(_answer_pool(context), ticket.run)
        if ticket.owner else asyncio.wrap_future(ticket.future))
    done, _pending = await asyncio.wait({waiting}, timeout=TYPING_AFTER)
    if not done:
        await _typing(context, ctx.chat_id)
    return ticket.own(await waiting)


def _answer_pool(context: Context) -> ThreadPoolExecutor:
    """Answering is CPU-bound: one worker per core keeps the event loop responsive under a burst
    (more threads only fight over the GIL and the cores)."""
    pool = context.application.bot_data.get(_POOL_KEY)
    if pool is None:
        pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 2,
                                  thread_name_prefix="answer")
        context.application.bot_data[_POOL_KEY] = pool
    return pool


def _allowed(services: Services, context: Context, ctx: UserContext) -> bool:
    limiter = context.application.bot_data.get(_LIMITER_KEY)
    if limiter is None:
        limiter = SlidingWindowLimiter(services.config.limits.questions_per_minute, 60.0)
        context.application.bot_data[_LIMITER_KEY] = limiter
    return bool(limiter.allow(ctx.user_id, services.clock().timestamp()))


async def _typing(context: Context, chat_id: int) -> None:
    try:
        await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
    except TelegramError:  # cosmetic; the answer matters
        log.debug("typing action failed", exc_info=True)


async def feedback(services: Services, update: Update, context: Context) -> None:
    """A helpful / not helpful press; a second press replaces the first."""
    query = update.callback_query
    if query is None:
        return
    ctx = user_context(services, update)
    _ = ctx.gettext
    match = FEEDBACK.match(query.data or "")
    if match is None:
        await query.answer(_("This button has expired."))
        return
    helpful = match.group(1) == "u"
    question_id = int(match.group(2))
    stored = await asyncio.to_thread(services.questions.feedback, question_id, ctx.user_id,
                                     helpful, ctx.chat_id)
    if not stored:
        await query.answer(_("This button has expired."))
        return
    await query.answer(_("Thank you for the feedback."))
    try:
        await query.edit_message_reply_markup(feedback_markup(question_id, _, helpful))
    except TelegramError:  # "message is not modified" on a repeated press
        log.debug("feedback markup not updated", exc_info=True)


@organiser_only("unanswered")
async def unanswered(services: Services, update: Update, context: Context) -> None:
    """Organisers: recent unanswered and not-helpful questions, with counts and why."""
    _ = user_context(services, update).gettext
    troubles = await asyncio.to_thread(services.questions.troubles)
    for part in render_unanswered(troubles, _):
        await reply(update, part)


def handlers(services: Services) -> list[BaseHandler]:
    """The handlers of this feature; the private-text catch-all comes last."""
    return [
        CommandHandler("ask", bind(services, ask_command)),
        CommandHandler("unanswered", bind(services, unanswered)),
        CallbackQueryHandler(bind(services, feedback), pattern=r"^qa:"),
        MessageHandler(filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE,
                       bind(services, ask_private)),
    ]


async def on_startup(application: Application, services: Services) -> None:
    """Start loading the model and the index in the background, before the first question
    (a question that comes sooner simply waits for what it needs)."""
    task = asyncio.create_task(_warm_up(services))
    application.bot_data["ask_warm_up"] = task  # keep a reference until it is done


async def on_shutdown(application: Application, services: Services) -> None:
    """Stop the answering workers: queued answers are dropped, running ones finish."""
    pool: ThreadPoolExecutor | None = application.bot_data.pop(_POOL_KEY, None)
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


async def _warm_up(services: Services) -> None:
    started = time.perf_counter()
    try:
        await asyncio.to_thread(services.answers.warm_up)
        log.info("answer service warmed up in %.1f s", time.perf_counter() - started)
    except Exception:
        log.exception("warming up the answer service failed; questions will load lazily")
