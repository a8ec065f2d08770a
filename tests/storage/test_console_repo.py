"""The console's sign-in links and sessions in SQLite: digests only, once-only use, purge."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.storage.console_repo import ConsoleRepo
from bot.storage.db import Database

T0 = datetime(2023, 3, 29, 12, 0, tzinfo=UTC)
TEN_MINUTES = timedelta(minutes=10)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "panel.sqlite")
    yield database
    database.close()


def test_a_sign_in_link_is_taken_once(db: Database) -> None:
    repo = ConsoleRepo(db)
    repo.add_signin("h1", 111, T0, T0 + TEN_MINUTES)
    first = repo.take_signin("h1", T0 + timedelta(minutes=1))
    assert first is not None and first.user_id == 111 and first.used_at is None
    second = repo.take_signin("h1", T0 + timedelta(minutes=2))
    assert second is not None and second.used_at == T0 + timedelta(minutes=1)
    assert repo.take_signin("unknown", T0) is None


def test_an_expired_link_is_not_marked_used(db: Database) -> None:
    repo = ConsoleRepo(db)
    repo.add_signin("h1", 111, T0, T0 + TEN_MINUTES)
    late = repo.take_signin("h1", T0 + TEN_MINUTES)
    assert late is not None and late.used_at is None and late.expires_at == T0 + TEN_MINUTES
    stored = repo.signin("h1")
    assert stored is not None and stored.used_at is None


def test_two_threads_taking_one_link_find_it_unused_only_once(db: Database) -> None:
    repo = ConsoleRepo(db)
    repo.add_signin("h1", 111, T0, T0 + TEN_MINUTES)
    found: list[datetime | None] = []
    barrier = threading.Barrier(8)

    def take() -> None:
        barrier.wait()
        taken = repo.take_signin("h1", T0 + timedelta(seconds=30))
        assert taken is not None
        found.append(taken.used_at)

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(found) == 8 and found.count(None) == 1


def test_sessions_round_trip_and_end(db: Database) -> None:
    repo = ConsoleRepo(db)
    repo.add_session("s1", 111, "csrf-token", "link", T0, T0 + timedelta(hours=12))
    session = repo.session("s1")
    assert session is not None
    assert (session.user_id, session.csrf, session.via) == (111, "csrf-token", "link")
    assert session.expires_at == T0 + timedelta(hours=12)
    assert repo.delete_session("s1") is True
    assert repo.session("s1") is None and repo.delete_session("s1") is False


def test_a_session_must_say_how_it_was_opened(db: Database) -> None:
    repo = ConsoleRepo(db)
    with pytest.raises(ValueError):
        repo.add_session("s1", 111, "c", "password", T0, T0)
    assert repo.counts() == (0, 0)


def test_purge_forgets_only_what_has_expired(db: Database) -> None:
    repo = ConsoleRepo(db)
    repo.add_signin("old", 111, T0, T0 + TEN_MINUTES)
    repo.add_signin("new", 111, T0 + TEN_MINUTES, T0 + 2 * TEN_MINUTES)
    repo.add_session("s-old", 111, "c", "webapp", T0, T0 + timedelta(microseconds=500))
    repo.add_session("s-new", 111, "c", "webapp", T0, T0 + timedelta(hours=12))
    assert repo.purge(T0 + TEN_MINUTES) == 2
    assert repo.signin("old") is None and repo.signin("new") is not None
    assert repo.session("s-old") is None and repo.session("s-new") is not None
    assert repo.counts() == (1, 1)


def test_a_digest_is_stored_once(db: Database) -> None:
    repo = ConsoleRepo(db)
    repo.add_signin("h1", 111, T0, T0 + TEN_MINUTES)
    with pytest.raises(sqlite3.IntegrityError):
        repo.add_signin("h1", 222, T0, T0 + TEN_MINUTES)
    stored = repo.signin("h1")
    assert stored is not None and stored.user_id == 111


def test_the_tables_survive_a_reopen(tmp_path: Path) -> None:
    first = Database(tmp_path / "panel.sqlite")
    ConsoleRepo(first).add_session("s1", 111, "c", "link", T0, T0 + timedelta(hours=1))
    first.close()
    again = Database(tmp_path / "panel.sqlite")
    try:
        assert ConsoleRepo(again).session("s1") is not None
    finally:
        again.close()
