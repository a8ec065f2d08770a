from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.agenda import AgendaItem
from bot.domain.answer import Source
from bot.domain.question_kind import QuestionKind, classify
from bot.services.places import PlaceIndex
from bot.services.schedule_answer import (
    Passage,
    ScheduleFacts,
    duration_text,
    find_schedule_facts,
    routing_words,
    schedule_answer,
    utc_offset,
    venue_city,
)

GENEVA = ZoneInfo("Europe/Zurich")
NOTE = Source("Concept note")
HEADER = "Wednesday 29th March 2023, 15:00-17:30 (Geneva time)"
MORNING = "For this purpose, a High-level Panel will be held on the morning of 29th March 2023."
PLACES = PlaceIndex.build({"Geneva": "Europe/Zurich"})


def facts(day: int = 29) -> ScheduleFacts:
    item = AgendaItem("panel", "High-level Panel", datetime(2023, 3, day, 15, 0, tzinfo=GENEVA),
                      datetime(2023, 3, day, 17, 30, tzinfo=GENEVA))
    passages = [Passage(f"{HEADER}\nGeneva and Online", NOTE),
                Passage(f"In accordance with the mandate. {MORNING}", Source("Concept note",
                                                                             section="Background"))]
    return find_schedule_facts("CSTD", [item], GENEVA, "Geneva time", passages)


def ask(question: str, language: str = "en", user_tz: str | None = None, day: int = 29) -> str:
    answer = schedule_answer(question, language, lambda s: s, facts(day), PLACES.find(question),
                             user_tz)
    return "\n".join(answer.paragraphs)


def test_geneva_time_and_its_offset_after_the_switch_to_summer_time():
    text = ask("When is the panel?")
    assert "15:00–17:30 Geneva time (UTC+2)" in text
    assert "Wednesday, March 29, 2023" in text


def test_new_york_is_six_hours_behind_on_29_march_2023():
    assert "New York: 09:00–11:30 (UTC-4)" in ask("What time is it in New York?")


def test_a_week_earlier_new_york_was_only_five_hours_behind():
    # The US moved its clocks on 12 March, Switzerland on 26 March.
    text = ask("What time is it in New York?", day=22)
    assert "Geneva time (UTC+1)" in text
    assert "New York: 10:00–12:30 (UTC-4)" in text


def test_london_is_on_summer_time_and_tokyo_shows_the_next_day():
    assert "London: 14:00–16:30 (UTC+1)" in ask("What time is the session in London?")
    tokyo = ask("What time is the panel in Tokyo?")
    assert "22:00" in tokyo and "Thursday, March 30, 2023 00:30" in tokyo


def test_sydney_is_still_on_daylight_saving_and_the_whole_panel_is_the_next_day():
    assert "Thursday, March 30, 2023 00:00 – Thursday, March 30, 2023 02:30 (UTC+11)" in ask(
        "What time is the panel in Sydney?")


def test_the_users_own_zone_is_used_when_no_place_is_named():
    assert "10:00–12:30 (UTC-3)" in ask("When is the panel?", user_tz="America/Sao_Paulo")


def test_a_named_place_wins_over_the_users_zone():
    text = ask("What time is it in Tokyo?", user_tz="America/Sao_Paulo")
    assert "Tokyo" in text and "UTC-3" not in text


def test_a_country_with_several_zones_lists_one_line_per_offset():
    text = ask("What time is the panel in the United States?")
    assert "several time zones" in text
    assert "09:00–11:30 (UTC-4)" in text and "08:00–10:30 (UTC-5)" in text


def test_french_and_spanish_dates_are_localised():
    assert "mercredi 29 mars 2023" in ask("Quand a lieu le panel ?", "fr")
    assert "miércoles, 29 de marzo de 2023" in ask("¿Cuándo es el panel?", "es")


def test_asking_about_the_morning_points_out_the_discrepancy_and_cites_both():
    answer = schedule_answer("Is the panel in the morning?", "en", lambda s: s, facts(), None,
                             None)
    text = "\n".join(answer.paragraphs)
    assert "In Geneva, that is in the afternoon." in text
    assert "the documents disagree" in text
    assert answer.quotes == (HEADER, MORNING)
    assert [s.section for s in answer.sources] == [None, "Background"]
    assert answer.sources[1].snippet == MORNING


def test_without_a_morning_question_only_the_time_is_cited():
    answer = schedule_answer("When is the panel?", "en", lambda s: s, facts(), None, None)
    assert answer.quotes == (HEADER,)


def test_offsets_are_written_with_minutes_when_needed():
    assert utc_offset(datetime(2023, 3, 29, 15, tzinfo=ZoneInfo("Asia/Kolkata"))) == "UTC+5:30"
    assert utc_offset(datetime(2023, 3, 29, 15, tzinfo=ZoneInfo("UTC"))) == "UTC+0"


def test_asking_for_geneva_itself_gives_one_line():
    text = ask("What time is the panel in Geneva?")
    assert text.count("15:00–17:30") == 1
    assert ask("When is the panel?", user_tz="Europe/Zurich").count("15:00–17:30") == 1


FRENCH = {"{hours} h {minutes} min": "{hours} h {minutes}"}


def test_a_duration_question_leads_with_the_duration_then_start_and_end():
    first = ask("How long does the panel last?").split("\n")[0]
    assert first == "High-level Panel lasts 2 h 30 min: from 15:00 to 17:30 Geneva time."
    assert "It lasts 2 h 30 min." in ask("When is the panel?")


