from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.domain.answer import AbstainReason, Source
from bot.domain.floor_rules import FloorRules
from bot.services.rules_answer import find_rule_facts, focus_of, minutes_text, rules_answer
from bot.services.schedule_answer import Passage

FORMAT = Source("Concept note", section="Format of the High-Level Roundtable")
TEXT = ("After an introduction of the Report of the Secretary-General by the CSTD secretariat, "
        "panelists will make their presentations (maximum 10 minutes each). This will be "
        "followed by an interactive discussion.\n\nPriority will be given to intervention from "
        "participants in the meeting room (maximum 10 minutes each) and to high-level "
        "participants intervening remotely (7 minutes each). Online intervention with "
        "interpretation is subject to a 30-minute accumulative limit.")
FACTS = find_rule_facts(FloorRules(), [Passage(TEXT, FORMAT)])


def ask(question: str):
    return rules_answer(question, "en", lambda s: s, FACTS)


def test_only_the_sentences_stating_rules_are_kept_for_citation():
    assert len(FACTS.sentences) == 3
    assert all(p.source.section == FORMAT.section for p in FACTS.sentences)


def test_panelists_get_their_limit_first_and_the_sentence_that_states_it():
    answer = ask("How long can panelists speak?")
    assert answer.paragraphs[0] == "Panelists: up to 10 minutes each for their presentation."
    assert answer.quotes[0].startswith("After an introduction")
    assert answer.sources[0].snippet == answer.quotes[0]


def test_paraphrases_reach_the_right_rule():
    assert ask("How long can a high-level participant speak by video link?").paragraphs[0] == (
        "High-level participants speaking remotely: up to 7 minutes each.")
    assert "cumulative limit of 30 minutes" in ask(
        "Is there a ceiling on online interventions with interpretation?").paragraphs[0]
    assert focus_of("Combien de temps puis-je parler en tant que panéliste ?")[0] == "panelist"
    assert focus_of("¿Quién tiene prioridad para intervenir?") == ["priority"]


def test_priority_follows_the_configured_order():
    answer = ask("Who has priority?")
    assert answer.paragraphs[0] == (
        "Priority for the floor: 1. participants in the meeting room; 2. high-level "
        "participants speaking remotely; 3. other remote participants.")
    assert any(q.startswith("Priority will be given") for q in answer.quotes)


def test_configured_values_are_what_the_answer_says():
    custom = find_rule_facts(FloorRules(minutes={"panelist": 8, "in_room": 5,
                                                 "remote_high_level": 4.5, "remote": 3},
                                        remote_budget_minutes=20), [])
    answer = rules_answer("What are the speaking rules?", "en", lambda s: s, custom)
    text = "\n".join(answer.paragraphs)
    assert "up to 8 minutes" in text and "up to 4.5 minutes" in text and "of 20 minutes" in text
    assert answer.quotes == () and answer.sources == ()


ORGANISERS = "(Set by the organisers; the documents give no limit for them.)"


def test_each_rule_is_stated_by_the_sentence_giving_its_category_and_minutes_together():
    assert set(FACTS.stated) == {"panelist", "in_room", "remote_high_level", "budget",
                                 "priority"}
    assert FACTS.stated["remote_high_level"].text.startswith("Priority will be given")
    assert FACTS.stated["budget"].text.startswith("Online intervention")


def test_a_limit_only_the_configuration_sets_is_labelled_and_gets_no_quotation():
    answer = ask("How long may other remote participants speak?")
    assert answer.paragraphs[0] == (
        "Other remote participants: up to 5 minutes each. " + ORGANISERS)
    assert answer.quotes == () and answer.sources == ()


def test_a_different_number_in_the_documents_does_not_state_the_configured_one():
    facts = find_rule_facts(FloorRules(minutes={"panelist": 8, "in_room": 10,
                                                "remote_high_level": 7, "remote": 5}),
                            [Passage(TEXT, FORMAT)])
    assert "panelist" not in facts.stated
    answer = rules_answer("How long can panelists speak?", "en", lambda s: s, facts)
    assert answer.paragraphs[0].endswith(ORGANISERS) and answer.quotes == ()


def test_a_role_without_a_configured_limit_abstains_and_lists_the_limits_set():
    answer = ask("How much time will the moderator have for the opening?")
    assert answer.abstained and answer.reason is AbstainReason.NO_RULE
    assert answer.reason_detail == "moderator"
    assert "No speaking time is set for the moderator" in answer.paragraphs[0]
    assert "up to 10 minutes" in answer.paragraphs[0]
    assert not ask("How long do panelists get, and the chair?").abstained


def test_comparisons_queues_and_negations_reach_the_right_rules():
    assert focus_of("Is coming to Geneva better than joining by video?")[:2] == [
        "remote", "in_room"]
    assert focus_of("Will our minister online be last in the queue?")[0] == "priority"
    assert focus_of("Will our minister online be last in the queue?")[1] == (
        "remote_high_level")
    assert focus_of("Je ne suis pas de haut niveau et je parle à distance")[0] == "remote"
    assert focus_of("sin ser de alto nivel, ¿cuántos minutos tengo en línea?")[0] == "remote"


@pytest.mark.parametrize(("language", "value", "expected"), [
    ("en", 10, "10 minutes"), ("en", 4.5, "4.5 minutes"), ("en", 1, "1 minute"),
    ("fr", 4.5, "4,5 minutes"), ("es", 7, "7 minutos"),
    ("ru", 1, "1 минута"), ("ru", 4.5, "4,5 минуты"), ("ru", 10, "10 минут"),
    ("ru", 3, "3 минуты"),
    ("ar", 7, "7 دقائق"), ("ar", 30, "30 دقيقة"), ("zh", 10, "10分钟"),
])
def test_minutes_take_the_form_their_number_needs_in_each_language(language, value, expected):
    assert minutes_text(value, language) == expected


@pytest.mark.parametrize(("language", "expected"), [
    ("ru", "7 минут"), ("zh", "7分钟"), ("ar", "7 دقائق"), ("fr", "7 minutes"),
])
def test_rules_answers_write_the_minutes_in_the_users_language(language, expected):
    messages: dict[str, str] = {}
    for path in (Path(__file__).parents[2] / "bot" / "locales" / language).glob("*.po"):
        with path.open("rb") as handle:
            messages.update({m.id: m.string for m in read_po(handle, locale=language)
                             if isinstance(m.id, str) and m.string})
    answer = rules_answer("How long can a high-level participant speak by video link?",
                          language, lambda s: messages.get(s) or s, FACTS)
    assert expected in answer.paragraphs[0] and "{" not in answer.paragraphs[0]
    assert answer.paragraphs[0] != ask("How long can a high-level participant speak by "
                                       "video link?").paragraphs[0]
