import sqlite3
from datetime import UTC, datetime, timedelta

from bot.domain.answer import AbstainReason, Answer, Source
from bot.services.questions import QuestionService, normalize_question
from bot.storage.db import Database, migration_files
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


def abstention(question: str, reason: AbstainReason | None, detail: str = "",
               note: str = "") -> Answer:
    return Answer(question, "content", "en", ("The documents do not say.",), abstained=True,
                  reason=reason, reason_detail=detail,
                  details={"reason": note} if note else {})


def test_a_question_keeps_its_abstention_reason_and_detail(tmp_path):
    questions, _, db = service(tmp_path)
    recorded = questions.record(
        abstention("Is it on Webex?", AbstainReason.UNKNOWN_NAME, "<b>Webex</b> & co"), 1, 1)
    stored = questions.repo.get(recorded.id)
    assert stored is not None
    assert (stored.reason, stored.reason_detail) == (AbstainReason.UNKNOWN_NAME,
                                                     "<b>Webex</b> & co")
    db.close()
    reopened = QuestionsRepo(Database(tmp_path / "panel.sqlite"))
    [trouble] = reopened.troubles(datetime(2023, 3, 1, tzinfo=UTC))
    assert (trouble.reason, trouble.reason_detail) == (AbstainReason.UNKNOWN_NAME,
                                                       "<b>Webex</b> & co")


def test_an_answered_question_has_no_reason(tmp_path):
    questions, _, _ = service(tmp_path)
    recorded = questions.record(answer("What are the objectives?", False), 1, 1)
    stored = questions.repo.get(recorded.id)
    assert stored is not None and (stored.reason, stored.reason_detail) == (None, "")


def test_without_a_reason_the_answerers_note_is_kept(tmp_path):
    questions, _, _ = service(tmp_path)
    recorded = questions.record(abstention("Who are the panelists?", None, note="weak evidence"),
                                1, 1)
    stored = questions.repo.get(recorded.id)
    assert stored is not None and (stored.reason, stored.reason_detail) == (None,
                                                                            "weak evidence")


def test_a_group_shows_its_most_recent_abstention_reason(tmp_path):
    questions, clock, _ = service(tmp_path)
    questions.record(abstention("Is it on Webex?", AbstainReason.UNKNOWN_NAME, "Webex"), 1, 1)
    clock.advance(60)
    questions.record(abstention("is it on webex", AbstainReason.NOT_CLOSE), 2, 2)
    clock.advance(60)
    unhelpful = questions.record(answer("What is WSIS?", False), 3, 3)
    questions.feedback(unhelpful.id, 3, helpful=False, chat_id=3)
    webex, wsis = questions.troubles()
    assert (webex.asked, webex.unanswered, webex.reason, webex.reason_detail) == (
        2, 2, AbstainReason.NOT_CLOSE, "")
    assert (wsis.unanswered, wsis.not_helpful, wsis.reason) == (0, 1, None)


def test_questions_asked_in_the_same_instant_take_the_later_ones_reason(tmp_path):
    questions, _, _ = service(tmp_path)  # the clock does not move: the id breaks the tie
    questions.record(abstention("Is it on Webex?", AbstainReason.NOT_CLOSE), 1, 1)
    questions.record(abstention("Is it on Webex?", AbstainReason.UNKNOWN_NAME, "Webex"), 2, 2)
    [trouble] = questions.troubles()
    assert (trouble.reason, trouble.reason_detail) == (AbstainReason.UNKNOWN_NAME, "Webex")


def test_a_reason_code_this_version_does_not_know_is_kept_as_detail(tmp_path):
    questions, _, db = service(tmp_path)
    recorded = questions.record(abstention("Is it on Webex?", AbstainReason.NOT_CLOSE), 1, 1)
    with db.tx() as conn:  # as written by a newer version
        conn.execute("UPDATE questions SET reason = 'too_rude', reason_detail = 'x'")
    stored = questions.repo.get(recorded.id)
    assert stored is not None and (stored.reason, stored.reason_detail) == (None, "too_rude: x")


def test_migration_0005_keeps_the_questions_stored_before_it(tmp_path):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                 " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))")
    for number, name, sql in migration_files():
        if number < 5:
            conn.executescript(sql)
            conn.execute("INSERT INTO schema_migrations(number, name) VALUES (?, ?)",
                         (number, name))
    conn.execute("INSERT INTO questions(asked_at, user_id, chat_id, language, question,"
                 " normalized, kind, abstained) VALUES (?, 1, 1, 'en', 'Who are the panelists?',"
                 " 'who are the panelists', 'content', 1)",
                 (datetime(2023, 3, 29, 11, 0, tzinfo=UTC).isoformat(),))
    conn.commit()
    conn.close()

    db = Database(path)
    assert "0005_question_reasons.sql" in [
        r["name"] for r in db.query("SELECT name FROM schema_migrations")]
    repo = QuestionsRepo(db)
    old = repo.get(1)
    assert old is not None
    assert (old.question, old.abstained, old.reason, old.reason_detail) == (
        "Who are the panelists?", True, None, "")
    [trouble] = repo.troubles(datetime(2023, 3, 29, tzinfo=UTC))
    assert (trouble.asked, trouble.unanswered, trouble.reason) == (1, 1, None)
    new = repo.add(user_id=2, chat_id=2, language="en", question="Who are the panelists?",
                   normalized="who are the panelists", kind="content", abstained=True,
                   sources="", now=datetime(2023, 3, 29, 12, 0, tzinfo=UTC),
                   reason=AbstainReason.MISSING_KIND, reason_detail="a person's name")
    assert new == 2
    [trouble] = repo.troubles(datetime(2023, 3, 29, tzinfo=UTC))
    assert (trouble.asked, trouble.reason, trouble.reason_detail) == (
        2, AbstainReason.MISSING_KIND, "a person's name")
