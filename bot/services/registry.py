"""The services container handed to every handler module (built in bot/app.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.clock import Clock
from bot.config import Config, Env
from bot.i18n import I18n
from bot.services.participants import ParticipantService
from bot.storage.db import Database


@dataclass
class Services:
    """Everything the Telegram shell may call. Feature services are added as fields."""

    config: Config
    env: Env
    clock: Clock
    db: Database
    i18n: I18n
    participants: ParticipantService
    # Feature services (built in bot/app.py); typed loosely here to keep this module light.
    floor: Any = None
    reminders: Any = None
    broadcasts: Any = None
    answers: Any = None
    questions: Any = None
    knowledge: Any = None
    indexer: Any = None

    def close(self) -> None:
        """Release resources: the knowledge store, then the database connection."""
        if self.knowledge is not None:
            self.knowledge.close()
        self.db.close()
