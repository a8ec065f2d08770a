"""The floor service on a real SQLite file and a fake clock: refusals, audit, concurrency."""

from __future__ import annotations

import asyncio
import csv
import io
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.domain.floor_events import (
    ConfirmationNeeded,
    Ended,
    FloorGiven,
    LanguageSet,
    Requested,
    TimeUp,
    Warned,
)
from bot.domain.floor_model import RequestState, TimerKind
from bot.domain.floor_rules import Category, FloorRules
from bot.domain.roles import RoleSources
from bot.errors import UserError
from bot.services.floor_report import report_chart, report_csv
from bot.services.floor_service import FloorService
from bot.services.participants import ParticipantService
from bot.storage import db as db_module
from bot.storage.db import Database
from bot.storage.floor_repo import FloorRepo
from bot.storage.participants_repo import ParticipantsRepo
from tests.support import FakeClock, shown

CHAIR, SECRETARY = 1, 2
ROOM, REMOTE_HL, REMOTE_P, PANEL = 10, 11, 12, 13
RULES = FloorRules()
GENEVA = ZoneInfo("Europe/Zurich")


@dataclass
class World:
    """A service over a database file, and the pieces to build another one on the same file."""

    path: Path
    clock: FakeClock
    service: FloorService
    db: Database

    def reopen(self) -> FloorService:
        """A new connection and service on the same file (what a restarted process builds)."""
        return build(self.path, self.clock)[0]


def build(path: Path, clock: FakeClock) -> tuple[FloorService, Database]:
    db = Database(path)
    roles = RoleSources(
        organisers=frozenset({CHAIR, SECRETARY}),
        panelists=frozenset({PANEL}),
        high_level=frozenset({REMOTE_HL}),
    )
    participants = ParticipantService(ParticipantsRepo(db), roles, clock)
    return FloorService(FloorRepo(db), RULES, clock, participants), db


@pytest.fixture
def world(tmp_path: Path) -> World:
    clock = FakeClock()
    service, db = build(tmp_path / "panel.sqlite", clock)
    people = [
        (CHAIR, "Chair", "Bureau", "room"),
        (SECRETARY, "Secretary", "UNCTAD", "room"),
        (ROOM, "Ana Silva", "Brazil", "room"),
        (REMOTE_HL, "Minister Okafor", "Nigeria", "remote"),
        (REMOTE_P, "Li Wei", "China", "remote"),
        (PANEL, "Dr Panel", "ITU", "remote"),
    ]
    for user_id, name, delegation, mode in people:
        service.participants.seen(user_id, name, None, "en")
        service.participants.set_profile(user_id, name, delegation)
        service.participants.set_mode(user_id, mode)
    return World(tmp_path / "panel.sqlite", clock, service, db)


def audit(world: World) -> list[dict[str, object]]:
    return world.service.participants.repo.audit_entries()


def test_request_takes_name_delegation_and_category_from_the_profile(world: World) -> None:
    outcome = world.service.request(REMOTE_HL, "  data   governance ")
    (event,) = [e for e in outcome.events if isinstance(e, Requested)]
    request = event.request
    assert (request.name, request.delegation, request.category, request.mode, request.topic) == (
        "Minister Okafor",
        "Nigeria",
        Category.REMOTE_HIGH_LEVEL,
        "remote",
        "data governance",
    )
    assert world.service.request(PANEL).events[0].request.category == Category.PANELIST  # type: ignore[union-attr]


@pytest.mark.parametrize(("who", "category"), [(ROOM, Category.IN_ROOM), (REMOTE_P,
                                                                          Category.REMOTE)])
def test_category_follows_the_mode(world: World, who: int, category: str) -> None:
    assert world.service.request(who).state.waiting[0].category == category


def test_changing_mode_changes_the_category_of_the_next_request(world: World) -> None:
    world.service.participants.set_mode(REMOTE_P, "room")
    assert world.service.request(REMOTE_P).state.waiting[0].category == Category.IN_ROOM


def test_place_of_reports_position_ahead_and_wait(world: World) -> None:
    world.service.request(REMOTE_P)
    world.service.request(ROOM)
    place = world.service.place_of(REMOTE_P)
    assert place is not None
    assert (place.request.position, place.ahead, place.wait_seconds) == (2, 1, 600)
    assert world.service.place_of(REMOTE_HL) is None


def test_topic_is_limited(world: World) -> None:
    with pytest.raises(UserError) as info:
        world.service.request(ROOM, "x" * 201)
    assert "too long" in info.value.message
    assert world.service.state().requests == ()


