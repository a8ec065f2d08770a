"""The maintained language tools: lingua's identification, jieba's words, stopwordsiso."""

from __future__ import annotations

import threading

import pytest

from bot.services.language_tools import guess_language, stop_words_of, tokens


@pytest.mark.parametrize(("question", "language"), [
    ("When does the high-level panel start in Geneva?", "en"),
    ("À quelle heure commence la table ronde ?", "fr"),
    ("¿A qué hora empieza la mesa redonda?", "es"),
    ("متى تبدأ الجلسة الرفيعة المستوى؟", "ar"),
    ("高级别小组讨论什么时候开始？", "zh"),
    ("Когда начинается дискуссия высокого уровня?", "ru"),
])
def test_questions_are_identified_in_the_six_languages(question, language):
    assert guess_language(question) == language


@pytest.mark.parametrize("question", ["duration?", "", "   ", "2023"])
def test_short_or_ambiguous_latin_questions_have_no_language(question):
    assert guess_language(question) is None


def test_the_detector_is_built_once_for_many_threads():
    results: list[str | None] = []
    lock = threading.Lock()

    def ask() -> None:
        found = guess_language("Когда начинается заседание?")
        with lock:
            results.append(found)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results == ["ru"] * 8


def test_chinese_runs_are_cut_into_words_and_other_scripts_into_letter_runs():
    assert tokens("我们在曼谷，直播是晚上几点？") == ["我们", "在", "曼谷", "直播", "是", "晚上",
                                                 "几点"]
    assert tokens("WSIS+20 review, 2025") == ["WSIS", "20", "review", "2025"]


def test_stop_words_come_folded_for_every_language():
    assert "которыи" in stop_words_of("ru")  # folded: й -> и, as the questions' words are
    assert "的" in stop_words_of("zh")
    assert "في" in stop_words_of("ar")
    assert "и" in stop_words_of("ru")
