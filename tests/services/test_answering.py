"""The AnswerService over a real index (real embedder, real Chroma, real FTS5)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fpdf import FPDF

from bot.domain.answer import Answer, render_html, render_plain
from bot.domain.text import split_message
from bot.services.answering import AnswerService
from tests.services.qa_support import indexed_service
from tests.support import REPO

CONTACT = "the CSTD secretariat"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> AnswerService:
    _, answers = indexed_service(tmp_path_factory.mktemp("qa"))
    answers.warm_up()
    return answers


def text(service: AnswerService, answer: Answer) -> str:
    return render_plain(answer, service.i18n.translator(answer.language).gettext)


def test_schedule_and_rules_come_from_the_configuration(service):
    schedule = service.answer("What time is the panel in New York?")
    assert schedule.kind == "schedule" and not schedule.abstained
    assert "09:00–11:30" in text(service, schedule)
    assert schedule.sources and "15:00-17:30" in schedule.sources[0].snippet
    rules = service.answer("How long can panelists speak?")
    assert rules.kind == "rules" and "10 minutes" in rules.paragraphs[0]


def test_a_content_answer_quotes_the_documents_and_cites_the_section(service):
    answer = service.answer("What are the objectives of the panel?")
    assert answer.kind == "content" and not answer.abstained
    assert any("The Panel aims to identify" in q for q in answer.quotes)
    assert sum(len(q) for q in answer.quotes) <= 650
    assert answer.sources[0].section == "Objectives"
    assert answer.sources[0].snippet in " ".join(answer.quotes)


def test_quotes_are_verbatim_sentences_of_the_indexed_text(service):
    chunks = " ".join(c.text for c in service.store.all_chunks())
    answer = service.answer("What concerns are raised about social media platforms?")
    for quote in answer.quotes:
        assert quote.rstrip("…") in " ".join(chunks.split())


@pytest.mark.parametrize("question", [
    "What is the link to join the panel online?",
    "Who are the panelists?",
    "In which languages will interpretation be provided?",
    "Is there a dress code?",
    "Quel est le lien Zoom pour participer ?",
    "¿Quiénes son los panelistas?",
    "¿Habrá almuerzo para los participantes?",
])
def test_what_the_documents_do_not_say_gets_an_honest_answer(service, question):
    answer = service.answer(question)
    assert answer.abstained and answer.kind == "content"
    assert answer.quotes == () and answer.sources == ()
    assert CONTACT in text(service, answer)


def test_a_french_question_is_answered_in_french_with_the_english_quotation(service):
    answer = service.answer("Quels sont les objectifs du panel ?", language="en")
    assert answer.language == "fr"
    rendered = text(service, answer)
    assert "D'après les documents" in rendered and "Sources :" in rendered
    assert "emerging and future opportunities" in rendered


def test_a_spanish_abstention_is_in_spanish(service):
    answer = service.answer("¿Quiénes son los panelistas?")
    assert answer.language == "es"
    assert text(service, answer).startswith("Los documentos no lo indican.")


def test_a_greeting_is_not_treated_as_a_question(service):
    answer = service.answer("hello!")
    assert answer.kind == "none" and answer.abstained


def test_quoted_text_is_escaped_in_html_and_long_answers_split():
    answer = Answer("q", "content", "en", ("From the documents:",),
                    ("Use <b>bold</b> & stay <safe>",) * 120,
                    ())
    html = render_html(answer, lambda s: s)
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; stay &lt;safe&gt;" in html
    assert "<b>bold</b>" not in html
    parts = split_message(html)
    assert len(parts) > 1 and all(len(p) <= 4096 for p in parts)
    assert all(p.count("<blockquote>") == p.count("</blockquote>") for p in parts)


def _pdf(path: Path) -> None:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    pages = [
        "Annex on logistics. The opening session starts in the plenary hall.",
        "Accreditation. Delegates collect their badges at the Pregny Gate from 08:00. "
        "Badges require a valid passport.",
        "Closing remarks. The Chair will summarise the discussion.",
    ]
    for text_ in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text_)
    pdf.output(str(path))


def test_a_pdf_answer_cites_the_page_it_comes_from(tmp_path):
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    shutil.copy(REPO / "knowledge" / "concept_note.md", knowledge / "concept_note.md")
    _pdf(knowledge / "logistics.pdf")
    _, answers = indexed_service(tmp_path, {"knowledge": {"dir": str(knowledge)}})
    answer = answers.answer("Where do delegates collect their badges?")
    assert not answer.abstained, answer.details
    assert any("Pregny Gate" in q for q in answer.quotes)
    source = answer.sources[0]
    assert source.page == 2
    assert "p. 2" in render_plain(answer, lambda s: s)


def test_an_llm_writes_the_answer_from_the_passages_and_a_failure_falls_back(service):
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    from bot.config import LLMConfig
    from bot.services.llm_answer import LLMAnswerer

    config = LLMConfig(enabled=True, model="fake", timeout_seconds=5)
    try:
        service.llm = LLMAnswerer(config, model=FakeListChatModel(
            responses=["The panel looks at emerging opportunities [1]."]))
        written = service.answer("What are the objectives of the panel?")
        assert written.generated and written.paragraphs == (
            "The panel looks at emerging opportunities [1].",)
        assert written.sources[0].section == "Objectives"
        service.llm = LLMAnswerer(config, model=FakeListChatModel(responses=["no citation"]))
        fallback = service.answer("What are the objectives of the panel?")
        assert not fallback.generated and fallback.quotes
        service.llm = LLMAnswerer(config, model=FakeListChatModel(responses=["x [1]"]))
        assert service.answer("Who are the panelists?").abstained  # the LLM never overrides
    finally:
        service.llm = None


def test_citations_follow_an_index_published_by_another_run(tmp_path):
    """`make index` in another process publishes a new generation: the running service picks up
    the new schedule citation without a restart."""
    from indexer.run import run_index

    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    note = knowledge / "note.md"
    note.write_text("# Note\n\nThe panel meets on Wednesday 29 March 2023, 15:00-17:30 "
                    "(Geneva time).\n", encoding="utf-8")
    config, service = indexed_service(tmp_path, {"knowledge": {"dir": str(knowledge)}})
    first = service.schedule("en")
    assert any("15:00-17:30" in quote for quote in first.quotes)
    note.write_text("# Note\n\nThe high-level panel takes place on 29 March 2023 at "
                    "15:00-17:30 (Geneva time), in Room XVII.\n", encoding="utf-8")
    run_index(config, tmp_path / "data")  # as a separate `make index` would
    second = service.schedule("en")
    assert any("Room XVII" in quote for quote in second.quotes)


def test_the_same_question_is_computed_once_even_when_asked_at_once(service):
    from concurrent.futures import ThreadPoolExecutor

    calls = []
    original = service._compute

    def counting(*args):
        calls.append(args[0])
        return original(*args)

    service._compute = counting
    try:
        question = "What does the Panel aim to identify?"
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(lambda q: service.answer(q), [question] * 8))
        again = service.answer("  what does the panel AIM to identify?  ")
    finally:
        del service._compute
    assert calls == [question]
    assert all(a.quotes == answers[0].quotes for a in answers) and again.quotes == answers[0].quotes
    assert again.question == "what does the panel AIM to identify?"


def test_a_ticket_computes_once_and_shares_the_answer_or_the_error(service):
    question = "What does the Panel aim to identify? (ticket)"
    first = service.ticket(question)
    second = service.ticket("what does the  PANEL aim to identify? (ticket)")
    assert first.owner and not second.owner and not second.future.done()
    with pytest.raises(RuntimeError):
        second.run()  # only the owner computes
    answer = first.run()
    assert second.result().quotes == answer.quotes
    assert second.result().question == "what does the PANEL aim to identify? (ticket)"
    cached = service.ticket(question)
    assert not cached.owner and cached.future.done() and cached.result() == answer

    failing = service.ticket("Who moderates the panel (ticket)?")
    waiting = service.ticket("Who moderates the panel (ticket)?")
    service._compute = lambda *args: (_ for _ in ()).throw(ValueError("model gone"))
    try:
        with pytest.raises(ValueError):
            failing.run()
    finally:
        del service._compute
    with pytest.raises(ValueError):
        waiting.result()  # the waiter gets the error, not a hang
    assert service.ticket("Who moderates the panel (ticket)?").owner  # nothing cached: asked anew
