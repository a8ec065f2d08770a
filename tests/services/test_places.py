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
