"""How place names are written in Arabic, Chinese and Russian text, for `PlaceIndex`.

Chinese has no spaces: each Han character is a token of its own and a name is a run of them.
Arabic attaches prepositions and the article to the name ("بجنيف", "بالرياض"). Russian
declines names ("в Москве", "во Владивостоке"): a question word is compared with a known name
by dropping one case ending, and only against names the index holds.
"""

from __future__ import annotations

import re
import unicodedata

# Han characters are tokens of their own; every other run of letters and digits is one token.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN = re.compile(rf"[{_HAN}]|[^\W_{_HAN}]+")

# Attached Arabic prefixes, longest first: "و" and, "ف" so, "ب" in/at, "ل" for, "ك" as,
# "ال" the (with "لل" for "ل" + "ال").
_AR_PREFIXES = ("وبال", "وال", "بال", "فال", "كال", "لل", "ال", "وب", "ول", "فب", "فل", "و", "ف",
                "ب", "ل", "ك")
_AR_CUE_PREFIXES = ("ب", "ل", "وب", "ول", "فب", "فل", "بال", "وبال", "لل")
_AR_ARTICLE = "ال"
_MIN_STEM = 3
# Russian case endings, longest first (locative "Москве", genitive "Пекина", dative "Токио" is
# indeclinable, instrumental "Москвой", accusative "Женеву").
_RU_ENDINGS = ("ами", "ями", "ого", "его", "ому", "ему", "ой", "ей", "ом", "ем", "ою", "ею",
               "ам", "ям", "ах", "ях", "е", "у", "ю", "а", "я", "ы", "и", "о")
_RU_FINAL = "аяоеьйиы"
_MIN_RU_STEM = 4


def is_han(token: str) -> bool:
    """Whether a token is a Han character (written without spaces, no capitals)."""
    return len(token) == 1 and bool(re.match(rf"[{_HAN}]", token))


def script_of(text: str) -> str | None:
    """'zh', 'ar' or 'ru' when every letter of `text` is Han, Arabic or Cyrillic, else None."""
    names = [unicodedata.name(c, "") for c in text if c.isalpha()]
    if not names:
        return None
    for prefix, language in (("CJK", "zh"), ("ARABIC", "ar"), ("CYRILLIC", "ru")):
        if all(name.startswith(prefix) for name in names):
            return language
    return None


def normalise(token: str) -> str:
    """A folded token with Arabic spelling variants merged (tatweel, final yeh, taa marbuta)."""
    return token.replace("\u0640", "").replace("ى", "ي").replace("ة", "ه")


def caseless(token: str) -> bool:
    """Whether a token is written in a script without capitals (Arabic, Han)."""
    return any("\u0600" <= c <= "\u06ff" for c in token) or is_han(token)


def arabic_forms(token: str) -> list[tuple[str, bool]]:
    """The token without each attached prefix it may carry, with or without the article,
    paired with whether that prefix is a preposition that cues a place ("بجنيف" in Geneva)."""
    if not any("\u0600" <= c <= "\u06ff" for c in token):
        return []
    forms: list[tuple[str, bool]] = []
    for prefix in _AR_PREFIXES:
        rest = token[len(prefix):]
        if token.startswith(prefix) and len(rest) >= _MIN_STEM:
            cued = prefix in _AR_CUE_PREFIXES
            # "بالرياض" is "ب" + "الرياض": the name with its article first.
            had_article = prefix.endswith(_AR_ARTICLE) or prefix.endswith("لل")
            options = [_AR_ARTICLE + rest, rest] if had_article else [rest, _AR_ARTICLE + rest]
            forms.extend((form, cued) for form in options
                         if form == rest or not rest.startswith(_AR_ARTICLE))
    return forms


def russian_stem(name_word: str) -> str | None:
    """The stem a known Russian name word is declined from ("москва" -> "москв",
    "пекин" -> "пекин"); None when it is too short to compare safely."""
    if script_of(name_word) != "ru":
        return None
    stem = name_word[:-1] if name_word[-1] in _RU_FINAL else name_word
    return stem if len(stem) >= _MIN_RU_STEM else None


def russian_stems_of(word: str) -> list[str]:
    """The stems a Russian question word may be a case form of ("москве" -> "москв")."""
    if script_of(word) != "ru":
        return []
    return [word[:-len(ending)] for ending in _RU_ENDINGS
            if word.endswith(ending) and len(word) - len(ending) >= _MIN_RU_STEM]


def without_prefix(written: str, form: str) -> str:
    """An Arabic name as written without the prefix attached to it ("بالرياض" -> "الرياض",
    "للرياض" -> "الرياض", "بـجنيف" -> "جنيف"); `form` is the folded name matched."""
    for start in range(len(written)):
        rest = written[start:].lstrip("\u0640")
        folded = normalise(unicodedata.normalize("NFKD", rest))
        folded = "".join(c for c in folded if not unicodedata.combining(c))
        if folded == form:
            return rest
        if form.startswith(_AR_ARTICLE) and folded == form[len(_AR_ARTICLE):]:
            return _AR_ARTICLE + rest
    return written
