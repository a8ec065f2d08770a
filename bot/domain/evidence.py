"""What a question asks for (a name, a link, a language, a number...) and whether the
evidence holds it. Questions the documents cannot answer are about the panel too, so
retrieval scores alone cannot tell them apart; the kind of answer they need can.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from bot.domain.extractive import fold
from bot.domain.question_cues import CUES, cue_pattern


class Need(StrEnum):
    """A kind of information the answer must contain."""

    PERSON = "person"
    JOIN_LINK = "join_link"
    LINK = "link"
    LANGUAGE = "language"
    EMAIL = "email"
    PHONE = "phone"
    ROOM = "room"
    COUNT = "count"
    DATE = "date"
    PLACE = "place"
    COUNTRY = "country"
    # Practical arrangements: asked for often, rarely in a concept note. The evidence must
    # speak of the same kind of thing (any of the words below, in any of the languages).
    MEAL = "meal"
    DRESS = "dress"
    LODGING = "lodging"
    TRAVEL = "travel"
    NETWORK = "network"
    WEATHER = "weather"
    RECORDING = "recording"


# Words of each practical kind in every language (bot.domain.languages), used on both sides: a
# question that uses one asks for that kind; evidence that uses one holds it.
_PRACTICAL: dict[Need, re.Pattern[str]] = {
    need: cue_pattern(str(need)) for need in (Need.MEAL, Need.DRESS, Need.LODGING, Need.TRAVEL,
                                              Need.NETWORK, Need.WEATHER, Need.RECORDING)
}

# Cues are matched on the folded question (lower case, no accents), in every language.
_WHO = cue_pattern("who")
_NAME = cue_pattern("name")
_ROLE = cue_pattern("role")
_LINK = cue_pattern("link")
_JOIN = cue_pattern("join")
_FIND = cue_pattern("find")
_LANGUAGE = cue_pattern("language")
_EMAIL = cue_pattern("email")
_PHONE = cue_pattern("phone")
_ROOM = cue_pattern("room")
_COUNT = re.compile(r"(?:" + "|".join(
    (rf"(?<!\w)(?:{'|'.join(lang.how_many)})" if lang.spaced else f"(?:{'|'.join(lang.how_many)})")
    for lang in CUES.values()) + r")\s*(?:of\s+|de\s+|d')?(?:the\s+|les\s+|los\s+|las\s+)?"
    r"([\w-]+)?")
_WHEN = cue_pattern("when")
_COUNTRIES = cue_pattern("countries")
_WHICH = cue_pattern("which")
_WHERE = cue_pattern("where")
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")

_HONORIFIC = re.compile(r"\b(?:Mr|Ms|Mrs|Miss|Dr|Prof|H\.\s?E|Excellency|Ambassador|Minister|"
                        r"Mme|Sr|Sra|Dra|Sir|Dame)\.?\s+[A-Z][a-zà-ÿ]+")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE_NUMBER = re.compile(r"\+?\d[\d ().-]{7,}\d")
_ROOM_NAME = re.compile(r"\b(?:Room|Salle|Sala|Hall|Building|Conference Room)\s+[A-Z0-9][\w-]*")
_JOIN_TEXT = re.compile(r"(?i)\b(join|connect|zoom|webex|teams|interprefy|kudo|register|"
                        r"registration|log in|meeting link|access the|webcast|livestream|"
                        r"stream(?:ed|ing)?|web ?tv|watch)\b")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_MONTH = re.compile(r"(?i)\b(january|february|march|april|may|june|july|august|september|"
                    r"october|november|december|monday|tuesday|wednesday|thursday|friday|"
                    r"saturday|sunday)\b")
_NUMBER = re.compile(r"(?i)\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                     r"twelve|twenty|thirty|forty|fifty|hundred|dozen)\b")
_REMOTE_PLACE = re.compile(r"(?i)\b(online|virtual(?:ly)?|remotely|hybrid)\b")
# "at the Pregny Gate", "in Geneva": a capitalised name after a preposition of place.
_PLACE_PHRASE = re.compile(r"\b(?:at|in|from|to|near|inside)\s+(?:the\s+)?[A-Z][\w-]+")


@dataclass(frozen=True)
class Lexicon:
    """Names the checks recognise (language and place names, folded), supplied by a service."""

    languages: frozenset[str] = field(default_factory=frozenset)
    places: frozenset[str] = field(default_factory=frozenset)
    countries: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Needs:
    """What a question asks for; `counted` is the noun after "how many", when there is one."""

    kinds: frozenset[Need]
    counted: str | None = None


def needs_of(question: str, lexicon: Lexicon | None = None) -> Needs:
    """The kinds of information a question asks for (empty for open questions). With a
    lexicon, a question that names a language ("Can I speak Portuguese?") asks for one."""
    q = fold(question)
    kinds: set[Need] = {need for need, pattern in _PRACTICAL.items() if pattern.search(q)}
    counted: str | None = None
    if (_WHO.search(q) or _NAME.search(q)) and _ROLE.search(q):
        kinds.add(Need.PERSON)
    if _LINK.search(q) and _JOIN.search(q):
        kinds.add(Need.JOIN_LINK)
    elif _LINK.search(q) or _FIND.search(q):
        kinds.add(Need.LINK)
    if _LANGUAGE.search(q) or (lexicon is not None and _tokens(question) & lexicon.languages):
        kinds.add(Need.LANGUAGE)
    if _EMAIL.search(q):
        kinds.add(Need.EMAIL)
    if _PHONE.search(q):
        kinds.add(Need.PHONE)
    if _ROOM.search(q) and not kinds & {Need.LINK, Need.JOIN_LINK}:
        kinds.add(Need.ROOM)
    count = _COUNT.search(q)
    if count:
        kinds.add(Need.COUNT)
        # In Chinese the "word" after 多少 runs to the end of the clause: no counted noun.
        counted = None if count.group(1) and _UNSPACED.search(count.group(1)) else count.group(1)
    if _COUNTRIES.search(q) and _WHICH.search(q):
        kinds.add(Need.COUNTRY)
    if _WHEN.search(q):
        kinds.add(Need.DATE)
    if _WHERE.search(q) and not kinds & {Need.LINK, Need.JOIN_LINK, Need.ROOM}:
        kinds.add(Need.PLACE)
    return Needs(frozenset(kinds), counted)


def satisfied(need: Need, evidence: str, lexicon: Lexicon, counted: str | None = None) -> bool:
    """True when the evidence text holds the kind of information `need` asks for."""
    if need is Need.PERSON:
        return bool(_HONORIFIC.search(evidence))
    if need is Need.JOIN_LINK:
        return any(_URL.search(s) and _JOIN_TEXT.search(s) for s in _lines(evidence))
    if need is Need.LINK:
        return bool(_URL.search(evidence))
    if need is Need.LANGUAGE:
        return bool(_tokens(evidence) & lexicon.languages)
    if need is Need.EMAIL:
        return bool(_EMAIL_ADDRESS.search(evidence))
    if need is Need.PHONE:
        return bool(_PHONE_NUMBER.search(evidence))
    if need is Need.ROOM:
        return bool(_ROOM_NAME.search(evidence))
    if need is Need.COUNT:
        return _has_count(evidence, counted)
    if need is Need.DATE:
        return bool(_YEAR.search(evidence) or _MONTH.search(evidence))
    if need is Need.COUNTRY:
        return bool(_tokens(evidence) & lexicon.countries)
    if need is Need.PLACE:
        return bool(_REMOTE_PLACE.search(evidence) or _PLACE_PHRASE.search(evidence)
                    or _tokens(evidence) & lexicon.places)
    if need in _PRACTICAL:
        return bool(_PRACTICAL[need].search(fold(evidence)))
    raise ValueError(need)  # pragma: no cover


def missing(needs: Needs, evidence: str, lexicon: Lexicon) -> list[Need]:
    """The needs the evidence does not satisfy (empty when the answer can be given)."""
    return sorted((n for n in needs.kinds if not satisfied(n, evidence, lexicon, needs.counted)),
                  key=str)


def _lines(text: str) -> Iterable[str]:
    return [line for line in re.split(r"(?<=[.!?])\s+|\n", text) if line]


def _tokens(text: str) -> set[str]:
    words = re.findall(r"\w+", fold(text))
    pairs = {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}
    return set(words) | pairs


def _has_count(evidence: str, counted: str | None) -> bool:
    """A number (not a year) just before the counted noun, in the same sentence (the noun
    matched on a 5-letter stem, so "panélistes" finds "panelists")."""
    for sentence in _lines(evidence):
        words = re.findall(r"[\w-]+", fold(sentence))
        numbers = [i for i, w in enumerate(words)
                   if _NUMBER.fullmatch(w) and not _YEAR.fullmatch(w)]
        if not numbers:
            continue
        if not counted or len(counted) < 4:
            return True
        stem = counted[:5]
        if any(stem in w for i in numbers for w in words[i + 1:i + 4]):
            return True
    return False
