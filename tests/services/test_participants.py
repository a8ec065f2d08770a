"""Participant service: profile validation, roles, audit."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.roles import RoleSources
from bot.errors import UserError
from bot.services.participants import ParticipantService
from bot.storage.db import Database
from bot.storage.participants_repo import ParticipantsRepo
from tests.support import FakeClock


@pytest.fixture
def service(tmp_path: Path) -> ParticipantService:
    svc = ParticipantService(
        ParticipantsRepo(Database(tmp_path / "p.sqlite")),
        RoleSources(organisers=frozenset({1})),
        FakeClock(),
    )
    svc.seen(5, "Ana", None, "es")
    return svc


def test_profile_is_trimmed_and_length_checked(service: ParticipantService) -> None:
    p = service.set_profile(5, "  Ana   Silva ", " Brazil ")
    assert (p.display_name, p.delegation) == ("Ana Silva", "Brazil")
    with pytest.raises(UserError):
        service.set_profile(5, "x" * 81, "")
    with pytest.raises(UserError):
        service.set_profile(5, "   ", "Brazil")


@pytest.mark.parametrize(
    ("word", "mode"),
    [("room", "room"), ("Remote", "remote"), ("salle", "room"), ("remoto", "remote")],
)
def test_mode_words_in_three_languages(service: ParticipantService, word: str, mode: str) -> None:
    assert service.set_mode(5, word).mode == mode


@pytest.mark.parametrize("zone", ["Europe/Geneva", "Mars/Base", "../../etc/passwd", "", "UTC\x00"])
def test_unknown_time_zones_are_refused(service: ParticipantService, zone: str) -> None:
    with pytest.raises(UserError):
        service.set_timezone(5, zone)
    assert service.get(5).timezone is None  # type: ignore[union-attr]


def test_config_roles_cannot_be_revoked_at_run_time(service: ParticipantService) -> None:
    with pytest.raises(UserError):
        service.revoke(1, 1, "organiser")
    assert service.is_organiser(1)


def test_grants_and_revokes_are_audited(service: ParticipantService) -> None:
    assert service.grant(1, 5, "high_level")
    assert service.roles(5) == {"high_level"}
    assert service.revoke(1, 5, "high_level")
    actions = [e["action"] for e in service.repo.audit_entries()]
    assert actions == ["revoke", "grant"]


def test_unknown_language_is_refused(service: ParticipantService) -> None:
    with pytest.raises(UserError):
        service.set_language(5, "de")
    assert service.set_language(5, "FR").language == "fr"


def test_language_is_the_choice_then_the_app_language_then_english(
        service: ParticipantService) -> None:
    assert service.language(5) == "es"  # seen with Telegram language "es"
    assert service.language(5, "fr") == "fr"  # the update's own language code wins
    service.set_language(5, "en")
    assert service.language(5, "fr") == "en"  # an explicit /language wins over both
    assert service.language(999, "fr-CA") == "fr" and service.language(None) == "en"
