"""Which language version of a document a file is, and which document it is a version of.

UN documents come in the six official languages, and operators name the versions the UN way:
a final suffix before the extension (`a78d62_en.pdf`, `note-FR.md`, `plan.es.txt`,
`report (fr).pdf`, `minutes_eng.pdf`, a locale such as `_zh-CN`), the language letter of UN
job numbers and symbols (`N2312345_F.pdf`: A Arabic, C Chinese, E English, F French,
R Russian, S Spanish) or a folder per language (`fr/report.pdf`). `parse_document_name` reads
the language and a language-neutral key, so `a78d62_en.pdf` and `a78d62_fr.pdf` are two
versions of the document `a78d62`. Only the very end of the name counts, so ordinary names
(`frontend.md`, `Annex_A.pdf`, `report_fr_v2.pdf`) carry no language.

`choose_version` is what an answerer needs: the version in the asker's language when there is
one, else the English one (and that it is a fallback). Pure and stdlib-only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
FALLBACK_LANGUAGE = "en"

# ISO 639-1 and 639-2 codes of the six languages (`chi` is left out: it is also a Greek letter).
_CODES = {
    "ar": "ar", "ara": "ar", "zh": "zh", "zho": "zh", "en": "en", "eng": "en",
    "fr": "fr", "fra": "fr", "fre": "fr", "ru": "ru", "rus": "ru", "es": "es", "spa": "es",
}
# The UN's language letters in job numbers and document file names.
_UN_LETTERS = {"A": "ar", "C": "zh", "E": "en", "F": "fr", "R": "ru", "S": "es"}
# Names of the six languages in English, French, Spanish and the language itself (folded:
# lower case, no accents), as front matter may spell them.
_NAMES = {
    "arabic": "ar", "arabe": "ar", "العربية": "ar", "عربي": "ar",
    "chinese": "zh", "chinois": "zh", "chino": "zh", "中文": "zh", "汉语": "zh", "漢語": "zh",
    "english": "en", "anglais": "en", "ingles": "en",
    "french": "fr", "francais": "fr", "frances": "fr",
    "russian": "ru", "russe": "ru", "ruso": "ru", "русскии": "ru",
    "spanish": "es", "espagnol": "es", "espanol": "es", "castellano": "es",
}
# Words after which a capital letter is a label, not a UN language letter (`Annex_A.pdf`).
_LABEL_WORDS = frozenset([
    "annex", "annexe", "anexo", "appendix", "apendice", "attachment", "enclosure", "exhibit",
    "schedule", "part", "partie", "parte", "section", "seccion", "chapter", "chapitre", "capitulo",
    "volume", "vol", "book", "tome", "table", "tableau", "cuadro", "figure", "fig", "figura",
    "chart", "graph", "map", "item", "point", "list", "lista", "option", "opcion", "plan",
    "scenario", "model", "modele", "modelo", "type", "tipo", "class", "classe", "clase",
    "category", "categorie", "categoria", "grade", "level", "niveau", "nivel", "group", "groupe",
    "grupo", "team", "equipe", "equipo", "panel", "session", "seance", "sesion", "track", "round",
    "phase", "fase", "stage", "etape", "etapa", "step", "tier", "block", "bloc", "bloque",
    "building", "batiment", "edificio", "floor", "room", "salle", "sala", "zone", "zona", "area",
    "site", "lot", "unit", "unite", "unidad", "module", "modulo", "component", "pillar", "cluster",
    "series", "serie", "version", "sample", "case", "form", "formulaire", "formulario", "letter",
    "lettre", "carta", "column", "row", "sheet", "page", "vitamin", "hepatitis",
])
# A language code and its subtags, as declared (`fr-CA`, `zh-Hant-TW`).
_LOCALE = re.compile(r"^(?P<code>[a-z]{2,3})(?:[-_][a-z0-9]{2,8})*$", re.IGNORECASE)
# What may follow a code in a file name: a region (`fr-CA`, `es-419`) or a script (`zh-Hans`).
_SUBTAG = re.compile(r"[a-z]{2}|\d{3}|hans|hant|latn|cyrl|arab")
_BRACKETED = re.compile(r"^(?P<base>.*?\S)\s*[(\[](?P<tag>[^()\[\]]+)[)\]]$")


@dataclass(frozen=True)
class DocumentName:
    """What a file's name says: which document (`key`) and in which language (or None)."""

    key: str
    language: str | None


def parse_document_name(name: str) -> DocumentName:
    """`docs/A78D62_fr.pdf` -> key `docs/a78d62`, language fr (None when the name has no tag).

    `name` is a relative POSIX path; the key keeps its folders (minus a language folder such
    as `fr/`), drops the extension and the language suffix, and is case-folded.
    """
    *folders, filename = name.split("/")
    stem = filename.rsplit(".", 1)[0] if "." in filename[1:] else filename
    base, language = _split_suffix(stem)
    if language is None and folders and _folder_language(stem) is not None:
        return DocumentName(_key(folders), _folder_language(stem))  # `concept-note/fr.md`
    for index in range(len(folders) - 1, -1, -1):  # the innermost language folder
        folder_language = _folder_language(folders[index])
        if folder_language is not None:
            language = language or folder_language
            folders = folders[:index] + folders[index + 1:]
            break
    return DocumentName(_key([*folders, base]), language)


def document_language(name: str, declared: str | None = None) -> str | None:
    """The language of a file: what its front matter (or fetch record) declares, else its name."""
    return normalise_language(declared) or parse_document_name(name).language


