"""What the room screen and the booth view show, as a JSON-able dict (pure: time passed in).

One snapshot serves every screen: labels are the page's business. The countdown is not sent
as a number to display but as the server's timestamps (`started_at`, the pauses, the limit,
the server's `now`), so each browser computes it with its own clock offset and two screens
agree to the second. Times are Unix seconds.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.floor_model import FLOOR_LANGUAGES, FloorState, Request, RequestState, budget_left
from bot.domain.floor_rules import FloorRules

VERSION = 1
NEXT_LIMIT = 10  # waiting requests sent; the pages show fewer


def build_snapshot(state: FloorState, rules: FloorRules, now: datetime, *, title: str,
                   zone: ZoneInfo, zone_label: str) -> dict[str, Any]:
    """The screens' data for the list `state` at `now` (in the event zone `zone`)."""
    current = state.current
    left = budget_left(state, rules, now)
    waiting = state.waiting
    return {
        "version": VERSION,
        "now": _stamp(now),
        "meeting": {
            "title": title,
            "timezone": zone.key,
            "zone_label": zone_label,
            "time": f"{now.astimezone(zone):%H:%M}",
        },
        "open": state.is_open,
        "current": None if current is None else _current(current, rules, now, left),
        "budget": {
            "total": _round(rules.remote_budget_seconds),
            "left": _round(left),
            # the budget runs down while a remote speaker speaks: the page counts it too
            "running": bool(current and current.remote and current.state == RequestState.SPEAKING),
            "beyond": left < 0,
        },
        "next": [_waiting(r) for r in waiting[:NEXT_LIMIT]],
        "waiting": len(waiting),
    }


def _current(request: Request, rules: FloorRules, now: datetime, left: float) -> dict[str, Any]:
    spoken = request.spoken_seconds(now)
    remaining = request.remaining_seconds(now)
    limit = request.limit_seconds or 0.0
    # As the domain decides when the floor is given: a remote speaker whose slot the budget
    # could not cover was given the floor only on the chair's confirmation.
    budget_before = left + spoken
    over_budget = request.remote and budget_before < rules.limit_seconds(request.category)
    if remaining <= 0:
        phase = "overrun"
    elif remaining <= rules.warn_before_seconds:
        phase = "warning"
    else:
        phase = "normal"
    return {
        **_person(request),
        "started_at": _stamp(request.started_at) if request.started_at else None,
        "paused": request.state == RequestState.PAUSED,
        "paused_at": _stamp(request.paused_at) if request.paused_at else None,
        "paused_seconds": _round(request.paused_seconds),
        "limit_seconds": _round(limit),
        "warn_seconds": rules.warn_before_seconds,
        "spoken_seconds": _round(spoken),
        "remaining_seconds": _round(remaining),
        "overrun_seconds": _round(max(0.0, -remaining)),
        "phase": phase,
        "over_budget": over_budget,
    }


def _waiting(request: Request) -> dict[str, Any]:
    return {**_person(request), "position": request.position}


def _person(request: Request) -> dict[str, Any]:
    language = request.language if request.language in FLOOR_LANGUAGES else None
    return {
        "id": request.id,
        "name": request.name,
        "delegation": request.delegation,
        "category": request.category,
        "mode": request.mode,
        "remote": request.remote,
        "language": language,
        "topic": request.topic,
    }


def _stamp(moment: datetime) -> float:
    return round(moment.timestamp(), 3)


def _round(seconds: float) -> float:
    return round(seconds, 3)
