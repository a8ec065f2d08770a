"""Schedule questions, answered from the configured agenda (never from retrieval).

Geneva (event) time always; the place named in the question, or the user's own time zone,
converted with the tz database for the meeting date (so daylight saving is right); and, when the
question asks about a part of the day, a note when the documents contradict the configured time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, get_timezone_location

from bot.domain.agenda import AgendaItem
from bot.domain.answer import Answer, Gettext, Source
from bot.domain.extractive import split_sentences
from bot.domain.question_kind import PartOfDay, QuestionKind, part_of_day, part_of_day_asked
from bot.services.places import PlaceMatch

MAX_ZONES_SHOWN = 4
_PART_WORDS = {PartOfDay.MORNING: "morning", PartOfDay.AFTERNOON: "afternoon",
               PartOfDay.EVENING: "evening"}


@dataclass(frozen=True)
class Passage:
    """A piece of a document, as the schedule and rules answers need it."""

    text: str
    source: Source


@dataclass(frozen=True)
class ScheduleFacts:
    """The agenda plus what the documents say about it (found once, when the index loads)."""

    title: str
    agenda: tuple[AgendaItem, ...]
    tz: ZoneInfo
    tz_label: str
    time_citation: Passage | None = None
    day_part_claims: tuple[tuple[PartOfDay, Passage], ...] = ()


def find_schedule_facts(title: str, agenda: Sequence[AgendaItem], tz: ZoneInfo, tz_label: str,
                        passages: Iterable[Passage]) -> ScheduleFacts:
    """Find the sentence that gives the configured time and any that name a part of the day."""
    if not agenda:
        return ScheduleFacts(title, (), tz, tz_label)
    start, end = agenda[0].start, agenda[-1].end
    times = [_hhmm(start), _hhmm(end)]
    day = str(start.day)
    citation: Passage | None = None
    claims: list[tuple[PartOfDay, Passage]] = []
    for passage in passages:
        for sentence in split_sentences(passage.text):
            normal = sentence.replace(".", ":")
            if citation is None and all(t in normal for t in times):
                citation = Passage(sentence, replace(passage.source, snippet=sentence))
            match = re.search(r"\b(morning|afternoon|evening)\b", sentence, re.IGNORECASE)
            if match and re.search(rf"\b{day}(?:st|nd|rd|th)?\b", sentence):
                source = replace(passage.source, snippet=sentence)
                claims.append((PartOfDay(match.group(1).lower()), Passage(sentence, source)))
    return ScheduleFacts(title, tuple(agenda), tz, tz_label, citation, tuple(claims))


def schedule_answer(question: str, language: str, _: Gettext, facts: ScheduleFacts,
                    place: PlaceMatch | None, user_tz: str | None) -> Answer:
    """The answer to a schedule question, in the user's language."""
    if not facts.agenda:
        return Answer(question, QuestionKind.SCHEDULE, language,
                      (_("The schedule has not been published yet."),), abstained=True)
    start, end = facts.agenda[0].start, facts.agenda[-1].end
    title = facts.agenda[0].title if len(facts.agenda) == 1 else facts.title
    paragraphs = [_("{title}: {date}, {start}–{end} {label} ({offset}).").format(
        title=title, date=_date(start, language), start=_hhmm(start), end=_hhmm(end),
        label=_(facts.tz_label), offset=utc_offset(start))]
    if len(facts.agenda) > 1:
        paragraphs.append("\n".join(f"• {_hhmm(item.start)}–{_hhmm(item.end)} {item.title}"
                                    for item in facts.agenda))
    targets = _targets(place, user_tz, facts.tz, start, language)
    if place is not None and place.is_country and len(targets) > 1:
        paragraphs.append(_("{place} has several time zones:").format(place=place.name))
    for name, zone in targets[:MAX_ZONES_SHOWN]:
        paragraphs.append(_converted(name, zone, start, end, language, _))
    if len(targets) > MAX_ZONES_SHOWN:
        paragraphs.append(_("Set your own time zone with /timezone to see your local time."))
    quotes: list[str] = []
    sources: list[Source] = []
    if facts.time_citation is not None:
        quotes.append(facts.time_citation.text)
        sources.append(facts.time_citation.source)
    asked = part_of_day_asked(question)
    if asked is not None:
        city = facts.tz_label.rsplit(" time", 1)[0].strip() or facts.tz_label
        paragraphs.append(_part_sentence(part_of_day(start.hour), city, _))
        for name, zone in targets[:1]:
            local = start.astimezone(ZoneInfo(zone))
            paragraphs.append(_part_sentence(part_of_day(local.hour), name, _))
        for claimed, passage in facts.day_part_claims:
            if claimed is part_of_day(start.hour):
                continue
            paragraphs.append(_(
                "Note: the documents disagree. One passage says “{phrase}”, but the time given "
                "for the panel is {start}–{end} {label}; this answer uses that time."
            ).format(phrase=_PART_WORDS[claimed], start=_hhmm(start), end=_hhmm(end),
                     label=_(facts.tz_label)))
            quotes.append(passage.text)
            sources.append(passage.source)
    return Answer(question, QuestionKind.SCHEDULE, language, tuple(paragraphs), tuple(quotes),
                  tuple(_unique(sources)))


