"""The room screen's links: the unguessable key of the room screen and booth view URLs.

The key is made with `secrets.token_urlsafe` the first time it is needed and kept in SQLite, so
links survive a restart; `/screen reset` replaces it, and listeners (the web feed) close the
streams opened with the old one. Checks compare in constant time.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from bot.clock import Clock
from bot.errors import UserError
from bot.services.participants import ParticipantService
from bot.storage.db import Database
from bot.storage.screen_repo import ScreenRepo

log = logging.getLogger(__name__)

KEY_BYTES = 24  # 32 URL-safe characters, 192 random bits


def new_key() -> str:
    """A fresh unguessable key."""
    return secrets.token_urlsafe(KEY_BYTES)


class ScreenService:
    """The current screen key, its check and its replacement."""

    def __init__(self, repo: ScreenRepo, participants: ParticipantService, clock: Clock) -> None:
        self.repo = repo
        self.participants = participants
        self.clock = clock
        self._key = repo.key_or_create(new_key, clock())
        self._listeners: list[Callable[[str], None]] = []

    @property
    def key(self) -> str:
        """The key of the links now."""
        return self._key

    def matches(self, candidate: str) -> bool:
        """Whether `candidate` is the current key (constant time)."""
        return secrets.compare_digest(candidate.encode(), self._key.encode())

    def on_reset(self, listener: Callable[[str], None]) -> None:
        """Call `listener(old_key)` after each reset (closes the old links' open streams)."""
        self._listeners.append(listener)

    def reset(self, actor_id: int) -> str:
        """Replace the key (organisers only); old links stop working. Returns the new key."""
        if not self.participants.is_organiser(actor_id):
            self.participants.audit(actor_id, "screen_reset", "refused: not an organiser",
                                    allowed=False)
            raise UserError("Sorry, only the organisers can use this.")
        old, key = self._key, new_key()
        self.repo.replace(key, self.clock(), actor_id)
        self._key = key
        self.participants.audit(actor_id, "screen_reset", "screen links replaced")
        for listener in self._listeners:
            try:
                listener(old)
            except Exception:  # closing old streams must never undo the reset
                log.exception("screen reset listener failed")
        return key


def build_screen_service(db: Database, participants: ParticipantService,
                         clock: Clock) -> ScreenService:
    """The screen service over the bot's database."""
    return ScreenService(ScreenRepo(db), participants, clock)
