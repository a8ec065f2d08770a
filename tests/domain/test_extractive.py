from bot.domain.extractive import Candidate, clean_text, fold, select_sentences, split_sentences


def test_markdown_is_cleaned_into_plain_text():
    text = ("**Wednesday 29<sup>th</sup> March 2023**\n\n## Objectives\n\n- available at: "
            "[https://unctad.org/a78d62\\_en.pdf](https://unctad.org/a78d62_en.pdf)\n"
            "- site: <https://unctad.org/meeting>")
    cleaned = clean_text(text)
    assert "Wednesday 29th March 2023" in cleaned
    assert "https://unctad.org/a78d62_en.pdf" in cleaned
    assert "\\_" not in cleaned and "**" not in cleaned and "<sup>" not in cleaned
    assert "site: https://unctad.org/meeting" in cleaned
    assert clean_text(cleaned) == cleaned


def test_sentences_split_at_full_stops_but_not_at_abbreviations_or_links():
    text = ("Panelists speak first, e.g. Mr. Smith will open. Then the floor opens! "
            "See https://unctad.org/a.pdf for details.\nGeneva and Online")
    assert split_sentences(text) == [
        "Panelists speak first, e.g. Mr. Smith will open.",
        "Then the floor opens!",
        "See https://unctad.org/a.pdf for details.",
        "Geneva and Online",
    ]


def test_selection_keeps_the_best_within_budget_in_reading_order():
    candidates = [
        Candidate("A" * 300, 0.9, 1, 0),
        Candidate("B" * 200, 0.8, 0, 3),
        Candidate("C" * 200, 0.85, 0, 1),
        Candidate("D short", 0.1, 0, 0),
    ]
    chosen = select_sentences(candidates, budget=600, max_sentences=3, min_ratio=0.5)
    assert [c.text[0] for c in chosen] == ["C", "A"]
    assert sum(len(c.text) for c in chosen) <= 600


def test_a_single_long_best_sentence_is_cut_to_the_budget():
    chosen = select_sentences([Candidate("word " * 300, 1.0, 0, 0)], budget=100)
    assert len(chosen) == 1
    assert len(chosen[0].text) <= 100
    assert chosen[0].text.endswith("…")


def test_duplicate_sentences_are_quoted_once():
    chosen = select_sentences([Candidate("Same.", 1.0, 0, 0), Candidate("same.", 0.99, 1, 0)])
    assert len(chosen) == 1
    assert select_sentences([]) == []


def test_fold_ignores_case_and_accents():
    assert fold("Réunion À Genève") == "reunion a geneve"


def test_a_link_written_twice_is_kept_once():
    text = "available at: https://unctad.org/a78d62\\en.pdf (https://unctad.org/a78d62_en.pdf)"
    assert clean_text(text) == "available at: https://unctad.org/a78d62_en.pdf"


def test_a_line_broken_inside_a_sentence_joins_the_next_but_headings_and_items_stay_apart():
    text = ("High-level Panel on\nProgress made in the implementation of\nthe outcomes of the "
            "Summit\n\nObjectives\n\nThe Panel aims to identify emerging opportunities, and\n"
            "challenges faced by the information society.\nWhat are the risks?\nWhat can be "
            "done?")
    assert split_sentences(text) == [
        "High-level Panel on Progress made in the implementation of the outcomes of the Summit",
        "Objectives",
        "The Panel aims to identify emerging opportunities, and challenges faced by the "
        "information society.",
        "What are the risks?", "What can be done?"]
