"""Routing a question: schedule (from the agenda), speaking rules (from [floor]) or content
(from the documents), with multilingual keyword and pattern cues; and a light guess of the
question's language. Pure: works on the text alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.extractive import fold, words
from bot.domain.question_cues import (
    CUES,
    cue_pattern,
    cue_union,
    plain_words,
    sentence_enders,
    wrap,
)


class QuestionKind(StrEnum):
    """How a question is answered."""

    SCHEDULE = "schedule"
    RULES = "rules"
    CONTENT = "content"
    NONE = "none"  # nothing to answer: empty, a greeting, a thank-you


class PartOfDay(StrEnum):
    """A part of the day a question asks about."""

    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"
    NIGHT = "night"


_all = cue_pattern
_union = cue_union


# All patterns run on folded text (lower case, accents removed).
_SCHEDULE = _all("schedule")
_TIME_NOUNS = _all("time_nouns")
_DURATION = _all("duration")
_MIDPOINT = _all("midpoint")
_RULES_STRONG = _all("rules_strong")
_AMOUNT = _all("amount")
_HOW_LONG = _all("how_long")
_SPEAKING = _all("speaking")
_IN_PERSON = _all("in_person")
_REMOTE = _all("remote")
_COMPARISON = _all("comparison")
_QUEUE = _all("queue")
_SMALL_TALK = _all("small_talk")
_GREETING = re.compile(r"^\W*(?:" + "|".join(
    f"(?:{alt})(?![\\w])" if lang.spaced else f"(?:{alt})"
    for lang in CUES.values() for alt in lang.greetings) + r")[\s,;:!.，、！-]*")
# An open question word: at the start in languages written with spaces, anywhere in Chinese.
_QUESTION_WORD = re.compile(r"^\W*(?:(?:at|to|for|of|a|de|en|por|pour)\s+)?(?:" + "|".join(
    wrap(lang, lang.question_words) for lang in CUES.values() if lang.spaced) + ")|" + "|".join(
    wrap(lang, lang.question_words) for lang in CUES.values() if not lang.spaced))
_NIGHT = _all("night")
_MORNING = _all("morning")
_AFTERNOON = _all("afternoon")
_EVENING = _all("evening")
# A clock time: "17:00", "17h", "17 h 30", "5 pm", "5 p.m.", "a las 17", "à 17 heures".
CLOCK = re.compile(
    r"(?<![\w:.])(?:(?P<h1>[01]?\d|2[0-3])\s?(?:[:.]|h\s?)(?P<m1>[0-5]\d)(?!\d)"
    r"(?:\s?(?P<ap1>[ap])\.?\s?m\b\.?)?"
    r"|(?P<h2>[01]?\d|2[0-3])\s?(?:(?P<ap2>[ap])\.?\s?m\b\.?|h\b|heures?\b|o'clock\b)"
    r"|(?:a las|a la)\s(?P<h3>[01]?\d|2[0-3])(?![\d:.]))")

_KNOWN = (_union("function_words") | _union("meeting_words") | _union("time_words")
          | _union("asker_words") | plain_words("question_words"))
# Words a typo is checked against (edit distance 1): "panle", "wat", "tmie".
_TYPO_TARGETS = frozenset(w for w in _union("meeting_words") | _union("time_words")
                          | _union("function_words") if len(w) >= 4) | frozenset(
    {"what", "when", "which", "panel", "time"})
_PLACE_BEFORE = _union("place_before")
_ARTICLES = words("the le la les l el los las")
_TOKEN = re.compile(r"[^\W_]+(?:\+\d+)?")
_YEAR = re.compile(r"(?:19|20)\d\d")
_NUMBER = re.compile(r"\d+(?:st|nd|rd|th|er|e|h|am|pm|ºc)?")
_SENTENCE_END = re.compile(rf"(?<=[{re.escape(sentence_enders(True))};])\s+"
                           rf"|(?<=[{re.escape(sentence_enders(False))}；])|[¿¡\n]")


@dataclass(frozen=True)
class RoutingWords:
    """What the router knows beyond its cue lists: the meeting's own words (event and agenda
    titles, the meeting's year), stop words and place names, all folded. Build it once per
    configuration (see `bot.services.schedule_answer.routing_words`)."""

    own: frozenset[str] = frozenset()
    stop: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()  # "new york", "etats unis": words joined by spaces


def classify(question: str, vocabulary: RoutingWords | None = None) -> QuestionKind:
    """Route a question to the schedule, the speaking rules, or the documents.

    `vocabulary` holds the meeting's own words, stop words and place names; without it only
    the built-in cue words are known, so any other word in a time question's subject sends it
    to the documents.
    """
    q = fold(question).strip()
    if not re.findall(r"\w+", q) or not _SMALL_TALK.sub("", q).strip(" \t\n!?.,;:-"):
        return QuestionKind.NONE
    body = _GREETING.sub("", q)
    if _is_rules(body):
        return QuestionKind.RULES
    if _SCHEDULE.search(body) or CLOCK.search(body):
        sentences = _time_sentences(question)
        if any(_asks_what_of_a_part(folded) for folded, _tokens in sentences):
            return QuestionKind.CONTENT
        if _about_something_else(sentences, vocabulary or RoutingWords()):
            return QuestionKind.CONTENT
        return QuestionKind.SCHEDULE
    return QuestionKind.CONTENT


def _is_rules(q: str) -> bool:
    """A speaking-rule question: a limit, the priority, the queue, an amount of speaking
    time, or speaking in the room compared with remotely."""
    if _RULES_STRONG.search(q) or _QUEUE.search(q):
        return True
    speaking = _SPEAKING.search(q) is not None
    if _AMOUNT.search(q) and (speaking or not _SCHEDULE.search(q)):
        return True
    if _HOW_LONG.search(q) and speaking:
        return True
    if _IN_PERSON.search(q) and _REMOTE.search(q) and (_COMPARISON.search(q) or speaking):
        return True
    return bool((_IN_PERSON.search(q) or _REMOTE.search(q)) and _COMPARISON.search(q)
                and speaking)


def _time_sentences(question: str) -> list[tuple[str, list[str]]]:
    """The question's sentences that hold a time cue: (folded text, tokens as written), with
    an opening greeting ("Good afternoon,") left out."""
    found = []
    for sentence in _SENTENCE_END.split(question):
        tokens = _TOKEN.findall(sentence)
        folded = fold(sentence).strip()
        greeting = _GREETING.match(folded)
        if greeting:
            skip = len(_TOKEN.findall(greeting.group()))
            tokens, folded = tokens[skip:], folded[greeting.end():]
        if tokens and (_SCHEDULE.search(folded) or CLOCK.search(folded)):
            found.append((folded, tokens))
    return found


def _asks_what_of_a_part(folded: str) -> bool:
    """ "What is presented at the start?": asks what or who, not when."""
    return bool(_QUESTION_WORD.search(folded) and not _TIME_NOUNS.search(folded)
                and not _DURATION.search(folded) and not _MIDPOINT.search(folded))


def _about_something_else(sentences: list[tuple[str, list[str]]],
                          vocabulary: RoutingWords) -> bool:
    """Whether a time question's subject names something that is not the meeting (the World
    Summit, registration, another forum, a review in some year)."""
    for folded, tokens in sentences:
        left = subject_words(tokens, vocabulary)
        if not left:
            continue
        named = any(tokens[i][:1].isupper() for i in left if i > 0)
        mentions_meeting = any(fold(t) in vocabulary.own or fold(t) in _MEETING_NOUNS
                               for t in tokens)
        if not named and CLOCK.search(folded) and mentions_meeting:
            continue  # "a bilateral at 10:00 without clashing with the panel?"
        return True
    return False


_MEETING_NOUNS = frozenset(w for w in _union("meeting_words") if len(w) > 4)


def subject_words(tokens: list[str], vocabulary: RoutingWords) -> list[int]:
    """Positions of the words of a time question that are neither stop words, the meeting's
    own or generic words, time words, place names, nor a typo of one of those."""
    folded = [fold(t) for t in tokens]
    covered = _place_spans(folded, vocabulary.places)
    return [i for i, key in enumerate(folded) if i not in covered and (
        _unknown_unspaced(key, vocabulary) if _UNSPACED.search(key)
        else not _known(key, vocabulary))]


# Scripts written without spaces: a run of them holds several words.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_UNSPACED_KNOWN = frozenset(w for w in _KNOWN if _UNSPACED.search(w)) | frozenset(
    w for lang in CUES.values() if not lang.spaced for field in (
        "schedule", "duration", "midpoint", "time_nouns", "small_talk", "greetings")
    for w in getattr(lang, field) if re.fullmatch(r"\w+", w))
_LONGEST = max((len(w) for w in _UNSPACED_KNOWN), default=1)


def _unknown_unspaced(run: str, vocabulary: RoutingWords) -> bool:
    """Whether a run of Chinese text holds a word that is neither a known word, the meeting's
    own, a stop word nor a place (longest known word first, left to right; one character
    left over is a particle, not a subject)."""
    known = _UNSPACED_KNOWN | vocabulary.own | vocabulary.stop | vocabulary.places
    i, left = 0, ""
    while i < len(run):
        for size in range(min(_LONGEST + 4, len(run) - i), 0, -1):
            if run[i:i + size] in known:
                if len(left) >= 2:
                    return True
                left, i = "", i + size
                break
        else:
            left += run[i]
            i += 1
    return len(left) >= 2


def _known(key: str, vocabulary: RoutingWords) -> bool:
    if _YEAR.fullmatch(key):
        return key in vocabulary.own
    if len(key) <= 2 or _NUMBER.fullmatch(key):
        return True
    for form in _forms(key):
        if form in _KNOWN or form in vocabulary.own or form in vocabulary.stop:
            return True
    if any(len(key) >= n and key[:n] in stems for n, stems in _STEMS):
        return True
    if len(key) >= 3 and "+" not in key:
        return any(_one_edit(key, word) for word in (*_TYPO_TARGETS, *vocabulary.own)
                   if len(word) >= 4 and abs(len(word) - len(key)) <= 1)
    return False


_AFFIXES = [(re.compile(f"^(?:{lang.word_prefix})"), re.compile(f"(?:{lang.word_suffix})$"))
            for lang in CUES.values() if lang.word_prefix or lang.word_suffix]
# Inflected languages: their known words by their first letters ("заседания" ~ "заседание").
_STEMS = [(lang.stem_length, frozenset(w[:lang.stem_length] for w in (
    *lang.function_words, *lang.meeting_words, *lang.time_words, *lang.asker_words)
    if len(w) >= lang.stem_length)) for lang in CUES.values() if lang.stem_length]


def _forms(key: str) -> list[str]:
    """A word, its singular ("hours"), and without the prefixes and suffixes glued to it."""
    forms = [key, key[:-1]] if key.endswith("s") else [key]
    for prefix, suffix in _AFFIXES:
        for stripped in (prefix.sub("", key, count=1), suffix.sub("", key, count=1)):
            if len(stripped) >= 2:
                forms.append(stripped)
        both = suffix.sub("", prefix.sub("", key, count=1), count=1)
        if len(both) >= 2:
            forms.append(both)
    return forms


def _place_spans(folded: list[str], places: frozenset[str]) -> set[int]:
    """Token positions covered by a place name: a known one, or (when the list of names is
    not given) the word or two after "in", "à", "en"..."""
    covered: set[int] = set()
    for i in range(len(folded)):
        for size in range(min(4, len(folded) - i), 0, -1):
            if " ".join(folded[i:i + size]) in places:
                covered.update(range(i, i + size))
                break
        else:
            if _inflected_place(folded[i], places):
                covered.add(i)
    if not places:
        for i, word in enumerate(folded[:-1]):
            if word in _PLACE_BEFORE:
                j = i + 1 + (folded[i + 1] in _ARTICLES and i + 2 < len(folded))
                covered.update(k for k in (j, j + 1, j + 2) if k < len(folded)
                               and folded[k] not in _KNOWN)
    return covered


_INFLECTED = re.compile(r"[\u0400-\u04ff]{5,}")  # scripts whose place names take case endings


def _inflected_place(word: str, places: frozenset[str]) -> bool:
    """A one-word place name with a case ending ("во Владивостоке", "в Женеву")."""
    if not _INFLECTED.fullmatch(word):
        return False
    return any(word[:cut] in places or word[:cut] + "а" in places or word[:cut] + "ь" in places
               for cut in range(len(word) - 1, max(len(word) - 4, 3), -1))


def _one_edit(a: str, b: str) -> bool:
    """Optimal string alignment distance of exactly one (a swap of neighbours counts one)."""
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1:]


def duration_asked(question: str) -> bool:
    """Whether the question asks how long the meeting lasts."""
    return _DURATION.search(fold(question)) is not None


def midpoint_asked(question: str) -> bool:
    """Whether the question asks for the halfway point of the meeting."""
    return _MIDPOINT.search(fold(question)) is not None


def part_of_day_asked(question: str) -> PartOfDay | None:
    """The part of the day a question mentions ("Is it in the morning?"), if any."""
    q = _GREETING.sub("", fold(question))
    for part, pattern in ((PartOfDay.NIGHT, _NIGHT), (PartOfDay.MORNING, _MORNING),
                          (PartOfDay.AFTERNOON, _AFTERNOON), (PartOfDay.EVENING, _EVENING)):
        if pattern.search(q):
            return part
    return None


def part_of_day(hour: int) -> PartOfDay:
    """The part of the day an hour (0-23) falls in."""
    if hour < 5:
        return PartOfDay.NIGHT
    if hour < 12:
        return PartOfDay.MORNING
    if hour < 18:
        return PartOfDay.AFTERNOON
    return PartOfDay.EVENING


_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": words("the is are what when where who how which can do does will in of to for "
                    "i my we there it be with time panel about"),
    "fr": words("le la les des est quel quelle quels quelles quand ou qui comment combien "
                    "du au aux une pour avec sur dans il elle je puis peut sont a ce cette "
                    "y est-ce heure ai"),
    "es": words("el los las es cual cuales que cuando donde quien quienes como cuanto "
                    "cuantos del al una para con en hay son puedo se y mi hora panel"),
}
_MARKS = {"fr": re.compile(r"[éèêëàâçîïôûù]|\b(?:qu'|l'|d'|j'|n')"),
          "es": re.compile(r"[ñ¿¡áíóú]")}


# Scripts only one of the languages is written in.
_SCRIPTS = {"ar": re.compile(r"[\u0600-\u06ff\u0750-\u077f]"),
            "zh": re.compile(r"[\u3400-\u9fff\uf900-\ufaff]"),
            "ru": re.compile(r"[\u0400-\u04ff]")}


def guess_language(question: str) -> str | None:
    """The question's language by its script (Arabic, Chinese, Russian), else "en", "fr" or
    "es" when it clearly reads as one of them, else None. A light fallback: the answerer uses
    the statistical identifier of `bot.services.language_tools` first."""
    letters = sum(c.isalpha() for c in question)
    for language, script in _SCRIPTS.items():
        if letters and len(script.findall(question)) * 2 > letters:
            return language
    lowered = question.casefold()
    words = re.findall(r"[\w'-]+", fold(question))
    scores = {lang: sum(w in vocab for w in words) for lang, vocab in _FUNCTION_WORDS.items()}
    for lang, pattern in _MARKS.items():
        scores[lang] += 2 * len(pattern.findall(lowered))
    best = max(scores, key=lambda lang: scores[lang])
    ordered = sorted(scores.values(), reverse=True)
    if ordered[0] >= 2 and ordered[0] > ordered[1]:
        return best
    return None
