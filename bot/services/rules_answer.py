"""Speaking-rule questions, answered from the [floor] configuration and cited from the
documents (the sentences that state the limits and the priority)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from bot.domain.answer import Answer, Gettext, Source
from bot.domain.extractive import fold, split_sentences
from bot.domain.floor_rules import IN_ROOM, PANELIST, REMOTE, REMOTE_HIGH_LEVEL, FloorRules
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
    (PANELIST, _cue(r"panel+ists?|panelistes?|panelistas?|presentations?|exposicion\w*")),
    (REMOTE_HIGH_LEVEL, _cue(r"high-? ?level|haut niveau|alto nivel")),
    (REMOTE, _cue(r"remote\w*|online|video ?link|virtual\w*|zoom|a distance|en ligne|"
                  r"distancia|en linea|visio\w*|remotamente")),
    (IN_ROOM, _cue(r"room|in person|on site|salle|presentiel\w*|sala|presencial\w*")),
    (PRIORITY, _cue(r"priorit\w*|prioridad|first|premier|primero|order|ordre|orden")),
)
# Words in the documents' sentences (English) that show which rule a sentence states.
_SENTENCE_CUES = {
    PANELIST: re.compile(r"(?i)panel+ist"),
    IN_ROOM: re.compile(r"(?i)\broom\b"),
    REMOTE_HIGH_LEVEL: re.compile(r"(?i)remote|online"),
    REMOTE: re.compile(r"(?i)remote|online"),
    BUDGET: re.compile(r"(?i)accumulative|cumulative|interpretation|limit"),
    PRIORITY: re.compile(r"(?i)priority"),
}
_RULE_SENTENCE = re.compile(r"(?i)\bminutes?\b|\bpriority\b|\blimit\b")


@dataclass(frozen=True)
class RuleFacts:
    """The configured rules and the document sentences that state them."""

    rules: FloorRules
    sentences: tuple[Passage, ...] = ()


def find_rule_facts(rules: FloorRules, passages: Iterable[Passage]) -> RuleFacts:
    """Keep the document sentences that state a speaking limit or the priority."""
    found = [Passage(sentence, replace(passage.source, snippet=sentence))
             for passage in passages for sentence in split_sentences(passage.text)
             if _RULE_SENTENCE.search(sentence)]
    return RuleFacts(rules, tuple(found))


def focus_of(question: str) -> list[str]:
    """The rules a question is about, most specific first (empty: all of them)."""
    q = fold(question)
    found = [name for name, pattern in _FOCUS if pattern.search(q)]
    if REMOTE_HIGH_LEVEL in found and REMOTE in found:
        found.remove(REMOTE)
    return found


def rules_answer(question: str, language: str, _: Gettext, facts: RuleFacts) -> Answer:
    """The answer to a speaking-rule question, in the user's language."""
    rules = facts.rules
    focus = focus_of(question)
    lines = {
        PANELIST: _("Panelists: up to {minutes} minutes each for their presentation."),
        IN_ROOM: _("Participants in the meeting room: up to {minutes} minutes each."),
        REMOTE_HIGH_LEVEL: _("High-level participants speaking remotely: up to {minutes} "
                             "minutes each."),
        REMOTE: _("Other remote participants: up to {minutes} minutes each."),
    }
    names = {
        IN_ROOM: _("participants in the meeting room"),
        REMOTE_HIGH_LEVEL: _("high-level participants speaking remotely"),
        REMOTE: _("other remote participants"),
        PANELIST: _("panelists"),
    }
    texts = {category: text.format(minutes=_minutes(rules.minutes[category]))
             for category, text in lines.items() if category in rules.minutes}
    texts[BUDGET] = _("Online interventions with interpretation share a cumulative limit of "
                      "{minutes} minutes.").format(minutes=_minutes(rules.remote_budget_minutes))
    texts[PRIORITY] = _("Priority for the floor: {order}.").format(
        order="; ".join(f"{i}. {names.get(c, c)}" for i, c in enumerate(rules.priority, 1)))
    if focus:
        wanted = list(dict.fromkeys(focus))
        paragraphs = [texts[name] for name in wanted if name in texts]
        rest = [texts[name] for name in texts if name not in wanted]
        paragraphs.append(_("The other rules:") + "\n" + "\n".join(f"• {t}" for t in rest))
    else:
        paragraphs = [_("The speaking rules:") + "\n" + "\n".join(f"• {t}" for t in
                                                                    texts.values())]
    quotes, sources = _citations(facts.sentences, focus)
    return Answer(question, QuestionKind.RULES, language, tuple(paragraphs), quotes, sources)


def _citations(sentences: tuple[Passage, ...], focus: list[str]
               ) -> tuple[tuple[str, ...], tuple[Source, ...]]:
    """The document sentences for the rules asked about (all rule sentences when no focus)."""
    if focus:
        chosen = [s for s in sentences if any(_SENTENCE_CUES[f].search(s.text) for f in focus)]
        chosen = chosen or list(sentences)
    else:
        chosen = list(sentences)
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


def _minutes(value: float) -> str:
    return f"{value:g}"
