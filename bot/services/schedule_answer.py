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
from typing import Literal
from zoneinfo import ZoneInfo

from babel.dates import format_date, get_timezone_location
from babel.units import format_unit
from bm25s.stopwords import STOPWORDS_EN_PLUS, STOPWORDS_FRENCH, STOPWORDS_SPANISH

from bot.domain.agenda import AgendaItem
from bot.domain.answer import AbstainReason, Answer, Gettext, Source
from bot.domain.extractive import fold, split_sentences
from bot.domain.question_kind import (
    CLOCK,
    PartOfDay,
    QuestionKind,
    RoutingWords,
    duration_asked,
    midpoint_asked,
    part_of_day,
    part_of_day_asked,
)
from bot.services.places import PlaceMatch

MAX_ZONES_SHOWN = 4
# How CLDR's unit names are put together per language (length, joiner): the languages whose
# catalogs do not spell durations themselves. Arabic needs the long forms for the dual
# ("ساعتان", two hours) and joins with "و" (and); Chinese writes no space.
_UNIT_STYLES: dict[str, tuple[Literal["long", "short"], str]] = {
    "ar": ("long", " و"), "zh": ("short", ""), "ru": ("short", " ")}
_PART_WORDS = {PartOfDay.MORNING: "morning", PartOfDay.AFTERNOON: "afternoon",
               PartOfDay.EVENING: "evening", PartOfDay.NIGHT: "night"}
# What a yes/no question about a clock time asks (folded text; English, French, Spanish).
_ASKS_OVER = re.compile(r"\b(?:over|finish\w*|ended|done|fini\w*|termin\w*|acaba\w*)\b"
                        r".{0,20}\b(?:by|before|avant|antes|para)\b")
_ASKS_STILL_ON = re.compile(r"\b(?:still|encore|sigue|todavia|aun|en cours|en curso|under ?way)\b")
_ASKS_LEAVE = re.compile(r"\b(?:leave|leaving|miss|partir|quitter|manquer|salir|irme|perder\w*)\b")
_ASKS_CLASH = re.compile(r"\b(?:clash\w*|overlap\w*|conflict\w*|chevauch\w*|coincid\w*|"
                         r"solap\w*)\b")
