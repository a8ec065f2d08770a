"""What one language contributes to the answerer: its cue words, question shapes, the kinds of
information a question asks for, how it names documents, how its sentences end. One frozen
`LanguageData` per language, in `bot/domain/languages/<code>.py`.

Word lists are regular-expression alternatives matched on folded text (`fold`: lower case,
accents and Arabic vowel marks removed) as whole words; in scripts written without spaces
(Chinese) they match anywhere. Plain word sets (`frozenset`) are compared word for word.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, fields


@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Case- and accent-insensitive form used for matching (cached: the same sentences and
    words are folded for every question)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


def words(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string (for readable word lists)."""
    return frozenset(text.split())


def folded_words(text: str) -> frozenset[str]:
    """`words`, folded (for lists written with their accents and vowel marks)."""
    return frozenset(fold(w) for w in text.split())


def folded(*alternatives: str) -> tuple[str, ...]:
    """Cue alternatives written as in ordinary text, folded (they must hold no upper-case
    regular-expression escapes such as \\W)."""
    return tuple(fold(a) for a in alternatives)


@dataclass(frozen=True)
class LanguageData:
    """Everything language-specific the answerer uses, for one language."""

    code: str  # ISO 639-1
    script: str  # ISO 15924 ("Latn", "Arab", "Hans", "Cyrl")
    # -- routing (bot.domain.question_kind) ---------------------------------------------------
    schedule: tuple[str, ...]  # the question is about a time, a date, a start or an end
    time_nouns: tuple[str, ...]  # "what/which ..." followed by one of these asks for a time
    duration: tuple[str, ...]  # how long the meeting lasts
    midpoint: tuple[str, ...]  # the halfway point of the meeting
    rules_strong: tuple[str, ...]  # a speaking rule, whatever else is said
    amount: tuple[str, ...]  # an amount of speaking time ("10 minutes", "a quarter of an hour")
    how_long: tuple[str, ...]  # "how long", "more time"
    speaking: tuple[str, ...]  # speaking, speakers and their roles
    in_person: tuple[str, ...]  # attending in the room
    remote: tuple[str, ...]  # attending remotely
    comparison: tuple[str, ...]  # comparing two ways of attending
    queue: tuple[str, ...]  # the order of speakers
    question_words: tuple[str, ...]  # what/who/which... (not when/how long)
    small_talk: tuple[str, ...]
    greetings: tuple[str, ...]  # opening phrases that are not part of the question
    morning: tuple[str, ...]
    afternoon: tuple[str, ...]
    evening: tuple[str, ...]
    night: tuple[str, ...]
    function_words: frozenset[str]  # also used to guess the language
    meeting_words: frozenset[str]  # words true of the meeting itself (panel, session, it...)
    time_words: frozenset[str]  # words of a time question (when, start, early, hour...)
    asker_words: frozenset[str]  # who asks and how they attend (team, join, follow...)
    place_before: frozenset[str]  # prepositions before a place name ("in", "à")
    generic_words: frozenset[str]  # true of every question about the meeting ("document",
    #                                "mention", "say"): not what a question is about
    # -- shape (bot.domain.question_shape) ----------------------------------------------------
    yes_no_openers: tuple[str, ...]  # first words of a yes/no question (plain text, folded)
    open_words: tuple[str, ...]  # question words of an open question
    list_words: tuple[str, ...]  # asking for every item of a list
    title_words: tuple[str, ...]  # asking for the meeting's own title (regex phrases)
    ordinals: tuple[tuple[str, int], ...]  # "third" -> 3, every form
    # -- what a question needs (bot.domain.evidence) ------------------------------------------
    who: tuple[str, ...]
    name: tuple[str, ...]
    role: tuple[str, ...]  # people's roles at the meeting (panelist, moderator...)
    link: tuple[str, ...]
    join: tuple[str, ...]
    find: tuple[str, ...]  # where to find or what to read (regex phrases)
    language: tuple[str, ...]
    email: tuple[str, ...]
    phone: tuple[str, ...]
    room: tuple[str, ...]
    how_many: tuple[str, ...]  # "how many", "number of" (the counted noun may follow)
    when: tuple[str, ...]
    countries: tuple[str, ...]
    which: tuple[str, ...]
    where: tuple[str, ...]
    meal: tuple[str, ...]
    dress: tuple[str, ...]
    lodging: tuple[str, ...]
    travel: tuple[str, ...]
    network: tuple[str, ...]
    weather: tuple[str, ...]
    recording: tuple[str, ...]
    # -- documents referred to (bot.domain.references) ----------------------------------------
    says: tuple[str, ...]  # asking what a document says
    reading: tuple[str, ...]  # asking which documents to read (the reading list; regex phrases)
    document_kinds: tuple[tuple[str, tuple[str, ...]], ...]  # kind -> how it is named
    # -- text ---------------------------------------------------------------------------------
    sentence_end: str  # characters that end a sentence with no space after them
    name_words: frozenset[str]  # small words inside names ("of", "de la")
    # -- optional ----------------------------------------------------------------------------
    spaced: bool = True  # words are separated by spaces (False: Chinese)
    word_prefix: str = ""  # a regex of clitics glued before a word (Arabic "و", "ال")
    word_suffix: str = ""  # a regex of endings glued after a word (Arabic pronouns)
    stem_length: int = 0  # plain words also match on this many first letters (Russian)
    final_forms: tuple[tuple[str, str], ...] = ()  # a word's last letter -> a regex of its
    #   forms before a suffix (Arabic ة is written ت in "جلستنا")


OPTIONAL_FIELDS = frozenset({"spaced", "word_prefix", "word_suffix", "stem_length",
                             "final_forms"})


def missing_fields(language: LanguageData) -> list[str]:
    """The fields of a language left empty (a complete language has none)."""
    return [f.name for f in fields(language) if f.name not in OPTIONAL_FIELDS
            and not getattr(language, f.name)]
