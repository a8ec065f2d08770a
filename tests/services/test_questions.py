"""The question log's service: what it stores and logs for an abstention."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.domain.answer import AbstainReason, Answer, Source
from bot.services.questions import MAX_STORED_DETAIL, QuestionService, abstention_of
from bot.storage.db import Database
from bot.storage.questions_repo import QuestionsRepo
from tests.support import FakeClock

LOGGER = "bot.services.questions"


def service(tmp_path: Path) -> QuestionService:
    return QuestionService(QuestionsRepo(Database(tmp_path / "panel.sqlite")),
                           FakeClock(datetime(2023, 3, 29, 12, 0, tzinfo=UTC)))


def abstained(reason: AbstainReason | None, detail: str = "", note: str = "") -> Answer:
    return Answer("Is the panel on Webex?", "content", "en", ("The documents do not say.",),
                  abstained=True, reason=reason, reason_detail=detail,
                  details={"reason": note} if note else {})


def test_each_abstention_logs_one_info_line_with_its_reason_code(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    questions = service(tmp_path)
    with caplog.at_level(logging.INFO, logger=LOGGER):
        recorded = questions.record(abstained(AbstainReason.UNKNOWN_NAME, "Webex"), 7, 7)
    lines = [r for r in caplog.records if r.name == LOGGER]
    assert len(lines) == 1 and lines[0].levelno == logging.INFO
    text = lines[0].getMessage()
    assert "unknown_name" in text and "Webex" in text and str(recorded.id) in text
    assert "Is the panel on Webex?" not in text  # the answerer has logged the question


def test_an_abstention_without_a_reason_logs_unknown_and_the_answerers_note(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    questions = service(tmp_path)
    with caplog.at_level(logging.INFO, logger=LOGGER):
        questions.record(abstained(None, note="weak evidence"), 7, 7)
    [line] = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert "unknown" in line and "weak evidence" in line


def test_an_answered_question_logs_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    questions = service(tmp_path)
    answered = Answer("What are the objectives?", "content", "en", ("From the documents:",),
                      ("The Panel aims to identify progress.",), (Source("Concept note"),))
    with caplog.at_level(logging.INFO, logger=LOGGER):
        questions.record(answered, 7, 7)
    assert [r for r in caplog.records if r.name == LOGGER] == []


def test_the_reason_of_an_answer_that_did_not_abstain_is_not_stored() -> None:
    answered = Answer("Q?", "content", "en", ("…",), reason=AbstainReason.NOT_CLOSE,
                      reason_detail="x", details={"reason": "weak evidence"})
    assert abstention_of(answered) == (None, "")


@pytest.mark.parametrize(("answer", "expected"), [
    (abstained(AbstainReason.MISSING_KIND, "a person's name", note="lack"),
     (AbstainReason.MISSING_KIND, "a person's name")),
    (abstained(AbstainReason.NOT_CLOSE, note="weak evidence"), (AbstainReason.NOT_CLOSE, "")),
    (abstained(None, note="weak evidence"), (None, "weak evidence")),
    (abstained(None), (None, "")),
    (abstained(AbstainReason.UNKNOWN_NAME, "  Web\nex  "), (AbstainReason.UNKNOWN_NAME,
                                                           "Web ex")),
])
def test_what_is_stored_for_an_abstention(answer: Answer,
                                          expected: tuple[AbstainReason | None, str]) -> None:
    assert abstention_of(answer) == expected


def test_a_very_long_detail_is_cut() -> None:
    reason, detail = abstention_of(abstained(AbstainReason.UNKNOWN_NAME, "x" * 5000))
    assert reason is AbstainReason.UNKNOWN_NAME and len(detail) == MAX_STORED_DETAIL
