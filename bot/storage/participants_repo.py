"""Participants, run-time roles, invite codes and the audit log in SQLite."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.storage.db import Database


@dataclass(frozen=True)
class Participant:
    """A person who talked to the bot (or was added by an organiser)."""

    telegram_id: int
    display_name: str
    username: str | None
    delegation: str
    mode: str
    language: str | None
    telegram_language: str | None
    timezone: str | None
    subscribed: bool
    active: bool


_COLUMNS = ("telegram_id, display_name, username, delegation, mode, language, telegram_language, "
            "timezone, subscribed, active")


def _participant(r: sqlite3.Row) -> Participant:
    return Participant(
        telegram_id=r["telegram_id"], display_name=r["display_name"], username=r["username"],
        delegation=r["delegation"], mode=r["mode"], language=r["language"],
        telegram_language=r["telegram_language"], timezone=r["timezone"],
        subscribed=bool(r["subscribed"]), active=bool(r["active"]),
    )


class ParticipantsRepo:
    """Reads and writes participants, roles, invites and audit entries."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def upsert_seen(self, telegram_id: int, display_name: str, username: str | None,
                    telegram_language: str | None, now: datetime) -> tuple[Participant, bool]:
        """Record that a user wrote to the bot; returns (participant, created)."""
        stamp = now.isoformat()
        known = self.get(telegram_id)
        if (known is not None and known.active and known.username == username
                and known.telegram_language == telegram_language
                and (known.display_name or not display_name)):
            return known, False  # nothing new: no write on every message
        with self.db.tx() as conn:
            exists = conn.execute("SELECT 1 FROM participants WHERE telegram_id = ?",
                                  (telegram_id,)).fetchone()
            if exists:
                conn.execute(
                    "UPDATE participants SET username = ?, telegram_language = ?, active = 1,"
                    " display_name = CASE WHEN display_name = '' THEN ? ELSE display_name END,"
                    " updated_at = ? WHERE telegram_id = ?",
                    (username, telegram_language, display_name, stamp, telegram_id),
                )
            else:
                conn.execute(
                    "INSERT INTO participants(telegram_id, display_name, username,"
                    " telegram_language, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (telegram_id, display_name, username, telegram_language, stamp, stamp),
                )
            row = conn.execute(f"SELECT {_COLUMNS} FROM participants WHERE telegram_id = ?",
                               (telegram_id,)).fetchone()
        return _participant(row), not exists

    def get(self, telegram_id: int) -> Participant | None:
        """One participant, or None."""
        rows = self.db.query(f"SELECT {_COLUMNS} FROM participants WHERE telegram_id = ?",
                             (telegram_id,))
        return _participant(rows[0]) if rows else None

    def all(self, *, active_only: bool = False) -> list[Participant]:
        """Every participant, oldest first."""
        where = " WHERE active = 1" if active_only else ""
        return [_participant(r) for r in self.db.query(
            f"SELECT {_COLUMNS} FROM participants{where} ORDER BY created_at, telegram_id")]

    def update(self, telegram_id: int, now: datetime, **fields: object) -> Participant | None:
        """Set some columns of a participant; returns the new row."""
        allowed = {"display_name", "delegation", "mode", "language", "timezone", "subscribed",
                   "active"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"not updatable: {sorted(unknown)}")
        if not fields:
            return self.get(telegram_id)
        assignments = ", ".join(f"{name} = ?" for name in fields)
        with self.db.tx() as conn:
            conn.execute(
                f"UPDATE participants SET {assignments}, updated_at = ? WHERE telegram_id = ?",
                (*fields.values(), now.isoformat(), telegram_id),
            )
        return self.get(telegram_id)

    # --- roles -------------------------------------------------------------------------------
    def granted_roles(self, telegram_id: int) -> set[str]:
        """Roles granted at run time."""
        return {r["role"] for r in self.db.query(
            "SELECT role FROM roles WHERE telegram_id = ?", (telegram_id,))}

    def holders(self, role: str) -> set[int]:
        """Users holding a run-time role."""
        return {r["telegram_id"] for r in self.db.query(
            "SELECT telegram_id FROM roles WHERE role = ?", (role,))}

    def grant(self, telegram_id: int, role: str, by: int | None, now: datetime) -> bool:
        """Grant a role; False when it was already held."""
        with self.db.tx() as conn:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO roles(telegram_id, role, granted_by, granted_at)"
                " VALUES (?, ?, ?, ?)", (telegram_id, role, by, now.isoformat()))
            return cursor.rowcount == 1

    def revoke(self, telegram_id: int, role: str) -> bool:
        """Revoke a run-time role; False when it was not held."""
        with self.db.tx() as conn:
            cursor = conn.execute("DELETE FROM roles WHERE telegram_id = ? AND role = ?",
                                  (telegram_id, role))
            return cursor.rowcount == 1

    # --- invites -----------------------------------------------------------------------------
    def create_invite(self, code: str, role: str, by: int, now: datetime) -> None:
        """Store a new one-time invite code."""
        with self.db.tx() as conn:
            conn.execute("INSERT INTO invites(code, role, created_by, created_at)"
                         " VALUES (?, ?, ?, ?)", (code, role, by, now.isoformat()))

    def redeem_invite(self, code: str, user_id: int, now: datetime) -> str | None:
        """Use an invite once: grants its role and returns it, or None if unknown/used."""
        with self.db.tx() as conn:
            row = conn.execute("SELECT role, used_by FROM invites WHERE code = ?",
                               (code,)).fetchone()
            if row is None or row["used_by"] is not None:
                return None
            conn.execute("UPDATE invites SET used_by = ?, used_at = ? WHERE code = ?",
                         (user_id, now.isoformat(), code))
            conn.execute(
                "INSERT OR IGNORE INTO roles(telegram_id, role, granted_by, granted_at)"
                " VALUES (?, ?, NULL, ?)", (user_id, row["role"], now.isoformat()))
            return str(row["role"])

    # --- audit -------------------------------------------------------------------------------
    def audit(self, actor_id: int | None, action: str, detail: str, now: datetime,
              allowed: bool = True) -> None:
        """Append one entry to the audit log."""
        with self.db.tx() as conn:
            conn.execute("INSERT INTO audit_log(at, actor_id, action, detail, allowed)"
                         " VALUES (?, ?, ?, ?, ?)",
                         (now.isoformat(), actor_id, action, detail, int(allowed)))

    def audit_entries(self, limit: int = 100) -> list[dict[str, object]]:
        """The most recent audit entries, newest first."""
        return [dict(r) for r in self.db.query(
            "SELECT at, actor_id, action, detail, allowed FROM audit_log"
            " ORDER BY id DESC LIMIT ?", (limit,))]
