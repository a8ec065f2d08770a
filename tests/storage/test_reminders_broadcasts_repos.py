"""Sent-log and broadcast log in a real SQLite file (migration 0003)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.storage.broadcasts_repo import BroadcastsRepo
from bot.storage.db import Database
from bot.storage.reminders_repo import RemindersRepo

NOW = datetime(2023, 3, 29, 12, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "panel.sqlite")
    yield database
    database.close()


def test_migration_0003_is_applied_once(tmp_path: Path) -> None:
    first = Database(tmp_path / "x.sqlite")
    names = [row["name"] for row in first.query("SELECT name FROM schema_migrations")]
    first.close()
    again = Database(tmp_path / "x.sqlite")
    assert "0003_reminders_broadcasts.sql" in names
    assert again.migrate() == []
    again.close()


def test_a_reminder_is_claimed_once_per_participant(db: Database) -> None:
    repo = RemindersRepo(db)
    assert repo.claim("panel@10", 1, NOW)
    assert not repo.claim("panel@10", 1, NOW)
    assert repo.claim("panel@10", 2, NOW)
    assert repo.claim("panel@60", 1, NOW)
    assert repo.sent_pairs() == {("panel@10", 1), ("panel@10", 2), ("panel@60", 1)}


def test_the_unique_key_holds_even_without_the_repo(db: Database) -> None:
    RemindersRepo(db).claim("k", 1, NOW)
    with pytest.raises(sqlite3.IntegrityError), db.tx() as conn:
        conn.execute(
            "INSERT INTO reminder_deliveries(reminder_key, participant_id, status, updated_at)"
            " VALUES ('k', 1, 'delivered', 'x')"
        )


def test_settle_release_and_interrupted_claims(db: Database) -> None:
    repo = RemindersRepo(db)
    repo.claim("k", 1, NOW)
    repo.settle("k", 1, "delivered", 1, "", NOW)
    repo.claim("k", 2, NOW)
    repo.release("k", 2)  # waiting for a retry: the claim is given back
    repo.claim("k", 3, NOW)  # in flight when the process dies
    assert repo.mark_interrupted(NOW) == 1
    assert repo.states("k") == {1: "delivered", 3: "unconfirmed"}
    with pytest.raises(ValueError):
        repo.settle("k", 1, "pending", 1, "", NOW)


def test_broadcast_snapshot_is_taken_once(db: Database) -> None:
    repo = BroadcastsRepo(db)
    broadcast_id = repo.create(111, 111, "room", "Room changed", NOW)
    assert repo.get(broadcast_id).status == "draft"  # type: ignore[union-attr]
    assert repo.start_sending(broadcast_id, [(1, 1), (2, 2)], NOW, ("draft",))
    assert not repo.start_sending(broadcast_id, [(3, 3)], NOW, ("draft",))
    assert repo.pending(broadcast_id) == [(1, 1), (2, 2)]
    assert repo.get(broadcast_id).status == "sending"  # type: ignore[union-attr]


def test_broadcast_deliveries_claim_settle_release_and_interrupt(db: Database) -> None:
    repo = BroadcastsRepo(db)
    broadcast_id = repo.create(111, 111, "all", "x", NOW)
    repo.start_sending(broadcast_id, [(1, 1), (2, 2), (3, 3)], NOW, ("draft",))
    assert repo.claim(broadcast_id, 1, NOW) and not repo.claim(broadcast_id, 1, NOW)
    repo.settle(broadcast_id, 1, "delivered", 1, "", NOW)
    assert repo.claim(broadcast_id, 2, NOW)
    repo.release(broadcast_id, 2, 1, NOW)
    assert repo.claim(broadcast_id, 3, NOW)
    assert repo.mark_interrupted(broadcast_id, NOW) == 1
    assert repo.deliveries(broadcast_id) == {1: "delivered", 2: "pending", 3: "unconfirmed"}
    assert repo.pending(broadcast_id) == [(2, 2)]


def test_scheduled_broadcasts_keep_their_time_in_utc(db: Database) -> None:
    repo = BroadcastsRepo(db)
    when = datetime(2023, 3, 29, 15, 5, tzinfo=UTC)
    broadcast_id = repo.create(111, 111, "remote", "later", NOW, scheduled_for=when)
    record = repo.get(broadcast_id)
    assert record is not None and record.status == "scheduled" and record.scheduled_for == when
    assert [r.id for r in repo.with_status("scheduled")] == [broadcast_id]
    assert repo.transition(broadcast_id, "cancelled", ("scheduled",), NOW)
    assert not repo.transition(broadcast_id, "sending", ("scheduled",), NOW)


def test_a_bad_audience_or_status_is_refused_by_the_schema(db: Database) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        BroadcastsRepo(db).create(1, 1, "press", "x", NOW)
