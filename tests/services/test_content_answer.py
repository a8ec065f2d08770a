"""Content answers over a real index of the concept note: positive reasons to decline, whole
lists, yes/no leads, and paraphrases answered (real embedder, real Chroma, real FTS5)."""

from __future__ import annotations

import pytest

from bot.domain.answer import AbstainReason, render_plain
from bot.services.answering import AnswerService
from tests.services.qa_support import indexed_service


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> AnswerService:
    _, answers = indexed_service(tmp_path_factory.mktemp("content"))
    answers.warm_up()
    return answers


def plain(service: AnswerService, question: str) -> tuple[str, object]:
    answer = service.answer(question)
    return render_plain(answer, service.i18n.translator(answer.language).gettext), answer


def test_a_question_about_what_a_referenced_document_says_gets_its_symbol_and_link(service):
    text, answer = plain(service, "What does the Secretary-General's report recommend on data?")
    assert answer.abstained and answer.reason is AbstainReason.DOCUMENT_NOT_INDEXED
    assert "A/78/62-E/2023/49" in text and "a78d62_en.pdf" in text


def test_a_name_no_document_mentions_is_declined_and_named(service):
    text, answer = plain(service, "Will the Global Digital Compact be negotiated at Davos?")
    assert answer.abstained and answer.reason is AbstainReason.UNKNOWN_NAME
    assert answer.reason_detail in text


def test_a_name_written_in_another_language_is_still_known(service):
    _, answer = plain(service, "¿Qué papel tiene la Asamblea General?")
    assert not answer.abstained


def test_a_practical_kind_the_documents_lack_is_declined(service):
    _, answer = plain(service, "Will coffee be served during the break?")
    assert answer.abstained and answer.reason is AbstainReason.MISSING_KIND
    assert "meal" in answer.reason_detail


def test_a_paraphrased_yes_no_question_leads_with_yes_and_quotes_the_sentence(service):
    text, answer = plain(service, "Is cybercrime something they will look at?")
    assert not answer.abstained
    assert answer.paragraphs[0].startswith("Yes")
    assert any("cybercrime" in q for q in answer.quotes)


def test_a_list_question_gets_every_item(service):
    _, answer = plain(service, "Which questions are meant to steer the debate? All of them.")
    quoted = " ".join(answer.quotes)
    for item in ("artificial intelligence", "good practices", "reduce inequalities",
                 "enhance digital cooperation"):
        assert item in quoted


def test_the_nth_item_of_a_list_is_quoted_alone(service):
    _, answer = plain(service, "What is the second guiding question?")
    assert any("good practices" in q for q in answer.quotes)
    assert not any("artificial intelligence" in q for q in answer.quotes)


def test_the_same_question_gets_the_same_answer_from_a_fresh_service(service, tmp_path):
    first = service.answer("What worries them about social media?")
    service._cache.clear()
    again = service.answer("What worries them about social media?")
    assert first.quotes == again.quotes and first.sources == again.sources


def test_a_declined_question_naming_an_unknown_city_falls_back_to_the_schedule(service):
    answer = service.answer("What time does it get going for somebody sitting in Nairobi?")
    assert answer.kind == "schedule" and not answer.abstained
    assert any("Nairobi" in p for p in answer.paragraphs)


def test_an_acronym_of_a_documents_name_and_a_question_opening_with_a_name_are_known(service):
    _, answer = plain(service, "What's the symbol of the SG's report?")
    assert not answer.abstained
    _, answer = plain(service, "Does the Commission see a role for itself?")
    assert not answer.abstained


def test_an_english_name_not_in_the_english_documents_word_for_word_is_unknown(service):
    _, answer = plain(service, "What does the World Bank think about this?")
    assert answer.abstained and answer.reason is AbstainReason.UNKNOWN_NAME
    assert answer.reason_detail == "World Bank"


EN_NOTE = """---
title: "Note on the roundtable"
language: en
---
## Themes

The roundtable will examine the protection of submarine internet cables against sabotage.
"""
FR_NOTE = """---
title: "Note sur la table ronde"
language: fr
---
## Thèmes

La table ronde examinera la protection des câbles internet sous-marins contre le sabotage.
"""


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> AnswerService:
    root = tmp_path_factory.mktemp("versions")
    knowledge = root / "knowledge"
    knowledge.mkdir()
    (knowledge / "roundtable_en.md").write_text(EN_NOTE, encoding="utf-8")
    (knowledge / "roundtable_fr.md").write_text(FR_NOTE, encoding="utf-8")
    _, answers = indexed_service(root, {"knowledge": {"dir": str(knowledge)}})
    answers.warm_up()
    return answers


def test_a_document_in_two_languages_is_quoted_in_the_askers_language(versions):
    french = versions.answer("Est-ce que la table ronde parle des câbles sous-marins ?")
    assert not french.abstained and french.language == "fr"
    assert any("câbles" in q for q in french.quotes)
    assert french.sources[0].document == "Note sur la table ronde"
    assert "anglais" not in french.paragraphs[0]
    english = versions.answer("Will the roundtable look at undersea cables?")
    assert any("submarine" in q for q in english.quotes)
    assert english.sources[0].document == "Note on the roundtable"


def test_a_language_without_its_own_version_gets_the_english_one_and_is_told(versions):
    spanish = versions.answer("¿La mesa redonda habla de los cables submarinos?")
    assert not spanish.abstained and spanish.language == "es"
    assert any("submarine" in q for q in spanish.quotes)
    assert "inglés" in spanish.paragraphs[0]


def test_only_the_chosen_version_of_each_document_is_a_candidate(versions):
    view = versions._content_answerer().view()
    by_language = {c.language: i for i, c in enumerate(view.chunks)}
    for wanted, kept, dropped in (("fr", "fr", "en"), ("en", "en", "fr"), ("es", "en", "fr"),
                                  (None, "en", "fr")):
        mask = view.preferred(wanted)
        assert mask is not None
        assert mask[by_language[kept]] and not mask[by_language[dropped]]