def normalise_language(value: str | None) -> str | None:
    """`fr`, `FR`, `fr-CA`, `fra`, `French`, `français` -> `fr`; another well-formed language
    code -> its primary subtag (`de-AT` -> `de`); anything else -> None."""
    if value is None:
        return None
    text = value.strip()
    folded = _fold(text)
    if folded in _NAMES:
        return _NAMES[folded]
    locale = _LOCALE.match(text)
    if locale is None:
        return None
    code = locale.group("code").casefold()
    return _CODES.get(code, code)


def _split_suffix(stem: str) -> tuple[str, str | None]:
    """The stem without its final language tag, and the tag's language."""
    bracketed = _BRACKETED.match(stem)
    if bracketed:
        tag = bracketed.group("tag").strip()
        language = _code(tag) or _NAMES.get(_fold(tag))
        if language is not None:
            return bracketed.group("base"), language
    tokens = re.split(r"([_\-. ])", stem)  # words and the separators between them
    words = tokens[0::2]
    if len(words) < 2 or not words[-1]:
        return stem, None
    last = words[-1]
    # A locale tag spans two words (`fr-CA`, `zh_Hans`): the code is the one before.
    if len(words) >= 3 and _is_subtag(last, words[-2]):
        if _before_is_tag(words[:-2]):
            return stem, None
        return "".join(tokens[:-4]), _CODES[words[-2].casefold()]
    code = _CODES.get(last.casefold())
    if code is not None:
        if _before_is_tag(words[:-1]):  # `report_en_fr`: two languages, say neither
            return stem, None
        return "".join(tokens[:-2]), code
    letter = _un_letter(last, words[:-1], tokens[-2])
    if letter is not None:
        return "".join(tokens[:-2]), letter
    return stem, None


def _code(tag: str) -> str | None:
    locale = _LOCALE.match(tag)
    return _CODES.get(locale.group("code").casefold()) if locale else None


def _is_subtag(last: str, before: str) -> bool:
    """`CA` in `fr-CA`: a region or script after a code, not a second language code."""
    code = _CODES.get(before.casefold())
    if code is None or len(before) != 2:
        return False
    sub = last.casefold()
    if not _SUBTAG.fullmatch(sub):
        return False
    return sub == code or sub not in _CODES


def _before_is_tag(words: list[str]) -> bool:
    """Nothing is before a tag (`_en`), or another language code is (`report_en_fr`: a
    bilingual or ambiguous name, so neither language is taken)."""
    if not words or not words[-1]:
        return True
    return words[-1].casefold() in _CODES


def _un_letter(last: str, words: list[str], separator: str) -> str | None:
    """The UN language letter ending a name such as `N2312345_F` or `report-E`."""
    if separator not in "_-" or len(last) != 1 or last.upper() not in _UN_LETTERS:
        return None
    before = words[-1] if words else ""
    if not before or _fold(before) in _LABEL_WORDS or before.casefold() in _CODES:
        return None
    # `report_E_F` names two languages; `Annex_A_F` is annex A in French.
    labelled = len(words) >= 2 and _fold(words[-2]) in _LABEL_WORDS
    if len(before) == 1 and before.isalpha() and not labelled:
        return None
    # A lower-case letter counts only after a job number or symbol part (`a78d62_f`).
    if last.islower() and not any(ch.isdigit() for ch in before):
        return None
    return _UN_LETTERS[last.upper()]


def _folder_language(folder: str) -> str | None:
    """`fr`, `EN`: a folder (or a whole file stem) named by a two-letter code."""
    return _CODES.get(folder.casefold()) if len(folder) == 2 else None


def _key(parts: list[str]) -> str:
    return "/".join(p for p in parts if p).casefold()


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# --- choosing a version ------------------------------------------------------------------------


class Versioned(Protocol):
    """Anything that belongs to one language version of a document (a chunk, a passage)."""

    @property
    def document_key(self) -> str | None: ...

    @property
    def language(self) -> str | None: ...


@dataclass(frozen=True)
class VersionChoice:
    """The version to quote: its language, and whether it is a fallback (not the asker's)."""

    language: str | None
    fallback: bool


def languages_by_document(items: Iterable[Versioned]) -> dict[str, tuple[str, ...]]:
    """Each document key and the languages it exists in (in UN order, unknown left out)."""
    found: dict[str, set[str]] = {}
    for item in items:
        if item.document_key is None:
            continue
        languages = found.setdefault(item.document_key, set())
        if item.language:
            languages.add(item.language)
    return {key: _ordered(langs) for key, langs in found.items()}


def choose_version(available: Iterable[str], wanted: str | None,
                   fallback: str = FALLBACK_LANGUAGE) -> VersionChoice:
    """The asker's language when the document exists in it, else `fallback` (English) when it
    exists, else the only (or first, in UN order) language it has; None when none is known."""
    languages = _ordered(set(available))
    if wanted is not None and wanted in languages:
        return VersionChoice(wanted, fallback=False)
    if fallback in languages:
        return VersionChoice(fallback, fallback=wanted is not None)
    if languages:
        return VersionChoice(languages[0], fallback=wanted is not None)
    return VersionChoice(None, fallback=False)


def is_preferred(item: Versioned, available: Mapping[str, tuple[str, ...]],
                 wanted: str | None) -> bool:
    """Whether `item` belongs to the version `choose_version` picks for its document (items
    without a key or language, and documents in one language only, always are)."""
    if item.document_key is None or item.language is None:
        return True
    languages = available.get(item.document_key, ())
    if len(languages) < 2:
        return True
    return choose_version(languages, wanted).language == item.language


def _ordered(languages: set[str]) -> tuple[str, ...]:
    known = [lang for lang in UN_LANGUAGES if lang in languages]
    return tuple(known + sorted(languages - set(UN_LANGUAGES)))
