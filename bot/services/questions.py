"""The question log: what delegates asked, what went unanswered, what they found unhelpful."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from bot.clock import Clock
from bot.domain.answer import AbstainReason, Answer
from bot.domain.extractive import fold
from bot.storage.questions_repo import QuestionsRepo, Trouble

log = logging.getLogger(__name__)

MAX_STORED_QUESTION = 1000
MAX_STORED_DETAIL = 300


@dataclass(frozen=True)
class Recorded:
    """A stored question's id (used in the feedback buttons)."""

    id: int


class QuestionService:
    """Records questions and feedback; lists troubles for the organisers."""

    def __init__(self, repo: QuestionsRepo, clock: Clock) -> None:
        self.repo = repo
        self.clock = clock

    def record(self, answer: Answer, user_id: int | None, chat_id: int | None) -> Recorded:
        """Store a question with its outcome and, for an abstention, why (logged once)."""
        labels = "; ".join(dict.fromkeys(
            s.document + (f" p. {s.page}" if s.page is not None else "") for s in answer.sources))
        question = answer.question[:MAX_STORED_QUESTION]
        reason, detail = abstention_of(answer)
        question_id = self.repo.add(
            user_id=user_id, chat_id=chat_id, language=answer.language, question=question,
            normalized=normalize_question(question), kind=answer.kind,
            abstained=answer.abstained, sources=labels, now=self.clock(),
            reason=reason, reason_detail=detail)
        if answer.abstained:
            # The answerer has logged the question text; this line says why, by its code.
            log.info("question %d (%s) abstained: %s %r", question_id, answer.kind,
                     reason or "unknown", detail)
        return Recorded(question_id)

    def feedback(self, question_id: int, user_id: int, helpful: bool, chat_id: int) -> bool:
        """A helpful / not helpful press in the chat that got the answer; a second press by the
        same user replaces the first."""
        return self.repo.set_feedback(question_id, user_id, helpful, self.clock(), chat_id)

    def troubles(self, days: float = 7, limit: int = 20) -> list[Trouble]:
        """Recent unanswered and not-helpful questions with counts."""
        return self.repo.troubles(self.clock() - timedelta(days=days), limit)


def abstention_of(answer: Answer) -> tuple[AbstainReason | None, str]:
    """(reason, detail) to store for an answer: None and "" when it was answered. Without a
    reason the answerer's free-text note (`details["reason"]`) is kept as the detail."""
    if not answer.abstained:
        return None, ""
    detail = answer.reason_detail
    if answer.reason is None and not detail:
        detail = str(answer.details.get("reason") or "")
    return answer.reason, " ".join(detail.split())[:MAX_STORED_DETAIL]


def normalize_question(question: str) -> str:
    """Folded words only, so 'Who are the panelists?' and 'who are the panelists' group."""
    return " ".join(re.findall(r"\w+", fold(question)))
