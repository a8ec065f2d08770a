"""The screen key: made once, kept in SQLite, checked, replaced by organisers only."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.roles import RoleSources
from bot.errors import UserError
from bot.services.participants import ParticipantService
from bot.services.screen import ScreenService, build_screen_service
from bot.storage.db import Database
from bot.storage.participants_repo import ParticipantsRepo
from tests.support import FakeClock

CHAIR, ANA = 111, 201


def service(path: Path, clock: FakeClock) -> tuple[ScreenService, Database]:
    db = Database(path / "panel.sqlite")
    participants = ParticipantService(ParticipantsRepo(db),
                                      RoleSources(organisers=frozenset({CHAIR})), clock)
    return build_screen_service(db, participants, clock), db


def audit(db: Database) -> list[tuple[int, str, str, int]]:
    return [(r["actor_id"], r["action"], r["detail"], r["allowed"])
            for r in db.query("SELECT * FROM audit_log ORDER BY id")]


def test_the_key_is_made_once_and_kept_across_restarts(tmp_path: Path) -> None:
    screens, db = service(tmp_path, FakeClock())
    key = screens.key
    assert len(key) == 32 and screens.matches(key)
    db.close()
    again, db = service(tmp_path, FakeClock())
    assert again.key == key
    db.close()


def test_only_the_exact_key_matches(tmp_path: Path) -> None:
    screens, db = service(tmp_path, FakeClock())
    key = screens.key
    for wrong in ("", key[:-1], key + "x", key.upper() if key.upper() != key else key.lower(),
                  "é" * 32):
        assert not screens.matches(wrong)
    db.close()


def test_an_organiser_replaces_the_key_and_the_listeners_hear_the_old_one(
        tmp_path: Path) -> None:
    clock = FakeClock()
    screens, db = service(tmp_path, clock)
    old = screens.key
    heard: list[str] = []
    screens.on_reset(lambda _key: (_ for _ in ()).throw(RuntimeError("broken listener")))
    screens.on_reset(heard.append)
    new = screens.reset(CHAIR)
    assert new != old and screens.key == new and heard == [old]
    assert not screens.matches(old) and screens.matches(new)
    assert audit(db)[-1] == (CHAIR, "screen_reset", "screen links replaced", 1)
    row = db.query("SELECT created_by, created_at FROM screen_key")[0]
    assert row["created_by"] == CHAIR and row["created_at"] == clock.now.isoformat()
    db.close()


def test_anyone_else_is_refused_audited_and_changes_nothing(tmp_path: Path) -> None:
    screens, db = service(tmp_path, FakeClock())
    key = screens.key
    heard: list[str] = []
    screens.on_reset(heard.append)
    with pytest.raises(UserError, match="only the organisers"):
        screens.reset(ANA)
    assert screens.key == key and heard == []
    assert db.query("SELECT key FROM screen_key")[0]["key"] == key
    assert audit(db) == [(ANA, "screen_reset", "refused: not an organiser", 0)]
    db.close()
