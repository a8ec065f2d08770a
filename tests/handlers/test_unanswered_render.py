"""The pure render of /unanswered: why each question went unanswered, escaped and split."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from bot.domain.answer import AbstainReason
from bot.domain.evidence import Need
from bot.domain.text import TELEGRAM_LIMIT
from bot.handlers.unanswered_render import reason_text, render_unanswered
from bot.i18n import I18n

I18N = I18n.load()
WHY = {"en": "why:", "fr": "pourquoi :", "es": "por qué:"}
HOSTILE = "<b>Webex</b> & <i>co"


@dataclass(frozen=True)
class Group:
    question: str
    asked: int = 1
    unanswered: int = 1
    not_helpful: int = 0
    reason: AbstainReason | None = None
    reason_detail: str = ""


def gettext(language: str):  # type: ignore[no-untyped-def]
    return I18N.translator(language).gettext


def escaped_only(text: str) -> bool:
    """No '<' or '&' outside the tags and entities the render writes itself."""
    rest = re.sub(r"</?(?:b|i)>", "", text)
    rest = re.sub(r"&(?:amp|lt|gt);", "", rest)
    return "<" not in rest and ">" not in rest and "&" not in rest


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("reason", [None, *AbstainReason])
@pytest.mark.parametrize("detail", ["", "Webex", HOSTILE])
def test_every_reason_reads_in_every_language_escaped(language: str,
                                                      reason: AbstainReason | None,
                                                      detail: str) -> None:
    text = reason_text(reason, detail, gettext(language))
    assert text.startswith(WHY[language]) and len(text) > len(WHY[language]) + 5
    assert escaped_only(text), text
    if language != "en":
        assert text != reason_text(reason, detail, gettext("en"))


@pytest.mark.parametrize(("reason", "detail", "expected"), [
    (AbstainReason.UNKNOWN_NAME, "Webex", "why: names “Webex”, which no document mentions"),
    (AbstainReason.MISSING_KIND, "a person's name", "why: the documents hold no person's name"),
    (AbstainReason.MISSING_KIND, "person", "why: the documents hold no person's name"),
    (AbstainReason.MISSING_KIND, "join_link", "why: the documents hold no link to join"),
    (AbstainReason.MISSING_KIND, "date,person",
     "why: the documents hold no date; why: the documents hold no person's name"),
    (AbstainReason.MISSING_KIND, "the dress code",
     "why: the documents say nothing about the dress code"),
    (AbstainReason.MISSING_KIND, "a seating plan",
     "why: the documents do not hold what it asks for (a seating plan)"),
    (AbstainReason.NOT_CLOSE, "", "why: nothing in the documents is close"),
    (AbstainReason.DOCUMENT_NOT_INDEXED, "Report of the Secretary-General",
     "why: asks what “Report of the Secretary-General” says; only its reference is indexed"),
    (AbstainReason.NO_RULE, "secretariat",
     "why: no speaking limit is set for the secretariat"),
    (AbstainReason.NO_RULE, "the floor manager",
     "why: no speaking limit is set for the floor manager"),
    (AbstainReason.NO_SCHEDULE, "", "why: no agenda is configured"),
    (None, "weak evidence", "why: weak evidence"),
    (None, "", "why: not recorded"),
])
def test_reasons_in_english(reason: AbstainReason | None, detail: str, expected: str) -> None:
    assert reason_text(reason, detail, gettext("en")) == expected


@pytest.mark.parametrize("need", list(Need))
def test_every_missing_kind_has_its_own_sentence(need: Need) -> None:
    for language in ("en", "fr", "es"):
        text = reason_text(AbstainReason.MISSING_KIND, need.value, gettext(language))
        generic = reason_text(AbstainReason.MISSING_KIND, "", gettext(language))
        assert not text.startswith(generic) and f"({need.value})" not in text


def test_a_hostile_detail_and_question_are_escaped_in_the_listing() -> None:
    [message] = render_unanswered(
        [Group("Is it on <b>Webex</b> & Teams?", reason=AbstainReason.UNKNOWN_NAME,
               reason_detail=HOSTILE)], gettext("fr"))
    assert "Is it on &lt;b&gt;Webex&lt;/b&gt; &amp; Teams?" in message
    assert "« &lt;b&gt;Webex&lt;/b&gt; &amp; &lt;i&gt;co »" in message
    assert escaped_only(message)


def test_a_group_only_marked_not_helpful_has_no_reason_line() -> None:
    [message] = render_unanswered([Group("What is WSIS?", unanswered=0, not_helpful=1)],
                                  gettext("en"))
    assert "What is WSIS?" in message and "asked 1, unanswered 0, not helpful 1" in message
    assert "why:" not in message


def test_no_troubles_says_so() -> None:
    assert render_unanswered([], gettext("es")) == [
        gettext("es")("No unanswered or unhelpful questions in the last 7 days.")]


def test_a_long_listing_is_split_between_groups() -> None:
    groups = [Group(f"{n} " + "&<" * 500, reason=AbstainReason.UNKNOWN_NAME,
                    reason_detail="&" * 300) for n in range(20)]
    messages = render_unanswered(groups, gettext("en"))
    assert len(messages) > 1
    assert all(len(m) <= TELEGRAM_LIMIT and escaped_only(m) for m in messages)
    for message in messages:  # every message holds whole groups: bullet, counts, reason
        for paragraph in message.split("\n\n")[1 if message.startswith("<b>") else 0:]:
            lines = paragraph.split("\n")
            assert lines[0].startswith("• ") and "why:" in lines[2], paragraph
    starts = [m.split("\n\n") for m in messages]
    assert sum(len(p) for p in starts) == 21  # the title and 20 groups, none cut or lost


@pytest.mark.parametrize(("language", "expected"), [
    ("fr", "pourquoi : aucun temps de parole n'est fixé pour le secrétariat"),
    ("es", "por qué: no hay tiempo de palabra fijado para la secretaría"),
])
def test_a_role_without_a_rule_is_named_in_the_readers_language(language: str,
                                                                 expected: str) -> None:
    assert reason_text(AbstainReason.NO_RULE, "secretariat", gettext(language)) == expected
