"""The floor service: loads the list, lets the pure domain decide with the clock's time, persists.

Each action is one serialised transaction (load, decide, save, audit), so concurrent presses of
/next give the floor once. Domain refusals become `UserError`s (translated by the shell) and are
audited too. The returned `Outcome` says what the shell must send and schedule.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from typing import Literal

from bot.clock import Clock
from bot.domain import floor_ops, floor_undo
from bot.domain.floor_events import (
    ConfirmationNeeded,
    Ended,
    Event,
    FloorGiven,
    LanguageSet,
    Moved,
    Requested,
    Result,
    Skipped,
    Undone,
    Withdrawn,
)
from bot.domain.floor_model import (
    FLOOR_LANGUAGES,
    ChairAction,
    FloorError,
    FloorState,
    Mode,
    Request,
    Status,
    TimerKind,
    UndoOffer,
    budget_left,
    budget_used,
    category_for,
    estimated_wait,
    status,
)
from bot.domain.floor_rules import Category, FloorRules
from bot.errors import UserError
from bot.i18n import gettext_noop as _
from bot.i18n import language_named
from bot.services.floor_report import FloorReport, build_report
from bot.services.participants import DELEGATION_LIMIT, NAME_LIMIT, ParticipantService
from bot.storage import floor_actions_repo
from bot.storage.db import Database
from bot.storage.floor_repo import FloorRepo, FloorTx

log = logging.getLogger(__name__)

TOPIC_LIMIT = 200
UNDO_BUTTON_SECONDS = 60  # how long the chair's status message offers to undo an action
LANGUAGE_TEXT_LIMIT = 30  # how much of an unknown language a refusal repeats


# Domain refusal codes -> English msgids (placeholders are the error's params).
ERRORS: dict[str, str] = {
    "list_closed": _("The list of speakers is closed: you cannot ask for the floor now."),
    "mode_unknown": _("Tell me first how you attend: /mode room or /mode remote."),
    "unknown_category": _("The category {category} is not configured for the floor."),
    "already_waiting": _("Already on the list, at position {position}."),
    "already_speaking": _("You have the floor right now; ask again after your intervention."),
    "not_waiting": _("That request is no longer waiting."),
    "speaker_active": _("{name} has the floor: end the intervention with /done first."),
    "queue_empty": _("Nobody is waiting for the floor."),
    "no_speaker": _("Nobody has the floor right now."),
    "not_current": _("That intervention has already ended."),
    "already_paused": _("The clock is already paused."),
    "not_paused": _("The clock is not paused."),
    "bad_position": _("There is no position {position}: {count} people are waiting."),
    "already_open": _("The list of speakers is already open."),
    "already_closed": _("The list of speakers is already closed."),
    "unknown_request": _("That request does not exist."),
    "unknown_language": _("{language} is not a floor language: choose en, fr, es, ar, zh or ru."),
    "not_yours": _("That request is someone else's: only its speaker can change it."),
    "no_waiting_request": _("You have no waiting request for the floor."),
    "nothing_to_undo": _("There is nothing to undo."),
    "undo_superseded": _("That action can no longer be undone: another action came after it."),
    "undo_expired": _("This undo button has expired: send /undo to undo the last action."),
    "undo_stale": _("The list has changed since that action: it can no longer be undone."),
}
# What a floor action is audited as (floor_<action>): the chair's, the participants' own, the
# timers'. Typed, so that a misspelt action is a mypy error rather than a new audit name.
ParticipantAction = Literal["request", "language", "withdraw"]
FloorAction = ChairAction | ParticipantAction | TimerKind

# Clearer wording for some refusals, depending on who asked for what.
ACTION_ERRORS: dict[tuple[FloorAction, str], str] = {
    ("withdraw", "not_waiting"): _("You have no waiting request for the floor."),
}

# /add kinds -> (mode, category)
ADD_KINDS: dict[str, tuple[Mode, Category]] = {
    "room": (Mode.ROOM, Category.IN_ROOM),
    "remote": (Mode.REMOTE, Category.REMOTE),
    "high": (Mode.REMOTE, Category.REMOTE_HIGH_LEVEL),
    "panelist": (Mode.ROOM, Category.PANELIST),
}


@dataclass(frozen=True)
class Outcome:
    """What an action changed and what the shell must do about it."""

    events: tuple[Event, ...]
    state: FloorState
    now: datetime


def _offered(at: datetime, now: datetime) -> bool:
    """Whether the undo button of an action taken `at` is still shown."""
    return (now - at).total_seconds() < UNDO_BUTTON_SECONDS


@dataclass(frozen=True)
class Budget:
    """The remote budget, in seconds."""

    total: float
    used: float
    left: float


@dataclass(frozen=True)
class Place:
    """A participant's waiting request and where it stands."""

    request: Request
    ahead: int
    wait_seconds: float


