"""Units and names derived from a chunk at index time."""

from bot.domain.derived import chunk_sentences, names_of, sentences_of, units_of

TEXT = ("Digital development has revealed new challenges, seeking to redress inequalities of "
        "poverty and gender, tackle cybersecurity threats, including cybercrime. "
        "The United Nations Commission on Science and Technology for Development (CSTD) met.")


def test_units_are_the_sentences_then_their_clauses_each_pointing_at_its_sentence():
    units = units_of(TEXT)
    sentences = chunk_sentences(TEXT)
    assert [u.text for u in units[:len(sentences)]] == sentences
    clause = next(u for u in units if u.text == "seeking to redress inequalities of poverty and "
                  "gender")
    assert clause.sentence == 0
    assert all(len(u.text.split()) >= 4 for u in units[len(sentences):])
    assert sentences_of(TEXT) == [u.text for u in units]


def test_a_clock_time_is_not_cut_into_clauses():
    assert "Wednesday 29 March 2023, 15" not in sentences_of("Wednesday 29 March 2023, "
                                                              "15:00-17:30 in the main room.")


def test_names_hold_phrases_their_capitalised_runs_acronyms_and_symbols_but_no_opening_word():
    names = names_of(TEXT + " Report A/78/62 is listed. Resolution 2022/15 is listed.")
    assert "United Nations Commission on Science and Technology for Development" in names
    assert "United Nations Commission" in names
    assert "CSTD" in names and "A/78/62" in names and "2022/15" in names
    assert "Digital" not in names and "The" not in names


def test_front_matter_is_not_quoted():
    assert chunk_sentences("---\ntitle: x\n---\nOne sentence here.") == ["One sentence here."]
