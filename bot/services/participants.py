"""Participants and roles: registration, profile, grants, invites, audit."""

from __future__ import annotations

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.clock import Clock
from bot.domain.roles import ORGANISER, ROLES, RoleSources, effective_roles
from bot.errors import UserError
from bot.i18n import language_named, pick_language
from bot.storage.participants_repo import Participant, ParticipantsRepo

NAME_LIMIT = 80
DELEGATION_LIMIT = 120


def valid_zone(name: str) -> ZoneInfo | None:
    """The ZoneInfo for an IANA name, or None if unknown."""
    name = name.strip()
    if not name or "\x00" in name or ".." in name or name.startswith("/"):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


class ParticipantService:
    """Who people are and what they may do."""

    def __init__(self, repo: ParticipantsRepo, configured: RoleSources, clock: Clock) -> None:
        self.repo = repo
        self.configured = configured
        self.clock = clock

    def seen(self, user_id: int, name: str, username: str | None,
             telegram_language: str | None) -> tuple[Participant, bool]:
        """Register or refresh a user; returns (participant, newly created)."""
        return self.repo.upsert_seen(user_id, name[:NAME_LIMIT], username, telegram_language,
                                     self.clock())

    def get(self, user_id: int) -> Participant | None:
        """One participant."""
        return self.repo.get(user_id)

    def language(self, user_id: int | None, telegram_code: str | None = None) -> str:
        """The user's chosen language, else their Telegram app's (`telegram_code` when given,
        else the last one seen), else English."""
        participant = self.repo.get(user_id) if user_id else None
        if participant is None:
            return pick_language(None, telegram_code)
        return pick_language(participant.language, telegram_code or participant.telegram_language)

    def roles(self, user_id: int) -> frozenset[str]:
        """Config roles plus run-time grants."""
        return effective_roles(user_id, self.configured, self.repo.granted_roles(user_id))

    def is_organiser(self, user_id: int) -> bool:
        """True for organisers (config or granted)."""
        return ORGANISER in self.roles(user_id)

    def holders(self, role: str) -> set[int]:
        """Everyone holding a role, from config and grants."""
        configured = {"organiser": self.configured.organisers,
                      "panelist": self.configured.panelists,
                      "high_level": self.configured.high_level}[role]
        return set(configured) | self.repo.holders(role)

    def audit(self, actor_id: int | None, action: str, detail: str = "",
              allowed: bool = True) -> None:
        """Write one audit-log entry stamped with the clock."""
        self.repo.audit(actor_id, action, detail, self.clock(), allowed)

    def now(self) -> datetime:
        """The service clock's time."""
        return self.clock()

    # --- profile ---------------------------------------------------------------------------
    def set_profile(self, user_id: int, name: str, delegation: str) -> Participant:
        """Set display name and delegation (trimmed, length-checked)."""
        name, delegation = " ".join(name.split()), " ".join(delegation.split())
        if not name:
            raise UserError("Please give your name, for example: /profile Ana Silva | Brazil")
        if len(name) > NAME_LIMIT or len(delegation) > DELEGATION_LIMIT:
            raise UserError("That is too long: at most {name} characters for the name and "
                            "{delegation} for the delegation.",
                            name=NAME_LIMIT, delegation=DELEGATION_LIMIT)
        return self._update(user_id, display_name=name, delegation=delegation)

    def set_mode(self, user_id: int, mode: str) -> Participant:
        """Set how the participant attends: in the room or remotely."""
        mode = mode.strip().lower()
        aliases = {"room": "room", "in_room": "room", "salle": "room", "sala": "room",
                   "remote": "remote", "online": "remote", "distance": "remote",
                   "remoto": "remote", "distancia": "remote", "ligne": "remote"}
        if mode not in aliases:
            raise UserError("Use /mode room or /mode remote.")
        return self._update(user_id, mode=aliases[mode])

    def set_timezone(self, user_id: int, zone_name: str) -> tuple[Participant, ZoneInfo]:
        """Set the user's IANA time zone after checking it exists."""
        zone = valid_zone(zone_name)
        if zone is None:
            raise UserError("Unknown time zone {zone}. Use an IANA name such as "
                            "America/New_York or Asia/Tokyo.", zone=zone_name[:64])
        return self._update(user_id, timezone=zone.key), zone

    def set_language(self, user_id: int, language: str) -> Participant:
        """Set the user's language: a code of `LANGUAGES` ('zh-CN' too) or its name."""
        code = language_named(language[:40])
        if code is None:
            raise UserError("Use /language followed by en (English), fr (français), "
                            "es (español), ar (العربية), zh (中文) or ru (русский).")
        return self._update(user_id, language=code)

    def set_subscribed(self, user_id: int, subscribed: bool) -> Participant:
        """Turn reminders on or off."""
        return self._update(user_id, subscribed=int(subscribed))

    def _update(self, user_id: int, **fields: object) -> Participant:
        participant = self.repo.update(user_id, self.clock(), **fields)
        if participant is None:
            raise UserError("Please send /start first.")
        return participant

    # --- roles (organisers) -------------------------------------------------------------------
    def grant(self, actor_id: int, user_id: int, role: str) -> bool:
        """Grant a role at run time; audited."""
        _check_role(role)
        changed = self.repo.grant(user_id, role, actor_id, self.clock())
        self.audit(actor_id, "grant", f"user={user_id} role={role} changed={changed}")
        return changed

    def revoke(self, actor_id: int, user_id: int, role: str) -> bool:
        """Revoke a run-time role; audited. Roles from config.toml cannot be revoked here."""
        _check_role(role)
        if role in self.configured.of(user_id):
            raise UserError("That role comes from config.toml; remove it there.")
        changed = self.repo.revoke(user_id, role)
        self.audit(actor_id, "revoke", f"user={user_id} role={role} changed={changed}")
        return changed

    def create_invite(self, actor_id: int, role: str) -> str:
        """A fresh one-time invite code for a role; audited."""
        _check_role(role)
        code = secrets.token_urlsafe(12)
        self.repo.create_invite(code, role, actor_id, self.clock())
        self.audit(actor_id, "invite", f"role={role}")
        return code

    def redeem_invite(self, user_id: int, code: str) -> str | None:
        """Apply an invite code once; returns the role it granted."""
        if not code or len(code) > 64:
            return None
        role = self.repo.redeem_invite(code, user_id, self.clock())
        if role:
            self.audit(user_id, "redeem_invite", f"role={role}")
        return role


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise UserError("Unknown role. Roles: organiser, panelist, high_level.")
