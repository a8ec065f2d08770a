"""Flood control: a hundred people asking for the floor at once, twice; questions over the limit.

Through the real Application (concurrent updates, PTB's AIORateLimiter at the configured rate)
against the fake Bot API server: exactly one waiting request per person in SQLite, every reply
delivered, and a user asking faster than `[limits].questions_per_minute` gets a friendly message
and no answer is computed.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from tests.support import FakeClock
from tests.telegram_server import FakeTelegram, Sent

CHAIR = 111
PEOPLE = list(range(10_001, 10_101))  # 100 participants
CONFIG: dict[str, Any] = {"roles": {"organisers": [CHAIR]}}


async def test_a_hundred_people_asking_for_the_floor_at_once_twice_get_one_place_each(
        telegram: FakeTelegram, bot_factory: Any) -> None:
    bot = await bot_factory(CONFIG)
    participants = bot.services.participants
    for uid in PEOPLE:  # registered and in the room, as after /start and /mode room
        participants.seen(uid, f"Delegate {uid}", None, "en")
        participants.set_mode(uid, "room" if uid % 2 else "remote")
    users = [telegram.user(uid, f"Delegate {uid}") for uid in PEOPLE]

    mark = telegram.mark()
    await asyncio.gather(*(user.send("/speak") for user in users),
                         *(user.send("/speak") for user in users))

    for uid in PEOPLE:  # two replies each (waits on the server's per-chat record)
        first = await telegram.wait_message(uid, after=mark, method="sendMessage", timeout=60)
        await telegram.wait_message(uid, after=telegram.sent.index(first) + 1,
                                    method="sendMessage", timeout=60)
    places = []
    for uid in PEOPLE:
        texts = [s.text for s in telegram.to(uid)]
        placed = [t for t in texts if "You are on the list of speakers" in t]
        already = [t for t in texts if "Already on the list, at position" in t]
        assert (len(placed), len(already), len(texts)) == (1, 1, 2), (uid, texts)
        places.append(int(re.search(r"position (\d+)", already[0]).group(1)))  # type: ignore[union-attr]

    rows = bot.services.db.query(
        "SELECT participant_id, position FROM floor_requests WHERE state = 'waiting'")
    assert sorted(r["participant_id"] for r in rows) == PEOPLE  # one request per person
    assert sorted(r["position"] for r in rows) == list(range(1, 101))
    assert bot.services.db.query("SELECT COUNT(*) FROM floor_requests")[0][0] == 100
    assert len(bot.services.floor.state().waiting) == 100
    assert sorted(places) == list(range(1, 101))  # the refusals cite the real, distinct places

    # The chair's list of 100 is split into messages under Telegram's 4096 limit, nobody missing.
    chair = telegram.user(CHAIR, "Chair")
    mark = await chair.send("/queue")
    await telegram.wait_for(lambda s: s.chat_id == CHAIR and "fl:u" in str(s.buttons),
                            after=mark)  # the live status message comes after the list
    listing = "\n".join(s.text for s in telegram.sent[mark:]
                        if s.chat_id == CHAIR and "fl:u" not in str(s.buttons))
    assert all(len(s.text) <= 4096 for s in telegram.sent[mark:])
    for uid in PEOPLE:
        assert f"Delegate {uid}" in listing


async def test_questions_over_the_per_minute_limit_get_a_friendly_message_and_no_answer(
        telegram: FakeTelegram, bot_factory: Any) -> None:
    clock = FakeClock()  # the window does not slide while the test runs
    bot = await bot_factory({**CONFIG, "limits": {"questions_per_minute": 2}}, clock=clock)
    ana = telegram.user(201, "Ana")
    await ana.ask("/start", "Welcome")

    mark = telegram.mark()
    await asyncio.gather(*(ana.send("When is the panel?") for _ in range(5)))
    def to_ana() -> list[Sent]:
        return [s for s in telegram.sent[mark:] if s.chat_id == 201 and s.method == "sendMessage"]

    await telegram.wait_for(lambda _sent: len(to_ana()) >= 5, after=mark, timeout=30)
    replies = to_ana()
    slow_down = [s for s in replies if "You are asking very fast" in s.text]
    answers = [s for s in replies if "29" in s.text and "You are asking" not in s.text]
    assert (len(answers), len(slow_down), len(replies)) == (2, 3, 5), [s.text for s in replies]
    assert all(not s.buttons for s in slow_down)
    # Work was done for the two allowed questions only: two answered and logged.
    recorded = bot.services.db.query("SELECT COUNT(*) FROM questions WHERE user_id = 201")
    assert recorded[0][0] == 2

    clock.advance(seconds=61)  # a minute later the user is served again
    again = await ana.ask("When is the panel?", "29")
    assert "You are asking very fast" not in again.text
