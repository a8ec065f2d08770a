"""Builds the reminder and broadcast services around one shared delivery engine.

One engine means one pacer: reminders and broadcasts going out at the same time share the
configured rate instead of each using all of it.
"""

from __future__ import annotations

from bot.clock import Clock
from bot.config import Config
from bot.i18n import I18n
from bot.services.broadcasts import BroadcastService
from bot.services.delivery import DeliveryEngine, DeliverySettings
from bot.services.participants import ParticipantService
from bot.services.reminders import ReminderService
from bot.storage.broadcasts_repo import BroadcastsRepo
from bot.storage.db import Database
from bot.storage.reminders_repo import RemindersRepo


def build_notifications(
    config: Config, db: Database, participants: ParticipantService, i18n: I18n, clock: Clock
) -> tuple[ReminderService, BroadcastService]:
    """(reminders, broadcasts) sharing a delivery engine paced by [limits]."""
    engine = DeliveryEngine(
        DeliverySettings(
            rate=config.limits.broadcast_messages_per_second,
            per_chat_rate=config.limits.per_chat_messages_per_second,
        )
    )
    reminders = ReminderService(config, participants, RemindersRepo(db), i18n, engine, clock)
    broadcasts = BroadcastService(config, participants, BroadcastsRepo(db), i18n, engine, clock)
    return reminders, broadcasts
