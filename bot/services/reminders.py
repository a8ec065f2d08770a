"""Agenda and reminders: what participants see, and the reminders planned and sent once each.

The planner (`bot.domain.reminders.plan`) decides; this service gathers its inputs (config, the
sent-log, subscribers, the clock) and carries out the sending through the delivery engine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from bot.clock import Clock
from bot.config import Config
from bot.domain.agenda import render_agenda, render_reminder
from bot.domain.broadcast import Delivery
from bot.domain.reminders import Reminder, ReminderPlan, all_reminders, plan, recipients_for
from bot.i18n import I18n, pick_language
from bot.services.calendar_ics import build_calendar, calendar_filename, meeting_id
from bot.services.delivery import DeliveryEngine, DeliveryStats, Outgoing, Sender
from bot.services.participants import ParticipantService, valid_zone
from bot.storage.participants_repo import Participant
from bot.storage.reminders_repo import RemindersRepo

log = logging.getLogger(__name__)

Gettext = Callable[[str], str]


@dataclass
class ReminderLog:
    """The delivery log of one reminder, backed by the sent-log table."""

    repo: RemindersRepo
    key: str
    clock: Clock

    def claim(self, participant_id: int) -> bool:
        return self.repo.claim(self.key, participant_id, self.clock())

    def settle(self, participant_id: int, state: Delivery, attempts: int, error: str) -> None:
        self.repo.settle(self.key, participant_id, state.value, attempts, error, self.clock())

    def release(self, participant_id: int, attempts: int) -> None:
        self.repo.release(self.key, participant_id)


class ReminderService:
    """The agenda for /agenda and /calendar, and reminders sent exactly once."""

    def __init__(
        self,
        config: Config,
        participants: ParticipantService,
        repo: RemindersRepo,
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

    # --- agenda ----------------------------------------------------------------------------------
    def agenda_text(self, participant: Participant | None, gettext: Gettext) -> str:
        """The agenda as HTML, with the participant's local times when they set a zone."""
        zone = self.user_zone(participant)
        return render_agenda(
            self.config.agenda,
            self.clock(),
            self.config.tz,
            zone,
            gettext,
            event_label=self.config.event.timezone_label,
        )

    def calendar(self) -> tuple[str, bytes]:
        """(file name, .ics bytes) of the whole agenda; the UIDs follow the configured meeting."""
        calendar_id = meeting_id(self.config.event.id, self.config.event.title)
        data = build_calendar(
            self.config.agenda,
            meeting_id=calendar_id,
            meeting_title=self.config.event.title,
            stamp=self.clock(),  # DTSTAMP: when this copy was made; the UIDs stay the same
            location=self.config.event.location,
        )
        return calendar_filename(calendar_id), data

    def set_subscribed(self, user_id: int, subscribed: bool) -> Participant:
        """Turn reminders on or off for one participant."""
        return self.participants.set_subscribed(user_id, subscribed)

    @staticmethod
    def user_zone(participant: Participant | None) -> tzinfo | None:
        """The participant's chosen zone, if any and valid."""
        if participant is None or not participant.timezone:
            return None
        return valid_zone(participant.timezone)

    # --- planning --------------------------------------------------------------------------------
    def subscribers(self) -> list[Participant]:
        """Active participants with reminders on."""
        return [p for p in self.participants.repo.all(active_only=True) if p.subscribed]

    def reminders(self) -> list[Reminder]:
        """Every configured reminder."""
        return all_reminders(self.config.agenda, self.config.reminders.before_minutes)

    def find(self, key: str) -> Reminder | None:
        """The reminder with this key, if it is still configured."""
        return next((r for r in self.reminders() if r.key == key), None)

    def startup_plan(self) -> ReminderPlan:
        """Close claims a crash left open, then plan from the sent-log at the current time."""
        interrupted = self.repo.mark_interrupted(self.clock())
        if interrupted:
            log.warning("%d reminder deliveries were in flight at the last stop", interrupted)
        result = plan(
            self.config.agenda,
            self.config.reminders.before_minutes,
            self.clock(),
            self.repo.sent_pairs(),
            [p.telegram_id for p in self.subscribers()],
        )
        for reminder in result.expired:
            log.info("reminder %s is past its item's start: not sent", reminder.key)
        return result

    # --- sending ---------------------------------------------------------------------------------
    async def fire(self, key: str, sender: Sender) -> DeliveryStats | None:
        """Send reminder `key` to every subscriber still missing it; None when too late."""
        reminder = self.find(key)
        now = self.clock()
        if reminder is None:
            log.info("reminder %s is no longer configured", key)
            return None
        if not reminder.deliverable_at(now):
            log.info("reminder %s: its item has started, not sending", key)
            return None
        subscribers = {p.telegram_id: p for p in self.subscribers()}
        recipients = recipients_for(reminder, subscribers, self.repo.sent_pairs())
        messages = [
            Outgoing(pid, pid, self.render_for(reminder, subscribers[pid], now))
            for pid in recipients
        ]
        stats = await self.engine.deliver(
            messages, sender, ReminderLog(self.repo, key, self.clock), on_blocked=self.deactivate
        )
        log.info(
            "reminder %s: %d delivered, %d blocked, %d failed, %d skipped",
            key,
            stats.delivered,
            stats.blocked,
            stats.failed,
            stats.skipped,
        )
        return stats

    def render_for(self, reminder: Reminder, participant: Participant, now: datetime) -> str:
        """The reminder in the participant's language and time zone."""
        language = pick_language(participant.language, participant.telegram_language)
        gettext = self.i18n.translator(language).gettext
        return render_reminder(
            reminder.item,
            now,
            self.config.tz,
            self.user_zone(participant),
            gettext,
            event_label=self.config.event.timezone_label,
        )

    def deactivate(self, participant_id: int) -> None:
        """The participant blocked the bot: stop sending to them until they write again."""
        self.participants.repo.update(participant_id, self.clock(), active=0)
