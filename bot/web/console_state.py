"""What the chair's console shows, as JSON-ready dicts: pure, the time and translator passed in.

The console needs more than the room screen: the ids of the requests (its buttons name the
request they act on, so a click on a stale page refuses instead of hitting someone else), the
label of the Next button with the name, and its own labels in the organiser's language.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.floor_events import ConfirmationNeeded
from bot.domain.floor_model import FloorState, Request, budget_left, budget_used
from bot.domain.floor_rules import Category, FloorRules
from bot.i18n import Gettext, is_rtl
from bot.web.snapshot import build_snapshot


def _category(category: Category, _: Gettext) -> str:
    # The same wording as the Telegram list (bot/handlers/floor_render.py: category_label).
    labels = {Category.PANELIST: _("panelist"), Category.IN_ROOM: _("in the room"),
              Category.REMOTE_HIGH_LEVEL: _("remote, high-level"), Category.REMOTE: _("remote")}
    return labels[category]


def clock(seconds: float) -> str:
    """Seconds as m:ss (negative with a minus sign), as in the Telegram messages."""
    total = round(seconds)
    sign = "-" if total < 0 else ""
    minutes, rest = divmod(abs(total), 60)
    return f"{sign}{minutes}:{rest:02d}"


def _waiting(request: Request, _: Gettext) -> dict[str, Any]:
    return {
        "id": request.id,
        "position": request.position,
        "name": request.name,
        "delegation": request.delegation,
        "category": request.category,
        "category_label": _category(request.category, _),
        "remote": request.remote,
        "topic": request.topic,
    }


def console_state(state: FloorState, rules: FloorRules, now: datetime, _: Gettext, *,
                  title: str, zone: ZoneInfo, zone_label: str) -> dict[str, Any]:
    """The room screen's snapshot plus what the chair acts on: every waiting request with its
    id, the Next button's label with the name, the budget used (names are plain text: the
    page escapes them)."""
    snapshot = build_snapshot(state, rules, now, title=title, zone=zone, zone_label=zone_label)
    waiting = state.waiting
    head = waiting[0] if waiting and state.current is None else None
    current = state.current
    return {
        **snapshot,
        "queue": [_waiting(r, _) for r in waiting],
        "current_label": None if current is None else _category(current.category, _),
        "next_button": None if head is None else {
            "id": head.id, "name": head.name,
            "label": _("Next: {name}").format(name=head.name)},
        "budget_used": budget_used(state, now),
        "budget_left_text": clock(budget_left(state, rules, now)),
    }


def confirmation(event: ConfirmationNeeded, _: Gettext) -> dict[str, Any]:
    """The question the chair must answer before the floor goes beyond the remote budget
    (the same wording as the Telegram confirmation, bot/handlers/floor_effects.py)."""
    budget, limit = event.budget_seconds, event.limit_seconds
    granted = budget if budget > 0 else limit
    if budget > 0:
        text = _("The remote budget left ({left}) cannot cover a full slot of {limit} for "
                 "{name}.").format(left=clock(budget), limit=clock(limit), name=event.request.name)
    else:
        text = _("The remote budget is exhausted ({left}). {name} would speak beyond it.").format(
            left=clock(budget), name=event.request.name)
    return {
        "request_id": event.request.id,
        "name": event.request.name,
        "text": text,
        "question": _("Give the floor anyway?"),
        "confirm_label": _("Give the floor anyway ({limit})").format(limit=clock(granted)),
        "cancel_label": _("Cancel"),
    }


def budget_text(total: float, used: float, left: float, _: Gettext) -> str:
    """The /budget answer, as plain text."""
    text = _("Remote budget: {used} used of {total}, {left} left.").format(
        used=clock(used), total=clock(total), left=clock(left))
    if left <= 0:
        text += " " + _("It is exhausted: each further remote speaker needs your confirmation.")
    return text


def labels(language: str, _: Gettext) -> dict[str, Any]:
    """The console page's own words in the organiser's language."""
    return {
        "language": language,
        "rtl": is_rtl(language),
        "title": _("Chair's console"),
        "list": _("List of speakers"),
        "open": _("open"),
        "closed": _("closed"),
        "waiting": _("{state}, {count} waiting"),
        "nobody_speaking": _("Nobody has the floor."),
        "nobody_waiting": _("Nobody is waiting."),
        "left": _("{left} left"),
        "paused": _("Paused, {left} left"),
        "overrun": _("Time is up: overrun {overrun}"),
        "budget_left": _("Remote budget left: {left}"),
        "done": _("Done"),
        "pause": _("Pause"),
        "resume": _("Resume"),
        "skip": _("Not here"),
        "open_list": _("Open the list"),
        "close_list": _("Close the list"),
        "budget": _("Budget"),
        "move_up": _("Move up"),
        "move_down": _("Move down"),
        "remove": _("Remove"),
        "remove_question": _("Remove {name} from the list?"),
        "cancel": _("Cancel"),
        "sign_out": _("Sign out"),
        "signed_out": _("You are signed out. Send /console to the bot to sign in again."),
        "offline": _("Connection lost: trying again."),
        "remote": _("remote"),
        "in_room": _("in the room"),
    }
