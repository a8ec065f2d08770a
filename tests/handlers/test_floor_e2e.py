"""End-to-end: the floor run from Telegram, through the fake Bot API server, in real time.

Limits are fractions of a minute (0.05 min = 3 s, warning 1 s before the end), so the warnings
and time-up messages arrive within seconds; every wait is on a message, never a sleep.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import Callable
from typing import Any

import pytest

from bot.handlers import floor_effects
from tests.telegram_server import FakeTelegram, Sent

CHAIR, SECRETARY = 111, 112
ROOM, MINISTER, REMOTE = 201, 202, 203
FAST: dict[str, Any] = {"priority": ["in_room", "remote_high_level", "remote"],
        "minutes": {"panelist": 0.05, "in_room": 0.05, "remote_high_level": 0.05,
                    "remote": 0.05},
        "remote_budget_minutes": 30, "warn_before_seconds": 1}
CONFIG: dict[str, Any] = {"roles": {"organisers": [CHAIR, SECRETARY], "high_level": [MINISTER]},
                          "floor": FAST}


@pytest.fixture(autouse=True)
def fast_tick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tick the live status every half second instead of every five."""
    monkeypatch.setattr(floor_effects, "TICK_SECONDS", 0.5)


async def register(telegram: FakeTelegram) -> None:
    """The three participants say who they are and how they attend."""
    for user_id, name, delegation, mode in [
        (ROOM, "Ana Silva", "Brazil", "room"), (MINISTER, "Minister Okafor", "Nigeria", "remote"),
        (REMOTE, "Li Wei", "China", "remote"),
    ]:
        user = telegram.user(user_id, name.split()[0])
        await user.ask(f"/profile {name} | {delegation}", "Saved")
        await user.ask(f"/mode {mode}", "Noted")


def overrun_of(text: str) -> int | None:
    """The overrun a time-up message shows, in seconds."""
    found = re.search(r"Overrun: (\d+):(\d\d)", text)
    return int(found.group(1)) * 60 + int(found.group(2)) if found else None


def counting(notice: Sent) -> Callable[[Sent], bool]:
    """An edit of the chair's time-up message showing a larger overrun than it was sent with
    (not a given figure: under load the job may run late)."""
    first = overrun_of(notice.text) or 0

    def match(sent: Sent) -> bool:
        shown = overrun_of(sent.text) if sent.method == "editMessageText" else None
        return sent.message_id == notice.message_id and shown is not None and shown > first
    return match


def status_message_to(chat_id: int) -> Callable[[Sent], bool]:
    """The live status message (it has the refresh button) sent to a chat."""
    def match(sent: Sent) -> bool:
        return (sent.chat_id == chat_id and sent.method == "sendMessage"
                and "fl:u" in str(sent.buttons))
    return match


async def test_remote_and_room_speakers_are_called_in_order_with_warnings_and_time_up(
        telegram: FakeTelegram, bot_factory) -> None:
    bot = await bot_factory(CONFIG)
    await register(telegram)
    remote, minister, room = (telegram.user(REMOTE), telegram.user(MINISTER),
                              telegram.user(ROOM))
    chair = telegram.user(CHAIR, "Chair")
    first = await remote.ask("/speak data for development", "list of speakers")
    assert "first in line" in first.text and "remote" in first.text
    second = await minister.ask("/speak", "list of speakers")
    assert "position 1" in second.text or "first in line" in second.text
    third = await room.ask("/speak", "list of speakers")
    assert "first in line" in third.text  # the room goes first

    mark = telegram.mark()
    listing = await chair.ask("/queue", "Li Wei")
    lines = [line for line in listing.text.splitlines() if line[:2] in ("1.", "2.", "3.")]
    assert "Ana Silva" in lines[0] and "Minister Okafor" in lines[1] and "Li Wei" in lines[2]
    assert "remote, high-level" in lines[1] and "Nigeria" in lines[1]
    status = await telegram.wait_message(CHAIR, "Nobody has the floor", after=mark)
    assert "List of speakers" in status.text and "Next: Ana Silva" in str(status.buttons)

    order = []
    for speaker, budget_shown in ((room, False), (minister, True), (remote, True)):
        mark = telegram.mark()
        await chair.send("/next")
        given = await telegram.wait_message(speaker.id, "You have the floor", after=mark)
        assert "0:03" in given.text
        chair_note = await telegram.wait_message(CHAIR, "has the floor (", after=mark,
                                                 method="sendMessage")
        assert ("Remote budget before this intervention" in chair_note.text) is budget_shown
        order.append(chair_note.text)
        await telegram.wait_message(speaker.id, "left of your speaking time", after=mark)
        # the chair's warning (its figure, 0:01 or 0:00, depends on how late the job ran)
        await telegram.wait_for(lambda s: s.chat_id == CHAIR
                                and s.method == "sendMessage" and s.text.startswith("⏳")
                                and s.text.endswith(" left."), after=mark)
        await telegram.wait_message(speaker.id, "Your speaking time is up", after=mark)
        notice = await telegram.wait_message(CHAIR, "Time is up for", after=mark)
        # the chair's time-up message counts the overrun while the speaker goes on
        await telegram.wait_for(counting(notice), after=mark)
        await chair.send("/done")
        ended = await telegram.wait_message(CHAIR, "spoke", after=mark)
        assert "Overrun" in ended.text
    assert "Ana Silva" in order[0] and "Minister Okafor" in order[1] and "Li Wei" in order[2]
    heads_up = [s for s in telegram.to(MINISTER) if "You are next" in s.text]
    assert len(heads_up) == 1

    # the live status message was edited, never sent again
    statuses = [s for s in telegram.to(CHAIR, "sendMessage") if "fl:u" in str(s.buttons)]
    assert len(statuses) == 1
    edits = [s for s in telegram.to(CHAIR, "editMessageText")
             if s.message_id == statuses[0].message_id]
    assert len(edits) >= 6
    budget = bot.services.floor.budget()
    assert 6 <= budget.used < 30  # two remote speakers, 3 s each plus their overrun

    mark = telegram.mark()
    await chair.send("/report")
    document = await telegram.wait_for(lambda s: s.method == "sendDocument", after=mark)
    photo = await telegram.wait_for(lambda s: s.method == "sendPhoto", after=mark)
    (name, data), = document.files.values()
    assert name.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [(r["speaker"], r["category"], r["outcome"]) for r in rows] == [
        ("Li Wei", "remote", "finished"), ("Minister Okafor", "remote_high_level", "finished"),
        ("Ana Silva", "in_room", "finished")]
    assert rows[0]["topic"] == "data for development"
    assert sum(float(r["seconds_spoken"]) for r in rows[:2]) == pytest.approx(budget.used,
                                                                              abs=0.2)
    assert next(iter(photo.files.values()))[1].startswith(b"\x89PNG")
    await telegram.wait_message(CHAIR, "Every request was reached", after=mark)


