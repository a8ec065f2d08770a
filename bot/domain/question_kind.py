"""Routing a question: schedule (from the agenda), speaking rules (from [floor]) or content
(from the documents), with multilingual keyword and pattern cues; and a light guess of the
question's language. Pure: works on the text alone.
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot.domain.extractive import fold, words


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


def _cues(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])")


# All patterns run on folded text (lower case, accents removed).
_SCHEDULE = _cues(
    "when", "time", "what time", "which time", "time is it", "what day", "which day", "dates?",
    "start\\w*", "begins?", "beginning", "ends?", "ending", "finish\\w*", "over", "mornings?",
    "afternoons?", "evenings?", "tonight", "hours?", "o'clock", "time ?zones?", "local time",
    "my time", "schedule\\w*", "timing", "how long is", "duration",
    "quand", "quelle heure", "heures?", "jour", "commence\\w*", "debut\\w*", "termine\\w*",
    "fin", "finit", "matin\\w*", "apres-midi", "soir\\w*", "fuseau\\w*", "horaires?",
    "cuando", "que hora", "horas?", "fecha", "dia", "empieza", "comienza", "inicia", "termina",
    "acaba", "manana", "tarde", "noche", "zona horaria", "horarios?",
)
_RULES_STRONG = _cues(
    "limits?", "limited", "time limit", "maximum", "max", "ceiling", "cap", "capped",
    "cumulative", "accumulative", "priority", "prioriti\\w*", "speaking time", "minutes?",
    "limites?", "plafond", "cumul\\w*", "priorite", "prioritaires?", "temps de parole",
    "limite", "tope", "maximo", "acumulad\\w*", "prioridad", "tiempo de palabra",
    "tiempo de intervencion", "minutos?", "who speaks first", "qui parle en premier",
    "quien habla primero",
)
_HOW_LONG = _cues("how long", "how much time", "combien de temps", "cuanto tiempo",
                  "durante cuanto tiempo", "pendant combien de temps", "cuanto dura",
                  "quelle duree", "que duracion", "less time", "more time", "enough time",
                  "moins de temps", "plus de temps", "menos tiempo", "mas tiempo")
_SPEAKING = _cues(
    "speak\\w*", "talk\\w*", "interven\\w*", "speakers?", "present", "presentations?",
    "statements?",
    "panel+ists?", "participants?", "remote\\w*", "online", "video ?link", "in the room",
    "parler", "prendre la parole", "panelistes?", "a distance", "en ligne", "dans la salle",
    "hablar", "intervencion\\w*", "panelistas?", "participantes?", "en linea",
    "en la sala", "distancia", "exposicion\\w*", "declaracion\\w*",
)
_OTHER_SUBJECT = _cues(
    "wsis\\+?20", "general assembly", "assemblee generale", "asamblea general", "2025",
    "2030", "review", "examen", "revision", "roadmap", "feuille de route", "hoja de ruta",
    "summit", "sommet", "cumbre", "resolution\\w*", "resolucion\\w*", "report", "rapport",
    "informe", "mandate", "mandat", "mandato", "deadlines?", "date limite", "fecha limite",
    "plazo", "submi\\w*", "soumettre", "soumission", "registration", "inscription",
    "inscripcion", "accreditation", "accreditacion",
)
_SMALL_TALK = _cues("hi", "hello", "hey", "thanks?", "thank you", "ok", "okay", "bonjour",
                    "salut", "merci", "hola", "gracias", "buenos dias", "bonsoir", "good morning")

_MORNING = _cues("mornings?", "a\\.?m\\.?", "matin\\w*", "por la manana", "de la manana",
                 "en la manana", "la manana")
_AFTERNOON = _cues("afternoons?", "p\\.?m\\.?", "apres-midi", "por la tarde", "de la tarde",
                   "en la tarde", "la tarde")
_EVENING = _cues("evenings?", "tonight", "soir\\w*", "por la noche", "de la noche", "la noche")


def classify(question: str) -> QuestionKind:
    """Route a question to the schedule, the speaking rules, or the documents."""
    q = fold(question).strip()
    words = re.findall(r"\w+", q)
    if not words or not _SMALL_TALK.sub("", q).strip(" \t\n!?.,;:-"):
        return QuestionKind.NONE
    if _RULES_STRONG.search(q) or (_HOW_LONG.search(q) and _SPEAKING.search(q)):
        return QuestionKind.RULES
    if _SCHEDULE.search(q) and not _OTHER_SUBJECT.search(q):
        return QuestionKind.SCHEDULE
    return QuestionKind.CONTENT


def part_of_day_asked(question: str) -> PartOfDay | None:
    """The part of the day a question mentions ("Is it in the morning?"), if any."""
    q = fold(question)
    for part, pattern in ((PartOfDay.MORNING, _MORNING), (PartOfDay.AFTERNOON, _AFTERNOON),
                          (PartOfDay.EVENING, _EVENING)):
        if pattern.search(q):
            return part
    return None


def part_of_day(hour: int) -> PartOfDay:
    """The part of the day an hour (0-23) falls in."""
    if 5 <= hour < 12:
        return PartOfDay.MORNING
    if 12 <= hour < 18:
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


def guess_language(question: str) -> str | None:
    """"en", "fr" or "es" when the question clearly reads as one of them, else None."""
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
