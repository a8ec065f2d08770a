"""Roles from config plus run-time grants."""

from __future__ import annotations

import pytest

from bot.domain.roles import RoleSources, effective_roles, parse_role


@pytest.mark.parametrize(("word", "role"), [
    ("organiser", "organiser"), ("Organizer", "organiser"), ("high-level", "high_level"),
    ("panellist", "panelist"), ("chair", None), ("", None),
])
def test_role_words(word: str, role: str | None) -> None:
    assert parse_role(word) == role


def test_effective_roles_join_config_and_grants() -> None:
    configured = RoleSources(organisers=frozenset({1}), high_level=frozenset({2}))
    assert effective_roles(1, configured, []) == {"organiser"}
    assert effective_roles(2, configured, ["panelist"]) == {"high_level", "panelist"}
    assert effective_roles(3, configured, []) == frozenset()