async def test_status_buttons_pressed_twice_give_the_floor_once(telegram: FakeTelegram,
                                                                bot_factory) -> None:
    bot = await bot_factory(CONFIG)
    await register(telegram)
    await telegram.user(ROOM).ask("/speak", "list of speakers")
    await telegram.user(REMOTE).ask("/speak", "list of speakers")
    chair, secretary = telegram.user(CHAIR, "Chair"), telegram.user(SECRETARY, "Sec")
    await chair.ask("/queue", "Li Wei")
    await secretary.ask("/queue", "Li Wei")
    statuses = [await telegram.wait_for(status_message_to(uid)) for uid in (CHAIR, SECRETARY)]
    data = statuses[0].button("Next: Ana")["callback_data"]
    mark = telegram.mark()
    await asyncio.gather(chair.press(statuses[0], data), chair.press(statuses[0], data),
                         secretary.press(statuses[1], data))
    await telegram.wait_message(ROOM, "You have the floor", after=mark)
    answers = []
    for _ in range(3):
        answers.append(await telegram.wait_for(
            lambda s: s.method == "answerCallbackQuery" and s not in answers, after=mark))
    refusals = [a for a in answers if a.params.get("show_alert")]
    assert len(refusals) == 2 and all("has the floor" in a.text for a in refusals)
    assert len([s for s in telegram.to(ROOM) if "You have the floor" in s.text]) == 1
    current = bot.services.floor.state().current
    assert current is not None and current.participant_id == ROOM
    # Done from the (edited) status message, then the same stale button again
    edited = await telegram.wait_for(lambda s: s.method == "editMessageText"
                                     and s.message_id == statuses[0].message_id
                                     and "fl:d:" in str(s.buttons), after=mark)
    done = edited.button("Done")["callback_data"]
    mark = telegram.mark()
    await chair.press(statuses[0], done)
    await telegram.wait_message(CHAIR, "spoke", after=mark)
    mark = telegram.mark()
    await chair.press(statuses[0], done)
    answer = await telegram.wait_for(lambda s: s.method == "answerCallbackQuery", after=mark)
    assert "Nobody has the floor" in answer.text or "already ended" in answer.text


async def test_participant_asks_and_withdraws_with_the_queue_buttons(telegram: FakeTelegram,
                                                                     bot_factory) -> None:
    bot = await bot_factory(CONFIG)
    await register(telegram)
    room = telegram.user(ROOM)
    listing = await room.ask("/queue", "List of speakers")
    assert "Nobody is waiting" in listing.text
    mark = await room.press(listing, listing.button("Ask for the floor")["callback_data"])
    await telegram.wait_message(ROOM, "first in line", after=mark)
    listing = await room.ask("/queue", "List of speakers")
    assert "← you" in listing.text and "Your place: 1" in listing.text
    mark = await room.press(listing, listing.button("Withdraw")["callback_data"])
    await telegram.wait_message(ROOM, "withdrawn", after=mark, method="sendMessage")
    assert bot.services.floor.state().waiting == ()
    mark = await room.press(listing, "fl:zz:1")  # forged data: refused, still answered
    answer = await telegram.wait_for(lambda s: s.method == "answerCallbackQuery", after=mark)
    assert "no longer valid" in answer.text


