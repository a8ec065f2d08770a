"""kill -9 of the real bot process in the middle of an intervention: the floor loses nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.process import BotProcess
from tests.telegram_server import FakeTelegram

CHAIR, ROOM = 111, 201
CONFIG = {"roles": {"organisers": [CHAIR]},
          "floor": {"minutes": {"in_room": 0.25}, "warn_before_seconds": 5}}


@pytest.mark.slow
async def test_speaker_time_and_time_up_survive_kill_9(tmp_path: Path,
                                                       telegram: FakeTelegram) -> None:
    bot = BotProcess(tmp_path, telegram, CONFIG)
    await bot.start()
    try:
        room, chair = telegram.user(ROOM, "Ana"), telegram.user(CHAIR, "Chair")
        await room.ask("/mode room", "Noted")
        await room.ask("/speak", "list of speakers")
        await chair.ask("/next", "has the floor (")
        db = sqlite3.connect(tmp_path / "data" / "panel.sqlite")
        before = db.execute("SELECT state, started_at, limit_seconds FROM floor_requests"
                            ).fetchall()
        db.close()
        bot.kill9()

        await bot.start()
        await telegram.wait_message(ROOM, "Your speaking time is up", timeout=60)
        await telegram.wait_message(CHAIR, "Time is up for", timeout=60)
        mark = telegram.mark()
        await chair.send("/done")
        ended = await telegram.wait_message(CHAIR, "spoke", after=mark, timeout=30)
        assert "Ana" in ended.text
    finally:
        bot.kill9()
    assert before == [("speaking", before[0][1], 15.0)]
    db = sqlite3.connect(tmp_path / "data" / "panel.sqlite")
    state, started_at = db.execute("SELECT state, started_at FROM floor_requests").fetchone()
    assert (state, started_at) == ("finished", before[0][1])  # the same intervention, resumed
    assert len([s for s in telegram.to(ROOM) if "You have the floor" in s.text]) == 1
    assert len([s for s in telegram.to(ROOM) if "speaking time is up" in s.text]) == 1
