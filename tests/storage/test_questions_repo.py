from datetime import UTC, datetime, timedelta

from bot.domain.answer import Answer, Source
from bot.services.questions import QuestionService, normalize_question
from bot.storage.db import Database
from bot.storage.questions_repo import QuestionsRepo
from tests.support import FakeClock


def service(tmp_path):
    clock = FakeClock(datetime(2023, 3, 29, 12, 0, tzinfo=UTC))
    db = Database(tmp_path / "panel.sqlite")
    return QuestionService(QuestionsRepo(db), clock), clock, db


def answer(question: str, abstained: bool) -> Answer:
    sources = () if abstained else (Source("Concept note", page=2),)
    return Answer(question, "content", "en", ("…",), sources=sources, abstained=abstained)


def test_a_second_press_replaces_the_first(tmp_path):
    questions, _, db = service(tmp_path)
    recorded = questions.record(answer("What are the objectives?", False), 7, 7)
    assert questions.feedback(recorded.id, 7, helpful=True, chat_id=7)
    assert questions.feedback(recorded.id, 7, helpful=False, chat_id=7)
    assert questions.feedback(recorded.id, 8, helpful=True, chat_id=7)
    assert questions.repo.feedback(recorded.id) == {7: False, 8: True}
    rows = db.query("SELECT COUNT(*) AS n FROM question_feedback")
    assert rows[0]["n"] == 2


def test_feedback_on_an_unknown_question_is_refused(tmp_path):
    questions, _, _ = service(tmp_path)
    assert not questions.feedback(999, 7, helpful=True, chat_id=7)


def test_feedback_from_another_chat_than_the_answers_is_refused(tmp_path):
    questions, _, _ = service(tmp_path)
    recorded = questions.record(answer("What are the objectives?", False), 7, 7)
    assert not questions.feedback(recorded.id, 9, helpful=False, chat_id=9)
    assert questions.repo.feedback(recorded.id) == {}


def test_troubles_group_repeats_and_count_unanswered_and_unhelpful(tmp_path):
    questions, clock, _ = service(tmp_path)
    questions.record(answer("Who are the panelists?", True), 1, 1)
    questions.record(answer("who are the panelists", True), 2, 2)
    helpful = questions.record(answer("When is the panel?", False), 3, 3)
    unhelpful = questions.record(answer("What is WSIS?", False), 4, 4)
    questions.feedback(helpful.id, 3, helpful=True, chat_id=3)
    questions.feedback(unhelpful.id, 4, helpful=False, chat_id=4)
    troubles = questions.troubles()
    assert [(t.asked, t.unanswered, t.not_helpful) for t in troubles] == [(2, 2, 0), (1, 0, 1)]
    clock.now += timedelta(days=8)
    assert questions.troubles(days=7) == []


def test_questions_are_grouped_by_their_words():
    assert normalize_question("Who are the Panelists??") == "who are the panelists"
    assert normalize_question("¿Quiénes son?") == "quienes son"