async def test_closed_list_refuses_speak_with_a_clear_message(telegram: FakeTelegram,
                                                              bot_factory) -> None:
    await bot_factory(CONFIG)
    await register(telegram)
    chair = telegram.user(CHAIR, "Chair")
    await chair.ask("/close", "now closed")
    assert "closed" in (await telegram.user(ROOM).ask("/speak", "closed")).text
    await chair.ask("/add Jean Dupont | France remote", "Added Jean Dupont at position 1")
    await chair.ask("/open", "now open")
    # the room goes before the remote participant added earlier
    assert "first in line" in (await telegram.user(ROOM).ask("/speak", "list")).text
    listing = await chair.ask("/queue", "Jean Dupont")
    assert "Jean Dupont (France) · remote" in listing.text


async def test_short_remote_budget_asks_the_chair_to_confirm(telegram: FakeTelegram,
                                                             bot_factory) -> None:
    bot = await bot_factory({**CONFIG, "floor": {**FAST, "remote_budget_minutes": 0.02}})
    await register(telegram)
    await telegram.user(MINISTER).ask("/speak", "list of speakers")
    chair = telegram.user(CHAIR, "Chair")
    prompt = await chair.ask("/next", "cannot cover a full slot")
    assert "0:01" in prompt.text and "0:03" in prompt.text
    assert bot.services.floor.state().current is None
    mark = await chair.press(prompt, prompt.button("anyway")["callback_data"])
    given = await telegram.wait_message(MINISTER, "You have the floor", after=mark)
    assert "0:01" in given.text
    await telegram.wait_message(CHAIR, "beyond the remote budget", after=mark)


@pytest.mark.parametrize("command", ["/next", "/done", "/pause", "/resume", "/skip", "/move 2 1",
                                     "/remove 1", "/add Eve | X room", "/close", "/open",
                                     "/budget", "/report"])
async def test_organiser_floor_commands_are_refused_to_participants(
        telegram: FakeTelegram, bot_factory, command: str) -> None:
    bot = await bot_factory(CONFIG)
    await register(telegram)
    await telegram.user(REMOTE).ask("/speak", "list of speakers")
    await telegram.user(MINISTER).ask("/speak", "list of speakers")
    before = bot.services.floor.state()
    room = telegram.user(ROOM)
    mark = telegram.mark()
    assert "only the organisers" in (await room.ask(command, "only the organisers")).text
    assert bot.services.floor.state() == before
    assert [s for s in telegram.sent[mark:] if s.chat_id != ROOM] == []
    entry = bot.services.participants.repo.audit_entries()[0]
    assert (entry["actor_id"], entry["allowed"]) == (ROOM, 0)


async def test_organiser_buttons_are_refused_to_participants(telegram: FakeTelegram,
                                                             bot_factory) -> None:
    bot = await bot_factory(CONFIG)
    await register(telegram)
    room = telegram.user(ROOM)
    listing = await room.ask("/speak", "list of speakers")
    before = bot.services.floor.state()
    request_id = before.requests[0].id
    for data in (f"fl:n:{request_id}", f"fl:c:{request_id}", "fl:u"):
        mark = await room.press(listing, data)
        answer = await telegram.wait_for(lambda s: s.method == "answerCallbackQuery", after=mark)
        assert "only the organisers" in answer.text
    assert bot.services.floor.state() == before


async def test_html_in_names_is_shown_as_text(telegram: FakeTelegram, bot_factory) -> None:
    await bot_factory(CONFIG)
    eve = telegram.user(ROOM, "<b>Eve</b> & co")
    await eve.ask("/mode room", "Noted")
    await eve.ask("/speak <i>topic</i>", "list of speakers")
    listing = await telegram.user(CHAIR, "Chair").ask("/queue", "Eve")
    assert "&lt;b&gt;Eve&lt;/b&gt; &amp; co" in listing.text
    assert "<b>Eve" not in listing.text


async def test_a_restart_mid_intervention_keeps_the_speaker_and_the_time_up(
        telegram: FakeTelegram, bot_factory) -> None:
    slow = {**FAST, "minutes": {**FAST["minutes"], "in_room": 0.15}, "warn_before_seconds": 3}
    bot = await bot_factory({**CONFIG, "floor": slow})
    await register(telegram)
    await telegram.user(ROOM).ask("/speak", "list of speakers")
    chair = telegram.user(CHAIR, "Chair")
    await chair.ask("/next", "has the floor")
    before = bot.services.floor.state()
    await bot.stop()

    restarted = await bot_factory({**CONFIG, "floor": slow})
    assert restarted.services.floor.state() == before
    mark = 0
    await telegram.wait_message(ROOM, "Your speaking time is up", after=mark)
    await telegram.wait_message(CHAIR, "Time is up for", after=mark)
    assert len([s for s in telegram.to(ROOM) if "speaking time is up" in s.text]) == 1
    assert len([s for s in telegram.to(ROOM) if "left of your speaking time" in s.text]) == 1
    mark = telegram.mark()
    await chair.send("/done")
    ended = await telegram.wait_message(CHAIR, "spoke", after=mark)
    assert "Ana Silva" in ended.text
