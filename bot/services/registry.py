"""The services container handed to every handler module (built in bot/app.py).

Every field is typed with its real class, so mypy checks each handler-to-service call. The
feature classes are imported for the type checker only: importing them here at run time would
load the answering stack (numpy, the embedding engine) with every handler module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.clock import Clock
from bot.config import Config, Env
from bot.i18n import I18n
from bot.services.participants import ParticipantService
from bot.storage.db import Database

if TYPE_CHECKING:
    from bot.services.answering import AnswerService
    from bot.services.broadcasts import BroadcastService
    from bot.services.floor_service import FloorService
    from bot.services.indexing import IndexingService
    from bot.services.questions import QuestionService
    from bot.services.reminders import ReminderService
    from bot.storage.knowledge import KnowledgeStore


@dataclass
class Services:
    """Everything the Telegram and web shells may call; built once, every field required."""

    config: Config
    env: Env
    clock: Clock
    db: Database
    i18n: I18n
    participants: ParticipantService
    floor: FloorService
    reminders: ReminderService
    broadcasts: BroadcastService
    answers: AnswerService
    questions: QuestionService
    knowledge: KnowledgeStore
    indexer: IndexingService

    def close(self) -> None:
        """Release resources: the answering threads, the knowledge store, then the database."""
        self.answers.close()
        self.knowledge.close()
        self.db.close()
