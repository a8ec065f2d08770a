"""Command-argument and callback-data parsers: any input parses or is refused, never a crash.

Words come as PTB gives them (`text.split()`), from arbitrary Unicode and from number-like
words. Parsers that need SQLite (/profile, /mode, /timezone, /language, /speak, /add) are
exercised through their services on a real database: a result or a `UserError` whose message
renders in every language. The /broadcast and /schedule parsers have their own properties in
test_broadcast.py; here, their refusals are checked to render.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.domain.broadcast import ArgsError, ArgsProblem
from bot.domain.floor_rules import FloorRules
from bot.domain.roles import ROLES, RoleSources, parse_role
from bot.errors import UserError
from bot.handlers.admin import _target_and_role
from bot.handlers.ask import FEEDBACK
from bot.handlers.broadcast import CALLBACK
from bot.handlers.floor_commands import _positions
from bot.handlers.floor_render import PLAIN, WITH_ID, data_for, parse_data
from bot.i18n import LANGUAGES, I18n
from bot.services.broadcasts import _user_error
from bot.services.floor_service import FloorService, build_floor_service
from bot.services.participants import ParticipantService, valid_zone
from bot.storage.db import Database
from bot.storage.participants_repo import ParticipantsRepo
from tests.support import FakeClock, shown

I18N = I18n.load()
SQLITE_MAX = 2**63 - 1
number_words = st.one_of(st.integers().map(str), st.from_regex(r"[+-]?[0-9_٠-٩²³¹]{1,8}",
                                                               fullmatch=True))
words = st.one_of(number_words,
                  st.text(min_size=1, max_size=12).filter(lambda w: w.split() == [w]))
arg_lists = st.one_of(st.lists(words, max_size=4),
                      st.text(max_size=40).map(str.split))


def renders_everywhere(error: UserError) -> None:
    """The refusal can be shown in every language (placeholders and params agree)."""
    for language in LANGUAGES:
        text = shown(error, I18N.translator(language).gettext)
        assert text.strip()


@given(arg_lists, st.integers(min_value=1, max_value=3))
@example(["²", "1"], 2)
@example(["١", "٢"], 2)
def test_move_and_remove_positions_parse_to_small_numbers_or_nothing(
        args: list[str], count: int) -> None:
    positions = _positions(args, count)
    assert positions is None or (len(positions) == count
                                 and all(0 <= p < 100_000 for p in positions))
    if all(re.fullmatch(r"[0-9]{1,5}", a) for a in args) and len(args) == count:
        assert positions == [int(a) for a in args]


@given(st.lists(st.one_of(number_words, st.sampled_from(
    ["organiser", "Organizer", " panelist", "high-level", "HIGH", "chair", ""])), max_size=3))
@example(["1_000", "organiser"])
def test_grant_and_revoke_arguments_give_a_positive_id_and_a_known_role_or_nothing(
        args: list[str]) -> None:
    parsed = _target_and_role(args)
    if parsed is not None:
        user_id, role = parsed
        assert user_id > 0 and role in ROLES
        assert len(args) == 2 and parse_role(args[1]) == role


@given(st.text(max_size=30))
def test_role_words_are_case_and_space_insensitive(word: str) -> None:
    role = parse_role(word)
    assert role is None or role in ROLES
    assert parse_role(f"  {word}\t") == role == parse_role(word.strip().lower())
    for name in ROLES:
        assert parse_role(name.upper()) == name


@given(st.one_of(st.text(max_size=100), st.from_regex(r"fl:[a-z]:[0-9]{1,12}", fullmatch=True),
                 st.sampled_from([f"fl:{c}" for c in (*WITH_ID, *PLAIN)])))
@example("fl:n:0")
@example("fl:n:١٢")
@example("fl:n:" + "9" * 100)
def test_floor_button_data_parses_back_to_itself_or_is_refused(data: str) -> None:
    button = parse_data(data)
    if button is not None:
        assert data_for(button.action, button.request_id) == data
        assert len(data.encode()) <= 64
        assert button.request_id is None or 0 < button.request_id < 10**9


@given(st.sampled_from(sorted({*WITH_ID.values(), *PLAIN.values()})),
       st.integers(min_value=1, max_value=999_999_999))
def test_every_floor_button_the_bot_makes_fits_telegram_and_parses(action: str,
                                                                   request_id: int) -> None:
    data = data_for(action, request_id if action in WITH_ID.values() else None)
    assert len(data.encode()) <= 64
    button = parse_data(data)
    assert button is not None and button.action == action


@given(st.one_of(st.text(max_size=80),
                 st.from_regex(r"(bc:(send|cancel)|qa:[ud]):[0-9٠-٩]{1,14}", fullmatch=True)))
def test_broadcast_and_feedback_button_ids_are_bounded_numbers(data: str) -> None:
    for pattern in (CALLBACK, FEEDBACK):
        match = pattern.match(data)
        if match is not None:
            assert 0 <= int(match.group(2)) < 10**12
            assert len(data.encode()) <= 64


@given(st.one_of(st.text(max_size=300), st.sampled_from(
    ["America/New_York", "../../etc/passwd", "/etc/localtime", "UTC", "Europe/Zurich\x00",
     "a" * 300, "Etc/GMT+5", "Europe/", "."])))
def test_time_zone_names_give_a_zone_or_nothing(name: str) -> None:
    zone = valid_zone(name)
    assert zone is None or isinstance(zone, ZoneInfo)
    if zone is not None:
        assert ".." not in name and not name.strip().startswith("/")


@given(st.sampled_from(list(ArgsProblem)), st.text(max_size=200))
def test_broadcast_and_schedule_refusals_render_in_every_language(problem: ArgsProblem,
                                                                  detail: str) -> None:
    error = _user_error(ArgsError(problem, detail))
    renders_everywhere(error)
    assert len(str(error.params.get("detail", ""))) <= 40


def test_profile_mode_time_zone_language_topic_and_add_accept_anything_or_explain() -> None:
    """The parsers behind /profile, /mode, /timezone, /language, /speak and /add."""
    with tempfile.TemporaryDirectory() as directory:
        db = Database(Path(directory) / "panel.sqlite")
        clock = FakeClock()
        participants = ParticipantService(ParticipantsRepo(db), RoleSources(
            organisers=frozenset({1})), clock)
        floor = build_floor_service(FloorRules(), db, participants, clock)
        participants.seen(1, "Chair", None, "en")
        participants.seen(2, "Ana", None, "en")
        try:
            _check_services(participants, floor)
        finally:
            db.close()


def _check_services(participants: ParticipantService, floor: FloorService) -> None:
    text = st.text(max_size=250)

    def refused_or_done(call: object, *args: object) -> None:
        try:
            call(*args)  # type: ignore[operator]
        except UserError as error:
            renders_everywhere(error)

    @settings(max_examples=60, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(profile=text, mode=st.one_of(text, st.sampled_from(["room", "Remote ", "salle"])),
           zone=text, language=st.one_of(text, st.sampled_from(["FR", " es", "de"])),
           topic=text, add=text, kind=st.sampled_from(["room", "remote", "high", "panelist",
                                                        "chair"]))
    def check(profile: str, mode: str, zone: str, language: str, topic: str, add: str,
              kind: str) -> None:
        name, _bar, delegation = profile.partition("|")
        refused_or_done(participants.set_profile, 2, name, delegation)
        refused_or_done(participants.set_mode, 2, mode)
        refused_or_done(participants.set_timezone, 2, zone)
        refused_or_done(participants.set_language, 2, language)
        refused_or_done(floor.request, 2, topic)
        refused_or_done(floor.withdraw, 2)
        guest, _bar, rest = add.partition("|")
        refused_or_done(floor.add, 1, guest, rest, kind)
        participant = participants.get(2)
        assert participant is not None and participant.mode in (None, "room", "remote")
        assert participant.language in (None, *LANGUAGES)
        assert len(participant.display_name) <= 80 and len(participant.delegation or "") <= 120

    check()
