"""Pure render functions of the floor feature: HTML texts and inline keyboards.

Every dynamic string is escaped here; callers pass the reader's gettext. Callback data is
compact (`fl:<action>[:<request id>]`, and `fl:l:<request id>:<language>` for the floor language
buttons, well under Telegram's 64 bytes) and parsed by `parse_data`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import StrEnum
from functools import cache

from babel import Locale
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.floor_model import (
    FLOOR_LANGUAGES,
    ChairAction,
    FloorState,
    Request,
    RequestState,
    Status,
)
from bot.domain.floor_rules import Category
from bot.handlers.common import esc
from bot.i18n import Gettext


class ButtonAction(StrEnum):
    """The floor buttons that are not chair actions (those are `ChairAction`s)."""

    CONFIRM = "confirm"  # give the floor beyond the remote budget (a /next, confirmed)
    CANCEL = "cancel"
    REFRESH = "refresh"
    REQUEST = "request"
    WITHDRAW = "withdraw"
    LANGUAGE = "language"


Action = ChairAction | ButtonAction

# Callback data: actions with a request id (organisers), and plain ones. The codes are the bytes
# of buttons already sent: never change them.
# ("z": undo, its id is the action's: an old button is refused once another action came after)
WITH_ID: dict[str, Action] = {
    "n": ChairAction.NEXT, "d": ChairAction.DONE, "p": ChairAction.PAUSE,
    "r": ChairAction.RESUME, "s": ChairAction.SKIP, "c": ButtonAction.CONFIRM,
    "z": ChairAction.UNDO,
}
PLAIN: dict[str, Action] = {"q": ButtonAction.REQUEST, "w": ButtonAction.WITHDRAW,
                            "u": ButtonAction.REFRESH, "x": ButtonAction.CANCEL}
LANGUAGE = ButtonAction.LANGUAGE
_DATA = re.compile(r"^fl:(?:([ndprscz]):([1-9][0-9]{0,8})|([qwux])|l:([1-9][0-9]{0,8}):("
                   + "|".join(FLOOR_LANGUAGES) + "))$")
CHECK = "✓"


@dataclass(frozen=True)
class Button:
    """A parsed floor button press."""

    action: Action
    request_id: int | None = None  # for undo: the id of the action it undoes
    language: str | None = None  # the floor language buttons only


def parse_data(data: str | None) -> Button | None:
    """The button behind callback data, or None when it is not a valid floor button."""
    match = _DATA.match(data or "")
    if match is None:
        return None
    if match.group(1):
        return Button(WITH_ID[match.group(1)], int(match.group(2)))
    if match.group(4):
        return Button(LANGUAGE, int(match.group(4)), match.group(5))
    return Button(PLAIN[match.group(3)])


def data_for(action: Action, request_id: int | None = None, language: str | None = None) -> str:
    """Callback data for an action (the inverse of `parse_data`)."""
    if action == LANGUAGE:
        if request_id is None or language not in FLOOR_LANGUAGES:
            raise ValueError(action)
        return f"fl:l:{request_id}:{language}"
    for code, name in {**WITH_ID, **PLAIN}.items():
        if name == action:
            return f"fl:{code}:{request_id}" if request_id is not None else f"fl:{code}"
    raise ValueError(action)


def clock(seconds: float) -> str:
    """Seconds as m:ss (negative with a minus sign), rounded to the nearest second."""
    total = round(seconds)
    sign = "-" if total < 0 else ""
    minutes, rest = divmod(abs(total), 60)
    return f"{sign}{minutes}:{rest:02d}"


def about_minutes(seconds: float) -> int:
    """A wait in whole minutes, rounded up."""
    return max(1, math.ceil(seconds / 60))


def category_label(category: Category, _: Gettext) -> str:
    """A speaking category in the reader's language."""
    labels = {Category.PANELIST: _("panelist"), Category.IN_ROOM: _("in the room"),
              Category.REMOTE_HIGH_LEVEL: _("remote, high-level"), Category.REMOTE: _("remote")}
    return labels[category]


@cache
def language_name(code: str) -> str:
    """A floor language by its own name ('English', 'Français', 'العربية', '中文'...), the
    names /language understands."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def language_tag(request: Request) -> str:
    """' · FR': the floor language as the booths write it, escaped; '' when not known."""
    return f" · {esc(request.language.upper())}" if request.language else ""


def language_keyboard(request_id: int, current: str | None) -> InlineKeyboardMarkup:
    """The six floor languages by their own names, the current one checked."""
    buttons = [InlineKeyboardButton(
        (f"{CHECK} " if code == current else "") + language_name(code),
        callback_data=data_for(LANGUAGE, request_id, code)) for code in FLOOR_LANGUAGES]
    return InlineKeyboardMarkup([buttons[:3], buttons[3:]])


def who(request: Request) -> str:
    """Name (delegation), not escaped."""
    return f"{request.name} ({request.delegation})" if request.delegation else request.name


def person(request: Request) -> str:
    """Name (delegation), escaped."""
    return esc(who(request))


def status_text(view: Status, _: Gettext) -> str:
    """The chair's live status message."""
    state = _("open") if view.is_open else _("closed")
    lines = [f"<b>{esc(_('List of speakers'))}</b> · "
             + esc(_("{state}, {count} waiting").format(state=state, count=view.waiting_count))]
    current = view.current
    if current is None:
        lines.append(esc(_("Nobody has the floor.")))
    else:
        lines.append(f"🎙 <b>{person(current)}</b> · {esc(category_label(current.category, _))}"
                     + language_tag(current))
        left = view.remaining_seconds or 0.0
        if current.state == RequestState.PAUSED:
            lines.append("⏸ " + esc(_("Paused, {left} left").format(left=clock(left))))
        elif left >= 0:
            lines.append("⏱ " + esc(_("{left} left").format(left=clock(left))))
        else:
            lines.append("⚠️ " + esc(_("Time is up: overrun {overrun}").format(
                overrun=clock(-left))))
    lines.append("🌐 " + esc(_("Remote budget left: {left}").format(
        left=clock(view.budget_seconds))))
    if view.next_up:
        lines.append("")
        lines.append(esc(_("Next:")))
        lines += [f"{r.position}. {person(r)} · {esc(category_label(r.category, _))}"
                  + language_tag(r) for r in view.next_up]
    return "\n".join(lines)