def test_unknown_user_must_start_first(world: World) -> None:
    with pytest.raises(UserError, match="/start"):
        world.service.request(999)


@pytest.mark.parametrize(
    "action",
    ["next", "done", "pause", "resume", "skip", "move", "remove", "add", "open", "close", "report"],
)
def test_organiser_actions_are_refused_to_participants_and_audited(
    world: World, action: str
) -> None:
    world.service.request(ROOM)
    before = world.service.state()
    calls = {
        "next": lambda: world.service.next(ROOM),
        "done": lambda: world.service.done(ROOM),
        "pause": lambda: world.service.pause(ROOM),
        "resume": lambda: world.service.resume(ROOM),
        "skip": lambda: world.service.skip(ROOM),
        "move": lambda: world.service.move(ROOM, 1, 1),
        "remove": lambda: world.service.remove(ROOM, 1),
        "add": lambda: world.service.add(ROOM, "X", "Y"),
        "open": lambda: world.service.set_open(ROOM, True),
        "close": lambda: world.service.set_open(ROOM, False),
        "report": lambda: world.service.report(ROOM, GENEVA),
    }
    with pytest.raises(UserError, match="only the organisers"):
        calls[action]()
    assert world.service.state() == before
    last = audit(world)[0]
    assert (last["actor_id"], last["action"], last["allowed"]) == (ROOM, f"floor_{action}", 0)


def test_domain_refusals_become_user_errors_with_their_details_and_are_audited(
    world: World,
) -> None:
    world.service.request(ROOM)
    with pytest.raises(UserError) as info:
        world.service.request(ROOM)
    assert shown(info.value) == "Already on the list, at position 1."
    entry = audit(world)[0]
    assert (entry["actor_id"], entry["action"], entry["detail"], entry["allowed"]) == (
        ROOM,
        "floor_request",
        "refused: already_waiting",
        1,
    )
    with pytest.raises(UserError) as info:
        world.service.withdraw(REMOTE_P)
    assert shown(info.value) == "You have no waiting request for the floor."
    with pytest.raises(UserError) as info:
        world.service.move(CHAIR, 1, 5)
    assert shown(info.value) == "There is no position 5: 1 people are waiting."


def test_every_action_is_audited_with_actor_and_time(world: World) -> None:
    world.service.request(ROOM, "access")
    world.clock.advance(5)
    world.service.next(CHAIR)
    world.clock.advance(30)
    world.service.done(SECRETARY)
    entries = list(reversed(audit(world)))
    floor_entries = [e for e in entries if str(e["action"]).startswith("floor_")]
    assert [(e["actor_id"], e["action"]) for e in floor_entries] == [
        (ROOM, "floor_request"),
        (CHAIR, "floor_next"),
        (SECRETARY, "floor_done"),
    ]
    assert floor_entries[1]["at"] == world.clock.now.replace(second=5).isoformat()
    assert "Ana Silva" in str(floor_entries[1]["detail"])
    assert "spoken=30.0s" in str(floor_entries[2]["detail"])


def test_a_whole_remote_intervention_is_charged_exactly(world: World) -> None:
    world.service.request(REMOTE_HL)
    given = world.service.next(CHAIR).events[0]
    assert isinstance(given, FloorGiven) and given.limit_seconds == 420
    world.clock.advance(100.25)
    world.service.pause(CHAIR)
    world.clock.advance(60)
    assert world.service.budget().used == pytest.approx(100.25)
    world.service.resume(SECRETARY)
    world.clock.advance(19.5)
    ended = [e for e in world.service.done(CHAIR).events if isinstance(e, Ended)][0]
    assert ended.spoken_seconds == pytest.approx(119.75)
    budget = world.service.budget()
    assert (budget.total, budget.used, budget.left) == pytest.approx((1800, 119.75, 1680.25))


def test_short_budget_needs_the_chairs_confirmation_for_that_request(world: World) -> None:
    world.service.request(REMOTE_P)
    world.service.next(CHAIR)
    world.clock.advance(1500)  # overrun: 1500 s of a 300 s slot, 300 s of budget left
    world.service.done(CHAIR)
    world.service.request(REMOTE_HL)
    outcome = world.service.next(CHAIR)
    (confirm,) = outcome.events
    assert isinstance(confirm, ConfirmationNeeded)
    assert (confirm.budget_seconds, confirm.limit_seconds) == (300, 420)
    assert world.service.state().current is None
    given = world.service.next(SECRETARY, confirm.request.id, confirmed=True).events[0]
    assert isinstance(given, FloorGiven) and given.limit_seconds == 300
    with pytest.raises(UserError, match="has the floor"):  # the confirm button pressed twice
        world.service.next(CHAIR, confirm.request.id, confirmed=True)


