"""Two questions every meeting gets, answered from the meeting's own document: what to read
(its list of documents, whole, with links) and the meeting's exact title (its masthead). The
note here is another meeting's, written for this test, so nothing depends on the CSTD note."""

from __future__ import annotations

import pytest

from bot.domain.question_shape import asks_for_title
from bot.domain.references import asks_for_reading
from bot.services.answering import AnswerService
from tests.services.qa_support import indexed_service

NOTE = """---
title: "Concept note: ocean data roundtable"
language: en
---
**Intergovernmental Working Group on Ocean Data
Fourth Session**

**Roundtable on
“Sharing sea-floor observations for coastal resilience”**

**Tuesday 14 May 2024, 10:00-12:00 (Geneva time)**

## Background

Coastal states collect sea-floor observations with very different instruments. The roundtable
will discuss common formats, open licences and the training of technicians.

## Documents

- Report of the Secretary-General on ocean observation (A/79/101), available at: https://example.org/docs/a79d101_en.pdf
- Resolution 2023/7 on marine data sharing, available at: https://example.org/docs/res_2023d7_en.pdf
- Further documents on the website of the working group: https://example.org/meeting
"""


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> AnswerService:
    root = tmp_path_factory.mktemp("ocean")
    knowledge = root / "knowledge"
    knowledge.mkdir()
    (knowledge / "ocean_note.md").write_text(NOTE, encoding="utf-8")
    _, answers = indexed_service(root, {
        "knowledge": {"dir": str(knowledge)},
        "agenda": [{"id": "roundtable", "title": "Ocean data roundtable",
                    "start": "2024-05-14T10:00", "end": "2024-05-14T12:00",
                    "source": "ocean_note.md"}],
    })
    answers.warm_up()
    return answers


@pytest.mark.parametrize("question", [
    "What should I read before the roundtable?", "Which documents should we look at?",
    "Quels documents faut-il lire avant la réunion ?", "¿Qué debo leer antes?",
    "ما هي الوثائق الداعمة؟", "会前应该阅读哪些文件？", "Какие документы нужно прочитать?"])
def test_a_reading_list_question_gets_every_listed_document_with_its_link(service, question):
    answer = service.answer(question)
    assert not answer.abstained
    quoted = " ".join(answer.quotes)
    for link in ("a79d101_en.pdf", "res_2023d7_en.pdf", "https://example.org/meeting"):
        assert link in quoted
    assert "instruments" not in quoted  # nothing but the list


def test_a_question_about_one_listed_document_is_not_given_the_whole_list(service):
    answer = service.answer("What does the Secretary-General's report recommend?")
    assert answer.abstained and "A/79/101" in (answer.reason_detail or "")


@pytest.mark.parametrize("question", [
    "What is the exact title of the roundtable?", "Quel est l'intitulé de la réunion ?",
    "¿Cuál es el título oficial?", "ما عنوان الاجتماع؟", "会议的全称是什么？",
    "Как называется круглый стол?"])
def test_the_meetings_title_is_its_masthead_without_the_date_line(service, question):
    answer = service.answer(question)
    assert not answer.abstained
    quoted = " ".join(answer.quotes)
    assert "Sharing sea-floor observations for coastal resilience" in quoted
    assert "Fourth Session" in quoted
    assert "14 May" not in quoted and "instruments" not in quoted


def test_the_title_of_a_listed_document_is_not_the_meetings_title(service):
    answer = service.answer("What is the title of the resolution?")
    assert not answer.abstained
    assert any("marine data sharing" in q for q in answer.quotes)


@pytest.mark.parametrize(("question", "reading", "title"), [
    ("What should I read?", True, False),
    ("Which documents mention licences?", False, False),  # what they say, not which to read
    ("What is the panel called?", False, True),
    ("What is the title of the report?", False, False),
    ("Where is the meeting?", False, False),
    ("ما عنوان قصر الأمم؟", False, False),  # the Palais's address, not a title
])
def test_the_cues(question, reading, title):
    assert asks_for_reading(question) is reading
    assert asks_for_title(question) is title
