"""The composition root: builds services, the PTB Application, handlers and start-up jobs.

Nothing is built at import time; `bot/__main__.py` and the tests call these functions.
"""

from __future__ import annotations

import asyncio
import html
import logging
from types import ModuleType
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes

from bot.clock import Clock, system_clock
from bot.config import Config, Env
from bot.domain.roles import ORGANISER, RoleSources
from bot.handlers import admin, profile, start
from bot.handlers import agenda as agenda_handlers
from bot.handlers import ask as ask_handlers
from bot.handlers import broadcast as broadcast_handlers
from bot.handlers import console as console_handlers
from bot.handlers import floor_commands as floor_handlers
from bot.handlers import reindex as reindex_handlers
from bot.handlers import screen as screen_handlers
from bot.handlers.common import CommandSpec, gettext_for
from bot.handlers.menu import publish_menus
from bot.i18n import I18n
from bot.loop_monitor import monitor_loop
from bot.services.answering import build_answer_service
from bot.services.floor_service import build_floor_service
from bot.services.indexing import IndexingService
from bot.services.notifications import build_notifications
from bot.services.participants import ParticipantService
from bot.services.questions import QuestionService
from bot.services.registry import Services
from bot.storage.db import Database
from bot.storage.embeddings import default_embedder
from bot.storage.knowledge import KnowledgeStore
from bot.storage.participants_repo import ParticipantsRepo
from bot.storage.questions_repo import QuestionsRepo
from bot.telegram_http import AiohttpRequest
from bot.web.server import start_web, stop_web

log = logging.getLogger(__name__)

# Feature modules in registration order. The question catch-all (ask) must stay last.
FEATURES: list[ModuleType] = [start, profile, admin, agenda_handlers, broadcast_handlers,
                              floor_handlers, reindex_handlers, screen_handlers, console_handlers,
                              ask_handlers]


def build_services(config: Config, env: Env, clock: Clock = system_clock) -> Services:
    """Open storage and build every service of the assistant."""
    data_dir = env.ensure_data_dir()
    db = Database(data_dir / "panel.sqlite", synchronous=env.sqlite_sync)
    roles = RoleSources(
        organisers=frozenset(config.roles.organisers),
        panelists=frozenset(config.roles.panelists),
        high_level=frozenset(config.roles.high_level),
    )
    i18n = I18n.load()
    participants = ParticipantService(ParticipantsRepo(db), roles, clock)
    reminders, broadcasts = build_notifications(config, db, participants, i18n, clock)
    knowledge = KnowledgeStore.open(data_dir, config.vector_store, default_embedder())
    answers = build_answer_service(config, data_dir, i18n, store=knowledge)
    indexer = IndexingService(config, data_dir)
    indexer.on_published(answers.refresh)
    return Services(
        config=config, env=env, clock=clock, db=db, i18n=i18n, participants=participants,
        floor=build_floor_service(config.floor, db, participants, clock),
        reminders=reminders, broadcasts=broadcasts,
        answers=answers, questions=QuestionService(QuestionsRepo(db), clock),
        knowledge=knowledge, indexer=indexer,
    )


def all_commands() -> list[CommandSpec]:
    """Every command of every feature, in menu order."""
    specs: list[CommandSpec] = []
    for module in FEATURES:
        specs.extend(getattr(module, "COMMANDS", []))
    return specs


def build_application(services: Services) -> Application:
    """The PTB Application wired to the services (token and base URL from the environment)."""
    env = services.env
    if not env.token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    limits = services.config.limits
    builder: Any = (  # its generic type changes with each setting
        ApplicationBuilder()
        .token(env.token)
        .concurrent_updates(True)
        # aiohttp instead of httpx: under a burst httpcore's pool bookkeeping took most of the
        # event loop (bot/telegram_http.py). The long poll gets its own connection.
        .request(AiohttpRequest(32))
        .get_updates_request(AiohttpRequest(1))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    builder = builder.rate_limiter(AIORateLimiter(
        overall_max_rate=limits.broadcast_messages_per_second, overall_time_period=1,
        max_retries=3))
    if env.api_base_url:
        builder = builder.base_url(env.api_base_url)
        builder = builder.base_file_url(env.api_base_url.replace("/bot", "/file/bot"))
    application = builder.build()
    application.bot_data["services"] = services
    application.bot_data["commands"] = all_commands()
    for module in FEATURES:
        application.add_handlers(module.handlers(services))
    application.add_handlers(start.fallback_handlers(services))
    application.add_error_handler(_on_error)
    return application


async def _post_init(application: Application) -> None:
    services: Services = application.bot_data["services"]
    organisers = {user_id: services.participants.language(user_id)
                  for user_id in services.participants.holders(ORGANISER)
                  if services.participants.get(user_id) is not None}
    await publish_menus(application.bot, services.i18n, application.bot_data["commands"],
                        organisers)
    monitor = services.env.loop_monitor
    if monitor is not None:
        application.bot_data["loop_monitor"] = asyncio.create_task(monitor_loop(monitor))
    for module in FEATURES:
        on_startup = getattr(module, "on_startup", None)
        if on_startup is not None:
            await on_startup(application, services)
    await start_web(application, services)  # the room screen; a taken port is only logged
    log.info("started: %s", services.config.event.title)


async def _post_shutdown(application: Application) -> None:
    services: Services = application.bot_data["services"]
    for module in FEATURES:  # e.g. the answering worker pool (ask)
        on_shutdown = getattr(module, "on_shutdown", None)
        if on_shutdown is not None:
            await on_shutdown(application, services)
    await stop_web(application)
    services.close()


async def _on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the traceback; tell the user something went wrong, without details."""
    log.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    services: Services = context.application.bot_data["services"]
    user = update.effective_user
    _ = gettext_for(services, user.id if user else None, user.language_code if user else None)
    text = _("Sorry, something went wrong on my side. Please try again in a moment.")
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text[:200], show_alert=True)
        else:
            await update.effective_chat.send_message(html.escape(text), parse_mode=ParseMode.HTML)
    except Exception:  # the error report itself must never raise
        log.warning("could not tell the user about the error", exc_info=True)
