"""The chair's console's sign-in links and sessions in SQLite (digests only, never secrets)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.storage.db import Database

VIA = ("link", "webapp")


@dataclass(frozen=True)
class StoredSignIn:
    """A sign-in link as stored."""

    user_id: int
    expires_at: datetime
    used_at: datetime | None


@dataclass(frozen=True)
class StoredSession:
    """A console session as stored."""

    user_id: int
    csrf: str
    via: str
    expires_at: datetime


def _stamp(moment: datetime) -> str:
    # One fixed format in UTC, so that stored times also compare as text (the purge).
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _signin(row: sqlite3.Row) -> StoredSignIn:
    used = row["used_at"]
    return StoredSignIn(int(row["user_id"]), datetime.fromisoformat(row["expires_at"]),
                        datetime.fromisoformat(used) if used else None)


class ConsoleRepo:
    """Sign-in links (valid once) and sessions, keyed by the digests of their secrets."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- sign-in links ---------------------------------------------------------------------
    def add_signin(self, token_hash: str, user_id: int, now: datetime,
                   expires_at: datetime) -> None:
        """Store a new sign-in link."""
        with self.db.tx() as conn:
            conn.execute("INSERT INTO console_signins(token_hash, user_id, created_at, expires_at)"
                         " VALUES (?, ?, ?, ?)",
                         (token_hash, user_id, _stamp(now), _stamp(expires_at)))

    def signin(self, token_hash: str) -> StoredSignIn | None:
        """A stored sign-in link."""
        rows = self.db.query("SELECT user_id, expires_at, used_at FROM console_signins"
                             " WHERE token_hash = ?", (token_hash,))
        return _signin(rows[0]) if rows else None

    def take_signin(self, token_hash: str, now: datetime) -> StoredSignIn | None:
        """The sign-in link as it was; marked used from now on if it was unused and unexpired.

        Read and marked in one transaction, so two tabs opening one link cannot both find it
        unused. The caller decides from what it was (unused, not expired) whether to sign in.
        """
        with self.db.tx() as conn:
            row = conn.execute("SELECT user_id, expires_at, used_at FROM console_signins"
                               " WHERE token_hash = ?", (token_hash,)).fetchone()
            conn.execute("UPDATE console_signins SET used_at = ? WHERE token_hash = ?"
                         " AND used_at IS NULL AND expires_at > ?",
                         (_stamp(now), token_hash, _stamp(now)))
        return _signin(row) if row is not None else None

    # --- sessions ----------------------------------------------------------------------------
    def add_session(self, session_hash: str, user_id: int, csrf: str, via: str, now: datetime,
                    expires_at: datetime) -> None:
        """Store a new session."""
        if via not in VIA:
            raise ValueError(f"unknown sign-in way {via!r}")
        with self.db.tx() as conn:
            conn.execute("INSERT INTO console_sessions(session_hash, user_id, csrf, via,"
                         " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                         (session_hash, user_id, csrf, via, _stamp(now), _stamp(expires_at)))

    def session(self, session_hash: str) -> StoredSession | None:
        """A stored session (expired ones included: the caller decides)."""
        rows = self.db.query("SELECT user_id, csrf, via, expires_at FROM console_sessions"
                             " WHERE session_hash = ?", (session_hash,))
        if not rows:
            return None
        row = rows[0]
        return StoredSession(int(row["user_id"]), str(row["csrf"]), str(row["via"]),
                             datetime.fromisoformat(row["expires_at"]))

    def delete_session(self, session_hash: str) -> bool:
        """End a session (sign out); False if there was none."""
        with self.db.tx() as conn:
            cursor = conn.execute("DELETE FROM console_sessions WHERE session_hash = ?",
                                  (session_hash,))
        return cursor.rowcount > 0

    def purge(self, now: datetime) -> int:
        """Forget expired links and sessions; returns how many rows went."""
        stamp = _stamp(now)
        with self.db.tx() as conn:
            links = conn.execute("DELETE FROM console_signins WHERE expires_at <= ?", (stamp,))
            sessions = conn.execute("DELETE FROM console_sessions WHERE expires_at <= ?",
                                    (stamp,))
        return links.rowcount + sessions.rowcount

    def counts(self) -> tuple[int, int]:
        """(sign-in links, sessions) stored."""
        rows = self.db.query("SELECT (SELECT COUNT(*) FROM console_signins),"
                             " (SELECT COUNT(*) FROM console_sessions)")
        return int(rows[0][0]), int(rows[0][1])
