"""Organiser broadcasts: drafts confirmed with Send, scheduled ones, resumable delivery.

Life of a broadcast: draft (preview shown) -> sending (audience snapshot in the per-recipient log)
-> done; or scheduled -> sending -> done, or cancelled / expired. A broadcast found 'sending' at
start-up was interrupted: deliveries in flight become 'unconfirmed' (never resent, reported), the
pending ones are sent. Nobody gets it twice; only a crash mid-request can leave one unconfirmed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from bot.clock import Clock
from bot.config import Config
from bot.domain.agenda import zone_label
from bot.domain.broadcast import (
    ArgsError,
    ArgsProblem,
    Delivery,
    DeliveryReport,
    Due,
    Member,
    ScheduledView,
    parse_broadcast_args,
    parse_schedule_args,
    render_broadcast,
    scheduled_decision,
    select_audience,
    tally,
)
from bot.domain.roles import PANELIST
from bot.errors import UserError
from bot.i18n import I18n, pick_language
from bot.services.delivery import DeliveryEngine, DeliveryStats, Outgoing, Sender
from bot.services.participants import ParticipantService
from bot.storage.broadcasts_repo import BroadcastRecord, BroadcastsRepo

log = logging.getLogger(__name__)

ProgressCallback = Callable[[DeliveryReport], Awaitable[None]]


def _user_error(error: ArgsError, zone: tzinfo = UTC) -> UserError:
    """The user-facing error for bad arguments; `zone` is the event zone the times are read in
    (named by its IANA key: the users' translated label is not known here)."""
    message = {
        ArgsProblem.MISSING_TIME: (
            "Please give a time: /schedule 16:55 [all|remote|room|panelists] text, or "
            "/schedule 2023-03-29 16:55 text (meeting time, {zone})."
        ),
        ArgsProblem.BAD_TIME: (
            "I could not read the time {detail}. Use HH:MM, meeting time ({zone})."
        ),
        ArgsProblem.BAD_DATE: "I could not read the date {detail}. Use YYYY-MM-DD.",
        ArgsProblem.NONEXISTENT_TIME: (
            "{detail} does not exist in {zone}: the clocks skip that hour."
        ),
        ArgsProblem.PAST_TIME: "That time has already passed (meeting time, {zone}).",
        ArgsProblem.MISSING_TEXT: (
            "Please add the message, for example: /broadcast room The panel resumes in 5 minutes."
        ),
        ArgsProblem.TOO_LONG: "The message is too long: at most {detail} characters.",
    }[error.problem]
    return UserError(message, detail=error.detail[:40], zone=zone_label(zone))


@dataclass
class BroadcastLog:
    """The delivery log of one broadcast."""

    repo: BroadcastsRepo
    broadcast_id: int
    clock: Clock

    def claim(self, participant_id: int) -> bool:
        return self.repo.claim(self.broadcast_id, participant_id, self.clock())

    def settle(self, participant_id: int, state: Delivery, attempts: int, error: str) -> None:
        self.repo.settle(
            self.broadcast_id, participant_id, state.value, attempts, error, self.clock()
        )

    def release(self, participant_id: int, attempts: int) -> None:
        self.repo.release(self.broadcast_id, participant_id, attempts, self.clock())


class BroadcastService:
    """Organiser broadcasts, now or scheduled, delivered through the shared engine."""

    def __init__(
        self,
        config: Config,
        participants: ParticipantService,
        repo: BroadcastsRepo,
        i18n: I18n,
        engine: DeliveryEngine,
        clock: Clock,
    ) -> None:
        self.config = config
        self.participants = participants
        self.repo = repo
        self.i18n = i18n
        self.engine = engine
        self.clock = clock

    # --- audiences -------------------------------------------------------------------------------
    def members(self) -> list[Member]:
        """Every active participant, as audience selection sees them."""
        panelists = self.participants.holders(PANELIST)
        return [
            Member(
                participant_id=p.telegram_id,
                chat_id=p.telegram_id,
                remote=p.mode == "remote",
                panelist=p.telegram_id in panelists,
                active=p.active,
            )
            for p in self.participants.repo.all(active_only=True)
        ]

    def recipients(self, audience: str) -> list[Member]:
        """Who `audience` reaches now."""
        return select_audience(audience, self.members())

    # --- organiser commands ----------------------------------------------------------------------
    def draft(self, organiser_id: int, chat_id: int, raw: str) -> tuple[BroadcastRecord, int]:
        """Parse `/broadcast` arguments and store a draft; returns it and the recipient count."""
        try:
            request = parse_broadcast_args(raw)
        except ArgsError as error:
            raise _user_error(error, self.config.tz) from None
        broadcast_id = self.repo.create(
            organiser_id, chat_id, request.audience, request.text, self.clock()
        )
        self.participants.audit(organiser_id, "broadcast_draft", f"id={broadcast_id}")
        record = self.repo.get(broadcast_id)
        assert record is not None
        return record, len(self.recipients(request.audience))

    def schedule(self, organiser_id: int, chat_id: int, raw: str) -> BroadcastRecord:
        """Parse `/schedule` arguments (event time) and store the scheduled broadcast."""
        try:
            request = parse_schedule_args(raw, self.clock(), self.config.tz)
        except ArgsError as error:
            raise _user_error(error, self.config.tz) from None
        broadcast_id = self.repo.create(
            organiser_id, chat_id, request.audience, request.text, self.clock(), request.when
        )
        self.participants.audit(
            organiser_id, "broadcast_schedule", f"id={broadcast_id} at={request.when.isoformat()}"
        )
        record = self.repo.get(broadcast_id)
        assert record is not None
        return record

    def get(self, broadcast_id: int) -> BroadcastRecord | None:
        """One broadcast."""
        return self.repo.get(broadcast_id)

    def cancel_draft(self, broadcast_id: int, organiser_id: int) -> bool:
        """Cancel a draft (the Cancel button); False when it is no longer a draft."""
        done = self.repo.transition(broadcast_id, "cancelled", ("draft",), self.clock())
        self.participants.audit(organiser_id, "broadcast_cancel", f"id={broadcast_id} ok={done}")
        return done

    def cancel_scheduled(self, broadcast_id: int, organiser_id: int) -> BroadcastRecord:
        """Cancel a pending scheduled broadcast (/cancel <id>)."""
        record = self.repo.get(broadcast_id)
        if record is None or record.status != "scheduled":
            raise UserError("There is no pending scheduled broadcast #{id}.", id=broadcast_id)
        if not self.repo.transition(broadcast_id, "cancelled", ("scheduled",), self.clock()):
            raise UserError("Broadcast #{id} is already being sent.", id=broadcast_id)
        self.participants.audit(organiser_id, "broadcast_cancel", f"id={broadcast_id}")
        return record

    def scheduled(self) -> list[ScheduledView]:
        """Pending scheduled broadcasts."""
        return [
            ScheduledView(r.id, r.scheduled_for, r.audience, r.text)
            for r in self.repo.with_status("scheduled")
            if r.scheduled_for is not None
        ]

    # --- sending ---------------------------------------------------------------------------------
    def start(self, broadcast_id: int, from_statuses: tuple[str, ...] = ("draft",)) -> bool:
        """Snapshot the audience and move to 'sending'; False if pressed twice or cancelled."""
        record = self.repo.get(broadcast_id)
        if record is None:
            return False
        audience = [(m.participant_id, m.chat_id) for m in self.recipients(record.audience)]
        started = self.repo.start_sending(broadcast_id, audience, self.clock(), from_statuses)
        if started:
            self.participants.audit(
                record.created_by, "broadcast_send", f"id={broadcast_id} to={len(audience)}"
            )
        return started

    def decide(self, record: BroadcastRecord, now: datetime | None = None) -> Due:
        """For a scheduled broadcast: wait, send (possibly late) or expire."""
        assert record.scheduled_for is not None
        return scheduled_decision(record.scheduled_for, now or self.clock())

    def expire(self, broadcast_id: int) -> bool:
        """Mark a scheduled broadcast missed beyond the grace as expired."""
        return self.repo.transition(broadcast_id, "expired", ("scheduled",), self.clock())

    def interrupted(self) -> list[BroadcastRecord]:
        """Broadcasts a stop left 'sending'; their in-flight deliveries become 'unconfirmed'."""
        records = self.repo.with_status("sending")
        for record in records:
            count = self.repo.mark_interrupted(record.id, self.clock())
            log.warning("broadcast %s was interrupted; %d unconfirmed", record.id, count)
        return records

    async def run(
        self, broadcast_id: int, sender: Sender, on_progress: ProgressCallback | None = None
    ) -> DeliveryReport:
        """Deliver what is pending for a 'sending' broadcast, then mark it done; the report."""
        record = self.repo.get(broadcast_id)
        if record is None or record.status != "sending":
            raise ValueError(f"broadcast {broadcast_id} is not being sent")
        languages = {
            p.telegram_id: pick_language(p.language, p.telegram_language)
            for p in self.participants.repo.all()
        }
        texts: dict[str, str] = {}

        def text_for(participant_id: int) -> str:
            language = languages.get(participant_id, "en")
            if language not in texts:
                gettext = self.i18n.translator(language).gettext
                texts[language] = render_broadcast(record.text, gettext)
            return texts[language]

        messages = [
            Outgoing(pid, chat, text_for(pid)) for pid, chat in self.repo.pending(broadcast_id)
        ]

        async def progress(stats: DeliveryStats) -> None:
            if on_progress is not None:
                await on_progress(self.report(broadcast_id, stats.rate_limited))

        stats = await self.engine.deliver(
            messages,
            sender,
            BroadcastLog(self.repo, broadcast_id, self.clock),
            on_blocked=self.deactivate,
            on_progress=progress,
        )
        if stats.rate_limited:
            self.repo.add_rate_limited(broadcast_id, stats.rate_limited)
        self.repo.transition(broadcast_id, "done", ("sending",), self.clock())
        report = self.report(broadcast_id)
        log.info("broadcast %s done: %s", broadcast_id, report)
        return report

    def report(self, broadcast_id: int, extra_rate_limited: int = 0) -> DeliveryReport:
        """Counts from the per-recipient log (the truth, across restarts)."""
        record = self.repo.get(broadcast_id)
        limited = (record.rate_limited if record else 0) + extra_rate_limited
        return tally(self.repo.states(broadcast_id), limited)

    def set_progress_message(self, broadcast_id: int, message_id: int) -> None:
        """Remember the organiser's progress message."""
        self.repo.set_progress_message(broadcast_id, message_id)

    def deactivate(self, participant_id: int) -> None:
        """The participant blocked the bot: no more messages until they write again."""
        self.participants.repo.update(participant_id, self.clock(), active=0)
