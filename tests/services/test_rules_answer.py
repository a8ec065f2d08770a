from bot.domain.answer import Source
from bot.domain.floor_rules import FloorRules
from bot.services.rules_answer import find_rule_facts, focus_of, rules_answer
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
