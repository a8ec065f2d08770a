"""Every organiser command, tried by a plain participant: refused, nothing changed, audited.

The list comes from the registered features (`all_commands()`), so a new organiser command is
covered the day it is added.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.app import all_commands
from tests.telegram_server import FakeTelegram

ORGANISER = 111
PARTICIPANT = 222
ORGANISER_COMMANDS = sorted({spec.name for spec in all_commands() if spec.organiser})
# Plausible arguments so that a missing permission check would really do something.
ARGUMENTS = {
    "grant": "222 organiser", "revoke": "111 organiser", "invite": "organiser",
    "move": "2 1", "remove": "1", "add": "Guest | Nowhere room", "broadcast": "all Hello",
    "schedule": "2099-01-01 10:00 all Hello", "cancel": "1", "reindex": "",
}


def snapshot(db_path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table except the audit log and the participants' last-seen stamps."""
    db = sqlite3.connect(db_path)
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    result = {}
    for table in tables:
        if table in ("audit_log", "schema_migrations"):
            continue
        columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")
                   if r[1] not in ("updated_at", "telegram_language")]
        result[table] = sorted(db.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall(),
                               key=repr)
    db.close()
    return result


def test_there_are_organiser_commands_to_check() -> None:
    assert {"grant", "revoke", "invite"} <= set(ORGANISER_COMMANDS)


@pytest.mark.parametrize("command", ORGANISER_COMMANDS)
async def test_a_participant_cannot_use_an_organiser_command(telegram: FakeTelegram, bot_factory,
                                                             tmp_path: Path,
                                                             command: str) -> None:
    bot = await bot_factory({"roles": {"organisers": [ORGANISER]}})
    user = telegram.user(PARTICIPANT, "Mallory")
    await user.ask("/start", "/help")
    before = snapshot(tmp_path / "data" / "panel.sqlite")
    reply = await user.ask(f"/{command} {ARGUMENTS.get(command, '')}".strip(),
                           "only the organisers")
    assert "only the organisers" in reply.text
    assert snapshot(tmp_path / "data" / "panel.sqlite") == before
    entry = bot.services.participants.repo.audit_entries(1)[0]
    assert (entry["actor_id"], entry["allowed"]) == (PARTICIPANT, 0)
    assert not bot.services.participants.is_organiser(PARTICIPANT)
