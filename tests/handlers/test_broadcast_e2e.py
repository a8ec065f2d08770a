"""End-to-end: organiser broadcasts through the fake Bot API, with 403s and a 429 injected."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.support import FakeClock
from tests.telegram_server import FakeTelegram, Fault, Sent

ORGANISER = 111
ROOM = (201, 202, 205)
REMOTE = (203, 204)
CONFIG = {"roles": {"organisers": [ORGANISER]}}


async def register(telegram: FakeTelegram) -> None:
    organiser = telegram.user(ORGANISER, "Chair")
    await organiser.ask("/start", "Welcome")
    await organiser.ask("/mode room", "Noted")
    for user_id in ROOM + REMOTE:
        user = telegram.user(user_id, f"P{user_id}")
        await user.ask("/start", "Welcome")
        await user.ask("/mode room" if user_id in ROOM else "/mode remote", "Noted")


def is_report(broadcast_id: int) -> Any:
    def match(sent: Sent) -> bool:
        return (
            sent.chat_id == ORGANISER
            and f"Broadcast #{broadcast_id}" in sent.text
            and "Broadcast delivered" in sent.text
        )

    return match


async def test_broadcast_with_send_reaches_everyone_and_counts_403_and_429(
    telegram: FakeTelegram, bot_factory: Any
) -> None:
    bot = await bot_factory(CONFIG)
    await register(telegram)
    organiser = telegram.user(ORGANISER, "Chair")
    telegram.faults.append(Fault("sendMessage", 403, chat_id=203, times=None))
    telegram.faults.append(Fault("sendMessage", 403, chat_id=204, times=None))
    telegram.faults.append(Fault("sendMessage", 429, chat_id=202, retry_after=1, times=1))

    preview = await organiser.ask("/broadcast The panel resumes in 5 minutes <b>now</b>", "preview")
    assert "Recipients: 6" in preview.text
    assert "&lt;b&gt;now&lt;/b&gt;" in preview.text
    mark = await organiser.press(preview, preview.button("Send")["callback_data"])
    report = await telegram.wait_for(is_report(1), after=mark, timeout=30)

    for line in (
        "Recipients: 6",
        "Delivered: 4",
        "Blocked the bot: 2",
        "Failed: 0",
        "Rate-limit answers (429) waited out: 1",
    ):
        assert line in report.text
    for user_id in (ORGANISER, 201, 202, 205):
        received = [s for s in telegram.to(user_id) if "From the organisers" in s.text]
        assert len(received) == 1, user_id
        assert "The panel resumes in 5 minutes &lt;b&gt;now&lt;/b&gt;" in received[0].text
    assert [hit for hit in telegram.fault_hits if hit[2] == 429] == [("sendMessage", 202, 429)]
    assert bot.services.participants.get(203).active is False
    assert bot.services.participants.get(204).active is False
    answers = [s for s in telegram.sent[mark:] if s.method == "answerCallbackQuery"]
    assert answers, "the button press is answered"


async def test_audience_word_limits_the_recipients(
    telegram: FakeTelegram, bot_factory: Any
) -> None:
    await bot_factory(CONFIG)
    await register(telegram)
    organiser = telegram.user(ORGANISER, "Chair")
    preview = await organiser.ask("/broadcast remote The stream link changed", "preview")
    assert "Audience: remote participants" in preview.text and "Recipients: 2" in preview.text
    mark = await organiser.press(preview, "bc:send:1")
    await telegram.wait_for(is_report(1), after=mark, timeout=30)
    got = {s.chat_id for s in telegram.sent if "From the organisers" in s.text}
    assert got == set(REMOTE)


async def test_cancel_sends_nothing_and_a_second_press_is_refused(
    telegram: FakeTelegram, bot_factory: Any
) -> None:
    await bot_factory(CONFIG)
    await register(telegram)
    organiser = telegram.user(ORGANISER, "Chair")
    preview = await organiser.ask("/broadcast all Test", "preview")
    mark = await organiser.press(preview, "bc:cancel:1")
    answer = await telegram.wait_for(
        lambda s: s.method == "answerCallbackQuery" and "Cancelled" in s.text, after=mark
    )
    assert answer
    mark = await organiser.press(preview, "bc:send:1")
    late = await telegram.wait_for(
        lambda s: s.method == "answerCallbackQuery" and "Too late" in s.text, after=mark
    )
    assert late
    assert not [s for s in telegram.sent if "From the organisers" in s.text]


async def test_participants_cannot_broadcast(telegram: FakeTelegram, bot_factory: Any) -> None:
    bot = await bot_factory(CONFIG)
    await register(telegram)
    delegate = telegram.user(201, "P201")
    reply = await delegate.ask("/broadcast all Free coffee", "only the organisers")
    assert "Free coffee" not in reply.text
    assert bot.services.broadcasts.scheduled() == []
    assert not [s for s in telegram.sent if "From the organisers" in s.text]


async def test_broadcast_without_text_explains_the_usage(
    telegram: FakeTelegram, bot_factory: Any
) -> None:
    await bot_factory(CONFIG)
    organiser = telegram.user(ORGANISER, "Chair")
    await organiser.ask("/start", "Welcome")
    reply = await organiser.ask("/broadcast room", "Please add the message")
    assert "/broadcast room" in reply.text


async def test_scheduled_broadcast_is_listed_cancelled_or_fired_after_a_restart(
    telegram: FakeTelegram, bot_factory: Any
) -> None:
    clock = FakeClock(datetime(2023, 3, 29, 12, 0, tzinfo=UTC))  # 14:00 in Geneva (the config)
    bot = await bot_factory(CONFIG, clock=clock)
    await register(telegram)
    organiser = telegram.user(ORGANISER, "Chair")

    confirmation = await organiser.ask("/schedule 14:05 room Room changed to XVIII", "Scheduled")
    assert "#1" in confirmation.text and "2023-03-29 14:05 (Geneva time)" in confirmation.text
    await organiser.ask("/schedule 2023-03-29 16:00 remote Later", "Scheduled #2")
    listing = await organiser.ask("/scheduled", "Scheduled broadcasts (Geneva time)")
    assert "#1 · 2023-03-29 14:05" in listing.text and "#2 · 2023-03-29 16:00" in listing.text
    await organiser.ask("/cancel 2", "is cancelled")
    assert "#2" not in (await organiser.ask("/scheduled", "Scheduled broadcasts")).text
    assert "no pending" in (await organiser.ask("/cancel 2", "no pending")).text
    assert "25:00" in (await organiser.ask("/schedule 25:00 hi", "could not read")).text

    assert not [s for s in telegram.sent if "Room changed" in s.text and s.chat_id in ROOM]

    # Stop, let the scheduled time pass while down (by 1 minute), restart: it is sent.
    await bot.stop()
    clock.set(datetime(2023, 3, 29, 12, 6, tzinfo=UTC))
    mark = telegram.mark()
    await bot_factory(CONFIG, clock=clock)
    await telegram.wait_for(is_report(1), after=mark, timeout=30)
    got = [
        s.chat_id
        for s in telegram.sent[mark:]
        if "Room changed to XVIII" in s.text and "From the organisers" in s.text
    ]
    assert sorted(c for c in got if c is not None) == sorted((ORGANISER, *ROOM))
    assert len(got) == len(set(got))


async def test_large_audience_gets_a_progress_message_edited_until_the_report(
    telegram: FakeTelegram, bot_factory: Any
) -> None:
    # 50 recipients at 10 msg/s take about 5 s: the progress message is edited every 3 s.
    bot = await bot_factory({**CONFIG, "limits": {"broadcast_messages_per_second": 10.0}})
    organiser = telegram.user(ORGANISER, "Chair")
    await organiser.ask("/start", "Welcome")
    for user_id in range(3001, 3050):
        bot.services.participants.seen(user_id, f"P{user_id}", None, "en")
    preview = await organiser.ask("/broadcast all Coffee break until 16:15", "preview")
    assert "Recipients: 50" in preview.text
    mark = await organiser.press(preview, "bc:send:1")
    progress = await telegram.wait_for(
        lambda s: s.method == "editMessageText" and "Broadcast in progress" in s.text,
        after=mark,
        timeout=30,
    )
    assert "Still to send:" in progress.text
    report = await telegram.wait_for(
        lambda s: s.method == "editMessageText" and is_report(1)(s), after=mark, timeout=30
    )
    assert report.message_id == progress.message_id
    assert "Delivered: 50" in report.text
    got = [
        s.chat_id
        for s in telegram.sent
        if "Coffee break until 16:15" in s.text and "From the organisers" in s.text
    ]
    assert len(got) == len(set(got)) == 50