def test_timers_fire_once_and_stale_ones_change_nothing(world: World) -> None:
    world.service.request(ROOM)
    world.service.next(CHAIR)
    request_id = world.service.state().requests[0].id
    entries = len(audit(world))
    world.clock.advance(100)
    assert world.service.timer(request_id, TimerKind.WARNING).events == ()
    assert len(audit(world)) == entries  # a stale timer leaves no trace
    world.clock.advance(440)
    (warned,) = world.service.timer(request_id, TimerKind.WARNING).events
    assert isinstance(warned, Warned) and warned.remaining_seconds == 60
    assert world.service.timer(request_id, TimerKind.WARNING).events == ()
    world.clock.advance(65)
    (up,) = world.service.timer(request_id, TimerKind.TIME_UP).events
    assert isinstance(up, TimeUp) and up.overrun_seconds == 5
    assert audit(world)[0]["actor_id"] is None


def test_state_survives_reopening_the_database_mid_intervention(world: World) -> None:
    for who in (REMOTE_P, ROOM, REMOTE_HL):
        world.service.request(who)
        world.clock.advance(1)
    world.service.next(CHAIR)  # Ana (in the room)
    world.clock.advance(50)
    world.service.done(CHAIR)
    world.service.next(CHAIR)  # the minister, remote high-level
    world.clock.advance(70)
    world.service.pause(CHAIR)
    world.clock.advance(15)
    world.service.resume(CHAIR)
    world.clock.advance(10)
    before_state, before_status, _ = world.service.snapshot()
    world.db.close()

    again = world.reopen()
    state, view, _ = again.snapshot()
    assert state == before_state
    assert view == before_status
    assert view.remaining_seconds == 420 - 80
    assert again.budget().used == 80
    current = state.current
    assert current is not None and current.state == RequestState.SPEAKING
    delays = {
        t.kind: (t.at - world.clock.now).total_seconds()  # type: ignore[union-attr]
        for t in again.pending_timers()
    }
    assert delays == {TimerKind.WARNING: 280, TimerKind.TIME_UP: 340}


