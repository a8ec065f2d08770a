"""The SQLite database: migrations, owner-only file, durability across reopen."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.storage.db import Database, create_private, migration_files
from bot.storage.participants_repo import ParticipantsRepo

NOW = datetime(2023, 3, 29, 12, 0, tzinfo=UTC)


def test_migrations_are_numbered_and_applied_once(tmp_path: Path) -> None:
    db = Database(tmp_path / "a.sqlite")
    numbers = [n for n, _, _ in migration_files()]
    assert numbers[0] == 1 and numbers == sorted(numbers)
    assert db.migrate() == []
    applied = [r["number"] for r in db.query("SELECT number FROM schema_migrations")]
    assert applied == numbers
    db.close()
    again = Database(tmp_path / "a.sqlite")
    assert again.migrate() == []


def test_database_file_is_owner_only(tmp_path: Path) -> None:
    Database(tmp_path / "b.sqlite").close()
    assert (tmp_path / "b.sqlite").stat().st_mode & 0o777 == 0o600


def test_participants_and_roles_survive_reopening(tmp_path: Path) -> None:
    repo = ParticipantsRepo(Database(tmp_path / "c.sqlite"))
    participant, created = repo.upsert_seen(7, "Ana", "ana", "fr", NOW)
    assert created and participant.subscribed and participant.mode == "remote"
    repo.update(7, NOW, delegation="Brazil", mode="room", timezone="America/Sao_Paulo")
    assert repo.grant(7, "panelist", 1, NOW) and not repo.grant(7, "panelist", 1, NOW)
    repo.db.close()
    reopened = ParticipantsRepo(Database(tmp_path / "c.sqlite"))
    again = reopened.get(7)
    assert again is not None
    assert (again.delegation, again.mode, again.timezone) == ("Brazil", "room",
                                                              "America/Sao_Paulo")
    assert reopened.granted_roles(7) == {"panelist"}
    _, created_again = reopened.upsert_seen(7, "Other name", "ana", "fr", NOW)
    assert not created_again and reopened.get(7).display_name == "Ana"  # type: ignore[union-attr]


def test_a_failed_transaction_changes_nothing(tmp_path: Path) -> None:
    repo = ParticipantsRepo(Database(tmp_path / "d.sqlite"))
    with pytest.raises(RuntimeError), repo.db.tx() as conn:
        conn.execute("INSERT INTO audit_log(at, action) VALUES ('x', 'y')")
        raise RuntimeError("boom")
    assert repo.audit_entries() == []


def test_an_invite_is_used_once(tmp_path: Path) -> None:
    repo = ParticipantsRepo(Database(tmp_path / "e.sqlite"))
    repo.create_invite("code1", "high_level", 1, NOW)
    assert repo.redeem_invite("code1", 9, NOW) == "high_level"
    assert repo.redeem_invite("code1", 10, NOW) is None
    assert repo.redeem_invite("nope", 10, NOW) is None
    assert repo.granted_roles(9) == {"high_level"} and repo.granted_roles(10) == set()


def test_update_rejects_unknown_columns(tmp_path: Path) -> None:
    repo = ParticipantsRepo(Database(tmp_path / "f.sqlite"))
    repo.upsert_seen(1, "A", None, None, NOW)
    with pytest.raises(ValueError):
        repo.update(1, NOW, username="x")


def test_index_databases_are_created_owner_only(tmp_path: Path) -> None:
    from indexer.manifest import Manifest

    Manifest(tmp_path / "index.sqlite")
    assert (tmp_path / "index.sqlite").stat().st_mode & 0o777 == 0o600
    (tmp_path / "existing.sqlite").write_bytes(b"")
    (tmp_path / "existing.sqlite").chmod(0o640)
    create_private(tmp_path / "existing.sqlite")  # an existing file keeps its mode
    assert (tmp_path / "existing.sqlite").stat().st_mode & 0o777 == 0o640
