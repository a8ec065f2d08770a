"""Roles and who holds them: the config lists plus what organisers grant at run time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ORGANISER = "organiser"
PANELIST = "panelist"
HIGH_LEVEL = "high_level"
ROLES: tuple[str, ...] = (ORGANISER, PANELIST, HIGH_LEVEL)

ROLE_ALIASES = {
    "organiser": ORGANISER, "organizer": ORGANISER, "org": ORGANISER,
    "panelist": PANELIST, "panellist": PANELIST,
    "high_level": HIGH_LEVEL, "high-level": HIGH_LEVEL, "highlevel": HIGH_LEVEL, "high": HIGH_LEVEL,
}


def parse_role(text: str) -> str | None:
    """The canonical role for a word typed by an organiser, or None."""
    return ROLE_ALIASES.get(text.strip().lower())


@dataclass(frozen=True)
class RoleSources:
    """Roles from the config file, keyed by role."""

    organisers: frozenset[int] = frozenset()
    panelists: frozenset[int] = frozenset()
    high_level: frozenset[int] = frozenset()

    def of(self, user_id: int) -> set[str]:
        """Roles the config file gives to `user_id`."""
        found = set()
        if user_id in self.organisers:
            found.add(ORGANISER)
        if user_id in self.panelists:
            found.add(PANELIST)
        if user_id in self.high_level:
            found.add(HIGH_LEVEL)
        return found


def effective_roles(
    user_id: int, configured: RoleSources, granted: Iterable[str]
) -> frozenset[str]:
    """Config roles plus run-time grants."""
    return frozenset(configured.of(user_id) | set(granted))
