"""Left-to-right runs in right-to-left Telegram HTML are isolated, and nothing else changes."""

from __future__ import annotations

import html
import re

import pytest

from bot.domain.bidi import LRI, PDI, isolate_ltr


def shown(text: str) -> str:
    """Isolates as [ ] so expectations are readable."""
    return text.replace(LRI, "[").replace(PDI, "]")


def without_isolates(text: str) -> str:
    return text.replace(LRI, "").replace(PDI, "")


@pytest.mark.parametrize(("text", "expected"), [
    ("تبدأ الجلسة 15:00–17:30 بتوقيت جنيف.", "تبدأ الجلسة [15:00–17:30] بتوقيت جنيف."),
    ("الكلمة الآن لـAna Silva (Brazil).", "الكلمة الآن لـ[Ana Silva (Brazil)]."),
    ("الموقع: https://unctad.org/meetings/cstd-2026/ للمزيد.",
     "الموقع: [https://unctad.org/meetings/cstd-2026/] للمزيد."),
    ("أرسل /agenda أو /speak@PanelBot الآن", "أرسل [/agenda] أو [/speak@PanelBot] الآن"),
    ("راسل @cstd_secretariat", "راسل [@cstd_secretariat]"),
    ("التاريخ 2026-04-14 والنسبة 50% والرسالة #12",
     "التاريخ [2026-04-14] والنسبة [50%] والرسالة [#12]"),
    ("Ana، Bob، Carl", "[Ana]، [Bob]، [Carl]"),
    ("(15:00–17:30) ث", "([15:00–17:30]) ث"),
    ("إضافة (ملف .ics)", "إضافة (ملف [.ics])"),
])
def test_left_to_right_runs_are_wrapped_in_isolates(text: str, expected: str) -> None:
    assert shown(isolate_ltr(text)) == expected


def test_a_time_range_stays_in_its_order() -> None:
    out = isolate_ltr("من 15:00–17:30 (UTC+1)")
    assert shown(out) == "من [15:00–17:30 (UTC+1)]"


def test_a_link_tag_and_its_attributes_are_never_touched() -> None:
    text = '<a href="https://unctad.org/x?a=1&amp;b=2">الموقع الرسمي</a> أو <b>CSTD</b>'
    out = isolate_ltr(text)
    assert shown(out) == text.replace("CSTD", "[CSTD]")


def test_a_link_label_in_latin_is_isolated_inside_the_tag() -> None:
    out = isolate_ltr('اقرأ <a href="https://example.org/a">UNCTAD report</a> هنا')
    assert shown(out) == 'اقرأ <a href="https://example.org/a">[UNCTAD report]</a> هنا'


def test_entity_references_are_kept_whole() -> None:
    out = isolate_ltr("قسم R&amp;D و&lt;role&gt; هنا")
    assert "&amp;" in out and "&lt;" in out and "&gt;" in out
    assert shown(out) == "قسم [R&amp;D] و&lt;[role]&gt; هنا"
    assert not re.search(r"&[^;\s]*[\u2066\u2069]", out)


def test_a_latin_name_across_a_bold_tag_is_one_run() -> None:
    # Two isolates would be ordered right to left: "Silva Ana".
    out = isolate_ltr("الكلمة لـ <b>Ana</b> Silva الآن")
    assert shown(out) == "الكلمة لـ <b>[Ana</b> Silva] الآن"


def test_isolates_never_go_inside_a_tag() -> None:
    text = '<a href="https://example.org/path?q=1">Link 15:00</a> <i>نص</i> <code>/cmd</code>'
    out = isolate_ltr(text)
    for tag in re.findall(r"<[^>]*>", out):
        assert LRI not in tag and PDI not in tag
    assert without_isolates(out) == text


def test_runs_end_at_line_breaks() -> None:
    out = isolate_ltr("السطر الأول Ana\nSilva السطر الثاني")
    assert shown(out) == "السطر الأول [Ana]\n[Silva] السطر الثاني"


def test_isolating_twice_changes_nothing() -> None:
    text = ('<b>الكلمة لـ Ana Silva</b>: 15:00–17:30، /speak، https://example.org/a?b=1&amp;c=2 '
            "و R&amp;D")
    once = isolate_ltr(text)
    assert isolate_ltr(once) == once
    assert without_isolates(once) == text


def test_arabic_only_text_is_unchanged() -> None:
    text = "أهلًا وسهلًا! أنا المساعد الخاص بالاجتماع."
    assert isolate_ltr(text) == text


def test_the_text_telegram_shows_is_unchanged_apart_from_the_isolates() -> None:
    text = '• يعرض الأمر /agenda الجدول: <a href="https://x.org/?a=1&amp;b=2">CSTD &amp; WSIS</a>'
    out = isolate_ltr(text)
    visible = html.unescape(re.sub(r"<[^>]*>", "", out))
    assert without_isolates(visible) == html.unescape(re.sub(r"<[^>]*>", "", text))
    assert visible.count(LRI) == visible.count(PDI) == 2
