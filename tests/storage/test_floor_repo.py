"""The floor tables: exact round trips, restarts, kill -9 of a writer, and the database guards."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain import floor_ops
from bot.domain.floor_model import FloorState
from bot.domain.floor_rules import Category, FloorRules
from bot.storage.db import Database
from bot.storage.floor_repo import FloorRepo
from tests.support import REPO

RULES = FloorRules()
T0 = datetime(2023, 3, 29, 13, 0, 0, 123456, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def busy_state() -> FloorState:
    """A list with every kind of row: finished, withdrawn, skipped once, paused, waiting."""
    state = FloorState()
    people = [(1, Category.IN_ROOM, "room"), (2, Category.REMOTE_HIGH_LEVEL, "remote"),
              (3, Category.REMOTE, "remote"),
              (4, Category.IN_ROOM, "room"), (None, Category.REMOTE, "remote")]
    for t, (who, category, mode) in enumerate(people):
        state = floor_ops.request_floor(
            state, RULES, at(t), participant_id=who, name=f"Nom <{who}> é", delegation="Délég",
            category=category, mode=mode, topic="données & IA", by_organiser=who is None,
        ).state
    state = floor_ops.start(state, RULES, at(10)).state
    state = floor_ops.end(state, RULES, at(70.5)).state
    state = floor_ops.withdraw(state, 4).state
    state = floor_ops.skip(floor_ops.start(state, RULES, at(80)).state, RULES, at(85)).state
    state = floor_ops.start(state, RULES, at(90)).state
    state = floor_ops.timer_fired(state, RULES, at(90 + 360), state.current.id, "warning").state  # type: ignore[union-attr]
    state = floor_ops.pause(state, at(455.25)).state
    return floor_ops.set_open(state, False).state


def save(repo: FloorRepo, state: FloorState) -> None:
    with repo.transaction() as tx:
        tx.save(tx.load(), state)


def test_a_fresh_database_has_an_open_empty_list(tmp_path: Path) -> None:
    repo = FloorRepo(Database(tmp_path / "panel.sqlite"))
    assert repo.load() == FloorState()
    assert repo.version() == 0


def test_state_round_trips_exactly_through_a_reopened_file(tmp_path: Path) -> None:
    path = tmp_path / "panel.sqlite"
    db = Database(path)
    state = busy_state()
    save(FloorRepo(db), state)
    db.close()
    again = FloorRepo(Database(path)).load()
    assert again == state
    current = again.current
    assert current is not None and current.paused_at == at(455.25)  # microseconds kept
    assert (current.skips, current.warned, current.limit_seconds) == (1, True, 420)
    assert not again.is_open


def test_saving_only_writes_what_changed_and_bumps_the_version(tmp_path: Path) -> None:
    repo = FloorRepo(Database(tmp_path / "panel.sqlite"))
    save(repo, busy_state())
    version = repo.version()
    save(repo, busy_state())
    assert repo.version() == version
    state = floor_ops.resume(repo.load(), RULES, at(500)).state
    save(repo, state)
    assert repo.version() == version + 1
    assert repo.load() == state


def test_a_second_connection_sees_committed_changes(tmp_path: Path) -> None:
    path = tmp_path / "panel.sqlite"
    first, second = FloorRepo(Database(path)), FloorRepo(Database(path))
    save(first, busy_state())
    assert second.load() == busy_state()


def test_an_aborted_transaction_leaves_nothing(tmp_path: Path) -> None:
    repo = FloorRepo(Database(tmp_path / "panel.sqlite"))
    with pytest.raises(RuntimeError), repo.transaction() as tx:
        tx.save(tx.load(), busy_state())
        raise RuntimeError("crash before commit")
    assert repo.load() == FloorState()


@pytest.mark.parametrize("sql", [
    # a second speaker
    "INSERT INTO floor_requests(id, participant_id, name, category, mode, requested_at, state)"
    " VALUES (99, 99, 'X', 'in_room', 'room', '2023-03-29T13:00:00+00:00', 'speaking')",
    # a second waiting request of participant 3
    "INSERT INTO floor_requests(id, participant_id, name, category, mode, requested_at, state)"
    " VALUES (99, 3, 'X', 'remote', 'remote', '2023-03-29T13:00:00+00:00', 'waiting')",
    # an unknown state
    "UPDATE floor_requests SET state = 'dancing' WHERE id = 1",
])
def test_the_database_refuses_impossible_rows(tmp_path: Path, sql: str) -> None:
    db = Database(tmp_path / "panel.sqlite")
    repo = FloorRepo(db)
    state = busy_state()
    state = floor_ops.resume(state, RULES, at(460)).state
    save(repo, state)
    with pytest.raises(sqlite3.IntegrityError), db.tx() as conn:
        conn.execute(sql)
    assert repo.load() == state


def test_status_messages_and_notices_are_remembered(tmp_path: Path) -> None:
    path = tmp_path / "panel.sqlite"
    repo = FloorRepo(Database(path))
    save(repo, busy_state())
    repo.set_status_message(111, 5000, T0)
    repo.set_status_message(222, 5001, T0)
    repo.set_status_message(111, 5002, T0)
    repo.forget_status_message(222)
    repo.add_notice(3, 111, 6000)
    again = FloorRepo(Database(path))
    assert again.status_messages() == {111: 5002}
    assert again.notices(3) == {111: 6000}
    assert again.notices(2) == {}


CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from bot.storage.db import Database
    from bot.storage.floor_repo import FloorRepo
    from tests.storage.test_floor_repo import busy_state

    repo = FloorRepo(Database(Path(sys.argv[1])))
    with repo.transaction() as tx:
        tx.save(tx.load(), busy_state())
    if sys.argv[2] == "hang-in-transaction":
        with repo.transaction() as tx:
            from bot.domain.floor_model import (FloorState)
            tx.save(tx.load(), FloorState())
            print("writing", flush=True)
            time.sleep(60)
    print("saved", flush=True)
    time.sleep(60)
""")