class FloorService:
    """The list of speakers of the meeting."""

    def __init__(self, repo: FloorRepo, rules: FloorRules, clock: Clock,
                 participants: ParticipantService) -> None:
        self.repo = repo
        self.rules = rules
        self.clock = clock
        self.participants = participants
        self._listeners: list[Callable[[Outcome], None]] = []

    def add_listener(self, listener: Callable[[Outcome], None]) -> None:
        """Call `listener` after every committed change of the list (the web screens' feed).

        It runs synchronously on the caller's thread, after the transaction; it must be cheap and
        must not raise (an exception is logged and swallowed so that the action still succeeds).
        """
        self._listeners.append(listener)

    # --- queries -----------------------------------------------------------------------------
    def state(self) -> FloorState:
        """The committed list."""
        return self.repo.load()

    def snapshot(self) -> tuple[FloorState, Status, datetime]:
        """The list, the chair's status view of it, and the moment it was taken."""
        state = self.repo.load()
        now = self.clock()
        view = replace(status(state, self.rules, now), undo=self.undo_offer(now))
        return state, view, now

    def place_of(self, user_id: int) -> Place | None:
        """The participant's waiting request, people ahead and estimated wait."""
        state = self.repo.load()
        mine = state.waiting_of(user_id)
        if mine is None or mine.position is None:
            return None
        wait = estimated_wait(state, self.rules, self.clock(), mine.position)
        return Place(mine, mine.position - 1, wait)

    def budget(self) -> Budget:
        """The remote budget now."""
        state = self.repo.load()
        now = self.clock()
        used = budget_used(state, now)
        return Budget(self.rules.remote_budget_seconds, used, budget_left(state, self.rules, now))

    def pending_timers(self) -> tuple[Event, ...]:
        """Timers to schedule at start-up for the current speaker."""
        return floor_ops.pending_timers(self.repo.load(), self.rules, self.clock())

    # --- participants ------------------------------------------------------------------------
    def request(self, user_id: int, topic: str = "", language: str | None = None) -> Outcome:
        """The participant asks for the floor (category from their mode and roles).

        The floor language is `language` (a code or a name), else the participant's own.
        """
        topic = " ".join(topic.split())
        if len(topic) > TOPIC_LIMIT:
            raise UserError("The topic is too long: at most {limit} characters.",
                            limit=TOPIC_LIMIT)
        participant = self.participants.get(user_id)
        if participant is None:
            raise UserError("Please send /start first.")
        roles = self.participants.roles(user_id)
        code = (self._language(language, user_id, "request") if language is not None
                else floor_language(self.participants.language(user_id)))

        def decide(state: FloorState, now: datetime) -> Result:
            category = category_for(participant.mode, roles)
            return floor_ops.request_floor(
                state, self.rules, now, participant_id=user_id,
                name=participant.display_name or str(user_id),
                delegation=participant.delegation, category=category,
                mode=Mode(participant.mode), topic=topic, language=code,
            )
        return self._apply(user_id, "request", decide)

    def set_language(self, user_id: int, language: str,
                     request_id: int | None = None) -> Outcome:
        """Change the floor language (a code or a name) of the user's waiting request."""
        code = self._language(language, user_id, "language")

        def decide(state: FloorState, now: datetime) -> Result:
            target = request_id
            if target is None:
                mine = state.waiting_of(user_id)
                if mine is None:
                    raise FloorError("no_waiting_request")
                target = mine.id
            return floor_ops.set_language(state, target, code, participant_id=user_id)
        return self._apply(user_id, "language", decide)

    def withdraw(self, user_id: int) -> Outcome:
        """The participant withdraws their waiting request."""
        return self._apply(user_id, "withdraw",
                           lambda state, now: floor_ops.withdraw(state, user_id))

    # --- organisers --------------------------------------------------------------------------
    def add(self, actor_id: int, name: str, delegation: str, kind: str = "room",
            language: str | None = None) -> Outcome:
        """Add someone without Telegram to the list (floor language: a code or a name)."""
        self._organiser(actor_id, ChairAction.ADD)
        name, delegation = " ".join(name.split()), " ".join(delegation.split())
        if not name or kind not in ADD_KINDS:
            raise UserError("Usage: /add name | delegation [room|remote|high]")
        if len(name) > NAME_LIMIT or len(delegation) > DELEGATION_LIMIT:
            raise UserError("That is too long: at most {name} characters for the name and "
                            "{delegation} for the delegation.",
                            name=NAME_LIMIT, delegation=DELEGATION_LIMIT)
        mode, category = ADD_KINDS[kind]
        code = self._language(language, actor_id, ChairAction.ADD) if language is not None else None

        def decide(state: FloorState, now: datetime) -> Result:
            return floor_ops.request_floor(
                state, self.rules, now, participant_id=None, name=name, delegation=delegation,
                category=category, mode=mode, by_organiser=True, language=code,
            )
        return self._apply(actor_id, ChairAction.ADD, decide, added_by=actor_id)

    def next(self, actor_id: int, request_id: int | None = None,
             confirmed: bool = False) -> Outcome:
        """Give the floor to the first waiting request (or a given one, e.g. once confirmed)."""
        self._organiser(actor_id, ChairAction.NEXT)
        return self._apply(actor_id, ChairAction.NEXT, lambda state, now: floor_ops.start(
            state, self.rules, now, request_id, confirmed=confirmed))

    def done(self, actor_id: int, request_id: int | None = None) -> Outcome:
        """End the current intervention."""
        self._organiser(actor_id, ChairAction.DONE)
        return self._apply(actor_id, ChairAction.DONE,
                           lambda state, now: floor_ops.end(state, self.rules, now, request_id))

    def pause(self, actor_id: int, request_id: int | None = None) -> Outcome:
        """Stop the speaker's clock and the remote budget."""
        self._organiser(actor_id, ChairAction.PAUSE)
        return self._apply(actor_id, ChairAction.PAUSE,
                           lambda state, now: floor_ops.pause(state, now, request_id))

    def resume(self, actor_id: int, request_id: int | None = None) -> Outcome:
        """Restart the speaker's clock."""
        self._organiser(actor_id, ChairAction.RESUME)
        return self._apply(actor_id, ChairAction.RESUME,
                           lambda state, now: floor_ops.resume(state, self.rules, now, request_id))

    def skip(self, actor_id: int, request_id: int | None = None) -> Outcome:
        """The called speaker is not there."""
        self._organiser(actor_id, ChairAction.SKIP)
        return self._apply(actor_id, ChairAction.SKIP,
                           lambda state, now: floor_ops.skip(state, self.rules, now, request_id))

    def move(self, actor_id: int, from_position: int, to_position: int) -> Outcome:
        """Move a waiting request to another position."""
        self._organiser(actor_id, ChairAction.MOVE)
        return self._apply(actor_id, ChairAction.MOVE,
                           lambda state, now: floor_ops.move(state, from_position, to_position))

    def remove(self, actor_id: int, position: int) -> Outcome:
        """Remove the waiting request at a position."""
        self._organiser(actor_id, ChairAction.REMOVE)
        return self._apply(actor_id, ChairAction.REMOVE,
                           lambda state, now: floor_ops.remove(state, position))

    def set_open(self, actor_id: int, is_open: bool) -> Outcome:
        """Open or close the list to participants."""
        action = ChairAction.OPEN if is_open else ChairAction.CLOSE
        self._organiser(actor_id, action)
        return self._apply(actor_id, action, lambda state, now: floor_ops.set_open(state, is_open))

    def report(self, actor_id: int, zone: tzinfo) -> FloorReport:
        """The report of the whole list so far (CSV and chart data)."""
        self._organiser(actor_id, "report")
        report = build_report(self.repo.load(), self.rules, self.clock(), zone)
        self.participants.audit(actor_id, "floor_report", f"{len(report.requests)} requests")
        return report

    def undo(self, actor_id: int, action_id: int | None = None) -> Outcome:
        """Revert the last chair action (`action_id`: the one a status message's button names,
        refused once another action came after it or once the button's minute is over)."""
        self._organiser(actor_id, ChairAction.UNDO)

        def decide(tx: FloorTx, state: FloorState, now: datetime) -> Result:
            last = floor_actions_repo.last(tx.conn)
            if last is not None and action_id is not None and last.record.id != action_id:
                raise FloorError("undo_superseded")
            if last is None or last.undone:
                raise FloorError("nothing_to_undo")
            if action_id is not None and not _offered(last.record.at, now):
                raise FloorError("undo_expired")
            result = floor_undo.undo(state, self.rules, now, last.record)
            floor_actions_repo.mark_undone(tx.conn, last.record.id, now)
            return result
        return self._transact(actor_id, ChairAction.UNDO, decide)

    def undo_offer(self, now: datetime) -> UndoOffer | None:
        """The action the chair's status message offers to undo, for a minute after it."""
        last = floor_actions_repo.last_offer(self.repo.db)
        if last is None or not _offered(last[2], now):
            return None
        return UndoOffer(last[0], last[1])

    # --- the shell's timers ------------------------------------------------------------------
    def timer(self, request_id: int, kind: TimerKind) -> Outcome:
        """A warning or time-up timer fired (stale ones change nothing and log nothing)."""
        return self._apply(None, kind, lambda state, now: floor_ops.timer_fired(
            state, self.rules, now, request_id, kind), quiet_if_empty=True)

    # --- the chairs' messages ----------------------------------------------------------------
    def status_messages(self) -> dict[int, int]:
        """chat id -> live status message id."""
        return self.repo.status_messages()

    def set_status_message(self, chat_id: int, message_id: int) -> None:
        """Remember a chat's live status message."""
        self.repo.set_status_message(chat_id, message_id, self.clock())

    def forget_status_message(self, chat_id: int) -> None:
        """Stop updating a chat's status message."""
        self.repo.forget_status_message(chat_id)

    def add_notice(self, request_id: int, chat_id: int, message_id: int) -> None:
        """Remember a chair's time-up message (edited to count the overrun)."""
        self.repo.add_notice(request_id, chat_id, message_id)

    def notices(self, request_id: int) -> dict[int, int]:
        """The chairs' time-up messages of a request."""
        return self.repo.notices(request_id)

    # --- internals ---------------------------------------------------------------------------
    def _language(self, text: str, actor_id: int, action: FloorAction) -> str:
        """The floor language a user typed or pressed; a clear refusal (audited) otherwise."""
        code = floor_language(text)
        if code is None:
            shown = " ".join(text.split())[:LANGUAGE_TEXT_LIMIT]
            self.participants.audit(actor_id, f"floor_{action}",
                                    f"refused: unknown_language {shown!r}")
            raise UserError(ERRORS["unknown_language"], language=shown or "?")
        return code

    def _organiser(self, actor_id: int, action: ChairAction | Literal["report"]) -> None:
        if not self.participants.is_organiser(actor_id):
            self.participants.audit(actor_id, f"floor_{action}", "refused: not an organiser",
                                    allowed=False)
            raise UserError("Sorry, only the organisers can use this.")

    def _apply(self, actor_id: int | None, action: FloorAction,
               decide: Callable[[FloorState, datetime], Result], *,
               added_by: int | None = None, quiet_if_empty: bool = False) -> Outcome:
        return self._transact(actor_id, action, lambda tx, state, now: decide(state, now),
                              added_by=added_by, quiet_if_empty=quiet_if_empty)

    def _transact(self, actor_id: int | None, action: FloorAction,
                  decide: Callable[[FloorTx, FloorState, datetime], Result], *,
                  added_by: int | None = None, quiet_if_empty: bool = False) -> Outcome:
        """One action in one transaction: load, decide, save, record (chair actions, for
        /undo), audit; a refusal is audited and raised as a translated UserError."""
        refused: FloorError | None = None
        with self.repo.transaction() as tx:
            state = tx.load()
            now = self.clock()
            try:
                result = decide(tx, state, now)
            except FloorError as error:
                refused = error
                tx.audit(actor_id, f"floor_{action}", f"refused: {error.code}", now)
            else:
                tx.save(state, result.state, added_by=added_by)
                if isinstance(action, ChairAction) and action != ChairAction.UNDO:
                    record = floor_undo.record_of(floor_actions_repo.next_id(tx.conn), action,
                                                  actor_id, now, state, result.state)
                    if record is not None:
                        floor_actions_repo.save(tx.conn, record)
                if result.events or not quiet_if_empty:
                    tx.audit(actor_id, f"floor_{action}", describe(result.events), now)
        if refused is not None:
            log.info("floor %s refused for %s: %s", action, actor_id, refused.code)
            message = ACTION_ERRORS.get((action, refused.code)) or ERRORS.get(
                refused.code, _("That is not possible right now."))
            raise UserError(message, **refused.params)
        outcome = Outcome(result.events, result.state, now)
        if result.events:
            for listener in self._listeners:
                try:
                    listener(outcome)
                except Exception:  # a screen's feed must never undo the chair's action
                    log.exception("floor listener failed")
        return outcome


