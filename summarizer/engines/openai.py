"""The engine that asks an OpenAI-compatible model: render prompt, call, parse, validate, re-ask.

Layers, each with one job:

* ``engines.client.ChatClient`` does the HTTP side: transport retries and the capability ladder
  (strict JSON schema -> JSON mode -> schema in the prompt). Transport errors never reach a prompt.
* This module does the content side: it renders the versioned prompt for whatever capability the
  client is using, parses the answer into ``SummaryDraft``, runs ``engines.validation`` and, when
  the answer has errors, re-asks: the original messages plus the invalid answer plus a message
  listing the problems (only the latest invalid answer is kept, so a re-ask costs one answer's
  tokens more, not all of them). After ``config.max_reasks`` re-asks it raises
  ``OutputValidationError`` with the problems and the full attempt ledger, unless the only errors
  left are per item (a person, place, event... not grounded in the article) or in the headline or
  summary: those items are dropped and ``meta.status`` says so (``engines.validation.salvage``).

Long articles (``len(document.text) > config.chunk_chars``): the translation is the bulk of the
output, so it is made in chunks of consecutive paragraphs (``translate_chunk`` prompt, one
``ChunkTranslation`` per chunk, each checked for one English paragraph per source paragraph), while
one ``summarize`` call over the *whole* article writes everything else (``SummaryOutline``, the
draft minus its translation). The summarize call sees the exact article text, so its evidence spans
stay exact quotes; its input is long but its output stays short. All calls run concurrently
(bounded), and their usage, latency, attempts and re-asks are summed into ``meta``.

Per request, the schema states what this article fixes: exactly N English paragraphs for N source
paragraphs (``minItems = maxItems``), so a constraining server cannot return a misaligned
translation. Where the model does not see the schema (every server but OpenAI), the prompt carries
a field guide generated from the same schema (``engines.fieldguide``).

Bounds: one deadline per article (``config.deadline``) covers every chunk and re-ask, and the text
preparation before them when the caller opened an ``article_clock`` (``summarize()`` does). When the
whole-article summarize call would not fit the context window (``ChatClient.prompt_budget``), the
outline is made map-reduce: one outline per chunk (each sees its chunk's exact text, so evidence
stays exact quotes), merged in code (first chunk's headline and summary, the inverted pyramid;
key points taken in turn from each chunk; names deduplicated).
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, cast

from pydantic import BaseModel, create_model

from summarizer._version import __version__
from summarizer.calllog import call_context, endpoint_host, mark_invalid
from summarizer.config import ModelConfig
from summarizer.engines.client import PROBE_ABOVE_TOKENS, ChatClient, Completion
from summarizer.engines.deadline import ARTICLE_STARTED, seconds_spent_in_article
from summarizer.engines.deadline import article_clock as article_clock  # where callers import it
from summarizer.engines.fieldguide import field_guide
from summarizer.engines.options import ENGINE_ONLY_OPTIONS, EngineOptions, ModelOptions
from summarizer.engines.profiles import CONSTRAINED_RUNGS
from summarizer.engines.prompts import (
    PersonHint,
    PromptTemplate,
    TermHint,
    article_fence,
    load_template,
    numbered_paragraphs,
)
from summarizer.engines.tokens import estimate_tokens
from summarizer.engines.validation import (
    Problem,
    SourceFacts,
    all_droppable,
    check,
    check_content,
    check_translation,
    describe,
    drop_failing,
    errors,
    parse,
    source_facts,
)
from summarizer.errors import (
    DeadlineExceededError,
    OutputValidationError,
    PromptTooLongError,
    SummarizerError,
)
from summarizer.schema import (
    ArticleSummary,
    AttemptRecord,
    ChunkTranslation,
    RunMeta,
    StrictModel,
    SummaryDraft,
    TokenUsage,
    Translation,
    schema_hash,
    strict_json_schema,
)
from summarizer.text.analysis.analyze import with_year_hint
from summarizer.text.document import Analysis, Document
from summarizer.text.published import PUBLICATION_YEAR_WARNING, with_publication_year

#: At most this many hints of each kind go into a prompt (the rest cost tokens for little gain).
MAX_TERMS = 40
MAX_PEOPLE = 30
MAX_WARNINGS = 12
#: Notes to the model may take at most this share of the article's tokens (and at least
#: ``MIN_NOTES_TOKENS``): reference data, not a second article.
NOTES_SHARE = 0.4
MIN_NOTES_TOKENS = 150
MAX_KEY_POINTS = 7
#: Output tokens for everything in a draft but its translation (headline, points, names...).
OUTLINE_OUTPUT_TOKENS = 1500
#: Tokens of a prompt that are not the article: instructions, field guide and bounded notes.
PROMPT_OVERHEAD_TOKENS = 1600
#: Times an article is planned again when the server's refusals teach the client its token count
#: (a request with more English than the first may show a higher count than that one did).
MAX_REPLANS = 3

#: What each damage warning means for the model, in a few words (the user-facing message, with
#: its byte-level detail, stays in ``source.warnings``).
_MODEL_NOTES = {
    "script_converted": "the text was converted from traditional to simplified characters",
    "damaged_annotation_restored": "a few characters lost in scraping were restored",
    "mojibake_repaired": "garbled passages were repaired; a few characters may be missing",
    "date_year_unknown": "some dates have no year: leave their date_iso null",
    PUBLICATION_YEAR_WARNING: "dates without a year were dated from the publication date",
}


#: Kept importable from here (``article_clock`` moved to ``engines.deadline``).
_ARTICLE_STARTED = ARTICLE_STARTED


def _outline_model() -> type[StrictModel]:
    """``SummaryDraft`` without ``translation``: what the summarize call writes for long articles.

    Derived from ``SummaryDraft`` so the two can never drift apart.
    """
    fields: dict[str, Any] = {
        name: (info.annotation, info)
        for name, info in SummaryDraft.model_fields.items()
        if name != "translation"
    }
    return cast(
        "type[StrictModel]",
        create_model(
            "SummaryOutline",
            __base__=StrictModel,
            __doc__="A SummaryDraft without its translation (made separately in chunks).",
            **fields,
        ),
    )


SummaryOutline = _outline_model()

#: Every model this engine sends as a response schema (``tests/test_schema.py`` checks them all).
SENT_MODELS: tuple[type[BaseModel], ...] = (SummaryDraft, SummaryOutline, ChunkTranslation)


@cache
def response_schema(model: type[BaseModel]) -> tuple[dict[str, Any], str, str]:
    """(strict schema, compact JSON text for prompts, hash), computed once per model."""
    schema = strict_json_schema(model)
    text = json.dumps(schema, ensure_ascii=False, separators=(",", ":"))
    return schema, text, schema_hash(model)


@dataclass(frozen=True)
class RequestSchema:
    """The schema of one request (with this article's counts), its JSON text and field guide."""

    schema: dict[str, Any]
    text: str
    guide: str


@cache
def request_schema(model: type[BaseModel], paragraph_count: int | None) -> RequestSchema:
    """``model``'s schema with the counts this request fixes: exactly ``paragraph_count``
    translated paragraphs (``minItems = maxItems``), at most ``MAX_KEY_POINTS`` key points.

    A server that constrains decoding then cannot return a misaligned translation.
    """
    schema = copy.deepcopy(response_schema(model)[0])
    definitions = schema.get("$defs", {})
    targets = [schema.get("properties", {}), definitions.get("Translation", {}).get("properties")]
    for properties in targets:
        if not properties:
            continue
        paragraphs = properties.get("paragraphs_en")
        if paragraphs is not None and paragraph_count:
            paragraphs["minItems"] = paragraphs["maxItems"] = paragraph_count
    key_points = schema.get("properties", {}).get("key_points")
    if key_points is not None:
        key_points["minItems"], key_points["maxItems"] = 1, MAX_KEY_POINTS
    text = json.dumps(schema, ensure_ascii=False, separators=(",", ":"))
    return RequestSchema(schema, text, field_guide(schema))


@dataclass
class _Ledger:
    """Everything spent on one article, over all calls, chunks and re-asks."""

    attempts: list[AttemptRecord] = field(default_factory=list)
    usage: TokenUsage = field(default_factory=TokenUsage)
    latency_ms: float = 0.0
    reasks: int = 0
    capability: str | None = None
    warnings: list[Problem] = field(default_factory=list)
    #: When the article must be done (the client's clock); covers every chunk and re-ask.
    deadline_at: float = float("inf")
    #: The call log's ids of the calls made (filled as they finish).
    call_ids: list[str] = field(default_factory=list)
    #: An answer was kept with per-item errors after the last re-ask: drop those items.
    unresolved: bool = False
    #: Times the article was planned again after a refusal taught the client the server's
    #: sizing (see ``MAX_REPLANS``).
    replans: int = 0

    def add(self, completion: Completion) -> None:
        self.attempts.extend(completion.attempts)
        self.usage = self.usage + completion.usage
        self.latency_ms += completion.latency_ms
        self.capability = completion.capability

    def mark_invalid(self, completion: Completion) -> None:
        """Record that the answer of ``completion`` (its last attempt) failed validation."""
        if completion.attempts and self.attempts:
            last = self.attempts[-1]
            # Keep the answer that failed: reports show it next to the validation problems.
            self.attempts[-1] = last.model_copy(
                update={
                    "kind": "content",
                    "error": OutputValidationError.__name__,
                    "raw_answer": completion.raw_content,
                }
            )


@dataclass(frozen=True)
class _Ask:
    """One question to the model: which prompt, with what context, expecting which model."""

    template: PromptTemplate
    context: dict[str, Any]
    output: type[BaseModel]
    check: Callable[[Any], list[Problem]]
    #: Paragraphs this request must translate (``None``: no translation in the answer).
    paragraph_count: int | None = None

    @property
    def schema(self) -> RequestSchema:
        return request_schema(self.output, self.paragraph_count)


class OpenAIEngine:
    """Summaries and translations from any OpenAI-compatible chat completions endpoint."""

    name = "openai"
    Options = ModelOptions
    #: A model reads only glossary terms and titled people as hints: the fast analysis suffices.
    thorough_analysis = False

    def __init__(
        self,
        config: ModelConfig,
        *,
        prompt_version: str = "latest",
        chunk_prompt_version: str = "latest",
        few_shot: bool | None = None,
        max_concurrent_calls: int = 4,
        year_hint: int | None = None,
        client_factory: Callable[[ModelConfig], ChatClient] = ChatClient,
    ) -> None:
        self.config = config
        #: The publication year for dates written without one; applied to the analysis the
        #: engine is given (which a caller may have made without it).
        self.year_hint = year_hint
        self.summarize_template = load_template("summarize", prompt_version)
        self.chunk_template = load_template("translate_chunk", chunk_prompt_version)
        self.few_shot = self.summarize_template.few_shot if few_shot is None else few_shot
        self.max_concurrent_calls = max(1, max_concurrent_calls)
        #: One client for the engine's life: it keeps what it learnt about the endpoint (e.g. that
        #: it lacks strict JSON schema) across calls, sync ones included.
        self._client = client_factory(config)
        #: ``fingerprint()`` and what it was made from (the profile may change on detection).
        self._fingerprint: tuple[tuple[object, ...], dict[str, str]] | None = None

    @classmethod
    def from_options(cls, config: ModelConfig, options: EngineOptions) -> OpenAIEngine:
        """An engine on ``config``'s endpoint tuned by ``options`` (checked ``Options``)."""
        given = options.given()
        engine_only = {name: given.pop(name) for name in list(given) if name in ENGINE_ONLY_OPTIONS}
        return cls(config.with_options(**given) if given else config, **engine_only)

    def __repr__(self) -> str:
        return f"OpenAIEngine(model={self.config.model!r}, endpoint={self.config.endpoint_host!r})"

    @property
    def deadline(self) -> float:
        """Seconds for one article, its preparation included (``config.deadline``)."""
        return self.config.deadline

    # --- the Engine protocol ---------------------------------------------------------------------

    def fingerprint(self) -> dict[str, str]:
        """What determines the output (the cache key's parts): the model, the server profile when
        there is one, the prompts, the schemas and the sampling. Not the endpoint's address: the
        same model behind ``localhost:P``, ``127.0.0.1:P`` or a restarted server on another port
        answers the same. Never a secret."""
        return dict(self._current_fingerprint())

    def _current_fingerprint(self) -> dict[str, str]:
        """``fingerprint()`` made once per profile and settings: the same mapping for every
        article (the call log encodes it once), never to be changed by its users."""
        made_from = (
            self._client.profile,
            self.config,
            self.few_shot,
            self.summarize_template,
            self.chunk_template,
        )
        cached = self._fingerprint
        if cached is not None and all(a is b for a, b in zip(cached[0], made_from, strict=True)):
            return cached[1]
        fingerprint = self._make_fingerprint()
        self._fingerprint = (made_from, fingerprint)
        return fingerprint

    def _make_fingerprint(self) -> dict[str, str]:
        config = self.config
        summarize, chunk = self.summarize_template, self.chunk_template
        return {
            "engine": self.name,
            "model": config.model,
            "capability": config.capability,
            "server": self._client.profile.name,
            "request_constraints": "paragraph-count,key-points<=7,field-guide",
            "prompt_template": summarize.name,
            "prompt_version": summarize.version,
            "prompt_fingerprint": summarize.fingerprint,
            "chunk_prompt": f"{chunk.name}/{chunk.version}/{chunk.fingerprint}",
            "schema_hash": response_schema(SummaryDraft)[2],
            "chunk_schema_hash": (
                f"{response_schema(SummaryOutline)[2]}/{response_schema(ChunkTranslation)[2]}"
            ),
            "temperature": str(config.temperature),
            "max_output_tokens": str(config.max_output_tokens),
            "max_reasks": str(config.max_reasks),
            "chunk_chars": str(config.chunk_chars),
            "few_shot": str(self.few_shot),
            "extra_body": json.dumps(config.extra_body or {}, sort_keys=True, default=str),
            # Only when set, so that caches made without it stay valid.
            **({"year_hint": str(self.year_hint)} if self.year_hint is not None else {}),
        }

    async def summarize(self, document: Document, analysis: Analysis) -> ArticleSummary:
        """Summarize and translate one article; raises ``SummarizerError`` subclasses.

        Every model call is logged (``summarizer.calllog``) with this engine's prompt and options;
        the result's ``meta.call_ids`` (or the error's ``call_ids``) name them.
        """
        template = self.summarize_template
        analysis = self._dated(document, analysis)
        with call_context(
            engine=self.name,
            prompt_template=template.name,
            prompt_version=template.version,
            options=self._current_fingerprint(),
            library_version=__version__,
        ) as call_ids:
            try:
                return await self._summarize(document, analysis, call_ids)
            except SummarizerError as error:
                error.call_ids = list(call_ids)
                raise

    async def _summarize(
        self, document: Document, analysis: Analysis, call_ids: list[str]
    ) -> ArticleSummary:
        client = self._client
        spent = seconds_spent_in_article()
        if spent >= self.config.deadline:
            raise DeadlineExceededError(
                f"the article's deadline of {self.config.deadline:g} s was used up preparing its "
                f"text ({spent:.1f} s) before any model call; raise it with --deadline (or "
                "SUMMARIZER_DEADLINE)"
            )
        ledger = _Ledger(
            capability=client.capability,
            deadline_at=client.now() + self.config.deadline - spent,
            call_ids=call_ids,
        )
        hints = _hints(document, analysis)
        facts = source_facts(document, analysis, year_hint=self.year_hint)
        paragraphs = [paragraph.text for paragraph in document.paragraphs]
        if client.may_detect and client.context_window is None:
            # Chunks are sized from the window: learn it before cutting, not at the first send,
            # when the whole-article request (prompt and answer) is long enough for it to matter.
            whole = self._summary_ask(document, hints, True)
            if self._prompt_tokens(whole) + self._output_cap(whole) > PROBE_ABOVE_TOKENS:
                left = ledger.deadline_at - client.now()
                await client.detect_server(timeout=max(0.1, min(5.0, left)))
        while True:
            sizing = client.sizing
            try:
                chunks, draft = await self._draft(
                    client, document, hints, paragraphs, ledger, facts
                )
                break
            except PromptTooLongError:
                # A refusal taught the client the server's own token count (or window): plan
                # the article again with it; a plan that still cannot fit is refused.
                if client.sizing == sizing or ledger.replans >= MAX_REPLANS:
                    raise
                ledger.replans += 1
        summary = ArticleSummary.from_draft(
            draft, document.source_info(), self._meta(ledger, max(1, len(chunks)))
        )
        if ledger.unresolved:
            summary = drop_failing(summary, lambda kept: check_content(kept, document, facts))
        return summary

    async def _draft(
        self,
        client: ChatClient,
        document: Document,
        hints: dict[str, Any],
        paragraphs: list[str],
        ledger: _Ledger,
        facts: SourceFacts,
    ) -> tuple[list[tuple[int, list[str]]], SummaryDraft]:
        """The article's chunks and its draft, planned from the client's current sizing."""
        self._check_window(document, hints)
        chunks = _chunks(paragraphs, self._chunk_chars())
        if len(chunks) == 1 and not self._fits(self._summary_ask(document, hints, True)):
            # One paragraph whose whole draft does not fit: outline and translation apart.
            draft = await self._summarize_in_chunks(client, document, hints, chunks, ledger, facts)
        elif len(chunks) <= 1:
            ask = self._summary_ask(document, hints, True, facts=facts)
            draft = cast("SummaryDraft", await self._ask(client, ask, ledger))
        else:
            draft = await self._summarize_in_chunks(client, document, hints, chunks, ledger, facts)
        return chunks, draft

    # --- the seam for answers made elsewhere (the Batch API) -------------------------------------

    def request_body(self, document: Document, analysis: Analysis) -> dict[str, Any]:
        """The chat completions body the online path would send first, at the current capability.

        For sending the same question another way (the Batch API); ``accept`` takes the answer.
        The engine's ``year_hint`` (else the publication date) applies here as in ``summarize``.
        """
        analysis = self._dated(document, analysis)
        ask = self._summary_ask(document, _hints(document, analysis), True)
        capability = self._client.capability
        return self._client.request_body(
            _message_builder(ask, self._client, ())(capability),
            capability=capability,
            schema_name=ask.output.__name__,
            schema=ask.schema.schema,
            max_output_tokens=self._output_cap(ask),
        )

    def accept(
        self, document: Document, content: str, usage: TokenUsage | None = None
    ) -> ArticleSummary:
        """The summary from an answer to ``request_body``: parsed and validated as online.

        Raises ``OutputValidationError`` (with ``problems``) when the answer is unusable; there is
        no re-ask here, the caller decides (e.g. summarize the article online instead).
        """
        draft, problems = parse(content, SummaryDraft)
        if draft is not None:
            problems = check(draft, document, source_facts(document, year_hint=self.year_hint))
        failed = errors(problems) if draft is not None else problems
        if draft is None or failed:
            raise OutputValidationError(
                "the model's SummaryDraft answer is unusable: "
                + "; ".join(str(problem) for problem in failed[:3])
                + (f" (and {len(failed) - 3} more)" if len(failed) > 3 else ""),
                problems=[str(problem) for problem in failed],
            )
        spent = usage or TokenUsage()
        capability = self._client.capability
        ledger = _Ledger(
            attempts=[AttemptRecord(usage=spent, status_code=200, capability=capability)],
            usage=spent,
            capability=capability,
            warnings=problems,
        )
        return ArticleSummary.from_draft(draft, document.source_info(), self._meta(ledger, 1))

    def _meta(self, ledger: _Ledger, chunks: int) -> RunMeta:
        """What the user learns about how a summary was made (one assembly for every path)."""
        return RunMeta(
            engine=self.name,
            model=self.config.model,
            endpoint_host=endpoint_host(self.config),
            capability=ledger.capability,
            prompt_template=self.summarize_template.name,
            prompt_version=self.summarize_template.version,
            attempts=len(ledger.attempts),
            reasks=ledger.reasks,
            chunks=chunks,
            usage=ledger.usage,
            latency_ms=round(ledger.latency_ms, 3),
            ledger=ledger.attempts,
            status={problem.path or "output": for_users(problem) for problem in ledger.warnings},
            library_version=__version__,
            call_ids=list(ledger.call_ids),
        )

    def render_messages(
        self, document: Document, analysis: Analysis, capability: str = "json_schema"
    ) -> list[dict[str, Any]]:
        """The messages the first (unchunked) summarize call sends, for inspection and dry runs."""
        analysis = self._dated(document, analysis)
        ask = self._summary_ask(document, _hints(document, analysis), True)
        return _message_builder(ask, self._client, ())(capability)

    async def aclose(self) -> None:
        """Close the connections opened in the running loop now (the engine stays usable)."""
        await self._client.aclose()

    async def server_slots(self) -> int | None:
        """How many requests the server works on at once, asked once before any article is
        sent (``ChatClient.learn_server_slots``); ``None`` when it does not say."""
        return await self._client.learn_server_slots()

    def endpoint_capacity(self) -> int | None:
        """Requests this process sends to the endpoint at once now (``None``: no limit): the
        server's slots, lowered further after timeouts behind other requests; a batch keeps
        as many articles in flight (read it on the loop the requests run on)."""
        return self._client.endpoint_capacity

    def _dated(self, document: Document, analysis: Analysis) -> Analysis:
        """``analysis`` with year-less dates dated by ``year_hint``, else by the publication date
        (when the text leaves them undated); every path to the model uses the same dating."""
        if self.year_hint is not None:
            return with_year_hint(document, analysis, self.year_hint)
        return with_publication_year(document, analysis)

    # --- flow ------------------------------------------------------------------------------------

    def _output_cap(self, ask: _Ask) -> int:
        """The answer's token cap: ``max_output_tokens``, else sized from what is asked.

        A translation is about as many tokens as its source (one per CJK character, a little
        more in English); the rest of a draft is well under ``OUTLINE_OUTPUT_TOKENS``. A cap keeps
        a looping model (or random weights) from writing until the context is full, and lets the
        context check count the answer's room.
        """
        if self.config.max_output_tokens:
            return self.config.max_output_tokens
        source = sum(estimate_tokens(p.text) for p in ask.context["paragraphs"])
        translation = 2 * source + 200 if ask.paragraph_count else 0
        outline = OUTLINE_OUTPUT_TOKENS if ask.output is not ChunkTranslation else 0
        return translation + outline

    def _chunk_chars(self) -> int:
        """``chunk_chars``, smaller when the context window could not take a chunk's answer.

        A chunk's prompt is the fixed part (instructions, field guide, notes: at most
        ``PROMPT_OVERHEAD_TOKENS``) plus its text, about one token per CJK character; half of what
        is left keeps room for the answer, which is about as long.
        """
        budget = self._client.prompt_budget(self.config.max_output_tokens)
        if budget is None:
            return self.config.chunk_chars
        # Never above what the user chose: a smaller --chunk-chars is always taken.
        return min(self.config.chunk_chars, max(200, (budget - PROMPT_OVERHEAD_TOKENS) // 2))

    def _outline_fits(self, document: Document, hints: dict[str, Any]) -> bool:
        """Whether one summarize call over the whole article fits the context window."""
        budget = self._client.prompt_budget(self.config.max_output_tokens)
        if budget is None:
            return True
        return self._prompt_tokens(self._summary_ask(document, hints, False)) <= budget

    def _prompt_tokens(self, ask: _Ask) -> int:
        """The estimated prompt tokens of ``ask`` at the client's current rung."""
        messages = _message_builder(ask, self._client, ())(self._client.capability)
        return sum(4 + estimate_tokens(m["content"]) for m in messages)

    def _fits(self, ask: _Ask) -> bool:
        """Whether ``ask``'s prompt fits the context window beside its answer's reserve."""
        budget = self._client.prompt_budget(self._output_cap(ask))
        return budget is None or self._prompt_tokens(ask) <= budget

    def _check_window(self, document: Document, hints: dict[str, Any]) -> None:
        """A ``PromptTooLongError`` with the true reason when no chunk size can fit the window.

        The smallest requests this article can need are the outline and the translation of its
        longest paragraph alone (paragraphs are never split). When those do not fit, a smaller
        ``--chunk-chars`` cannot help: say whether the fixed part of the prompt (instructions,
        field guide, notes) with the answer's reserve already fills the window, or the paragraph.
        """
        window = self._client.context_window
        if window is None or not document.paragraphs:
            return
        index, longest = max(
            enumerate(paragraph.text for paragraph in document.paragraphs),
            key=lambda item: len(item[1]),
        )
        for ask in (
            self._chunk_ask(hints, index, [longest]),
            self._summary_ask(document, hints, False, (index, [longest])),
        ):
            budget = self._client.prompt_budget(self._output_cap(ask))
            prompt = self._prompt_tokens(ask)
            if budget is None or prompt <= budget:
                continue
            # In the server's tokens: the estimate times what a refusal taught the client.
            ratio = self._client.token_ratio
            paragraph = round(estimate_tokens(longest) * ratio)
            fixed, reserve = round(prompt * ratio) - paragraph, window - round(budget * ratio)
            what = "translation" if ask.output is ChunkTranslation else "summary"
            if fixed + reserve >= window:
                reason = (
                    f"cannot hold even the fixed part of a {what} request (instructions, field "
                    f"guide and notes: about {fixed:,} tokens) with the {reserve:,} tokens kept "
                    "for the answer, whatever --chunk-chars is"
                )
            else:
                reason = (
                    f"cannot hold the article's longest paragraph ({len(longest):,} characters, "
                    f"about {paragraph:,} tokens; paragraphs are never split, so --chunk-chars "
                    f"cannot help) with the fixed part of a {what} request (about {fixed:,} "
                    f"tokens) and the {reserve:,} tokens kept for the answer"
                )
            raise PromptTooLongError(
                f"the model's context window of {window:,} tokens{self._window_source()} "
                f"{reason}; use a model with a larger context window, or set --context-window "
                "(context_window) if the model takes more"
            )

    def _window_source(self) -> str:
        """Where the context window came from, for messages."""
        if self.config.context_window:
            return " (--context-window)"
        return " (as the server reports it)" if self._client.detected_window else ""

    async def _summarize_in_chunks(
        self,
        client: ChatClient,
        document: Document,
        hints: dict[str, Any],
        chunks: list[tuple[int, list[str]]],
        ledger: _Ledger,
        facts: SourceFacts,
    ) -> SummaryDraft:
        limit = asyncio.Semaphore(self.max_concurrent_calls)

        async def bounded(ask: _Ask) -> BaseModel:
            async with limit:
                return await self._ask(client, ask, ledger)

        whole = self._outline_fits(document, hints)
        outline_asks = (
            [self._summary_ask(document, hints, False, facts=facts)]
            if whole
            else [self._summary_ask(document, hints, False, part, facts) for part in chunks]
        )
        try:
            async with asyncio.TaskGroup() as group:
                outline_tasks = [group.create_task(bounded(ask)) for ask in outline_asks]
                chunk_tasks = [
                    group.create_task(bounded(self._chunk_ask(hints, first, texts)))
                    for first, texts in chunks
                ]
        except BaseExceptionGroup as failures:
            raise _first_summarizer_error(failures) from None
        translated: list[str] = []
        for task in chunk_tasks:
            translated.extend(cast("ChunkTranslation", task.result()).paragraphs_en)
        outline = _merge_outlines([task.result().model_dump() for task in outline_tasks])
        return SummaryDraft(**outline, translation=Translation(paragraphs_en=translated))

    async def _ask(self, client: ChatClient, ask: _Ask, ledger: _Ledger) -> BaseModel:
        """Call until the answer parses and passes the checks, re-asking up to ``max_reasks``."""
        schema = ask.schema.schema
        schema_name = ask.output.__name__
        follow_up: tuple[dict[str, str], ...] = ()
        problems: list[Problem] = []
        for round_number in range(self.config.max_reasks + 1):
            if round_number:
                ledger.reasks += 1
            if client.now() >= ledger.deadline_at:
                raise DeadlineExceededError(
                    f"the article's deadline of {self.config.deadline:g} s passed after "
                    f"{len(ledger.attempts)} attempt(s) and {ledger.reasks} re-ask(s); raise it "
                    "with --deadline (or SUMMARIZER_DEADLINE)",
                    attempts=ledger.attempts,
                )
            build = _message_builder(ask, client, follow_up)
            try:
                completion = await client.complete(
                    build,
                    schema_name=schema_name,
                    schema=schema,
                    max_output_tokens=self._output_cap(ask),
                    deadline_at=ledger.deadline_at,
                )
            except SummarizerError as error:
                ledger.attempts.extend(error.attempts)
                error.attempts = list(ledger.attempts)
                raise
            ledger.add(completion)
            parsed, problems = parse(completion.content, ask.output)
            if parsed is not None:
                problems = ask.check(parsed)
            if not errors(problems):
                ledger.warnings.extend(problems)
                return cast("BaseModel", parsed)
            ledger.mark_invalid(completion)
            mark_invalid(
                completion.call_id,
                "the answer failed validation: "
                + "; ".join(str(problem) for problem in errors(problems)[:3]),
            )
            follow_up = (
                {"role": "assistant", "content": completion.content},
                {
                    "role": "user",
                    "content": ask.template.render_reask(
                        problems=describe(errors(problems)), **ask.context
                    ),
                },
            )
        failed = errors(problems)
        if parsed is not None and all_droppable(problems):
            # Only per-item errors left: keep the answer, the summary drops those items and says
            # so in meta.status (engines.validation.salvage).
            ledger.unresolved = True
            ledger.warnings.extend(p for p in problems if p.severity == "warning")
            return parsed
        raise OutputValidationError(
            f"the model's {schema_name} output still failed validation after "
            f"{self.config.max_reasks} re-ask(s): {'; '.join(str(p) for p in failed[:3])}"
            + (f" (and {len(failed) - 3} more)" if len(failed) > 3 else "")
            + "; try a stronger model or a higher max_reasks",
            problems=[str(problem) for problem in failed],
            attempts=ledger.attempts,
        )

    # --- what to ask -----------------------------------------------------------------------------

    def _summary_ask(
        self,
        document: Document,
        hints: dict[str, Any],
        with_translation: bool,
        part: tuple[int, list[str]] | None = None,
        facts: SourceFacts | None = None,
    ) -> _Ask:
        """The summarize question: the whole article, or one ``part`` (map-reduce outlines).

        ``facts`` (what the code resolved from the article, as the prompt states it) are what
        the answer is checked against; made from ``document`` when not given."""
        first, paragraphs = part or (0, [paragraph.text for paragraph in document.paragraphs])
        context = {
            **hints,
            "fence": article_fence(_fenced_text("\n".join(paragraphs), hints)),
            "paragraphs": numbered_paragraphs(paragraphs, first + 1),
            "paragraph_count": len(paragraphs),
            "with_translation": with_translation,
            "examples": list(self.summarize_template.examples) if self.few_shot else [],
        }
        if with_translation:
            return _Ask(
                self.summarize_template,
                context,
                SummaryDraft,
                lambda draft: check(draft, document, facts),
                paragraph_count=len(paragraphs),
            )
        return _Ask(
            self.summarize_template,
            context,
            SummaryOutline,
            lambda outline: check_content(outline, document, facts),
        )

    def _chunk_ask(self, hints: dict[str, Any], first_index: int, texts: list[str]) -> _Ask:
        first_number = first_index + 1
        context = {
            **hints,
            "fence": article_fence(_fenced_text("\n".join(texts), hints)),
            "paragraphs": numbered_paragraphs(texts, first_number),
            "paragraph_count": len(texts),
            "first_number": first_number,
            "last_number": first_number + len(texts) - 1,
            "examples": list(self.chunk_template.examples) if self.few_shot else [],
        }
        return _Ask(
            self.chunk_template,
            context,
            ChunkTranslation,
            lambda chunk: check_translation(
                chunk.paragraphs_en, texts, path="paragraphs_en", first_number=first_number
            ),
            paragraph_count=len(texts),
        )


def _message_builder(
    ask: _Ask, client: ChatClient, follow_up: tuple[dict[str, str], ...]
) -> Callable[[str], list[dict[str, Any]]]:
    """The callback the client uses to (re)build messages for the rung it settled on.

    What the model is told about the fields depends on the rung and the server: nothing when the
    model sees the schema (OpenAI's json_schema), else the field guide. ``schema_json`` (the whole
    schema) is still given to templates that predate the guide, where decoding is unconstrained.
    Each call returns fresh dicts, so nothing the client or SDK does to them leaks back.
    """
    schema = ask.schema

    def build(capability: str) -> list[dict[str, Any]]:
        sees = client.model_sees_schema(capability)
        messages: list[dict[str, Any]] = ask.template.render(
            **ask.context,
            capability=capability,
            schema_json=None if sees or capability in CONSTRAINED_RUNGS else schema.text,
            field_guide=None if sees else schema.guide,
        )
        return messages + [dict(message) for message in follow_up]

    return build


def _merge_outlines(outlines: list[dict[str, Any]]) -> dict[str, Any]:
    """One outline from the outlines of consecutive parts (the reduce step, done in code).

    Headline and summary come from the first part (news leads with what matters); key points are
    taken in turn from each part, so every part is represented; names are deduplicated by how the
    article writes them. Evidence is untouched: each is an exact quote of its part, hence of the
    article.
    """
    if len(outlines) == 1:
        return outlines[0]
    merged = dict(outlines[0])
    points: list[Any] = []
    for round_index in range(max(len(o["key_points"]) for o in outlines)):
        for outline in outlines:
            if round_index < len(outline["key_points"]) and len(points) < MAX_KEY_POINTS:
                points.append(outline["key_points"][round_index])
    merged["key_points"] = points
    for name in ("people", "organizations", "places"):
        seen: dict[str, Any] = {}
        for outline in outlines:
            for item in outline[name]:
                seen.setdefault(item["name_as_written"], item)
        merged[name] = list(seen.values())
    merged["events"] = [event for outline in outlines for event in outline["events"]]
    topics: dict[str, None] = {}
    for outline in outlines:
        topics.update(dict.fromkeys(outline["topics"]))
    merged["topics"] = list(topics)[:6]
    return merged


def _chunks(paragraphs: Sequence[str], chunk_chars: int) -> list[tuple[int, list[str]]]:
    """Consecutive paragraphs grouped into chunks of at most ``chunk_chars`` characters.

    A paragraph longer than ``chunk_chars`` is a chunk of its own (paragraphs are never split: the
    translation keeps one English paragraph per source paragraph). A text that fits returns one
    chunk.
    """
    if sum(len(text) for text in paragraphs) + max(0, len(paragraphs) - 1) <= chunk_chars:
        return [(0, list(paragraphs))]
    chunks: list[tuple[int, list[str]]] = []
    start, size = 0, 0
    current: list[str] = []
    for index, text in enumerate(paragraphs):
        if current and size + len(text) > chunk_chars:
            chunks.append((start, current))
            start, size, current = index, 0, []
        current.append(text)
        size += len(text) + 1
    if current:
        chunks.append((start, current))
    return chunks


def _hints(document: Document, analysis: Analysis) -> dict[str, Any]:
    """Prompt slots from text handling: terminology, people, and damage the model should know."""
    terms: dict[str, TermHint] = {}
    for hit in analysis.glossary:
        if hit.english and hit.text not in terms and len(terms) < MAX_TERMS:
            terms[hit.text] = TermHint(hit.text, hit.english)
    people: dict[str, PersonHint] = {}
    for person in analysis.people:
        if person.text not in people and len(people) < MAX_PEOPLE:
            people[person.text] = PersonHint(
                person.text,
                person.name_en or "(romanize in Hanyu Pinyin)",
                person.titles,
                person.titles_en,
            )
    # The year of the dates written without one comes first, outside the budget: one line that
    # decides every date_iso (a long list of terms used to crowd it out of the seed's prompt).
    dated = _yearless_date_notes(analysis)
    notes = _damage_notes([*document.warnings, *analysis.warnings])
    budget = max(MIN_NOTES_TOKENS, int(NOTES_SHARE * estimate_tokens(document.text)))
    bounded = _bounded(
        {
            "terminology": list(terms.values()),
            "people": list(people.values()),
            "input_warnings": notes[: MAX_WARNINGS - len(dated)],
        },
        budget - sum(4 + estimate_tokens(note) for note in dated),
    )
    bounded["input_warnings"] = [*dated, *bounded["input_warnings"]]
    return bounded


#: Checks that passed with a warning, said for the reader of the result (the re-ask wording
#: addresses the model: "write 2 to 4").
_FOR_USERS = {
    "summary.sentences": "the summary has {found} (2 to 4 sentences were asked for)",
    "key_points.count": "the model gave {found} (3 to 7 were asked for)",
    "topics.count": "the model gave {found} (3 to 6 were asked for)",
    "name.not_in_source": "this name is not written this way in the article",
    "translation.too_short": (
        "this paragraph's translation is much shorter than its source and may leave something out"
    ),
}


def for_users(problem: Problem) -> str:
    """A warning as a reader of the summary should see it, not as the model was told it."""
    found = problem.message.split(";")[0].removeprefix("has ").strip()
    if found.startswith("1 items"):
        found = "1 item" + found[len("1 items") :]
    template = _FOR_USERS.get(problem.code)
    if template is not None:
        return template.format(found=found)
    return found


#: A date mention that states its year (2025年, 二〇二五年, 2025-12-13): the model needs no help.
_STATES_YEAR = re.compile(r"(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年|\d{4}\s*[-/.]")
#: At most this many year-less dates are spelled out for the model.
MAX_DATE_NOTES = 8


def _yearless_date_notes(analysis: Analysis) -> list[str]:
    """The ISO dates of mentions written without a year, when the article's year is known (from
    ``year_hint``, the publication date or a full date nearby): the model is told the year rather
    than left to guess it, and ``date_iso`` agrees with the offline analysis."""
    if any(warning.code == "date_year_unknown" for warning in analysis.warnings):
        return []
    dated: dict[str, str] = {}
    for mention in analysis.dates:
        if mention.iso and not _STATES_YEAR.search(mention.text) and mention.text not in dated:
            dated[mention.text] = mention.iso
    if not dated:
        return []
    listed = ", ".join(f"{text} = {iso}" for text, iso in list(dated.items())[:MAX_DATE_NOTES])
    return [f"dates written without a year: {listed}; write these date_iso values"]


def _damage_notes(warnings: Sequence[Any]) -> list[str]:
    """One short line per kind of damage: what the model should know, not how it was repaired."""
    counts: dict[str, int] = {}
    for warning in warnings:
        counts[warning.code] = counts.get(warning.code, 0) + 1
    notes = []
    for code, count in counts.items():
        text = _MODEL_NOTES.get(code) or code.replace("_", " ")
        notes.append(text + (f" ({count} places)" if count > 1 else ""))
    return notes


def _bounded(hints: dict[str, Any], budget: int) -> dict[str, Any]:
    """``hints`` cut to about ``budget`` tokens: people first, then terms, then damage notes."""
    kept: dict[str, list[Any]] = {"people": [], "terminology": [], "input_warnings": []}
    used = 0
    for slot in ("people", "terminology", "input_warnings"):
        for item in hints[slot]:
            cost = 4 + estimate_tokens(" ".join(_strings(item)))
            if used + cost > budget:
                break
            kept[slot].append(item)
            used += cost
    return kept


def _strings(item: Any) -> list[str]:
    if isinstance(item, str):
        return [item]
    parts: list[str] = []
    for value in item:
        parts.extend([value] if isinstance(value, str) else list(value))
    return parts


def _fenced_text(article: str, hints: dict[str, Any]) -> str:
    """Everything inside fences (article and notes): the fence nonce must occur in none of it."""
    parts = [article, *hints["input_warnings"]]
    parts += [f"{term.term} {term.english}" for term in hints["terminology"]]
    for person in hints["people"]:
        parts += [person.name, person.name_en, *person.titles, *person.titles_en]
    return "\n".join(parts)


def _first_summarizer_error(group: BaseExceptionGroup[BaseException]) -> BaseException:
    """The error to raise when concurrent calls fail: the first typed one, else the first."""
    leaves: list[BaseException] = []

    def collect(error: BaseException) -> None:
        if isinstance(error, BaseExceptionGroup):
            for inner in error.exceptions:
                collect(inner)
        else:
            leaves.append(error)

    collect(group)
    typed = [error for error in leaves if isinstance(error, SummarizerError)]
    return (typed or leaves)[0]
