"""The meeting's speaking rules, as configured under [floor]."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Category(StrEnum):
    """A speaking category (the values are those of config.toml and the database)."""

    PANELIST = "panelist"
    IN_ROOM = "in_room"
    REMOTE_HIGH_LEVEL = "remote_high_level"
    REMOTE = "remote"


REMOTE_CATEGORIES: frozenset[Category] = frozenset({Category.REMOTE_HIGH_LEVEL, Category.REMOTE})


@dataclass(frozen=True)
class FloorRules:
    """Priority order, per-category limits (minutes, fractions allowed) and the remote budget."""

    priority: tuple[Category, ...] = (Category.IN_ROOM, Category.REMOTE_HIGH_LEVEL, Category.REMOTE)
    minutes: Mapping[Category, float] = field(
        default_factory=lambda: {
            Category.PANELIST: 10,
            Category.IN_ROOM: 10,
            Category.REMOTE_HIGH_LEVEL: 7,
            Category.REMOTE: 5,
        }
    )
    remote_budget_minutes: float = 30
    warn_before_seconds: int = 60

    def limit_seconds(self, category: Category) -> float:
        """The configured speaking limit of a category, in seconds."""
        return float(self.minutes[category]) * 60.0

    @property
    def remote_budget_seconds(self) -> float:
        """The cumulative budget for remote interventions, in seconds."""
        return float(self.remote_budget_minutes) * 60.0