def describe(events: tuple[Event, ...]) -> str:
    """A one-line account of what happened, for the audit log."""
    parts: list[str] = []
    for event in events:
        request = getattr(event, "request", None)
        label = type(event).__name__
        if request is not None:
            label += f" #{request.id} {request.name!r} ({request.category})"
        if isinstance(event, Requested):
            label += f" position={event.position} language={event.request.language}"
        elif isinstance(event, LanguageSet):
            label += f" {event.previous}->{event.request.language}"
        elif isinstance(event, FloorGiven):
            label += f" limit={event.limit_seconds:.1f}s budget_before={event.budget_before}"
            label += " over_budget" if event.over_budget else ""
        elif isinstance(event, ConfirmationNeeded):
            label += f" budget={event.budget_seconds:.1f}s"
        elif isinstance(event, Ended):
            label += f" spoken={event.spoken_seconds:.1f}s overrun={event.overrun_seconds:.1f}s"
        elif isinstance(event, Moved):
            label += f" {event.from_position}->{event.to_position}"
        elif isinstance(event, Skipped):
            label += " absent" if event.absent else ""
        elif isinstance(event, Undone):
            label += f" {event.action} #{event.action_id}"
            label += "".join(f" #{r.id} {r.name!r}->{r.state}" for r in event.requests)
        elif isinstance(event, Withdrawn):
            label += " by_organiser" if event.by_organiser else ""
        parts.append(label)
    return "; ".join(parts) or "no change"


def floor_language(text: str | None) -> str | None:
    """The floor language named by a code ('fr', 'zh-CN') or a name in any of the bot's
    languages ('French', 'العربية', '中文'); None when it names none of the six."""
    code = language_named(text or "")
    return code if code in FLOOR_LANGUAGES else None


def build_floor_service(rules: FloorRules, db: Database, participants: ParticipantService,
                        clock: Clock) -> FloorService:
    """The floor service over the bot's database (called from the composition root)."""
    return FloorService(FloorRepo(db), rules, clock, participants)
