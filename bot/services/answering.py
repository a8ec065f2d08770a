"""The AnswerService: routes a question, answers schedule and rules from the configuration and
content from the documents (extractive by default; an LLM writes the answer from the same
passages when configured), and says plainly when the documents do not say.

Thread-safe. The Telegram handler takes a `ticket` (cached, shared or its own to compute in a
worker); the terminal CLI and the benchmarks call `answer`, which does both.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bot.config import Config
from bot.domain.answer import AbstainReason, Answer, Gettext
from bot.domain.evidence import Lexicon
from bot.domain.extractive import clean_text, fold
from bot.domain.question_kind import (
    QuestionKind,
    RoutingWords,
    classify,
    duration_asked,
    midpoint_asked,
)
from bot.domain.text import truncate
from bot.i18n import I18n, normalise_language
from bot.services import language_tools
from bot.services.content_answer import ContentAnswerer, ContentTuning, Extract, source_of
from bot.services.language_tools import guess_language
from bot.services.lexicon import build_lexicon
from bot.services.llm_answer import AnswerWriter
from bot.services.places import PlaceIndex
from bot.services.retrieval import EmbedderLike, FusionWeights, KnowledgeLike
from bot.services.rules_answer import RuleFacts, find_rule_facts, rules_answer
from bot.services.schedule_answer import (
    Passage,
    ScheduleFacts,
    find_schedule_facts,
    routing_words,
    schedule_answer,
)

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 500
ANSWER_CACHE_SIZE = 512


_Key = tuple[str, str | None, str | None, int | None]


@dataclasses.dataclass(frozen=True)
class Ticket:
    """One asker's claim on an answer (see AnswerService.ticket)."""

    service: AnswerService
    key: _Key
    question: str  # as this asker wrote it (whitespace tidied)
    language: str | None
    user_tz: str | None
    future: Future[Answer]
    owner: bool  # this asker computes the answer; the others wait for `future`

    def run(self) -> Answer:
        """Compute the answer (owner only; blocking, CPU-bound: call it in a worker)."""
        if not self.owner:
            raise RuntimeError("only the owner of a ticket computes its answer")
        return self.service._finish(self)

    def result(self) -> Answer:
        """The answer as this asker wrote the question (blocks until it is there)."""
        return self.own(self.future.result())

    def own(self, answer: Answer) -> Answer:
        """A shared answer with this asker's wording of the question."""
        return answer if answer.question == self.question else dataclasses.replace(
            answer, question=self.question)


