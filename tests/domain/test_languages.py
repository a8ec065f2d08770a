import re
from pathlib import Path

import pytest
from babel import Locale

import bot.domain.languages as languages_package
from bot.domain.languages import LANGUAGES, fold
from bot.domain.languages.data import missing_fields
from bot.domain.question_cues import cue_pattern, wrap

CODES = sorted(LANGUAGES)


@pytest.mark.parametrize("code", CODES)
def test_every_language_module_fills_every_field(code):
    assert missing_fields(LANGUAGES[code]) == []


def test_every_language_module_in_the_package_is_registered():
    folder = Path(languages_package.__file__).parent
    modules = {p.stem for p in folder.glob("*.py")} - {"__init__", "data"}
    assert modules == set(LANGUAGES)
    assert all(LANGUAGES[code].code == code for code in LANGUAGES)


@pytest.mark.parametrize("code", CODES)
def test_month_and_day_names_are_those_of_cldr(code):
    """Schedule words hold the CLDR month and weekday names (either grammatical form)."""
    locale = Locale.parse(code)
    known = LANGUAGES[code].time_words
    for width_context in ("months", "days"):
        names = getattr(locale, width_context)
        fmt, alone = names["format"]["wide"], names["stand-alone"]["wide"]
        for key in fmt:
            forms = {fold(fmt[key]), fold(alone[key])}
            assert forms & known, f"{code}: none of {forms} in time_words"


@pytest.mark.parametrize("code", CODES)
def test_ordinals_count_from_one_to_eight(code):
    assert {n for _word, n in LANGUAGES[code].ordinals} == set(range(1, 9))


@pytest.mark.parametrize("field", ["schedule", "duration", "rules_strong", "says", "meal", "find"])
def test_every_field_builds_one_pattern_over_all_languages(field):
    pattern = cue_pattern(field)
    for language in LANGUAGES.values():
        assert wrap(language, getattr(language, field)) in pattern.pattern


def test_words_match_whole_words_but_chinese_anywhere():
    en, zh = LANGUAGES["en"], LANGUAGES["zh"]
    assert re.search(wrap(en, ("start",)), "when does it start") is not None
    assert re.search(wrap(en, ("start",)), "restarted") is None
    assert re.search(wrap(zh, ("开始",)), "会议什么时候开始") is not None


def test_arabic_words_match_with_their_glued_article_and_prefixes():
    ar = LANGUAGES["ar"]
    pattern = re.compile(wrap(ar, (fold("جلسة"),)))
    for text in ("الجلسة", "والجلسة", "بالجلسة", "للجلسة", "جلستنا"):
        assert pattern.search(fold(text)) is not None, text
    assert pattern.search(fold("مجلسة")) is None