def test_durations_are_written_the_way_the_language_writes_them():
    assert duration_text(150, lambda s: s) == "2 h 30 min"
    assert duration_text(150, lambda s: FRENCH.get(s, s)) == "2 h 30"
    assert duration_text(120, lambda s: s) == "2 h" and duration_text(45, lambda s: s) == "45 min"


def test_the_halfway_point_is_given_in_geneva_and_in_the_place_asked_about():
    first = ask("When is the halfway point in Tokyo?").split("\n")[0]
    assert first.startswith("Halfway point: 16:15 Geneva time")
    assert "In Tokyo: 23:15." in first


def test_a_clock_time_in_a_place_is_compared_with_the_panel_there_and_answered_yes_or_no():
    first = ask("Will it be finished by 5 pm in London?").split("\n")[0]
    assert first == "Yes. By 17:00 (London) the panel is over: it runs 14:00–16:30 there."
    assert ask("Is it still on at 17:15 Geneva time?").startswith("Yes. At 17:15 (Geneva)")
    assert ask("Do I have to leave early for a 14:00 call in Geneva?").startswith("No.")
    assert ask("Can I hold a meeting at 10:00 without clashing with the panel?").startswith(
        "Yes. At 10:00 (Geneva time) the panel has not started")


def test_a_clock_time_without_a_clear_yes_or_no_gets_the_fact_alone():
    assert ask("What about 16:00?").startswith("At 16:00 (Geneva time) the panel is under way")


def test_the_middle_of_the_night_is_named_as_night():
    assert "In Honolulu, that is at night." in ask(
        "Our office is in Honolulu: would they be up in the middle of the night?")


def test_routing_words_come_from_the_titles_the_stop_words_and_the_place_names():
    item = facts().agenda[0]
    words = routing_words("CSTD 26 - Panel on WSIS progress", [item], PLACES.names())
    assert {"cstd", "wsis", "progress", "2023"} <= words.own and "on" not in words.own
    assert "honolulu" in words.places and "the" in words.stop
    assert classify("When does the WSIS panel start in Honolulu?", words) is QuestionKind.SCHEDULE
    assert classify("When is the Internet Governance Forum?", words) is QuestionKind.CONTENT
    assert classify("When and where were the original summits held?", words) is (
        QuestionKind.CONTENT)


def catalog(language: str):
    """The language's own catalogs, read as bot.i18n reads them (any language with files)."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    messages: dict[str, str] = {}
    for path in sorted((Path(__file__).parents[2] / "bot" / "locales" / language).glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=language):
                if message.id and isinstance(message.id, str) and message.string:
                    messages[message.id] = str(message.string)
    return lambda s: messages.get(s) or s


@pytest.mark.parametrize(("question", "language", "name"), [
    ("Во сколько начало в Пекине?", "ru", "Пекин"),
    ("会议在北京是几点？", "zh", "北京"),
    ("كم الساعة في بكين عند بدء الجلسة؟", "ar", "بكين"),
])
def test_a_city_named_in_arabic_chinese_or_russian_gets_its_local_time(question, language,
                                                                         name):
    answer = schedule_answer(question, language, catalog(language), facts(),
                             PLACES.find(question), None)
    # Punctuation is the language's own ("北京：21:00–23:30（UTC+8）。").
    assert any(p.startswith(name) and "21:00–23:30" in p and "UTC+8" in p
               for p in answer.paragraphs)


@pytest.mark.parametrize(("language", "date"), [
    ("ru", "среда, 29 марта 2023\u202fг."), ("zh", "2023年3月29日星期三"),
    ("ar", "الأربعاء، 29 مارس 2023"),
])
def test_the_date_line_is_written_the_way_the_language_writes_dates(language, date):
    answer = schedule_answer("?", language, catalog(language), facts(), None, None)
    assert date in answer.paragraphs[0] and "15:00–17:30" in answer.paragraphs[0]
    assert "UTC+2" in answer.paragraphs[0]


@pytest.mark.parametrize(("language", "minutes", "expected"), [
    ("ru", 150, "2 ч 30 мин"), ("zh", 150, "2小时30分钟"), ("ar", 150, "ساعتان و30 دقيقة"),
    ("ru", 45, "45 мин"), ("zh", 120, "2小时"), ("ar", 60, "ساعة"),
    ("en", 150, "2 h 30 min"),
])
def test_durations_in_arabic_chinese_and_russian_come_from_cldr_units(language, minutes,
                                                                      expected):
    assert duration_text(minutes, catalog(language), language) == expected


def test_french_durations_still_come_from_the_catalog():
    assert duration_text(150, catalog("fr"), "fr") == "2 h 30"


@pytest.mark.parametrize(("language", "city"), [
    ("fr", "Genève"), ("es", "Ginebra"), ("ru", "Женева"), ("zh", "日内瓦"), ("ar", "جنيف"),
])
def test_the_venue_city_in_the_part_of_day_line_is_translated(language, city):
    assert venue_city("Geneva time", catalog(language)) == city
    answer = schedule_answer("Is the panel in the morning?", language, catalog(language),
                             facts(), None, None)
    assert any(city in p for p in answer.paragraphs[1:])


def test_an_unknown_venue_label_is_used_as_it_is():
    assert venue_city("Nairobi time", catalog("ru")) == "Nairobi"
