"""End-to-end: /agenda, /calendar, /reminders and reminders delivered once across a restart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar

from tests.support import FakeClock
from tests.telegram_server import FakeTelegram

GENEVA = ZoneInfo("Europe/Zurich")
ANA, BOB, CHEN = 201, 202, 203


async def test_agenda_shows_geneva_and_new_york_times_and_what_is_next(
    telegram: FakeTelegram, bot_factory: Any
) -> None:
    await bot_factory(clock=FakeClock(datetime(2023, 3, 29, 12, 0, tzinfo=UTC)))
    ana = telegram.user(ANA, "Ana")
    await ana.ask("/start", "Welcome")
    await ana.ask("/timezone America/New_York", "America/New_York")
    reply = await ana.ask("/agenda", "Agenda")
    assert "<b>15:00–17:30</b>" in reply.text
    assert "your time: 09:00–11:30" in reply.text
    assert "<i>next</i>" in reply.text
    assert reply.params["parse_mode"] == "HTML"


async def test_agenda_without_a_zone_suggests_setting_one_and_speaks_french(
    telegram: FakeTelegram, bot_factory: Any
) -> None:
    await bot_factory(clock=FakeClock(datetime(2023, 3, 29, 13, 30, tzinfo=UTC)))
    marie = telegram.user(ANA, "Marie", language_code="fr")
    await marie.ask("/start", "Bienvenue")
    reply = await marie.ask("/agenda", "Ordre du jour")
    assert "/timezone" in reply.text
    assert "<i>en cours</i>" in reply.text
    assert "<i>Heure de Genève (Europe/Zurich)</i>" in reply.text  # the config label, translated


async def test_calendar_sends_an_ics_file_in_the_event_zone_with_the_title_s_slug(
    telegram: FakeTelegram, bot_factory: Any
) -> None:
    await bot_factory()
    ana = telegram.user(ANA, "Ana")
    await ana.ask("/start", "Welcome")
    mark = await ana.send("/calendar")
    document = await telegram.wait_message(ANA, after=mark, method="sendDocument")
    name, data = next(iter(document.files.values()))
    assert name == "cstd-26-high-level-panel-on-wsis-progress.ics"  # no event.id: from the title
    event = Calendar.from_ical(data).walk("VEVENT")[0]
    assert str(event["uid"]) == "cstd-26-high-level-panel-on-wsis-progress-panel@panel-assistant"
    assert event["dtstart"].params["TZID"] == "Europe/Zurich"
    assert event.decoded("dtstart").astimezone(UTC) == datetime(2023, 3, 29, 13, 0, tzinfo=UTC)


async def test_another_venue_s_config_names_its_zone_in_agenda_reminders_and_calendar(
    telegram: FakeTelegram, bot_factory: Any
) -> None:
    # The next meeting is a new config: New York, its own label and calendar id; no code change.
    overrides = {
        "event": {
            "title": "WSIS side event",
            "id": "wsis-ny-2024",
            "timezone": "America/New_York",
            "timezone_label": "New York time",
        },
        "agenda": [
            {"id": "side", "title": "Side event", "start": "2024-05-14T09:00",
             "end": "2024-05-14T10:00"},
        ],
        "reminders": {"before_minutes": [10]},
    }
    clock = FakeClock(datetime(2024, 5, 14, 12, 0, tzinfo=UTC))  # 08:00 in New York (EDT)
    first = await bot_factory(overrides, clock=clock)
    ana = telegram.user(ANA, "Ana")
    marie = telegram.user(BOB, "Marie", language_code="fr")
    await ana.ask("/start", "Welcome")
    await marie.ask("/start", "Bienvenue")
    await ana.ask("/timezone Europe/Zurich", "Europe/Zurich")

    agenda = await ana.ask("/agenda", "Agenda")
    assert "<i>New York time (America/New_York)</i>" in agenda.text
    assert "<b>09:00–10:00</b>" in agenda.text and "your time: 15:00–16:00" in agenda.text
    assert "Geneva" not in agenda.text
    french = await marie.ask("/agenda", "Ordre du jour")
    assert "<i>New York time (America/New_York)</i>" in french.text  # no translation: as configured

    mark = await ana.send("/calendar")
    document = await telegram.wait_message(ANA, after=mark, method="sendDocument")
    name, data = next(iter(document.files.values()))
    assert name == "wsis-ny-2024.ics"
    event = Calendar.from_ical(data).walk("VEVENT")[0]
    assert str(event["uid"]) == "wsis-ny-2024-side@panel-assistant"
    assert event["dtstart"].params["TZID"] == "America/New_York"

    # Restart 8 minutes before the item: the 10-minute reminder is due and goes out at start-up.
    await first.stop()
    clock.set(datetime(2024, 5, 14, 12, 52, tzinfo=UTC))
    await bot_factory(overrides, clock=clock)
    reminder = await telegram.wait_message(ANA, "⏰", timeout=30)
    assert "New York time: 09:00–10:00" in reminder.text
    assert "Your time (Europe/Zurich): 15:00–16:00" in reminder.text
    assert "Geneva" not in reminder.text
    rappel = await telegram.wait_message(BOB, "⏰", timeout=30)
    assert "New York time : 09:00–10:00" in rappel.text  # French punctuation, label as configured


async def test_reminders_off_and_on_are_saved(telegram: FakeTelegram, bot_factory: Any) -> None:
    bot = await bot_factory()
    ana = telegram.user(ANA, "Ana")
    await ana.ask("/start", "Welcome")
    assert "Reminders are on" in (await ana.ask("/reminders", "Reminders")).text
    await ana.ask("/reminders off", "Reminders are off")
    assert not bot.services.participants.get(ANA).subscribed
    await ana.ask("/reminders on", "Reminders are on")
    assert bot.services.participants.get(ANA).subscribed
    assert "/reminders on" in (await ana.ask("/reminders maybe", "/reminders")).text


def agenda_starting_in(seconds: int) -> dict[str, Any]:
    """Config overrides: one item starting `seconds` from now (real time), reminded 1 min before."""
    start = datetime.now(GENEVA).replace(microsecond=0) + timedelta(seconds=seconds)
    return {
        "agenda": [
            {
                "id": "soon",
                "title": "Panel <soon>",
                "start": start.replace(tzinfo=None).isoformat(),
                "end": (start + timedelta(minutes=30)).replace(tzinfo=None).isoformat(),
                "link": "https://example.org/join",
            }
        ],
        "reminders": {"before_minutes": [1]},
    }


async def test_reminder_reaches_subscribers_not_the_opted_out_and_is_not_repeated_on_restart(
    telegram: FakeTelegram, bot_factory: Any
) -> None:
    # Register first, then restart with an item whose 1-minute reminder falls due in 5 s: no race
    # with registration (a slow start-up only makes it a reminder missed while down, still sent).
    setup = await bot_factory()
    ana, bob, chen = (telegram.user(i, n) for i, n in ((ANA, "Ana"), (BOB, "Bob"), (CHEN, "Chen")))
    for user in (ana, bob, chen):
        await user.ask("/start", "Welcome")
    await ana.ask("/timezone Asia/Tokyo", "Asia/Tokyo")
    await bob.ask("/reminders off", "Reminders are off")
    await setup.stop()

    overrides = agenda_starting_in(60 + 5)
    bot = await bot_factory(overrides)
    first = await telegram.wait_message(ANA, "Panel &lt;soon&gt;", timeout=30)
    assert "⏰" in first.text and "Starts in 1 min." in first.text
    assert "Your time (Asia/Tokyo)" in first.text
    assert '<a href="https://example.org/join">' in first.text
    await telegram.wait_message(CHEN, "Panel &lt;soon&gt;", timeout=15)
    assert bot.services.reminders.repo.states("soon@1") == {ANA: "delivered", CHEN: "delivered"}
    assert not [s for s in telegram.to(BOB) if "⏰" in s.text]

    await bot.stop()
    restarted = await bot_factory(overrides)  # same data dir; the item has not started yet
    assert restarted.application.job_queue.get_jobs_by_name("reminder:soon@1") == ()
    await ana.ask("/agenda", "Agenda")  # a full round trip after the restart
    reminders_to_ana = [s for s in telegram.to(ANA) if "⏰" in s.text]
    assert len(reminders_to_ana) == 1