def status_keyboard(view: Status, _: Gettext) -> InlineKeyboardMarkup:
    """The chair's buttons: next (with the name), or done/pause/resume/skip; undo for a minute
    after an action; refresh."""
    rows: list[list[InlineKeyboardButton]] = []
    current = view.current
    if current is None and view.next_up:
        head = view.next_up[0]
        rows.append([InlineKeyboardButton(
            "▶ " + _("Next: {name}").format(name=head.name)[:60],
            callback_data=data_for(ChairAction.NEXT, head.id))])
    if current is not None:
        pause = (InlineKeyboardButton("▶ " + _("Resume"), callback_data=data_for(
            ChairAction.RESUME, current.id)) if current.state == RequestState.PAUSED
            else InlineKeyboardButton("⏸ " + _("Pause"), callback_data=data_for(
                ChairAction.PAUSE, current.id)))
        rows.append([
            InlineKeyboardButton("⏹ " + _("Done"),
                                 callback_data=data_for(ChairAction.DONE, current.id)),
            pause,
            InlineKeyboardButton("⏭ " + _("Not here"),
                                 callback_data=data_for(ChairAction.SKIP, current.id)),
        ])
    if view.undo is not None:
        rows.append([InlineKeyboardButton(
            "↩ " + _("Undo /{action}").format(action=view.undo.action),
            callback_data=data_for(ChairAction.UNDO, view.undo.action_id))])
    rows.append([InlineKeyboardButton("🔄 " + _("Refresh"),
                                      callback_data=data_for(ButtonAction.REFRESH))])
    return InlineKeyboardMarkup(rows)


def queue_text(state: FloorState, user_id: int | None, wait_seconds: float | None,
               _: Gettext, zone: tzinfo) -> str:
    """The list for /queue: who speaks, who waits (name, delegation, category), your place."""
    lines = [f"<b>{esc(_('List of speakers'))}</b>"]
    if not state.is_open:
        lines.append(esc(_("The list is closed to new requests.")))
    current = state.current
    if current is not None:
        lines.append("🎙 " + esc(_("Speaking:")) + f" {person(current)} · "
                     + esc(category_label(current.category, _)) + language_tag(current))
    waiting = state.waiting
    if not waiting:
        lines.append(esc(_("Nobody is waiting.")))
    for request in waiting:
        line = (f"{request.position}. {person(request)} · "
                f"{esc(category_label(request.category, _))}{language_tag(request)} · "
                f"{request.requested_at.astimezone(zone):%H:%M}")
        if user_id is not None and request.participant_id == user_id:
            line = f"<b>{line}</b> ← " + esc(_("you"))
        lines.append(line)
    mine = state.waiting_of(user_id) if user_id is not None else None
    if mine is not None and mine.position is not None:
        lines += ["", esc(_("Your place: {position}, estimated wait about {minutes} min.").format(
            position=mine.position, minutes=about_minutes(wait_seconds or 0)))]
    return "\n".join(lines)


def queue_keyboard(state: FloorState, user_id: int, _: Gettext) -> InlineKeyboardMarkup | None:
    """Ask for the floor, or withdraw, from the list."""
    if state.waiting_of(user_id) is not None:
        return InlineKeyboardMarkup([[InlineKeyboardButton(
            _("Withdraw my request"), callback_data=data_for(ButtonAction.WITHDRAW))]])
    current = state.current
    if state.is_open and (current is None or current.participant_id != user_id):
        return InlineKeyboardMarkup([[InlineKeyboardButton(
            _("Ask for the floor"), callback_data=data_for(ButtonAction.REQUEST))]])
    return None


def confirm_keyboard(request_id: int, limit_text: str, _: Gettext) -> InlineKeyboardMarkup:
    """Give the floor despite the remote budget, or not."""
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(_("Give the floor anyway ({limit})").format(limit=limit_text),
                             callback_data=data_for(ButtonAction.CONFIRM, request_id)),
        InlineKeyboardButton(_("Cancel"), callback_data=data_for(ButtonAction.CANCEL)),
    ]])


def unreached_text(requests: Sequence[Request], _: Gettext) -> str:
    """The requests never reached, for /report."""
    if not requests:
        return esc(_("Every request was reached."))
    lines = [esc(_("Never reached ({count}):").format(count=len(requests)))]
    lines += [f"{r.position}. {person(r)} · {esc(category_label(r.category, _))}"
              + language_tag(r) for r in requests]
    return "\n".join(lines)


def local_time(moment: datetime, zone: tzinfo) -> str:
    """HH:MM:SS in the event's zone."""
    return f"{moment.astimezone(zone):%H:%M:%S}"
