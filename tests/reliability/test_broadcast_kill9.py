"""kill -9 of the real bot process in the middle of a broadcast: after the restart the broadcast
resumes from its per-recipient log; nobody gets it twice and nobody is missed (a message that was
in flight at the kill is counted as unconfirmed, never resent)."""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bot.storage.db import Database
from bot.storage.participants_repo import ParticipantsRepo
from tests.process import BotProcess
from tests.telegram_server import FakeTelegram

ORGANISER = 111
AUDIENCE = range(5000, 5060)
TEXT = "Zebra-42: the panel resumes in 5 minutes"


async def test_a_broadcast_killed_midway_resumes_without_repeats(tmp_path: Path,
                                                                 telegram: FakeTelegram) -> None:
    repo = ParticipantsRepo(Database(tmp_path / "data" / "panel.sqlite"))
    now = datetime.now(UTC)
    for user_id in AUDIENCE:
        repo.upsert_seen(user_id, f"P{user_id}", None, "en", now)
    repo.db.close()
    bot = BotProcess(tmp_path, telegram, {"roles": {"organisers": [ORGANISER]},
                                          "limits": {"broadcast_messages_per_second": 10}})
    await bot.start()
    try:
        organiser = telegram.user(ORGANISER, "Chair")
        preview = await organiser.ask(f"/broadcast all {TEXT}", "preview")
        await organiser.press(preview, preview.button("Send")["callback_data"])
        position = 0
        for _ in range(15):  # let a quarter of the audience get it, then kill
            hit = await telegram.wait_for(
                lambda s: TEXT in s.text and s.chat_id in AUDIENCE, after=position, timeout=60)
            position = telegram.sent.index(hit) + 1
        bot.kill9()
        before_restart = Counter(s.chat_id for s in telegram.sent
                                 if TEXT in s.text and s.chat_id in AUDIENCE)
        assert 15 <= sum(before_restart.values()) < len(AUDIENCE)

        await bot.start()
        report = await telegram.wait_message(ORGANISER, "Broadcast delivered", timeout=90)
    finally:
        bot.kill9()
    received = Counter(s.chat_id for s in telegram.sent
                       if TEXT in s.text and s.chat_id in AUDIENCE)
    assert max(received.values()) == 1, "somebody got the broadcast twice"
    missing = [u for u in AUDIENCE if received[u] == 0]
    unconfirmed = re.search(r"Unconfirmed[^:]*: (\d+)", report.text)
    assert len(missing) <= (int(unconfirmed.group(1)) if unconfirmed else 0), report.text
    db = sqlite3.connect(tmp_path / "data" / "panel.sqlite")
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert any("deliver" in t or "recipient" in t for t in tables), tables