def test_concurrent_next_from_two_threads_gives_the_floor_once(world: World) -> None:
    for who in (ROOM, REMOTE_HL, REMOTE_P):
        world.service.request(who)
    services = [world.service, world.reopen()]  # two connections, like two processes
    barrier = threading.Barrier(4)
    given: list[FloorGiven] = []
    refused: list[str] = []
    lock = threading.Lock()

    def press(index: int) -> None:
        service = services[index % 2]
        barrier.wait()
        try:
            outcome = service.next(CHAIR if index % 2 else SECRETARY)
        except UserError as error:
            with lock:
                refused.append(error.message)
            return
        with lock:
            given.extend(e for e in outcome.events if isinstance(e, FloorGiven))

    threads = [threading.Thread(target=press, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(given) == 1 and given[0].request.participant_id == ROOM
    assert len(refused) == 3
    state = world.reopen().state()
    assert [r.participant_id for r in state.requests if r.is_current] == [ROOM]
    assert [r.participant_id for r in state.waiting] == [REMOTE_HL, REMOTE_P]


async def test_concurrent_next_from_coroutines_gives_the_floor_once(world: World) -> None:
    world.service.request(ROOM)
    world.service.request(REMOTE_P)

    async def press(actor: int) -> str:
        try:
            outcome = await asyncio.to_thread(world.service.next, actor)
        except UserError:
            return "refused"
        return "given" if any(isinstance(e, FloorGiven) for e in outcome.events) else "other"

    results = await asyncio.gather(*(press(a) for a in (CHAIR, SECRETARY, CHAIR, SECRETARY)))
    assert sorted(results) == ["given", "refused", "refused", "refused"]
    next_entries = [e for e in audit(world) if e["action"] == "floor_next"]
    assert sum(1 for e in next_entries if str(e["detail"]).startswith("FloorGiven")) == 1


@pytest.mark.parametrize(
    ("text", "kind", "category"),
    [
        ("room", "room", Category.IN_ROOM),
        ("remote", "remote", Category.REMOTE),
        ("high", "high", Category.REMOTE_HIGH_LEVEL),
        ("panelist", "panelist", Category.PANELIST),
    ],
)
def test_add_puts_someone_without_telegram_on_the_list(
    world: World, text: str, kind: str, category: str
) -> None:
    request = world.service.add(CHAIR, " Jean  Dupont ", "France", kind).state.waiting[0]
    assert (request.participant_id, request.name, request.category) == (
        None,
        "Jean Dupont",
        category,
    )
    row = world.db.query("SELECT added_by FROM floor_requests")[0]
    assert row["added_by"] == CHAIR


@pytest.mark.parametrize(("name", "kind"), [("", "room"), ("Ana", "moon"), ("x" * 81, "room")])
def test_add_refuses_bad_input_and_adds_nothing(world: World, name: str, kind: str) -> None:
    with pytest.raises(UserError):
        world.service.add(CHAIR, name, "D", kind)
    assert world.service.state().requests == ()


def test_closed_list_refuses_participants_with_a_clear_message(world: World) -> None:
    world.service.set_open(CHAIR, False)
    with pytest.raises(UserError) as info:
        world.service.request(ROOM)
    assert "closed" in shown(info.value)
    world.service.add(CHAIR, "Jean", "France")
    world.service.set_open(CHAIR, True)
    assert len(world.service.request(ROOM).state.waiting) == 2


def test_report_csv_and_chart(world: World) -> None:
    world.service.request(ROOM, '=HYPERLINK("x")')
    world.service.request(REMOTE_HL)
    world.service.request(REMOTE_P)
    world.service.next(CHAIR)
    world.clock.advance(120)
    world.service.done(CHAIR)
    world.service.next(CHAIR)
    world.clock.advance(60)
    world.service.pause(CHAIR)
    world.clock.advance(30)
    world.service.resume(CHAIR)
    world.clock.advance(40)
    world.service.done(CHAIR)
    report = world.service.report(CHAIR, GENEVA)
    rows = list(csv.DictReader(io.StringIO(report_csv(report).decode("utf-8-sig"))))
    assert list(rows[0]) == [
        "speaker",
        "delegation",
        "category",
        "mode",
        "language",
        "topic",
        "requested",
        "started",
        "ended",
        "seconds_spoken",
        "seconds_paused",
        "outcome",
    ]
    assert [
        (r["speaker"], r["seconds_spoken"], r["seconds_paused"], r["outcome"]) for r in rows
    ] == [
        ("Ana Silva", "120.0", "0.0", "finished"),
        ("Minister Okafor", "100.0", "30.0", "finished"),
        ("Li Wei", "0.0", "0.0", "not reached"),
    ]
    assert [r["language"] for r in rows] == ["en", "en", "en"]  # their Telegram app's
    assert rows[0]["topic"].startswith("'=")  # no formula reaches a spreadsheet
    assert rows[0]["started"].endswith("+02:00")  # Geneva time (summer time on 29 March 2023)
    assert [r.name for r in report.unreached] == ["Li Wei"]
    assert report.budget_used == 100
    assert report.seconds_by_category[Category.IN_ROOM] == 120
    png = report_chart(report, lambda s: s)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000


# --- the floor language ---------------------------------------------------------------------


def test_a_request_takes_the_participants_language_or_the_one_given(world: World) -> None:
    world.service.participants.set_language(ROOM, "fr")
    world.service.participants.seen(REMOTE_P, "Li Wei", None, "zh-hans")
    world.service.request(ROOM)  # their /language choice
    world.service.request(REMOTE_P)  # their Telegram app's language
    world.service.request(REMOTE_HL, "budget", "Arabic")  # named, in English
    world.service.request(PANEL, "", "русский")  # named in its own language
    languages = {r.participant_id: r.language for r in world.service.state().waiting}
    assert languages == {ROOM: "fr", REMOTE_P: "zh", REMOTE_HL: "ar", PANEL: "ru"}
    assert "language=ar" in str(audit(world)[1]["detail"])


def test_set_language_changes_the_waiting_request_and_is_audited(world: World) -> None:
    world.service.request(ROOM)
    world.service.request(REMOTE_P)
    heard: list[object] = []
    world.service.add_listener(lambda outcome: heard.extend(outcome.events))
    outcome = world.service.set_language(ROOM, "es")
    (event,) = outcome.events
    assert isinstance(event, LanguageSet) and (event.previous, event.request.language) == (
        "en", "es")
    assert heard == [event]  # the screens hear it
    assert world.service.state().get(1).language == "es"
    by_id = world.service.set_language(REMOTE_P, "zh-CN", request_id=2)
    assert by_id.state.get(2).language == "zh"
    entry = audit(world)[0]
    assert (entry["actor_id"], entry["action"], entry["allowed"]) == (REMOTE_P, "floor_language", 1)
    assert "en->zh" in str(entry["detail"])


@pytest.mark.parametrize("bad", ["xx", "pt", "", "Klingon", "<b>fr</b>"])
def test_a_bad_language_is_refused_clearly_and_changes_nothing(world: World, bad: str) -> None:
    world.service.request(ROOM)
    before = world.service.state()
    with pytest.raises(UserError) as info:
        world.service.set_language(ROOM, bad)
    assert shown(info.value).endswith("is not a floor language: choose en, fr, es, ar, zh or ru.")
    with pytest.raises(UserError):
        world.service.request(REMOTE_P, "topic", bad)
    with pytest.raises(UserError):
        world.service.add(CHAIR, "Jean Dupont", "France", "room", bad)
    assert world.service.state() == before
    assert [e["action"] for e in audit(world)[:3]] == ["floor_add", "floor_request",
                                                        "floor_language"]
    assert all("refused: unknown_language" in str(e["detail"]) for e in audit(world)[:3])


def test_a_long_bad_language_is_cut_in_the_refusal(world: World) -> None:
    world.service.request(ROOM)
    with pytest.raises(UserError) as info:
        world.service.set_language(ROOM, "z" * 500)
    assert len(str(info.value.params["language"])) == 30


def test_only_the_speaker_changes_a_waiting_requests_language(world: World) -> None:
    world.service.request(ROOM)
    world.service.request(REMOTE_P)
    before = world.service.state()
    with pytest.raises(UserError) as info:
        world.service.set_language(REMOTE_P, "fr", request_id=1)
    assert shown(info.value) == "That request is someone else's: only its speaker can change it."
    with pytest.raises(UserError) as info:
        world.service.set_language(REMOTE_HL, "fr")
    assert shown(info.value) == "You have no waiting request for the floor."
    world.service.next(CHAIR)  # Ana now speaks
    with pytest.raises(UserError) as info:
        world.service.set_language(ROOM, "fr", request_id=1)
    assert shown(info.value) == "That request is no longer waiting."
    with pytest.raises(UserError) as info:
        world.service.set_language(ROOM, "fr", request_id=99)
    assert shown(info.value) == "That request does not exist."
    assert [r.language for r in world.service.state().requests] == [
        r.language for r in before.requests]


def test_the_same_language_again_changes_nothing(world: World) -> None:
    world.service.request(ROOM)
    version = world.service.repo.version()
    heard: list[object] = []
    world.service.add_listener(heard.append)
    assert world.service.set_language(ROOM, "English").events == ()
    assert world.service.repo.version() == version and heard == []


def test_add_takes_a_floor_language(world: World) -> None:
    world.service.add(CHAIR, "Jean Dupont", "France", "remote", "français")
    world.service.add(CHAIR, "Ana Lima", "Peru")
    assert {r.name: r.language for r in world.service.state().waiting} == {
        "Jean Dupont": "fr", "Ana Lima": None}


def test_the_language_survives_reopening_the_database(world: World) -> None:
    world.service.request(ROOM, "", "ar")
    world.service.request(REMOTE_P, "", "zh")
    world.service.next(CHAIR)
    world.service.set_language(REMOTE_P, "ru")
    before = world.service.state()
    world.db.close()
    again = world.reopen()
    state = again.state()
    assert state == before
    assert state.current is not None and state.current.language == "ar"
    assert state.waiting[0].language == "ru"


def test_requests_made_before_the_language_existed_read_as_unknown(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.sqlite"
    every = db_module.migration_files()
    monkeypatch.setattr(db_module, "migration_files", lambda: [m for m in every if m[0] < 8])
    old = Database(path)
    with old.tx() as conn:
        conn.execute(
            "INSERT INTO floor_requests(id, participant_id, name, category, mode, requested_at,"
            " state, position) VALUES (1, 10, 'Ana Silva', 'in_room', 'room', ?, 'waiting', 1)",
            (FakeClock().now.isoformat(),))
    assert "language" not in {r["name"] for r in old.query("PRAGMA table_info(floor_requests)")}
    old.close()
    monkeypatch.undo()
    service, db = build(path, FakeClock())
    (request,) = service.state().requests
    assert (request.name, request.language) == ("Ana Silva", None)
    service.participants.seen(10, "Ana Silva", None, "en")
    assert service.set_language(10, "fr").state.get(1).language == "fr"
    # the schema itself refuses a bad code
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"), db.tx() as conn:
        conn.execute("UPDATE floor_requests SET language = 'xx' WHERE id = 1")
    assert service.state().get(1).language == "fr"
