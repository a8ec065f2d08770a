"""The meeting's speaking rules, as configured under [floor]."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

PANELIST = "panelist"
IN_ROOM = "in_room"
REMOTE_HIGH_LEVEL = "remote_high_level"
REMOTE = "remote"
CATEGORIES: tuple[str, ...] = (PANELIST, IN_ROOM, REMOTE_HIGH_LEVEL, REMOTE)
REMOTE_CATEGORIES: frozenset[str] = frozenset({REMOTE_HIGH_LEVEL, REMOTE})


@dataclass(frozen=True)
class FloorRules:
    """Priority order, per-category limits (minutes, fractions allowed) and the remote budget."""

    priority: tuple[str, ...] = (IN_ROOM, REMOTE_HIGH_LEVEL, REMOTE)
    minutes: Mapping[str, float] = field(
        default_factory=lambda: {PANELIST: 10, IN_ROOM: 10, REMOTE_HIGH_LEVEL: 7, REMOTE: 5}
    )
    remote_budget_minutes: float = 30
    warn_before_seconds: int = 60

    def limit_seconds(self, category: str) -> float:
        """The configured speaking limit of a category, in seconds."""
        return float(self.minutes[category]) * 60.0

    @property
    def remote_budget_seconds(self) -> float:
        """The cumulative budget for remote interventions, in seconds."""
        return float(self.remote_budget_minutes) * 60.0
