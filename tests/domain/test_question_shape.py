"""Yes/no, list and ordinal questions, in English, French and Spanish."""

import pytest

from bot.domain.question_shape import asks_for_list, is_yes_no, ordinal_asked


@pytest.mark.parametrize("question", [
    "Is climate change on the table?", "Does the note cover human rights?",
    "Will there be a discussion?", "La note évoque-t-elle la cybersécurité ?",
    "Y a-t-il une pause café ?", "¿Hay algo sobre la brecha digital?",
    "¿Se menciona la inteligencia artificial?"])
def test_yes_no_questions_are_recognised(question):
    assert is_yes_no(question)


@pytest.mark.parametrize("question", [
    "What are the objectives?", "Who opens the session?", "Quel est le thème ?",
    "¿Qué papel tiene la CSTD?", "Where is it?", ""])
def test_open_questions_are_not_yes_no(question):
    assert not is_yes_no(question)


def test_list_questions_and_ordinals():
    assert asks_for_list("Give me the full list of guiding questions")
    assert asks_for_list("Quelles sont les questions directrices ?")
    assert not asks_for_list("Does war come into it at all?")
    assert ordinal_asked("What is the second guiding question?") == 2
    assert ordinal_asked("Quel est le quatrième point ?") == 4
    assert ordinal_asked("¿Cuál es la tercera pregunta?") == 3
    assert ordinal_asked("What is the title?") is None


@pytest.mark.parametrize("question", [
    "هل تذكر الوثائق الذكاء الاصطناعي؟", "فهل هناك ترجمة فورية؟",
    "文件提到人工智能吗？", "会议是否有同声传译？", "有没有提到区块链？",
    "Упоминается ли в записке искусственный интеллект?", "Будет ли синхронный перевод?"])
def test_yes_no_questions_in_arabic_chinese_and_russian(question):
    assert is_yes_no(question)


@pytest.mark.parametrize("question", [
    "ما أهداف الجلسة؟", "会议的目标是什么？", "谁主持会议？", "Какие цели у дискуссии?",
    "Кто открывает заседание?"])
def test_open_questions_in_arabic_chinese_and_russian_are_not_yes_no(question):
    assert not is_yes_no(question)


def test_lists_and_ordinals_in_arabic_chinese_and_russian():
    assert asks_for_list("ما هي الأسئلة التوجيهية؟")
    assert asks_for_list("讨论问题有哪些？")
    assert asks_for_list("Какие вопросы будут обсуждаться?")
    assert ordinal_asked("ما هو السؤال الثالث؟") == 3
    assert ordinal_asked("第二个问题是什么？") == 2
    assert ordinal_asked("Какой четвертый вопрос?") == 4
    assert ordinal_asked("会议的目标是什么？") is None
