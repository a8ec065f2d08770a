from bot.domain.extractive import clean_text, fold, split_sentences


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


def test_chinese_sentences_end_at_full_width_marks_without_a_space():
    text = "会议在日内瓦举行。为期两个半小时！需要注册吗？请联系秘书处"
    assert split_sentences(text) == ["会议在日内瓦举行。", "为期两个半小时！", "需要注册吗？",
                                     "请联系秘书处"]


def test_arabic_and_russian_sentences_end_before_a_letter_of_their_script():
    assert split_sentences("تعقد الجلسة في جنيف. وتستمر ساعتين؟ نعم") == [
        "تعقد الجلسة في جنيف.", "وتستمر ساعتين؟", "نعم"]
    assert split_sentences("Заседание пройдет в Женеве. Оно продлится два часа.") == [
        "Заседание пройдет в Женеве.", "Оно продлится два часа."]


def test_a_lower_case_word_after_a_full_stop_still_does_not_start_a_sentence():
    text = "Это т. е. пример. see e.g. below"
    assert split_sentences(text) == [text]
