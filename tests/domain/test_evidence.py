import pytest

from bot.domain.evidence import Lexicon, Need, missing, needs_of, satisfied

LEXICON = Lexicon(languages=frozenset({"english", "french", "arabic"}),
                  places=frozenset({"geneva", "new york"}))


@pytest.mark.parametrize(("question", "need"), [
    ("Who are the panelists?", Need.PERSON),
    ("¿Quiénes son los panelistas?", Need.PERSON),
    ("Who is the moderator?", Need.PERSON),
    ("What is the link to join the panel online?", Need.JOIN_LINK),
    ("Quel est le lien Zoom pour participer ?", Need.JOIN_LINK),
    ("Where can I find the report?", Need.LINK),
    ("In which languages will interpretation be provided?", Need.LANGUAGE),
    ("Dans quelles langues l'interprétation sera-t-elle disponible ?", Need.LANGUAGE),
    ("What is the email address of the secretariat?", Need.EMAIL),
    ("Which room is the panel in?", Need.ROOM),
    ("How many people have registered?", Need.COUNT),
    ("When will the review take place?", Need.DATE),
    ("Where is the panel held?", Need.PLACE),
])
def test_questions_ask_for_kinds_of_information(question, need):
    assert need in needs_of(question).kinds


def test_open_questions_ask_for_nothing_in_particular():
    assert needs_of("What are the objectives of the panel?").kinds == frozenset()
    assert needs_of("Who introduces the report?").kinds == frozenset()  # not a person role


def test_evidence_must_hold_what_is_asked():
    assert not satisfied(Need.PERSON, "After an introduction by the CSTD secretariat, "
                         "panelists will make their presentations.", LEXICON)
    assert satisfied(Need.PERSON, "The panel is moderated by Ms. Jane Doe.", LEXICON)
    assert not satisfied(Need.JOIN_LINK, "Report available at: https://unctad.org/a.pdf",
                         LEXICON)
    assert satisfied(Need.JOIN_LINK, "Join the meeting on Zoom: https://zoom.us/j/1", LEXICON)
    assert satisfied(Need.LINK, "Report available at: https://unctad.org/a.pdf", LEXICON)
    assert not satisfied(Need.LANGUAGE, "Interpretation is subject to a 30-minute limit.",
                         LEXICON)
    assert satisfied(Need.LANGUAGE, "Interpretation into Arabic and French.", LEXICON)
    assert not satisfied(Need.LANGUAGE, "It is even more pertinent.", LEXICON)
    assert satisfied(Need.ROOM, "The panel meets in Room XVII.", LEXICON)
    assert not satisfied(Need.ROOM, "participants in the meeting room", LEXICON)
    assert satisfied(Need.DATE, "the review to be held in 2025", LEXICON)
    assert satisfied(Need.PLACE, "Geneva and Online", LEXICON)
    assert satisfied(Need.EMAIL, "Write to cstd@unctad.org.", LEXICON)


def test_a_count_must_be_next_to_the_counted_thing():
    needs = needs_of("How many panelists are there?")
    assert needs.counted == "panelists"
    assert missing(needs, "panelists will speak for maximum 10 minutes each", LEXICON)
    assert not missing(needs, "There will be 5 panelists.", LEXICON)


@pytest.mark.parametrize("question, need", [
    ("Will lunch be served to delegates?", Need.MEAL),
    ("Un déjeuner est-il prévu ?", Need.MEAL),
    ("¿Cuál es el código de vestimenta?", Need.DRESS),
    ("Any hotel you would recommend?", Need.LODGING),
    ("Do I need a Schengen visa?", Need.TRAVEL),
    ("What is the wifi password?", Need.NETWORK),
    ("Will it rain that day?", Need.WEATHER),
    ("Will the session be recorded?", Need.RECORDING),
    ("What is the deadline for statements?", Need.DATE),
])
def test_practical_questions_ask_for_their_kind_of_thing(question, need):
    assert need in needs_of(question).kinds


def test_a_named_language_asks_for_languages_when_the_lexicon_knows_it():
    lexicon = Lexicon(languages=frozenset({"portuguese"}))
    assert Need.LANGUAGE in needs_of("Can I speak Portuguese?", lexicon).kinds
    assert Need.LANGUAGE not in needs_of("Can I speak Portuguese?").kinds
    assert needs_of("Does the panel tie this to the SDGs?").kinds == frozenset()


def test_a_practical_kind_is_satisfied_only_by_evidence_of_that_kind():
    assert satisfied(Need.MEAL, "A lunch will be offered in the restaurant.", LEXICON)
    assert not satisfied(Need.MEAL, "Panelists will make their presentations.", LEXICON)


@pytest.mark.parametrize(("question", "need"), [
    ("هل هناك غداء للمشاركين؟", Need.MEAL),
    ("هل ستسجل الجلسة؟", Need.RECORDING),
    ("ما رابط الانضمام عبر زووم؟", Need.JOIN_LINK),
    ("会议提供午餐吗？", Need.MEAL),
    ("会议有录像吗？", Need.RECORDING),
    ("需要签证吗？", Need.TRAVEL),
    ("Будет ли обед для участников?", Need.MEAL),
    ("Будет ли видеозапись заседания?", Need.RECORDING),
    ("Где можно найти справочные материалы?", Need.LINK),
    ("Сколько стран участвует?", Need.COUNT),
])
def test_needs_of_questions_in_arabic_chinese_and_russian(question, need):
    assert need in needs_of(question).kinds


def test_a_russian_note_is_not_a_recording_and_chinese_counts_name_no_noun():
    assert needs_of("Что говорится в записке о данных?").kinds == frozenset()
    needs = needs_of("有多少个国家参加？")
    assert Need.COUNT in needs.kinds and needs.counted is None
