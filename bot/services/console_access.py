"""Who may use the chair's console: sign-in links, Mini App sign-ins, sessions, CSRF.

The decisions are the pure functions of `bot.web.auth`; this service gathers their inputs (the
clock, the stored digests, the organiser role) and applies them. Every refused sign-in is audited
(`console_signin`, allowed=0) and changes nothing else; the organiser role is checked again on
every request, so a revoked organiser is out at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn

from bot.clock import Clock
from bot.errors import UserError
from bot.services.participants import ParticipantService
from bot.storage.console_repo import ConsoleRepo
from bot.storage.db import Database
from bot.web import auth
from bot.web.auth import Refusal

log = logging.getLogger(__name__)

SIGNIN = "signin"
SESSION = "session"


class ConsoleRefused(Exception):
    """A refused console credential; nothing was changed."""

    def __init__(self, refusal: Refusal, actor_id: int | None = None) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal
        self.actor_id = actor_id


@dataclass(frozen=True)
class Grant:
    """A new session: the secrets go to the browser (cookie, or the Mini App's memory)."""

    user_id: int
    session_id: str
    csrf: str
    expires_at: datetime


@dataclass(frozen=True)
class ConsoleUser:
    """The organiser behind a valid session."""

    user_id: int
    csrf: str
    via: str


class ConsoleAccess:
    """Sign-in links, sessions and CSRF tokens of the chair's console."""

    def __init__(self, repo: ConsoleRepo, participants: ParticipantService, bot_token: str,
                 clock: Clock) -> None:
        if not bot_token:
            raise ValueError("the console needs the bot token")
        self.repo = repo
        self.participants = participants
        self.clock = clock
        self._webapp_token = bot_token
        self._key = auth.storage_key(bot_token)

    @classmethod
    def build(cls, db: Database, participants: ParticipantService, bot_token: str | None,
              clock: Clock) -> ConsoleAccess:
        """The service over the bot's database (stateless: cheap to build per request)."""
        return cls(ConsoleRepo(db), participants, bot_token or "", clock)

    # --- sign-in links ---------------------------------------------------------------------
    def issue_link(self, user_id: int) -> str:
        """A new one-time sign-in token for an organiser (valid SIGNIN_TTL)."""
        if not self.participants.is_organiser(user_id):
            self.participants.audit(user_id, "console_link", "refused: not an organiser",
                                    allowed=False)
            raise UserError("Sorry, only the organisers can use this.")
        now = self.clock()
        self.repo.purge(now)
        token = auth.new_secret()
        self.repo.add_signin(auth.digest(self._key, SIGNIN, token), user_id, now,
                             now + auth.SIGNIN_TTL)
        self.participants.audit(user_id, "console_link", "sign-in link issued")
        return token

    def sign_in_with_link(self, token: str) -> Grant:
        """Use a sign-in link once: a session for its organiser (ConsoleRefused otherwise)."""
        now = self.clock()
        if not auth.looks_like_secret(token):
            self._refuse(Refusal.MALFORMED, None, "link")
        stored = self.repo.take_signin(auth.digest(self._key, SIGNIN, token), now)
        refusal = auth.signin_refusal(stored.expires_at if stored else None,
                                      stored.used_at if stored else None, now)
        user_id = stored.user_id if stored else None
        if refusal is not None:
            self._refuse(refusal, user_id, "link")
        assert user_id is not None
        if not self.participants.is_organiser(user_id):  # revoked since the link was given
            self._refuse(Refusal.NOT_ORGANISER, user_id, "link")
        return self._open_session(user_id, "link", now)

    def sign_in_with_webapp(self, init_data: str) -> Grant:
        """Sign in from the Mini App: Telegram's signature, its age, the organiser role."""
        now = self.clock()
        try:
            user = auth.verify_init_data(init_data, self._webapp_token, now)
        except auth.AuthError as error:
            self._refuse(error.refusal, None, "webapp")
        if not self.participants.is_organiser(user.id):
            self._refuse(Refusal.NOT_ORGANISER, user.id, "webapp")
        return self._open_session(user.id, "webapp", now)

    # --- sessions ----------------------------------------------------------------------------
    def authenticate(self, session_id: str | None) -> ConsoleUser:
        """The organiser of a session id (from the cookie or the header)."""
        if not auth.looks_like_secret(session_id):
            raise ConsoleRefused(Refusal.UNKNOWN)
        assert session_id is not None
        stored = self.repo.session(auth.digest(self._key, SESSION, session_id))
        refusal = auth.session_refusal(stored.expires_at if stored else None, self.clock())
        if refusal is not None or stored is None:
            raise ConsoleRefused(refusal or Refusal.UNKNOWN)
        if not self.participants.is_organiser(stored.user_id):
            self.participants.audit(stored.user_id, "console", "refused: not an organiser",
                                    allowed=False)
            raise ConsoleRefused(Refusal.NOT_ORGANISER, stored.user_id)
        return ConsoleUser(stored.user_id, stored.csrf, stored.via)

    def check_csrf(self, user: ConsoleUser, token: str | None, action: str) -> None:
        """Refuse (and audit) a change without the session's CSRF token."""
        if not auth.same_secret(user.csrf, token):
            self.participants.audit(user.user_id, f"console_{action}"[:40],
                                    "refused: missing or wrong CSRF token", allowed=False)
            raise ConsoleRefused(Refusal.CSRF, user.user_id)

    def sign_out(self, session_id: str) -> bool:
        """End a session."""
        if not auth.looks_like_secret(session_id):
            return False
        return self.repo.delete_session(auth.digest(self._key, SESSION, session_id))

    # --- internals ---------------------------------------------------------------------------
    def _open_session(self, user_id: int, via: str, now: datetime) -> Grant:
        session_id, csrf = auth.new_secret(), auth.new_secret()
        expires = now + auth.SESSION_TTL
        self.repo.add_session(auth.digest(self._key, SESSION, session_id), user_id, csrf, via,
                              now, expires)
        self.participants.audit(user_id, "console_signin", f"signed in ({via})")
        log.info("console: organiser %s signed in (%s)", user_id, via)
        return Grant(user_id, session_id, csrf, expires)

    def _refuse(self, refusal: Refusal, user_id: int | None, via: str) -> NoReturn:
        self.participants.audit(user_id, "console_signin", f"refused ({via}): {refusal.value}",
                                allowed=False)
        log.info("console sign-in refused (%s): %s", via, refusal.value)
        raise ConsoleRefused(refusal, user_id)
