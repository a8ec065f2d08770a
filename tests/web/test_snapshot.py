"""The screens' snapshot: a pure function of the list, the rules and the time."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain import floor_ops
from bot.domain.floor_model import FloorState
from bot.domain.floor_rules import FloorRules
from bot.web.snapshot import NEXT_LIMIT, build_snapshot

T0 = datetime(2023, 3, 29, 13, 0, tzinfo=UTC)  # 15:00 in Geneva
RULES = FloorRules(minutes={"panelist": 10, "in_room": 5, "remote_high_level": 7, "remote": 4},
                   remote_budget_minutes=6, warn_before_seconds=60)
ZONE = ZoneInfo("Europe/Zurich")


def snap(state: FloorState, now: datetime, rules: FloorRules = RULES) -> dict:
    return build_snapshot(state, rules, now, title="CSTD 26", zone=ZONE,
                          zone_label="Geneva time")


def ask(state: FloorState, name: str, *, mode: str = "room", category: str = "in_room",
        language: str | None = None, delegation: str = "Chile", topic: str = "",
        at: datetime = T0) -> FloorState:
    return floor_ops.request_floor(state, RULES, at, participant_id=None, name=name,
                               delegation=delegation, category=category, mode=mode,
                               topic=topic, by_organiser=True, language=language).state


def test_an_empty_list_shows_nobody_the_meeting_and_the_time_in_the_event_zone() -> None:
    data = snap(FloorState(), T0)
    assert data["current"] is None and data["next"] == [] and data["waiting"] == 0
    assert data["open"] is True
    assert data["meeting"] == {"title": "CSTD 26", "timezone": "Europe/Zurich",
                               "zone_label": "Geneva time", "time": "15:00"}
    assert data["now"] == T0.timestamp()
    assert data["budget"] == {"total": 360.0, "left": 360.0, "running": False, "beyond": False}


def test_the_speaker_comes_with_the_timestamps_the_countdown_is_computed_from() -> None:
    state = ask(FloorState(), "Ana Silva", delegation="Brazil", language="fr")
    state = floor_ops.start(state, RULES, T0).state
    now = T0 + timedelta(seconds=100)
    current = snap(state, now)["current"]
    assert current["name"] == "Ana Silva" and current["delegation"] == "Brazil"
    assert current["category"] == "in_room" and current["mode"] == "room"
    assert current["remote"] is False and current["language"] == "fr"
    assert current["started_at"] == T0.timestamp() and current["paused"] is False
    assert current["limit_seconds"] == 300 and current["warn_seconds"] == 60
    assert current["spoken_seconds"] == 100 and current["remaining_seconds"] == 200
    assert current["phase"] == "normal" and current["overrun_seconds"] == 0


def test_the_phase_turns_to_warning_then_to_a_counted_overrun() -> None:
    state = floor_ops.start(ask(FloorState(), "Ana"), RULES, T0).state
    assert snap(state, T0 + timedelta(seconds=239))["current"]["phase"] == "normal"
    assert snap(state, T0 + timedelta(seconds=240))["current"]["phase"] == "warning"
    late = snap(state, T0 + timedelta(seconds=317))["current"]
    assert late["phase"] == "overrun" and late["overrun_seconds"] == 17


def test_a_paused_clock_stops_and_keeps_its_pauses() -> None:
    state = floor_ops.start(ask(FloorState(), "Ana"), RULES, T0).state
    state = floor_ops.pause(state, T0 + timedelta(seconds=30)).state
    paused = snap(state, T0 + timedelta(seconds=90))["current"]
    assert paused["paused"] is True and paused["paused_at"] == T0.timestamp() + 30
    assert paused["spoken_seconds"] == 30
    state = floor_ops.resume(state, RULES, T0 + timedelta(seconds=90)).state
    running = snap(state, T0 + timedelta(seconds=100))["current"]
    assert running["paused"] is False and running["paused_seconds"] == 60
    assert running["spoken_seconds"] == 40


def test_a_remote_speaker_runs_the_budget_down_and_beyond() -> None:
    state = ask(FloorState(), "Li Wei", mode="remote", category="remote")
    state = floor_ops.start(state, RULES, T0).state
    data = snap(state, T0 + timedelta(seconds=60))
    assert data["current"]["remote"] is True and data["current"]["over_budget"] is False
    assert data["budget"] == {"total": 360.0, "left": 300.0, "running": True, "beyond": False}
    state = floor_ops.end(state, RULES, T0 + timedelta(seconds=300)).state  # 60 s of budget left
    state = ask(state, "Ken", mode="remote", category="remote", delegation="Japan",
                at=T0 + timedelta(seconds=300))
    needs = floor_ops.start(state, RULES, T0 + timedelta(seconds=300))
    assert needs.state == state  # the chair must confirm first
    state = floor_ops.start(state, RULES, T0 + timedelta(seconds=300), confirmed=True).state
    beyond = snap(state, T0 + timedelta(seconds=400))
    assert beyond["current"]["over_budget"] is True
    assert beyond["budget"]["left"] == -40.0 and beyond["budget"]["beyond"] is True


def test_a_paused_remote_speaker_does_not_run_the_budget() -> None:
    state = floor_ops.start(ask(FloorState(), "Li", mode="remote", category="remote"), RULES,
                        T0).state
    state = floor_ops.pause(state, T0 + timedelta(seconds=10)).state
    assert snap(state, T0 + timedelta(seconds=50))["budget"]["running"] is False


def test_next_speakers_in_order_with_language_and_topic_at_most_the_limit() -> None:
    state = FloorState()
    for index in range(NEXT_LIMIT + 3):
        state = ask(state, f"Speaker {index}", delegation=f"D{index}",
                    language=("ar", "zh", None)[index % 3], topic=f"topic {index}")
    data = snap(state, T0)
    assert data["waiting"] == NEXT_LIMIT + 3 and len(data["next"]) == NEXT_LIMIT
    first, second, third = data["next"][:3]
    assert (first["position"], first["name"], first["language"]) == (1, "Speaker 0", "ar")
    assert (second["language"], third["language"]) == ("zh", None)
    assert first["topic"] == "topic 0"


def test_a_closed_list_says_so() -> None:
    state = floor_ops.set_open(FloorState(), False).state
    assert snap(state, T0)["open"] is False


def test_names_are_passed_as_data_and_the_snapshot_is_json() -> None:
    name = "<img src=x onerror=alert(1)>"
    state = floor_ops.start(ask(FloorState(), name, delegation="<b>&</b>"), RULES, T0).state
    data = snap(state, T0)
    assert data["current"]["name"] == name  # escaped by the page (textContent), not mangled
    assert json.loads(json.dumps(data)) == data
