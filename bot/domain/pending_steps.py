"""Questions the bot has asked whose answer is the asker's next plain message.

A guided command (`/profile` without arguments) asks one question; the shell routes the same
user's next plain message in the same chat to it. Deciding the route and forgetting the question
happen in one call (`claim`), so two messages handled at the same time cannot both be taken as
the answer. A question left unanswered for `ttl` expires: a much later message is an ordinary
one again. Pure: the time is an argument.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

Key = tuple[int, int]  # (chat id, user id)


@dataclass
class PendingSteps:
    """The users (per chat) who owe an answer to one kind of question, and since when."""

    ttl: timedelta
    _asked: dict[Key, datetime] = field(default_factory=dict)

    def ask(self, key: Key, now: datetime) -> None:
        """The question has been asked: the next plain message from `key` answers it."""
        self._forget_expired(now)
        self._asked[key] = now

    def waiting(self, key: Key, now: datetime) -> bool:
        """Is an answer from `key` expected (and not expired)?"""
        asked = self._asked.get(key)
        return asked is not None and now - asked < self.ttl

    def claim(self, key: Key, now: datetime) -> bool:
        """Take the pending question of `key` (True once; False when none or expired)."""
        asked = self._asked.pop(key, None)
        return asked is not None and now - asked < self.ttl

    def drop(self, key: Key) -> bool:
        """Forget the question of `key`; True when there was one."""
        return self._asked.pop(key, None) is not None

    def _forget_expired(self, now: datetime) -> None:
        for key in [k for k, asked in self._asked.items() if now - asked >= self.ttl]:
            del self._asked[key]
