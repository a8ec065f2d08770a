"""What a question asks for (a name, a link, a language, a number...) and whether the
evidence holds it. Questions the documents cannot answer are about the panel too, so
retrieval scores alone cannot tell them apart; the kind of answer they need can.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from bot.domain.extractive import fold


class Need(StrEnum):
    """A kind of information the answer must contain."""

    PERSON = "person"
    JOIN_LINK = "join_link"
    LINK = "link"
    LANGUAGE = "language"
    EMAIL = "email"
    PHONE = "phone"
    ROOM = "room"
    COUNT = "count"
    DATE = "date"
    PLACE = "place"
    COUNTRY = "country"
    # Practical arrangements: asked for often, rarely in a concept note. The evidence must
    # speak of the same kind of thing (any of the words below, in any of the languages).
    MEAL = "meal"
    DRESS = "dress"
    LODGING = "lodging"
    TRAVEL = "travel"
    NETWORK = "network"
    WEATHER = "weather"
    RECORDING = "recording"


# Words of each practical kind, English, French and Spanish (folded), used on both sides: a
# question that uses one asks for that kind; evidence that uses one holds it.
_PRACTICAL: dict[Need, re.Pattern[str]] = {
    Need.MEAL: re.compile(r"(?<!\w)(?:lunch\w*|dinner\w*|breakfast|meals?|food|catering|"
                          r"coffee|snacks?|refreshments?|reception|buffet|dejeuner\w*|diner|"
                          r"repas|restauration|cafe|collation|almuerzo\w*|comida\w*|cena|"
                          r"desayuno|refrigerio|aperitivo)(?!\w)"),
    Need.DRESS: re.compile(r"(?<!\w)(?:dress code|dress\w*|attire|business suit|clothes|clothing|"
                           r"tenue|vetements?|costume|cravate|traje|ropa|vestimenta|"
                           r"etiqueta|corbata)(?!\w)"),
    Need.LODGING: re.compile(r"(?<!\w)(?:hotels?|accommodation\w*|lodging|hebergement|"
                             r"hoteles|alojamiento|hospedaje)(?!\w)"),
    Need.TRAVEL: re.compile(r"(?<!\w)(?:visas?|schengen|parking|car park|shuttle|taxi|airport|"
                            r"bus|tram|flights?|stationnement|navette|aeroport|"
                            r"estacionamiento|aparcamiento|aeropuerto|vuelos?|invitation letter|"
                            r"lettre d'invitation|carta de invitacion)(?!\w)"),
    Need.NETWORK: re.compile(r"(?<!\w)(?:wi-?fi|internet access|wireless|password|"
                             r"mot de passe|contrasena|red inalambrica)(?!\w)"),
    Need.WEATHER: re.compile(r"(?<!\w)(?:weather|snow\w*|rain\w*|temperature\w*|forecast|"
                             r"meteo|neige\w*|pluie|froid|clima|nieve|lluvia|"
                             r"frio)(?!\w)"),
    Need.RECORDING: re.compile(r"(?<!\w)(?:record\w*|replay|webcast\w*|web ?tv|"
                               r"on demand|enregistr\w*|rediffusion|grabaci\w*|"
                               r"grabad\w*|retransmision\w*)(?!\w)"),
}


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])")


# Cues are matched on the folded question (lower case, no accents), in English, French, Spanish.
_WHO = _words("who", "whom", "qui", "quien", "quienes", "any", "announced", "confirmed",
               "named", "designated", "annonce\\w*", "nomme\\w*", "anunciad\\w*",
               "designad\\w*", "alguno?s?", "un ministre", "des ministres")
_NAME = _words("names?", "noms?", "nombres?", "called", "s'appelle", "se llama")
_ROLE = _words(r"panel+ists?", "panelistes?", "panelistas?", "moderat\\w*", "chair\\w*",
               "president\\w*", "speakers?", "orateurs?", "oradores?", "intervenants?",
               "ponentes?", "keynote", "hosts?", "facilitat\\w*", "rapporteur\\w*",
               "presenters?", "presentateurs?", "ministers?", "ministres?", "ministros?",
               "ambassadors?", "ambassadeurs?", "embajador\\w*", "delegates?")
_LINK = _words("links?", "urls?", "liens?", "enlaces?", "vinculos?", "websites?", "web ?site",
               "sites?", "sitios?", "pages?", "paginas?", "download", "telecharger",
               "descargar", "zoom", "webex", "teams", "interprefy", "kudo", "livestream",
               "webcast", "stream\\w*")
_JOIN = _words("join", "joining", "watch", "livestream", "webcast", "stream\\w*", "web ?tv",
               "connect\\w*", "log ?in", "access", "attend", "participate",
               "rejoindre", "connecter", "participer", "acceder", "unirme", "unirse",
               "conectar\\w*", "participar", "zoom", "webex", "teams", "interprefy", "kudo",
               "registr\\w*", "inscri\\w*")
_FIND = re.compile(r"(?:where (?:can|do) (?:i|we) (?:find|get|read|download)"
                   r"|(?:what|which) (?:should|must|do|can) (?:i|we) read"
                   r"|background (?:reading|documents?|material)|reading list"
                   r"|que (?:dois-je|devrais-je|faut-il) lire|documents? de (?:base|reference)"
                   r"|que (?:debo|deberia|tengo que) leer|documentos? de (?:base|referencia)"
                   r"|ou (?:puis-je|peut-on|trouver|se trouvent)|donde (?:puedo|se pueden|"
                   r"se encuentran?|encuentro|encontrar))")
_LANGUAGE = _words("languages?", "langues?", "idiomas?", "lenguas?", "interpreted into")
_EMAIL = _words("e-?mails?", "mail", "courriels?", "correo\\w*", "adresse electronique")
_PHONE = _words("phone", "telephone", "telefono", "call", "appeler", "llamar", "whatsapp")
_ROOM = _words("rooms?", "salles?", "salas?", "hall", "building", "batiment", "edificio")
_COUNT = re.compile(r"(?:how many|number of|combien d[e']|nombre d[e']|cuant[oa]s|numero de)"
                    r"\s*(?:of\s+|de\s+|d')?(?:the\s+|les\s+|los\s+|las\s+)?([\w-]+)?")
_WHEN = _words("when", "what year", "which year", "quand", "quelle annee", "en quelle annee",
               "cuando", "que ano", "en que ano", "date", "fecha", "deadlines?", "date limite",
               "fecha limite", "plazo", "due")
_COUNTRIES = _words("countries", "country", "member states", "pays", "paises", "pais",
                    "estados miembros", "etats membres", "nations")
_WHICH = _words("which", "what", "quels?", "quelles?", "que", "cuales?", "how many", "combien",
                "cuantos")
_WHERE = _words("where", "ou", "donde", "venue", "lieu", "lugar")

_HONORIFIC = re.compile(r"\b(?:Mr|Ms|Mrs|Miss|Dr|Prof|H\.\s?E|Excellency|Ambassador|Minister|"
                        r"Mme|Sr|Sra|Dra|Sir|Dame)\.?\s+[A-Z][a-zà-ÿ]+")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE_NUMBER = re.compile(r"\+?\d[\d ().-]{7,}\d")
_ROOM_NAME = re.compile(r"\b(?:Room|Salle|Sala|Hall|Building|Conference Room)\s+[A-Z0-9][\w-]*")
_JOIN_TEXT = re.compile(r"(?i)\b(join|connect|zoom|webex|teams|interprefy|kudo|register|"
                        r"registration|log in|meeting link|access the|webcast|livestream|"
                        r"stream(?:ed|ing)?|web ?tv|watch)\b")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_MONTH = re.compile(r"(?i)\b(january|february|march|april|may|june|july|august|september|"
                    r"october|november|december|monday|tuesday|wednesday|thursday|friday|"
                    r"saturday|sunday)\b")
_NUMBER = re.compile(r"(?i)\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                     r"twelve|twenty|thirty|forty|fifty|hundred|dozen)\b")
_REMOTE_PLACE = re.compile(r"(?i)\b(online|virtual(?:ly)?|remotely|hybrid)\b")
# "at the Pregny Gate", "in Geneva": a capitalised name after a preposition of place.
_PLACE_PHRASE = re.compile(r"\b(?:at|in|from|to|near|inside)\s+(?:the\s+)?[A-Z][\w-]+")


@dataclass(frozen=True)
class Lexicon:
    """Names the checks recognise (language and place names, folded), supplied by a service."""

    languages: frozenset[str] = field(default_factory=frozenset)
    places: frozenset[str] = field(default_factory=frozenset)
    countries: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Needs:
    """What a question asks for; `counted` is the noun after "how many", when there is one."""

    kinds: frozenset[Need]
    counted: str | None = None


def needs_of(question: str, lexicon: Lexicon | None = None) -> Needs:
    """The kinds of information a question asks for (empty for open questions). With a
    lexicon, a question that names a language ("Can I speak Portuguese?") asks for one."""
    q = fold(question)
    kinds: set[Need] = {need for need, pattern in _PRACTICAL.items() if pattern.search(q)}
    counted: str | None = None
    if (_WHO.search(q) or _NAME.search(q)) and _ROLE.search(q):
        kinds.add(Need.PERSON)
    if _LINK.search(q) and _JOIN.search(q):
        kinds.add(Need.JOIN_LINK)
    elif _LINK.search(q) or _FIND.search(q):
        kinds.add(Need.LINK)
    if _LANGUAGE.search(q) or (lexicon is not None and _tokens(question) & lexicon.languages):
        kinds.add(Need.LANGUAGE)
    if _EMAIL.search(q):
        kinds.add(Need.EMAIL)
    if _PHONE.search(q):
        kinds.add(Need.PHONE)
    if _ROOM.search(q) and not kinds & {Need.LINK, Need.JOIN_LINK}:
        kinds.add(Need.ROOM)
    count = _COUNT.search(q)
    if count:
        kinds.add(Need.COUNT)
        counted = count.group(1)
    if _COUNTRIES.search(q) and _WHICH.search(q):
        kinds.add(Need.COUNTRY)
    if _WHEN.search(q):
        kinds.add(Need.DATE)
    if _WHERE.search(q) and not kinds & {Need.LINK, Need.JOIN_LINK, Need.ROOM}:
        kinds.add(Need.PLACE)
    return Needs(frozenset(kinds), counted)


def satisfied(need: Need, evidence: str, lexicon: Lexicon, counted: str | None = None) -> bool:
    """True when the evidence text holds the kind of information `need` asks for."""
    if need is Need.PERSON:
        return bool(_HONORIFIC.search(evidence))
    if need is Need.JOIN_LINK:
        return any(_URL.search(s) and _JOIN_TEXT.search(s) for s in _lines(evidence))
    if need is Need.LINK:
        return bool(_URL.search(evidence))
    if need is Need.LANGUAGE:
        return bool(_tokens(evidence) & lexicon.languages)
    if need is Need.EMAIL:
        return bool(_EMAIL_ADDRESS.search(evidence))
    if need is Need.PHONE:
        return bool(_PHONE_NUMBER.search(evidence))
    if need is Need.ROOM:
        return bool(_ROOM_NAME.search(evidence))
    if need is Need.COUNT:
        return _has_count(evidence, counted)
    if need is Need.DATE:
        return bool(_YEAR.search(evidence) or _MONTH.search(evidence))
    if need is Need.COUNTRY:
        return bool(_tokens(evidence) & lexicon.countries)
    if need is Need.PLACE:
        return bool(_REMOTE_PLACE.search(evidence) or _PLACE_PHRASE.search(evidence)
                    or _tokens(evidence) & lexicon.places)
    if need in _PRACTICAL:
        return bool(_PRACTICAL[need].search(fold(evidence)))
    raise ValueError(need)  # pragma: no cover


def missing(needs: Needs, evidence: str, lexicon: Lexicon) -> list[Need]:
    """The needs the evidence does not satisfy (empty when the answer can be given)."""
    return sorted((n for n in needs.kinds if not satisfied(n, evidence, lexicon, needs.counted)),
                  key=str)


def _lines(text: str) -> Iterable[str]:
    return [line for line in re.split(r"(?<=[.!?])\s+|\n", text) if line]


def _tokens(text: str) -> set[str]:
    words = re.findall(r"\w+", fold(text))
    pairs = {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}
    return set(words) | pairs


def _has_count(evidence: str, counted: str | None) -> bool:
    """A number (not a year) just before the counted noun, in the same sentence (the noun
    matched on a 5-letter stem, so "panélistes" finds "panelists")."""
    for sentence in _lines(evidence):
        words = re.findall(r"[\w-]+", fold(sentence))
        numbers = [i for i, w in enumerate(words)
                   if _NUMBER.fullmatch(w) and not _YEAR.fullmatch(w)]
        if not numbers:
            continue
        if not counted or len(counted) < 4:
            return True
        stem = counted[:5]
        if any(stem in w for i in numbers for w in words[i + 1:i + 4]):
            return True
    return False