class AnswerService:
    """Answers delegates' questions; build once, call from any thread."""

    def __init__(self, *, config: Config, store: KnowledgeLike, embedder: EmbedderLike,
                 i18n: I18n, llm: AnswerWriter | None = None,
                 tuning: ContentTuning | None = None,
                 places: PlaceIndex | None = None) -> None:
        self.config = config
        self.store = store
        self.embedder = embedder
        self.i18n = i18n
        self._llm = llm
        self.tuning = tuning or tuning_from(config)
        self._places = places
        self._content: ContentAnswerer | None = None
        self._schedule: ScheduleFacts | None = None
        self._rules: RuleFacts | None = None
        self._facts_generation: int | None = None
        self._routing: RoutingWords | None = None
        self._pending: dict[_Key, Future[Answer]] = {}
        self._cache: OrderedDict[_Key, Answer] = OrderedDict()
        self._lock = threading.RLock()

    @property
    def llm(self) -> AnswerWriter | None:
        """The optional chat model that writes answers (None: extractive answers)."""
        return self._llm

    @llm.setter
    def llm(self, value: AnswerWriter | None) -> None:
        with self._lock:
            self._llm = value
            self._cache.clear()  # cached answers were written with the previous model

    def close(self) -> None:
        """Stop the chat model's worker threads (at exit; the store is closed by its owner)."""
        if self._llm is not None:
            self._llm.close()

    # -- loading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the documents (after re-indexing): schedule and rule citations, caches."""
        self.store.refresh()
        generation = self.store.generation
        passages = [Passage(clean_text(c.text), source_of(c)) for c in self.store.all_chunks()]
        event = self.config.event
        schedule = find_schedule_facts(event.title, self.config.agenda, self.config.tz,
                                       event.timezone_label, passages)
        rules = find_rule_facts(self.config.floor, passages)
        with self._lock:
            self._schedule, self._rules = schedule, rules
            self._facts_generation = generation
            self._cache.clear()
            if self._content is not None:
                self._content.clear()

    def warm_up(self) -> None:
        """Load what a first question would: the model, place names, citations, and the
        corpus view with the vectors stored at index time (nothing is embedded per corpus)."""
        self.refresh()
        content = self._content_answerer()
        with ThreadPoolExecutor(max_workers=3, thread_name_prefix="warm-up") as pool:
            jobs: list[Future[Any]] = [
                pool.submit(content.view), pool.submit(self.routing),
                pool.submit(language_tools.warm_up),
                pool.submit(self._open_vector_store, bool(self.store.all_chunks()))]
            for job in jobs:
                job.result()

    def _open_vector_store(self, has_chunks: bool) -> None:
        vector = self.embedder.embed_queries(["warm-up"])[0]
        if has_chunks:  # loads the vectors stored with the index (exact dense search)
            self.store.dense_by_vector(vector, 1)

    def _facts(self, refresh: bool = True) -> tuple[ScheduleFacts, RuleFacts]:
        # A newer index published by another process (`make index`) brings new citations.
        if refresh:
            self.store.refresh()
        with self._lock:
            if (self._schedule is None or self._rules is None
                    or self._facts_generation != self.store.generation):
                self.refresh()
            assert self._schedule is not None and self._rules is not None
            return self._schedule, self._rules

    def routing(self) -> RoutingWords:
        """The meeting's own words, stop words and place names, for routing (built once)."""
        with self._lock:
            if self._routing is None:
                self._routing = routing_words(self.config.event.title, self.config.agenda,
                                              self.place_index().names())
            return self._routing

    def place_index(self) -> PlaceIndex:
        """City and country names -> time zones (built on first use)."""
        with self._lock:
            if self._places is None:
                self._places = PlaceIndex.build(self._venue_names())
            return self._places

    def _venue_names(self) -> dict[str, str]:
        """The event's own city ('Geneva' from 'Geneva time') maps to the event zone."""
        label = self.config.event.timezone_label
        city = label.rsplit(" time", 1)[0].strip() if label else ""
        return {city: self.config.tz.key} if city else {}

    def _content_answerer(self) -> ContentAnswerer:
        with self._lock:
            if self._content is None:
                base = build_lexicon()
                venue = {fold(w) for w in (*self._venue_names(),
                                           *self.config.event.location.replace(",", " ").split())
                         if w[:1].isupper()}
                lexicon = Lexicon(base.languages, base.places | self.place_index().names()
                                  | frozenset(venue), base.countries)
                primary = frozenset(item.source for item in self.config.agenda if item.source)
                self._content = ContentAnswerer(self.store, self.embedder, lexicon, self.tuning,
                                                primary)
            return self._content

    # -- answering --------------------------------------------------------------------------

    def schedule(self, language: str, user_tz: str | None = None) -> Answer:
        """The schedule, as for "When is the panel?" (for /agenda in the terminal chat)."""
        _ = self.i18n.translator(language).gettext
        return schedule_answer("", language, _, self._facts()[0], None, user_tz)

    def rules(self, language: str) -> Answer:
        """All the speaking rules (for /rules)."""
        _ = self.i18n.translator(language).gettext
        return rules_answer("", language, _, self._facts()[1])

    def answer(self, question: str, language: str | None = None,
               user_tz: str | None = None) -> Answer:
        """Answer one question in the question's language (else `language`, else English).

        Answers are cached per (question words, language, time zone, index generation): at the
        start of a meeting hundreds of people ask the same few questions at once.
        """
        ticket = self.ticket(question, language, user_tz)
        return ticket.run() if ticket.owner else ticket.result()

    def ticket(self, question: str, language: str | None = None,
               user_tz: str | None = None) -> Ticket:
        """The answer to come, without computing it: already there when cached, shared with
        the same question being answered for someone else, or to be computed by the caller
        (`owner`: call `run()`, in a worker thread). The event loop uses this so that only new
        questions take a worker; the rest wait without holding one."""
        question = " ".join(question.split())[:MAX_QUESTION_CHARS]
        self.store.refresh()
        key = (question.casefold(), language, user_tz, self.store.generation)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                done: Future[Answer] = Future()
                done.set_result(cached)
                return Ticket(self, key, question, language, user_tz, done, owner=False)
            pending = self._pending.get(key)
            if pending is not None:
                return Ticket(self, key, question, language, user_tz, pending, owner=False)
            pending = self._pending[key] = Future()
            return Ticket(self, key, question, language, user_tz, pending, owner=True)

    def _finish(self, ticket: Ticket) -> Answer:
        """Compute a ticket's answer, cache it and hand it to everyone waiting for it."""
        try:
            answer = self._compute(ticket.question, ticket.language, ticket.user_tz)
        except BaseException as error:
            with self._lock:
                del self._pending[ticket.key]
            ticket.future.set_exception(error)
            raise
        with self._lock:
            del self._pending[ticket.key]
            self._cache[ticket.key] = answer
            while len(self._cache) > ANSWER_CACHE_SIZE:
                self._cache.popitem(last=False)
        ticket.future.set_result(answer)
        return answer

    def _compute(self, question: str, language: str | None, user_tz: str | None) -> Answer:
        lang = guess_language(question) or normalise_language(language)
        _ = self.i18n.translator(lang).gettext
        kind = classify(question, self.routing())
        if kind is QuestionKind.NONE:
            return Answer(question, kind, lang, (_(
                "Ask me about the panel: its time, the speaking rules or its documents."),),
                abstained=True, reason=AbstainReason.SMALL_TALK)
        schedule, rules = self._facts(refresh=False)  # answer() has just refreshed
        if kind is QuestionKind.SCHEDULE:
            place = self.place_index().find(question)
            return schedule_answer(question, lang, _, schedule, place, user_tz)
        if kind is QuestionKind.RULES:
            return rules_answer(question, lang, _, rules)
        answer = self._answer_content(question, lang, _)
        if answer.abstained and answer.reason is not AbstainReason.DOCUMENT_NOT_INDEXED:
            # The fallback: a question the documents cannot answer that names a place or asks
            # how long is about the meeting's time ("kick-off for a delegate in Nairobi?").
            place = self.place_index().find(question)
            unknown_place = (place is not None and answer.reason is AbstainReason.UNKNOWN_NAME
                             and fold(place.name) == fold(answer.reason_detail))
            if unknown_place or duration_asked(question) or midpoint_asked(question):
                return schedule_answer(question, lang, _, schedule, place, user_tz)
        return answer

    def _answer_content(self, question: str, lang: str, _: Gettext) -> Answer:
        extract = self._content_answerer().extract(question)
        if extract.abstained:
            # One INFO line per abstention comes from QuestionService.record; this is detail.
            log.debug("no answer in the documents for %r: %s %s", question, extract.reason,
                     extract.reason_detail)
            return Answer(question, QuestionKind.CONTENT, lang, (self._decline(extract, _),),
                          abstained=True, reason=extract.reason,
                          reason_detail=extract.reason_detail,
                          details=extract.details | {"reason": str(extract.reason)})
        if self.llm is not None:
            written = self.llm.write(question, lang, extract.chunks, extract.sources)
            if written:
                # The model cites [n] for the n-th passage it was given: list them all.
                quoted = {(s.document, s.page, s.section): s.snippet for s in extract.sources}
                sources = tuple(source_of(c, quoted.get((c.document, c.page, c.section))
                                          or truncate(clean_text(c.text), 300))
                                for c in extract.chunks)
                return Answer(question, QuestionKind.CONTENT, lang, (written,), (), sources,
                              generated=True, details=extract.details)
        own = lang != "en" and extract.quote_language == lang
        paragraphs = [_lead(extract.lead, _, own)]
        if extract.omitted:
            section = extract.sources[-1].section if extract.sources else None
            paragraphs.append(_("{count} more items are in the section “{section}”.").format(
                count=extract.omitted, section=section) if section else
                _("{count} more items are in the document.").format(count=extract.omitted))
        return Answer(question, QuestionKind.CONTENT, lang, tuple(paragraphs),
                      extract.quotes, extract.sources, details=extract.details)

    def _decline(self, extract: Extract, _: Gettext) -> str:
        """The abstention in the user's language, pointing to what the documents do hold."""
        contact = self.config.event.contact
        ask = (_("Please ask the organisers: {contact}").format(contact=contact) if contact
               else _("Please ask the organisers."))
        ref = extract.reference
        if extract.reason is AbstainReason.DOCUMENT_NOT_INDEXED and ref is not None:
            where = " ".join(p for p in (ref.symbol and f"({ref.symbol})", ref.url) if p)
            return _("The documents here only refer to “{title}”; its text is not among them. "
                     "Read it at {where}. {ask}").format(title=ref.title, where=where, ask=ask)
        if extract.reason is AbstainReason.UNKNOWN_NAME:
            return _("The documents do not mention “{name}”. {ask}").format(
                name=extract.reason_detail, ask=ask)
        return _("The documents do not say. {ask}").format(ask=ask)


