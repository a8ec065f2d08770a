"""The room screen's and booth view's own words, in one of the bot's six languages.

The page gets them once, in its HTML (the snapshot itself carries no words); translations are
in `bot/locales/<lang>/screen.po`. The language is the event's (`[event].language`) unless the
link asks for another with `?lang=`.
"""

from __future__ import annotations

from functools import cache

from babel import Locale

from bot.domain.floor_model import FLOOR_LANGUAGES
from bot.i18n import LANGUAGES, I18n, is_rtl
from bot.i18n import gettext_noop as _

LABELS: dict[str, str] = {
    "room_title": _("Room screen"),
    "booth_title": _("Booth view"),
    "speaking": _("Has the floor"),
    "nobody": _("Nobody has the floor"),
    "next": _("Next speakers"),
    "nobody_waiting": _("Nobody is waiting for the floor."),
    "waiting": _("Waiting: {count}"),
    "more": _("and {count} more"),
    "open": _("List of speakers open"),
    "closed": _("List of speakers closed"),
    "paused": _("Paused"),
    "time_left": _("Time left"),
    "overrun": _("Overrun"),
    "budget_left": _("Remote budget left"),
    "budget_beyond": _("Remote budget exceeded by"),
    "over_budget": _("Given beyond the remote budget"),
    "in_room": _("In the room"),
    "remote_mode": _("Remote"),
    "cat_panelist": _("Panelist"),
    "cat_in_room": _("In the room"),
    "cat_remote_high_level": _("Remote, high-level"),
    "cat_remote": _("Remote"),
    "language_unknown": _("Language not given"),
    "reconnecting": _("Connection lost: reconnecting…"),
    "gone": _("This link is no longer valid. Ask an organiser for the new one (/screen)."),
}


def page_language(requested: str | None, default: str) -> str:
    """The page's language: `?lang=` when it is one of the bot's languages, else the event's."""
    code = (requested or "").strip().lower()
    return code if code in LANGUAGES else default


def labels(i18n: I18n, language: str) -> dict[str, str]:
    """Every label of the screens in `language`, plus the floor languages' names."""
    gettext = i18n.translator(language).gettext
    words = {key: gettext(msgid) for key, msgid in LABELS.items()}
    words.update({f"lang_{code}": name for code, name in language_names(language).items()})
    return words


@cache
def language_names(reader: str) -> dict[str, str]:
    """The six floor languages named in the reader's language (CLDR, via Babel)."""
    names: dict[str, str] = {}
    for code in FLOOR_LANGUAGES:
        name = Locale.parse(code).get_display_name(reader) or code
        names[code] = name[:1].upper() + name[1:]
    return names


def direction(language: str) -> str:
    """The page's writing direction."""
    return "rtl" if is_rtl(language) else "ltr"
