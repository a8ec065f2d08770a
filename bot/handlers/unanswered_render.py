"""Pure render of /unanswered: groups of troubled questions, each with why the assistant abstained.

Every dynamic string (the question, the reason's detail) is shortened and HTML-escaped here, so
that no paragraph can outgrow a Telegram message; the listing is split at 4096 characters on
paragraph boundaries (one paragraph per question group). Callers pass the organiser's gettext.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Protocol, assert_never

from bot.domain.answer import AbstainReason
from bot.domain.evidence import Need
from bot.domain.text import split_message, truncate
from bot.i18n import Gettext


def escape(text: str) -> str:
    """Escape for Telegram HTML text (quotes need no escaping outside attributes)."""
    return html.escape(text, quote=False)


SHOWN_QUESTION = 300  # characters of a question shown (the stored text may be longer)
SHOWN_DETAIL = 120  # characters of a reason's detail shown

# English names the answerer may give a missing kind ("a person's name") -> its Need code.
_NEED_NAMES: dict[str, str] = {
    "person's name": Need.PERSON, "name": Need.PERSON,
    "link to join": Need.JOIN_LINK, "join link": Need.JOIN_LINK, "joining link": Need.JOIN_LINK,
    "url": Need.LINK, "web address": Need.LINK,
    "e-mail address": Need.EMAIL, "email address": Need.EMAIL, "e-mail": Need.EMAIL,
    "phone number": Need.PHONE, "telephone number": Need.PHONE,
    "number": Need.COUNT,
    "meals": "meal", "dress code": "dress", "accommodation": "lodging", "hotel": "lodging",
    "wi-fi": "network", "wifi": "network", "recordings": "recording",
}


class TroubleView(Protocol):
    """What the listing needs of a troubled question group (storage's `Trouble` fits)."""

    @property
    def question(self) -> str: ...
    @property
    def asked(self) -> int: ...
    @property
    def unanswered(self) -> int: ...
    @property
    def not_helpful(self) -> int: ...
    @property
    def reason(self) -> AbstainReason | None: ...
    @property
    def reason_detail(self) -> str: ...


def render_unanswered(troubles: Sequence[TroubleView], _: Gettext) -> list[str]:
    """The /unanswered messages (HTML, each at most 4096 characters)."""
    if not troubles:
        return [escape(_("No unanswered or unhelpful questions in the last 7 days."))]
    paragraphs = [f"<b>{escape(_('Unanswered or not helpful (last 7 days):'))}</b>"]
    for trouble in troubles:
        counts = _("asked {asked}, unanswered {unanswered}, not helpful {not_helpful}").format(
            asked=trouble.asked, unanswered=trouble.unanswered, not_helpful=trouble.not_helpful)
        lines = [f"• {escape(truncate(trouble.question, SHOWN_QUESTION))}",
                 f"  <i>{escape(counts)}</i>"]
        if trouble.unanswered:
            lines.append(f"  <i>{reason_text(trouble.reason, trouble.reason_detail, _)}</i>")
        paragraphs.append("\n".join(lines))
    return split_message("\n\n".join(paragraphs))


def reason_text(reason: AbstainReason | None, detail: str, _: Gettext) -> str:
    """'why: …' for an abstention, in the reader's language, HTML-escaped.

    `detail` is what the reason is about (a name, a document, a kind, a role); without a
    reason it is the answerer's free-text note, shown as it is.
    """
    detail = " ".join(detail.split())
    shown = truncate(detail, SHOWN_DETAIL)
    text: str
    match reason:
        case None:
            text = (_("why: {note}").format(note=shown) if shown else _("why: not recorded"))
        case AbstainReason.SMALL_TALK:
            text = _("why: nothing was asked (a greeting or a thank-you)")
        case AbstainReason.EMPTY_INDEX:
            text = _("why: no documents are indexed")
        case AbstainReason.MISSING_KIND:
            text = _missing_kind(detail, shown, _)
        case AbstainReason.UNKNOWN_NAME:
            text = (_("why: names “{name}”, which no document mentions").format(name=shown)
                    if shown else _("why: names something that no document mentions"))
        case AbstainReason.NOT_CLOSE:
            text = _("why: nothing in the documents is close")
        case AbstainReason.DOCUMENT_NOT_INDEXED:
            text = (_("why: asks what “{document}” says; only its reference is indexed").format(
                document=shown) if shown else
                _("why: asks what a listed document says; only its reference is indexed"))
        case AbstainReason.NO_RULE:
            who = _role_names(_).get(detail.casefold(), shown)
            text = (_("why: no speaking limit is set for {who}").format(who=who)
                    if who else _("why: the speaking rules do not cover what it asks"))
        case AbstainReason.NO_SCHEDULE:
            text = _("why: no agenda is configured")
        case _never:
            assert_never(_never)
    return escape(text)


def _role_names(_: Gettext) -> dict[str, str]:
    """Role codes of the rules answerer (`role_without_rule`) -> their names."""
    return {"secretariat": _("the secretariat"), "chair": _("the chair"),
            "moderator": _("the moderator"), "keynote": _("a keynote speaker"),
            "rapporteur": _("the rapporteur")}


def _missing_kind(detail: str, shown: str, _: Gettext) -> str:
    """'the documents hold no person's name' for Need codes ("date,person") or an English
    name of one; a kind without its own sentence (a Need added later, free text) is named in
    the generic sentence."""
    sentences = _missing_sentences(_)
    found = [sentences.get(_need_code(part)) for part in detail.split(",") if part.strip()]
    if found and all(found):
        return "; ".join(dict.fromkeys(s for s in found if s))
    if shown:
        return _("why: the documents do not hold what it asks for ({kind})").format(kind=shown)
    return _("why: the documents do not hold what it asks for")


def _need_code(name: str) -> str:
    """'a person's name' or 'person' -> 'person'."""
    key = " ".join(name.casefold().split())
    for article in ("a ", "an ", "the "):
        key = key.removeprefix(article)
    return _NEED_NAMES.get(key) or key.replace(" ", "_")


def _missing_sentences(_: Gettext) -> dict[str, str]:
    """Need code -> its sentence (keyed by value: the render never fails on a new Need)."""
    return {
        Need.PERSON.value: _("why: the documents hold no person's name"),
        Need.JOIN_LINK.value: _("why: the documents hold no link to join"),
        Need.LINK.value: _("why: the documents hold no link"),
        Need.LANGUAGE.value: _("why: the documents name no language"),
        Need.EMAIL.value: _("why: the documents hold no e-mail address"),
        Need.PHONE.value: _("why: the documents hold no phone number"),
        Need.ROOM.value: _("why: the documents name no room"),
        Need.COUNT.value: _("why: the documents hold no number"),
        Need.DATE.value: _("why: the documents hold no date"),
        Need.PLACE.value: _("why: the documents name no place"),
        Need.COUNTRY.value: _("why: the documents name no country"),
        "meal": _("why: the documents say nothing about meals"),
        "dress": _("why: the documents say nothing about the dress code"),
        "lodging": _("why: the documents say nothing about accommodation"),
        "travel": _("why: the documents say nothing about travel"),
        "network": _("why: the documents say nothing about the network or Wi-Fi"),
        "weather": _("why: the documents say nothing about the weather"),
        "recording": _("why: the documents say nothing about recordings"),
    }
