"""Hybrid retrieval and the evidence checks over a real index of knowledge/."""

from __future__ import annotations

import pytest

from bot.services.answering import AnswerService
from bot.services.coverage import content_words, question_terms
from bot.services.retrieval import FusionWeights, HybridRetriever
from tests.services.qa_support import indexed_service


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> AnswerService:
    return indexed_service(tmp_path_factory.mktemp("retrieval"))[1]


def search(service: AnswerService, question: str, weights: FusionWeights) -> list[str]:
    vector = service.embedder.embed_queries([question])[0]
    return [h.chunk.text for h in HybridRetriever(service.store, weights).search(question,
                                                                                  vector)]


def test_fusion_finds_a_document_symbol_and_a_paraphrase(service):
    weights = FusionWeights()
    assert "A/78/62" in search(service, "Where is A/78/62-E/2023/49?", weights)[0]
    assert any("Priority will be given" in t
               for t in search(service, "Can I speak by video link?", weights)[:2])


def test_hits_record_both_ranks_and_fused_scores_decrease(service):
    question = "What are the guiding questions?"
    vector = service.embedder.embed_queries([question])[0]
    hits = HybridRetriever(service.store, FusionWeights()).search(question, vector, k=5)
    assert len(hits) == 5
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert hits[0].dense_rank is not None and hits[0].dense_score is not None
    assert any(h.lexical_rank is not None for h in hits)


def test_a_french_question_skips_bm25_over_english_documents(service):
    content = service._content_answerer()
    question = "Combien de temps puis-je parler en tant que panéliste ?"
    vector = service.embedder.embed_queries([question])[0]
    hits = content.search(question, vector)
    assert all(h.lexical_rank is None for h in hits)
    english = content.search("How long can panelists speak?",
                             service.embedder.embed_queries(["How long can panelists speak?"])[0])
    assert any(h.lexical_rank is not None for h in english)


def test_question_words_drop_stop_words_and_generic_panel_words():
    assert content_words("Is there a dress code for the panel?") == ["dress", "code"]
    assert content_words("¿Habrá almuerzo para los participantes?") == ["almuerzo",
                                                                         "participantes"]
    terms = question_terms("¿Se puede participar en línea?")
    assert [t.surface for t in terms] == ["participar", "línea"]
    assert terms[1].phrase == "en línea"


def test_chinese_question_words_are_segmented_and_new_words_kept_whole():
    assert content_words("文件有没有提到物联网？") == ["物联网"]
    assert content_words("文件提到了人工智能和区块链吗？") == ["人工智能", "区块链"]


def test_arabic_and_russian_question_words_drop_their_stop_and_generic_words():
    assert content_words("هل تذكر المذكرة حقوق الإنسان؟") == ["حقوق", "الانسان"]
    assert content_words("Упоминается ли в записке суверенитет государств?") == [
        "суверенитет", "государств"]


@pytest.mark.parametrize("question", [
    "هل تذكر المذكرة حقوق الإنسان؟", "文件有没有提到人工智能？",
    "Упоминается ли в записке искусственный интеллект?"])
def test_questions_in_scripts_without_capitals_find_no_false_names_and_skip_bm25(
        service, question):
    content = service._content_answerer()
    assert content._unknown_name(question, content.view()) == ""
    vector = service.embedder.embed_queries([question])[0]
    assert all(h.lexical_rank is None for h in content.search(question, vector))
    extract = content.extract(question)
    assert not extract.abstained, extract.reason
