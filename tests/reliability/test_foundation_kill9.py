"""kill -9 of the real bot process: participants, profiles and roles are all still there."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.process import BotProcess
from tests.telegram_server import FakeTelegram

ORGANISER = 111


async def test_participants_and_roles_survive_kill_9(tmp_path: Path,
                                                     telegram: FakeTelegram) -> None:
    bot = BotProcess(tmp_path, telegram, {"roles": {"organisers": [ORGANISER]}})
    await bot.start()
    try:
        delegate = telegram.user(222, "Delegate", language_code="fr")
        organiser = telegram.user(ORGANISER, "Chair")
        await delegate.ask("/start", "Bienvenue")
        await delegate.ask("/profile Ana Silva | Brésil", "Ana Silva")
        await organiser.ask("/grant 222 high_level", "222")
        bot.kill9()

        await bot.start()
        assert "Ce que vous pouvez faire" in (await delegate.ask("/help", "/help")).text
    finally:
        bot.kill9()
    db = sqlite3.connect(tmp_path / "data" / "panel.sqlite")
    assert db.execute("SELECT display_name, delegation FROM participants WHERE telegram_id = 222"
                      ).fetchone() == ("Ana Silva", "Brésil")
    assert db.execute("SELECT role FROM roles WHERE telegram_id = 222").fetchall() == [
        ("high_level",)]
    # nothing was answered twice after the restart: every update was handled once
    greetings = [s for s in telegram.to(222) if "Bienvenue" in s.text]
    assert len(greetings) == 1
