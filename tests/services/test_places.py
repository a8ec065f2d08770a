import pytest

from bot.services.places import PlaceIndex


@pytest.fixture(scope="module")
def places() -> PlaceIndex:
    return PlaceIndex.build({"Geneva": "Europe/Zurich"})


@pytest.mark.parametrize(("question", "zone"), [
    ("What time is it in New York?", "America/New_York"),
    ("Quelle heure sera-t-il à New York ?", "America/New_York"),
    ("¿Qué hora es en Nueva York?", "America/New_York"),
    ("¿A qué hora es el panel en Ciudad de México?", "America/Mexico_City"),
    ("What time is the panel in Tokyo?", "Asia/Tokyo"),
    ("À quelle heure à Londres ?", "Europe/London"),
    ("panel time in nairobi?", "Africa/Nairobi"),
    ("What time is the panel New York time?", "America/New_York"),
    ("Is it late in Calcutta?", "Asia/Kolkata"),
    ("What time in Geneva?", "Europe/Zurich"),
    ("Toronto start time?", "America/Toronto"),  # a capitalised name first in the question
    ("Will our team in San Francisco be up early?", "America/Los_Angeles"),  # GeoNames
    ("Is it evening in Mumbai?", "Asia/Kolkata"),
    ("Our Eastern desk sits in Lima. Is it morning there?", "America/Lima"),
])
def test_cities_are_found_in_three_languages(places, question, zone):
    match = places.find(question)
    assert match is not None and match.zones == (zone,)


def test_countries_map_to_their_zones(places):
    india = places.find("What time will it be in India?")
    assert india is not None and india.is_country and india.zones == ("Asia/Kolkata",)
    usa = places.find("Quelle heure aux États-Unis ?")
    assert usa is not None and usa.name == "États-Unis"
    assert "America/New_York" in usa.zones and "America/Los_Angeles" in usa.zones
    assert places.find("What time is the panel in the US?") is not None


@pytest.mark.parametrize("question", [
    "À quelle heure commence la réunion ?",  # "la Réunion" is also an island
    "¿A qué hora es la reunión?",
    "Is it in the morning?",
    "What happens midway through the panel?",
    "When is the panel?",
    "When is the panel?",
    "Where is the mesa redonda?",  # a GeoNames city that is an ordinary word
    "What does the note say?",
])
def test_ordinary_words_are_not_places(places, question):
    assert places.find(question) is None


@pytest.mark.parametrize(("question", "zone", "name"), [
    ("Пекин: во сколько начало?", "Asia/Shanghai", "Пекин"),
    ("我在北京，会议几点开始？", "Asia/Shanghai", "北京"),
    ("كم الساعة في بكين؟", "Asia/Shanghai", "بكين"),
    ("Который час будет в Токио?", "Asia/Tokyo", "Токио"),
    ("东京几点开始？", "Asia/Tokyo", "东京"),
    ("متى تبدأ الجلسة في طوكيو؟", "Asia/Tokyo", "طوكيو"),
    ("Во сколько это в Нью-Йорке?", "America/New_York", "Нью-Йорк"),
    ("纽约时间是几点？", "America/New_York", "纽约"),
    ("ما الموعد بتوقيت نيويورك؟", "America/New_York", "نيويورك"),
    ("Министр прилетит в Женеву", "Europe/Zurich", "Женева"),
    ("会议在日内瓦几点开始？", "Europe/Zurich", "日内瓦"),
    ("سأكون في القاعة بجنيف", "Europe/Zurich", "جنيف"),
    ("سأكون بـجنيف", "Europe/Zurich", "جنيف"),
    ("Во сколько начало по Москве?", "Europe/Moscow", "Москва"),
    ("Я во Владивостоке — это будет ночью?", "Asia/Vladivostok", "Владивосток"),
    ("Время для Токио?", "Asia/Tokyo", "Токио"),
    ("كم الساعة بالرياض؟", "Asia/Riyadh", "الرياض"),
    ("我们在曼谷，直播是晚上几点？", "Asia/Bangkok", "曼谷"),
    ("温哥华的同事得几点起来？", "America/Vancouver", "温哥华"),
    ("Quelle heure à Genève ?", "Europe/Zurich", "Genève"),  # the venue's names, GeoNames
    ("¿Qué hora es en Ginebra?", "Europe/Zurich", "Ginebra"),
])
def test_cities_are_found_in_arabic_chinese_and_russian_and_named_as_the_nominative(
        places, question, zone, name):
    match = places.find(question)
    assert match is not None and match.zones == (zone,) and match.name == name


def test_countries_are_found_in_arabic_chinese_and_russian(places):
    for question in ("Который час в Японии?", "日本几点？", "كم الساعة في اليابان؟"):
        match = places.find(question)
        assert match is not None and match.is_country and match.zones == ("Asia/Tokyo",)


def test_chinese_names_are_listed_without_spaces(places):
    assert {"北京", "日内瓦", "пекин", "جنيف"} <= places.names()


@pytest.mark.parametrize("question", [
    "Во сколько начало?",
    "Когда начнётся сессия в зале?",
    "Можно ли выступить в среду в марте?",
    "Что сказано в записке о данных?",
    "Мир меняется быстро, что скажет группа?",
    "По местному времени это утро?",
    "Для участников онлайн есть ограничение?",
    "متى تبدأ الجلسة؟",
    "كم دقيقة لكل متحدث في القاعة؟",
    "سأتابع من المدينة",  # Medina is also "the city"
    "يتصل زميلي من العاصمة",
    "في الصباح أم في المساء؟",
    "هل يمكنني المشاركة عن بعد؟",
    "会议几点开始？",
    "在会议室现场发言和线上发言，时间限制一样吗？",
    "这个会在哪个城市开？",
    "新城区的代表几点到？",  # "新城" is a GeoNames town, and "new town"
    "在城中开会吗？",
    "会议是哪天？星期几？",
])
def test_ordinary_arabic_chinese_and_russian_words_are_not_places(places, question):
    assert places.find(question) is None
