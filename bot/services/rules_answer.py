"""Speaking-rule questions, answered from the [floor] configuration and cited from the
documents (the sentences that state the limits and the priority)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from babel.core import UnknownLocaleError
from babel.units import format_unit

from bot.domain.answer import AbstainReason, Answer, Gettext, Source
from bot.domain.extractive import fold, split_sentences
from bot.domain.floor_rules import Category, FloorRules
from bot.domain.question_kind import QuestionKind
from bot.services.schedule_answer import Passage

MAX_QUOTE_CHARS = 600
BUDGET = "budget"
PRIORITY = "priority"


def _cue(pattern: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])(?:" + pattern + r")(?![\w])")


# Which rule a question is about (folded text; English, French, Spanish).
_FOCUS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (BUDGET, _cue(r"interpret\w*|cumulative|accumulative|ceiling|cap|overall|total|plafond|"
                  r"cumul\w*|tope|acumulad\w*|global")),
    (Category.PANELIST, _cue(r"panel+ists?|panelistes?|panelistas?|presentations?|exposicion\w*")),
    (Category.REMOTE_HIGH_LEVEL, _cue(r"high-? ?level|haut niveau|alto nivel")),
    (Category.REMOTE,
     _cue(r"remote\w*|online|video ?link|video|virtual\w*|zoom|a distance|en ligne|"
                  r"distancia|en linea|visio\w*|remotamente|connect\w*|conect\w*")),
    (Category.IN_ROOM, _cue(r"room|in person|on site|salle|presentiel\w*|sala|presencial\w*|fly\w*|"
                   r"travel\w*|voyager|viajar|volar|com(?:e|ing) to|venir a|ir a")),
    (PRIORITY, _cue(r"priorit\w*|prioridad|first|premier|primero|order|ordre|orden|queue|"
                    r"line|last|dernier|ultimo|cola|turno|file d'attente")),
)
# "not high-level", "sans être de haut niveau", "sin ser de alto nivel", "normal".
_NOT_HIGH_LEVEL = _cue(r"(?:not|non|pas|sans|sin|no)(?: \w+){0,2} (?:high-? ?level|haut niveau|"
                       r"alto nivel)|normal|ordinary|regular|ordinaires?|normales?")
_ASKS_PRIORITY = _cue(r"priorit\w*|prioridad|queue|cola|turno|file d'attente")
_SENIOR = _cue(r"ministers?|ministres?|ministros?|ambassadors?|ambassadeurs?|embajador\w*|"
               r"heads? of (?:state|delegation)")
# Roles whose speaking time [floor] does not set (key, cue); English key for logs.
_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("secretariat", _cue(r"secretariat|secretaria")),
    ("chair", _cue(r"chair\w*|president\w*|presidente\w*")),
    ("moderator", _cue(r"moderat\w*|modera\w*|facilitat\w*|animat\w*")),
    ("keynote", _cue(r"keynote\w*|orateur principal|discurso principal|conferencia magistral")),
    ("rapporteur", _cue(r"rapporteur\w*|relator\w*")),
)
_TIME_ASKED = _cue(r"minutes?|mins?|\d+ ?-?min\w*|how long|how much time|time limit|limit\w*|"
                   r"combien de temps|temps de parole|cuanto tiempo|tiempo|quart d'heure|"
                   r"cuarto de hora|quarter of an hour|duree|duracion")
# In the documents' sentences: the words that show which category a clause is about
# (English, French, Spanish documents).
_HIGH_LEVEL_WORDS = re.compile(r"(?i)high-? ?level|haut niveau|alto nivel")
_REMOTE_WORDS = re.compile(r"(?i)remote|online|en ligne|à distance|a distancia|en línea|virtual")
_SENTENCE_CUES = {
    Category.PANELIST: re.compile(r"(?i)panel+ist|panéliste|panelista"),
    Category.IN_ROOM: re.compile(
        r"(?i)\broom\b|\bsalle\b|\bsala\b|in person|en personne|presencial"),
    Category.REMOTE_HIGH_LEVEL: _HIGH_LEVEL_WORDS,
    Category.REMOTE: _REMOTE_WORDS,
    BUDGET: re.compile(r"(?i)accumulative|cumulative|cumul|acumulad|interpret"),
    PRIORITY: re.compile(r"(?i)priority|priorité|prioridad"),
}
_RULE_SENTENCE = re.compile(r"(?i)\bminutes?\b|\bminutos?\b|\bpriorit|\bprioridad|\blimit")
_CLAUSE = re.compile(r"[;,]\s+|\s+(?:and|et|y)\s+")


@dataclass(frozen=True)
class RuleFacts:
    """The configured rules and the document sentences that state them."""

    rules: FloorRules
    sentences: tuple[Passage, ...] = ()
    # rule -> the document sentence that states it (its category and its number of minutes in
    # one clause); a rule missing here is set by the configuration alone.
    stated: Mapping[str, Passage] = field(default_factory=dict)


def find_rule_facts(rules: FloorRules, passages: Iterable[Passage]) -> RuleFacts:
    """Keep the document sentences that state a speaking limit or the priority, and note for
    each rule the sentence, if any, that states it with the configured number of minutes."""
    found = [Passage(sentence, replace(passage.source, snippet=sentence))
             for passage in passages for sentence in split_sentences(passage.text)
             if _RULE_SENTENCE.search(sentence)]
    values = dict(rules.minutes) | {BUDGET: rules.remote_budget_minutes}
    stated: dict[str, Passage] = {}
    for passage in found:
        for clause in _CLAUSE.split(passage.text):
            for rule, minutes in values.items():
                if rule not in stated and _states(rule, minutes, clause):
                    stated[rule] = passage
        if PRIORITY not in stated and _SENTENCE_CUES[PRIORITY].search(passage.text):
            stated[PRIORITY] = passage
    return RuleFacts(rules, tuple(found), stated)


def _states(rule: str, minutes: float, clause: str) -> bool:
    """Whether a clause gives `minutes` for `rule` ("high-level participants intervening
    remotely (7 minutes each)")."""
    number = re.compile(rf"(?<![\d.,]){minutes:g}(?:[.,]0)?\s*-?\s*(?:minut|min\b)", re.I)
    if not number.search(clause) or not _SENTENCE_CUES[rule].search(clause):
        return False
    if rule == Category.REMOTE_HIGH_LEVEL:
        return bool(_REMOTE_WORDS.search(clause))
    if rule == Category.REMOTE:
        return not _HIGH_LEVEL_WORDS.search(clause)
    return True


def focus_of(question: str) -> list[str]:
    """The rules a question is about, most specific first (empty: all of them)."""
    q = fold(question)
    found = [name for name, pattern in _FOCUS if pattern.search(q)]
    if Category.REMOTE_HIGH_LEVEL in found and _NOT_HIGH_LEVEL.search(q):
        found[found.index(Category.REMOTE_HIGH_LEVEL)] = Category.REMOTE
    elif Category.REMOTE in found and Category.REMOTE_HIGH_LEVEL not in found and _SENIOR.search(q):
        found[found.index(Category.REMOTE)] = Category.REMOTE_HIGH_LEVEL
    found = list(dict.fromkeys(found))
    if Category.REMOTE_HIGH_LEVEL in found and Category.REMOTE in found:
        found.remove(Category.REMOTE)
    if PRIORITY in found and _ASKS_PRIORITY.search(q):
        found.remove(PRIORITY)
        found.insert(0, PRIORITY)  # "Do I have priority over those online?"
    return found


def role_without_rule(question: str) -> str | None:
    """The role a question asks the speaking time of when [floor] sets none for it
    ("How many minutes does the secretariat get?"), else None."""
    q = fold(question)
    if not _TIME_ASKED.search(q):
        return None
    if any(f in (Category.PANELIST, Category.IN_ROOM, Category.REMOTE,
                 Category.REMOTE_HIGH_LEVEL) for f in focus_of(question)):
        return None
    return next((role for role, pattern in _ROLES if pattern.search(q)), None)


def rules_answer(question: str, language: str, _: Gettext, facts: RuleFacts) -> Answer:
    """The answer to a speaking-rule question, in the user's language: the rule asked about
    first; a limit the documents do not state is labelled as the organisers' setting."""
    rules = facts.rules
    focus = focus_of(question)
    # {duration} is "10 minutes", "10 минут", "10 دقائق", "10分钟": CLDR gives the noun the
    # form its number needs, which one sentence per language cannot.
    lines = {
        Category.PANELIST: _("Panelists: up to {duration} each for their presentation."),
        Category.IN_ROOM: _("Participants in the meeting room: up to {duration} each."),
        Category.REMOTE_HIGH_LEVEL: _("High-level participants speaking remotely: up to {duration} "
                             "each."),
        Category.REMOTE: _("Other remote participants: up to {duration} each."),
    }
    names = {
        Category.IN_ROOM: _("participants in the meeting room"),
        Category.REMOTE_HIGH_LEVEL: _("high-level participants speaking remotely"),
        Category.REMOTE: _("other remote participants"),
        Category.PANELIST: _("panelists"),
    }
    texts: dict[str, str] = {category: text.format(duration=minutes_text(rules.minutes[category],
                                                                         language))
             for category, text in lines.items() if category in rules.minutes}
    texts[BUDGET] = _("Online interventions with interpretation share a cumulative limit of "
                      "{duration}.").format(
                          duration=minutes_text(rules.remote_budget_minutes, language))
    texts[PRIORITY] = _("Priority for the floor: {order}.").format(
        order="; ".join(f"{i}. {names.get(c, c)}" for i, c in enumerate(rules.priority, 1)))
    organisers = _("(Set by the organisers; the documents give no limit for them.)")
    for rule in (*lines, BUDGET):
        if rule in texts and rule not in facts.stated:
            texts[rule] += " " + organisers
    role = role_without_rule(question)
    if role is not None:
        role_names = {"secretariat": _("the secretariat"), "chair": _("the chair"),
                      "moderator": _("the moderator"), "keynote": _("a keynote speaker"),
                      "rapporteur": _("the rapporteur")}
        paragraphs = [_("No speaking time is set for {role}, neither in the documents nor by "
                        "the organisers. The limits that are set:").format(
                            role=role_names[role]) + "\n" + "\n".join(
                            f"• {texts[c]}" for c in (*lines, BUDGET) if c in texts)]
        return Answer(question, QuestionKind.RULES, language, tuple(paragraphs), abstained=True,
                      reason=AbstainReason.NO_RULE, reason_detail=role)
    if focus:
        wanted = list(dict.fromkeys(focus))
        paragraphs = [texts[name] for name in wanted if name in texts]
        rest = [texts[name] for name in texts if name not in wanted]
        paragraphs.append(_("The other rules:") + "\n" + "\n".join(f"• {t}" for t in rest))
    else:
        paragraphs = [_("The speaking rules:") + "\n" + "\n".join(f"• {t}" for t in
                                                                    texts.values())]
    quotes, sources = _citations(facts, focus)
    return Answer(question, QuestionKind.RULES, language, tuple(paragraphs), quotes, sources)


def _citations(facts: RuleFacts, focus: list[str]
               ) -> tuple[tuple[str, ...], tuple[Source, ...]]:
    """The document sentences that state the rules asked about (all of them when no focus);
    a rule only the configuration sets gets no quotation."""
    wanted = focus or [*tuple(Category), BUDGET, PRIORITY]
    chosen = list(dict.fromkeys(facts.stated[r] for r in wanted if r in facts.stated))
    quotes: list[str] = []
    sources: list[Source] = []
    used = 0
    for passage in chosen:
        if quotes and used + len(passage.text) > MAX_QUOTE_CHARS:
            break
        quotes.append(passage.text)
        used += len(passage.text)
        sources.append(passage.source)
    return tuple(quotes), tuple(sources)


def minutes_text(value: float, language: str) -> str:
    """A number of minutes as the language writes it, noun included ("4.5 minutes",
    "4,5 минуты", "10 دقائق", "7分钟")."""
    number: float = int(value) if float(value).is_integer() else value
    try:
        return str(format_unit(number, "duration-minute", length="long", locale=language))
    except (UnknownLocaleError, ValueError):
        return str(format_unit(number, "duration-minute", length="long", locale="en"))