def _lead(lead: str, _: Gettext, own: bool = False) -> str:
    """The words before the quotes; `own`: the quotes are in the reader's language (the
    plain leads say, in other languages, that the quotes are in English)."""
    if own:
        if lead == "yes":
            return _("Yes. From the documents (in your language):")
        if lead == "close":
            return _("The documents do not say it in so many words; the closest passages "
                     "(in your language):")
        return _("From the documents (in your language):")
    if lead == "yes":
        return _("Yes. From the documents:")
    if lead == "close":
        return _("The documents do not say it in so many words; the closest passages:")
    return _("From the documents:")


def tuning_from(config: Config) -> ContentTuning:
    """The [answers] settings as ContentTuning."""
    a = config.answers
    return ContentTuning(weights=FusionWeights(a.dense_weight, a.lexical_weight, a.rrf_k),
                         max_chars=a.max_chars, min_score=a.min_score,
                         word_similarity=a.word_similarity)


def build_answer_service(config: Config, data_dir: Path, i18n: I18n | None = None,
                         embedder: EmbedderLike | None = None,
                         store: KnowledgeLike | None = None) -> AnswerService:
    """The AnswerService over the index in `data_dir` (or `store`), with the LLM when [llm]
    enables it. Nothing heavy loads here: the model loads on `warm_up` or the first question."""
    from bot.services.llm_answer import LLMAnswerer
    from bot.storage.embeddings import default_embedder
    from bot.storage.knowledge import KnowledgeStore

    model = embedder or default_embedder()
    if store is None:
        store = KnowledgeStore.open(data_dir, config.vector_store, model)  # type: ignore[arg-type]
    llm = LLMAnswerer(config.llm) if config.llm.enabled else None
    return AnswerService(config=config, store=store, embedder=model, i18n=i18n or I18n.load(),
                         llm=llm)