@pytest.mark.parametrize("mode", ["after-commit", "hang-in-transaction"])
def test_kill_9_of_a_writer_loses_nothing_committed(tmp_path: Path, mode: str) -> None:
    path = tmp_path / "panel.sqlite"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), mode], cwd=REPO, stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        assert child.stdout is not None
        expected = "writing" if mode == "hang-in-transaction" else "saved"
        assert child.stdout.readline().decode().strip() == expected
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    state = FloorRepo(Database(path)).load()
    assert state == busy_state()  # committed: all there; uncommitted: nothing of it


def test_the_list_read_again_only_when_its_version_changed(tmp_path: Path) -> None:
    """The committed list is kept between transactions; another writer (a second repo on the
    same file, as another process would be) bumps the version and the list is read anew."""
    path = tmp_path / "panel.sqlite"
    repo, other = FloorRepo(Database(path)), FloorRepo(Database(path))
    state = busy_state()
    save(repo, state)
    first = repo.load()
    assert first == state and repo.load() is first  # unchanged: not read again
    save(other, floor_ops.set_open(state, True).state)
    assert repo.load().is_open and repo.load() == other.load()


def test_a_rolled_back_change_is_not_kept_as_the_list(tmp_path: Path) -> None:
    repo = FloorRepo(Database(tmp_path / "panel.sqlite"))
    save(repo, busy_state())
    before = repo.load()
    with pytest.raises(RuntimeError), repo.transaction() as tx:
        tx.save(tx.load(), floor_ops.set_open(before, True).state)
        raise RuntimeError("the audit entry failed")
    assert repo.load() == before and not repo.load().is_open
    assert repo.version() == 1


def test_rows_read_after_a_save_in_a_rolled_back_transaction_are_not_kept(
        tmp_path: Path) -> None:
    """Inside a transaction a load after a save sees its own uncommitted rows; after the rollback
    another process commits a different change with the same version number."""
    path = tmp_path / "panel.sqlite"
    repo, other = FloorRepo(Database(path)), FloorRepo(Database(path))
    save(repo, busy_state())
    before = repo.load()
    mine = floor_ops.set_open(before, True).state
    with pytest.raises(RuntimeError), repo.transaction() as tx:
        tx.save(tx.load(), mine)
        assert tx.load() == mine  # its own write, not committed
        raise RuntimeError("the audit entry failed")
    waiting = next(r.participant_id for r in before.waiting if r.participant_id is not None)
    theirs = floor_ops.withdraw(before, waiting).state  # still closed, one request fewer
    save(other, theirs)
    assert repo.version() == other.version() == 2
    assert repo.load() == theirs
