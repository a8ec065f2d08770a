import pytest

from bot.domain.extractive import words
from bot.domain.question_kind import (
    PartOfDay,
    QuestionKind,
    RoutingWords,
    classify,
    duration_asked,
    guess_language,
    midpoint_asked,
    part_of_day,
    part_of_day_asked,
)

# What the service passes: the meeting's own words, stop words and place names (here a few).
MEETING = RoutingWords(
    own=words("cstd high level panel wsis progress implementation outcomes 2023"),
    stop=words("the a of in on is it to for at by be will does do what when"),
    places=frozenset({"toronto", "boston", "lima", "manila", "seattle", "geneva", "nairobi",
                      "san francisco", "ciudad de mexico", "new york"}),
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
    assert classify(question, MEETING) is QuestionKind.SCHEDULE


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
    assert classify(question, MEETING) is QuestionKind.RULES


@pytest.mark.parametrize("question", [
    "When will the WSIS+20 review take place?",
    "What are the objectives of the panel?",
    "In which languages will interpretation be provided?",
    "What is the link to join the panel online?",
    "¿Qué tecnologías de frontera se mencionan?",
    "À quelle heure commence la réunion de l'Assemblée générale ?",
])
def test_other_questions_go_to_the_documents(question):
    assert classify(question, MEETING) is QuestionKind.CONTENT


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


@pytest.mark.parametrize("question", [
    "What time does the session kick off in Toronto?",
    "Wen does the panle end?",  # typos of the meeting's and time words
    "Our delegation in Nairobi wonders when the discussion begins",
    "Will it still be going at 5:15 pm Geneva time?",
    "My colleagues in Seattle - will they need to wake up early?",
    "Boston start?",
    "Is it late at night in Manila?",
    "When is the WSIS panel?",
    "Can we book a lunch at 12:30 without clashing with the panel?",
    "¿Cuánto dura la sesión?",
    "Combien de temps dure le panel ?",
    "¿Me tengo que levantar temprano en Lima?",
])
def test_time_questions_about_the_meeting_itself_go_to_the_agenda(question):
    assert classify(question, MEETING) is QuestionKind.SCHEDULE


@pytest.mark.parametrize("question", [
    "When does registration close?",
    "When is the deadline for written statements?",
    "When is the next World Economic Forum?",
    "When did the Tunis phase of the summit take place?",
    "When was resolution 2022/15 adopted?",
    "When is the 2030 review?",
    "¿Cuándo se publica el informe?",
    "Quand a eu lieu le Sommet mondial ?",
    "When is the reception for delegates?",
])
def test_time_questions_about_something_else_go_to_the_documents(question):
    assert classify(question, MEETING) is QuestionKind.CONTENT


@pytest.mark.parametrize("question", [
    "What happens at the end of the panel?",
    "Who opens the session at the beginning?",
    "¿Qué pasa al final del panel?",
])
def test_what_or_who_about_a_part_of_the_meeting_goes_to_the_documents(question):
    assert classify(question, MEETING) is QuestionKind.CONTENT


@pytest.mark.parametrize("question", [
    "Do people in the room get more time than those online?",
    "Is joining remotely a disadvantage for getting the floor?",
    "Will remote speakers be called last?",
    "Can a panelist talk for twenty minutes?",
    "How many minutes does the chair have for opening remarks?",
    "Est-ce que les participants en ligne passent en dernier ?",
    "Un panéliste a-t-il droit à une demi-heure ?",
    "¿Cuánto tiempo tiene un ministro que se conecta por video?",
    "Do I get less time if I connect by video instead of coming to Geneva?",
])
def test_comparisons_queues_and_amounts_of_speaking_time_go_to_the_rules(question):
    assert classify(question, MEETING) is QuestionKind.RULES


def test_durations_and_halfway_points_are_recognised():
    assert duration_asked("How long will it last?")
    assert duration_asked("¿Cuánto dura?") and duration_asked("Quelle est la durée ?")
    assert not duration_asked("When does it start?")
    assert midpoint_asked("When is the halfway point?")
    assert midpoint_asked("¿A qué hora es la mitad del panel?")
    assert not midpoint_asked("Would they be up in the middle of the night?")


def test_night_hours_and_getting_up_early_are_parts_of_the_day():
    assert part_of_day(3) is PartOfDay.NIGHT
    assert part_of_day_asked("Up in the middle of the night?") is PartOfDay.NIGHT
    assert part_of_day_asked("Will they have to get up early?") is PartOfDay.MORNING
    assert part_of_day_asked("¿Me toca madrugar?") is PartOfDay.MORNING
    assert part_of_day_asked("Good afternoon, is it at night for us?") is PartOfDay.NIGHT


# Arabic, Chinese and Russian: the same routing, from each language's module.
SIX = RoutingWords(
    own=MEETING.own, stop=MEETING.stop,
    places=MEETING.places | frozenset({"القاهرة", "دبي", "北京", "上海", "新德里", "москва",
                                       "новосибирск", "минск"}),
)


@pytest.mark.parametrize("question", [
    "متى تنطلق الجلسة؟",
    "في أي ساعة تنتهي حلقة النقاش بتوقيت القاهرة؟",
    "كم تستغرق الجلسة؟",
    "هل ستكون الجلسة في الصباح بالنسبة لنا في دبي؟",
    "小组讨论几点开始？",
    "北京时间会议几点结束？",
    "这次会议持续多长时间？",
    "上海的同事要几点起床？",
    "Во сколько заканчивается заседание?",
    "Сколько длится дискуссия?",
    "Мы в Новосибирске: это будет вечером?",
])
def test_schedule_questions_in_arabic_chinese_and_russian_go_to_the_agenda(question):
    assert classify(question, SIX) is QuestionKind.SCHEDULE


@pytest.mark.parametrize("question", [
    "ما هو الحد الأقصى لمدة الكلمة عن بعد؟",
    "من له الأولوية في أخذ الكلمة؟",
    "发言时间有限制吗？",
    "线上发言的人最多可以讲几分钟？",
    "Есть ли ограничение времени выступления для онлайн-участников?",
    "У кого приоритет при выступлении?",
])
def test_speaking_rule_questions_in_arabic_chinese_and_russian_go_to_the_floor_rules(question):
    assert classify(question, SIX) is QuestionKind.RULES


@pytest.mark.parametrize("question", [
    "ما أهداف الجلسة؟",
    "متى سيعقد استعراض القمة العالمية بعد عشرين عاما؟",
    "会议文件提到人工智能了吗？",
    "联合国大会的审查什么时候举行？",
    "Какие цели у дискуссии?",
    "Когда пройдет обзор Генеральной Ассамблеи?",
])
def test_other_questions_in_arabic_chinese_and_russian_go_to_the_documents(question):
    assert classify(question, SIX) is QuestionKind.CONTENT


@pytest.mark.parametrize("text", ["شكرا", "谢谢！", "Спасибо!", "您好"])
def test_thanks_in_arabic_chinese_and_russian_are_not_questions(text):
    assert classify(text) is QuestionKind.NONE


def test_durations_and_parts_of_day_in_arabic_chinese_and_russian():
    assert duration_asked("كم تستغرق الجلسة؟")
    assert duration_asked("会议多长时间？")
    assert duration_asked("Сколько длится заседание?")
    assert part_of_day_asked("هل الجلسة في المساء؟") is PartOfDay.EVENING
    assert part_of_day_asked("对我们来说是凌晨吗？") is PartOfDay.NIGHT
    assert part_of_day_asked("Это будет утром?") is PartOfDay.MORNING


@pytest.mark.parametrize(("question", "language"), [
    ("متى تبدأ الجلسة؟", "ar"), ("会议什么时候开始？", "zh"), ("Когда начало?", "ru"),
    ("When does the panel start?", "en")])
def test_the_script_tells_arabic_chinese_and_russian_apart(question, language):
    assert guess_language(question) == language