def utc_offset(moment: datetime) -> str:
    """'UTC+2', 'UTC-4', 'UTC+5:30' for an aware datetime."""
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def _targets(place: PlaceMatch | None, user_tz: str | None, event_tz: ZoneInfo,
             start: datetime, language: str) -> list[tuple[str, str]]:
    """(display name, zone) pairs to convert to: one per distinct UTC offset at the start,
    leaving out the event's own zone (the first line of the answer gives it)."""
    if place is not None:
        zones, named = list(place.zones), not place.is_country or len(place.zones) == 1
    elif user_tz:
        zones, named = [user_tz], False
    else:
        return []
    # The event's own zone is on the first line already.
    seen: set[timedelta | None] = {start.utcoffset()} if event_tz.key in zones else set()
    result: list[tuple[str, str]] = []
    for zone in zones:
        try:
            offset = start.astimezone(ZoneInfo(zone)).utcoffset()
        except (KeyError, ValueError):
            continue
        if offset in seen:
            continue
        seen.add(offset)
        name = place.name if (place is not None and named) else _city(zone, language)
        result.append((name, zone))
    return result


def _converted(name: str, zone: str, start: datetime, end: datetime, language: str,
               _: Gettext) -> str:
    info = ZoneInfo(zone)
    local_start, local_end = start.astimezone(info), end.astimezone(info)
    if local_start.date() == start.date() and local_end.date() == start.date():
        return _("{place}: {start}–{end} ({offset}).").format(
            place=name, start=_hhmm(local_start), end=_hhmm(local_end),
            offset=utc_offset(local_start))
    return _("{place}: {start_date} {start} – {end_date} {end} ({offset}).").format(
        place=name, start_date=_date(local_start, language), start=_hhmm(local_start),
        end_date=_date(local_end, language), end=_hhmm(local_end),
        offset=utc_offset(local_start))


def _part_sentence(part: PartOfDay, place: str, _: Gettext) -> str:
    if part is PartOfDay.MORNING:
        return _("In {place}, that is in the morning.").format(place=place)
    if part is PartOfDay.AFTERNOON:
        return _("In {place}, that is in the afternoon.").format(place=place)
    return _("In {place}, that is in the evening.").format(place=place)


def _hhmm(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def _date(moment: datetime, language: str) -> str:
    return format_date(moment.date(), format="full", locale=language)


def _city(zone: str, language: str) -> str:
    return str(get_timezone_location(zone, locale=language, return_city=True))


def _unique(sources: Iterable[Source]) -> list[Source]:
    seen: set[tuple[str, int | None, str | None, str]] = set()
    result = []
    for source in sources:
        key = (source.document, source.page, source.section, source.snippet)
        if key not in seen:
            seen.add(key)
            result.append(source)
    return result


