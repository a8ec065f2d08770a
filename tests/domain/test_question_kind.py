import pytest

from bot.domain.question_kind import (
    PartOfDay,
    QuestionKind,
    classify,
    guess_language,
    part_of_day,
    part_of_day_asked,
)


@pytest.mark.parametrize("question", [
    "When is the panel?",
    "What time is it in New York?",
    "Is it in the morning?",
    "Panel time in Nairobi?",
    "How long is the panel?",
    "À quelle heure commence le panel ?",
    "Le panel a-t-il lieu le matin ?",
    "¿A qué hora es el panel en Ciudad de México?",
    "¿Cuándo es el panel de alto nivel?",
])
def test_schedule_questions_go_to_the_agenda(question):
    assert classify(question) is QuestionKind.SCHEDULE


@pytest.mark.parametrize("question", [
    "How long can panelists speak?",
    "How long can a high-level participant speak by video link?",
    "Is there a ceiling on online interventions with interpretation?",
    "Is there a time limit?",
    "Who has priority to speak?",
    "Combien de temps puis-je parler en tant que panéliste ?",
    "Quelle est la limite pour les interventions en ligne ?",
    "¿Cuánto tiempo puede intervenir un participante de alto nivel a distancia?",
    "¿Quién tiene prioridad para intervenir?",
])
def test_speaking_rule_questions_go_to_the_floor_rules(question):
    assert classify(question) is QuestionKind.RULES


@pytest.mark.parametrize("question", [
    "When will the WSIS+20 review take place?",
    "What are the objectives of the panel?",
    "In which languages will interpretation be provided?",
    "What is the link to join the panel online?",
    "¿Qué tecnologías de frontera se mencionan?",
    "À quelle heure commence la réunion de l'Assemblée générale ?",
])
def test_other_questions_go_to_the_documents(question):
    assert classify(question) is QuestionKind.CONTENT


@pytest.mark.parametrize("text", ["", "   ", "?!", "hello", "Merci !", "gracias"])
def test_greetings_and_empty_text_are_not_questions(text):
    assert classify(text) is QuestionKind.NONE


def test_parts_of_day_are_recognised_in_three_languages():
    assert part_of_day_asked("Is the panel in the morning?") is PartOfDay.MORNING
    assert part_of_day_asked("Le panel a-t-il lieu le matin ?") is PartOfDay.MORNING
    assert part_of_day_asked("¿El panel es por la mañana?") is PartOfDay.MORNING
    assert part_of_day_asked("Is it in the afternoon?") is PartOfDay.AFTERNOON
    assert part_of_day_asked("When is the panel?") is None
    assert part_of_day(15) is PartOfDay.AFTERNOON
    assert part_of_day(9) is PartOfDay.MORNING
    assert part_of_day(22) is PartOfDay.EVENING


@pytest.mark.parametrize(("question", "language"), [
    ("What are the objectives of the panel?", "en"),
    ("Quels sont les objectifs du panel ?", "fr"),
    ("Où trouver le rapport du Secrétaire général ?", "fr"),
    ("¿Cuál es el objetivo del panel?", "es"),
    ("¿Dónde se encuentran los documentos de apoyo?", "es"),
    ("WSIS+20?", None),
])
def test_the_question_language_is_guessed_only_when_clear(question, language):
    assert guess_language(question) == language