_ASKS_FREE = re.compile(r"\b(?:free|libre|disponible)\b")
_WITHOUT = re.compile(r"\b(?:without|sans|sin)\b")
_PM_WORDS = re.compile(r"^\s*(?:de la tarde|de la noche|du soir|de l'apres-midi)")


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
                      (_("The schedule has not been published yet."),), abstained=True,
                      reason=AbstainReason.NO_SCHEDULE)
    start, end = facts.agenda[0].start, facts.agenda[-1].end
    title = facts.agenda[0].title if len(facts.agenda) == 1 else facts.title
    duration = duration_text(int((end - start).total_seconds() // 60), _, language)
    paragraphs = [_("{title}: {date}, {start}–{end} {label} ({offset}).").format(
        title=title, date=_date(start, language), start=_hhmm(start), end=_hhmm(end),
        label=_(facts.tz_label), offset=utc_offset(start)) + " " + _(
        "It lasts {duration}.").format(duration=duration)]
    if duration_asked(question) and not midpoint_asked(question):
        paragraphs.insert(0, _("{title} lasts {duration}: from {start} to {end} {label}.").format(
            title=title, duration=duration, start=_hhmm(start), end=_hhmm(end),
            label=_(facts.tz_label)))
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
    if midpoint_asked(question):
        middle = start + (end - start) / 2
        lead = _("Halfway point: {time} {label} (the panel runs {start}–{end}, {duration})."
                 ).format(time=_hhmm(middle), label=_(facts.tz_label), start=_hhmm(start),
                          end=_hhmm(end), duration=duration)
        for name, zone in targets[:1]:
            lead += " " + _("In {place}: {time}.").format(
                place=name, time=_hhmm(middle.astimezone(ZoneInfo(zone))))
        paragraphs.insert(0, lead)
    clock = _clock_answer(question, facts, place, user_tz, start, end, language, _)
    if clock:
        paragraphs.insert(0, clock)
    quotes: list[str] = []
    sources: list[Source] = []
    if facts.time_citation is not None:
        quotes.append(facts.time_citation.text)
        sources.append(facts.time_citation.source)
    asked = part_of_day_asked(question)
    if asked is not None:
        paragraphs.append(_part_sentence(part_of_day(start.hour), venue_city(facts.tz_label, _),
                                         _))
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


_STOP = frozenset(fold(w) for w in (*STOPWORDS_EN_PLUS, *STOPWORDS_FRENCH, *STOPWORDS_SPANISH))


def routing_words(title: str, agenda: Sequence[AgendaItem],
                  place_names: Iterable[str] = ()) -> RoutingWords:
    """What `classify` needs to know about this meeting: the words of its title and agenda
    titles and its year(s), the stop words, and the place names (`PlaceIndex.names()`)."""
    own = {fold(w) for text in (title, *(item.title for item in agenda))
           for w in re.findall(r"[^\W_]+", text)}
    own.update(str(item.start.year) for item in agenda)
    return RoutingWords(frozenset(own - _STOP), _STOP, frozenset(place_names))


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


def duration_text(minutes: int, _: Gettext, language: str | None = None) -> str:
    """'2 h 30 min' (French: '2 h 30'), '2 h' or '45 min' from the catalogs; in Arabic,
    Chinese and Russian from CLDR's units ('ساعتان و30 دقيقة', '2小时30分钟', '2 ч 30 мин')."""
    hours, rest = divmod(minutes, 60)
    style = _UNIT_STYLES.get(language or "")
    if style is not None:
        length, joiner = style
        assert language is not None
        parts = [format_unit(value, unit, length=length, locale=language)
                 for value, unit in ((hours, "duration-hour"), (rest, "duration-minute"))
                 if value]
        return joiner.join(parts) or format_unit(0, "duration-minute", length=length,
                                                 locale=language)
    if hours and rest:
        return _("{hours} h {minutes} min").format(hours=hours, minutes=f"{rest:02d}")
    if hours:
        return _("{hours} h").format(hours=hours)
    return _("{minutes} min").format(minutes=rest)


def venue_city(tz_label: str, _: Gettext) -> str:
    """The event's city in the user's language ("Geneva" from "Geneva time", translated by
    the catalogs when they know it: "Женева", "جنيف", "日内瓦")."""
    city = tz_label.rsplit(" time", 1)[0].strip() or tz_label
    return _(city)


def _clock_answer(question: str, facts: ScheduleFacts, place: PlaceMatch | None,
                  user_tz: str | None, start: datetime, end: datetime, language: str,
                  _: Gettext) -> str | None:
    """For "Is it over by 5 pm in Lisbon?": where that clock time falls against the panel,
    led by Yes or No when the question's wording says which answer is which."""
    q = fold(question)
    match = CLOCK.search(q)
    if match is None:
        return None
    hour = int(match.group("h1") or match.group("h2") or match.group("h3"))
    minute = int(match.group("m1") or 0)
    meridiem = match.group("ap1") or match.group("ap2")
    if meridiem == "p" or (match.group("h3") and _PM_WORDS.match(q[match.end():])):
        hour = hour % 12 + 12
    elif meridiem == "a":
        hour %= 12
    city = facts.tz_label.rsplit(" time", 1)[0].strip()
    zone, name = facts.tz.key, _(facts.tz_label)
    if place is not None and len(place.zones) == 1:
        zone, name = place.zones[0], place.name
    elif user_tz and not (city and fold(city) in q):
        zone, name = user_tz, _city(user_tz, language)
    info = ZoneInfo(zone)
    local_start, local_end = start.astimezone(info), end.astimezone(info)
    moment = local_start.replace(hour=hour, minute=minute)
    during = local_start <= moment < local_end
    values = {"time": _hhmm(moment), "place": name, "start": _hhmm(local_start),
              "end": _hhmm(local_end)}
    if during:
        fact = _("At {time} ({place}) the panel is under way: it runs {start}–{end} there.")
    elif moment < local_start:
        fact = _("At {time} ({place}) the panel has not started: it runs {start}–{end} there.")
    else:
        fact = _("By {time} ({place}) the panel is over: it runs {start}–{end} there.")
    fact = fact.format(**values)
    answer: bool | None = None
    if _ASKS_OVER.search(q):
        answer = moment >= local_end
    elif _ASKS_CLASH.search(q):
        answer = during != bool(_WITHOUT.search(q))
    elif _ASKS_STILL_ON.search(q) or _ASKS_LEAVE.search(q):
        answer = during
    elif _ASKS_FREE.search(q):
        answer = not during
    if answer is None:
        return fact
    return (_("Yes.") if answer else _("No.")) + " " + fact


def _part_sentence(part: PartOfDay, place: str, _: Gettext) -> str:
    if part is PartOfDay.NIGHT:
        return _("In {place}, that is at night.").format(place=place)
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


