"""The engine that asks an OpenAI-compatible model: render prompt, call, parse, validate, re-ask.

Layers, each with one job:

* ``engines.client.ChatClient`` does the HTTP side: transport retries and the capability ladder
  (strict JSON schema -> JSON mode -> schema in the prompt). Transport errors never reach a prompt.
* This module does the content side: it renders the versioned prompt for whatever capability the
  client is using, parses the answer into ``SummaryDraft``, runs ``engines.validation`` and, when
  the answer has errors, re-asks: the original messages plus the invalid answer plus a message
  listing the problems (only the latest invalid answer is kept, so a re-ask costs one answer's
  tokens more, not all of them). After ``config.max_reasks`` re-asks it raises
  ``OutputValidationError`` with the problems and the full attempt ledger.

Long articles (``len(document.text) > config.chunk_chars``): the translation is the bulk of the
output, so it is made in chunks of consecutive paragraphs (``translate_chunk`` prompt, one
``ChunkTranslation`` per chunk, each checked for one English paragraph per source paragraph), while
one ``summarize`` call over the *whole* article writes everything else (``SummaryOutline``, the
draft minus its translation). The summarize call sees the exact article text, so its evidence spans
stay exact quotes; its input is long but its output stays short. All calls run concurrently
(bounded), and their usage, latency, attempts and re-asks are summed into ``meta``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, cast

from pydantic import BaseModel, create_model

from summarizer._version import __version__
from summarizer.config import ModelConfig
from summarizer.engines.client import ChatClient, Completion
from summarizer.engines.options import ENGINE_ONLY_OPTIONS, EngineOptions, ModelOptions
from summarizer.engines.prompts import (
    PersonHint,
    PromptTemplate,
    TermHint,
    article_fence,
    load_template,
    numbered_paragraphs,
)
from summarizer.engines.validation import (
    Problem,
    check,
    check_content,
    check_translation,
    describe,
    errors,
    parse,
)
from summarizer.errors import OutputValidationError, SummarizerError
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
from summarizer.text.document import Analysis, Document

#: At most this many hints of each kind go into a prompt (the rest cost tokens for little gain).
MAX_TERMS = 40
MAX_PEOPLE = 30
MAX_WARNINGS = 12
MAX_HINT_CHARS = 200


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


@dataclass
class _Ledger:
    """Everything spent on one article, over all calls, chunks and re-asks."""

    attempts: list[AttemptRecord] = field(default_factory=list)
    usage: TokenUsage = field(default_factory=TokenUsage)
    latency_ms: float = 0.0
    reasks: int = 0
    capability: str | None = None
    warnings: list[Problem] = field(default_factory=list)

    def add(self, completion: Completion) -> None:
        self.attempts.extend(completion.attempts)
        self.usage = self.usage + completion.usage
        self.latency_ms += completion.latency_ms
        self.capability = completion.capability

    def mark_invalid(self, completion: Completion) -> None:
        """Record that the answer of ``completion`` (its last attempt) failed validation."""
        if completion.attempts and self.attempts:
            last = self.attempts[-1]
            self.attempts[-1] = last.model_copy(
                update={"kind": "content", "error": OutputValidationError.__name__}
            )


@dataclass(frozen=True)
class _Ask:
    """One question to the model: which prompt, with what context, expecting which model."""

    template: PromptTemplate
    context: dict[str, Any]
    output: type[BaseModel]
    check: Callable[[Any], list[Problem]]


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
        client_factory: Callable[[ModelConfig], ChatClient] = ChatClient,
    ) -> None:
        self.config = config
        self.summarize_template = load_template("summarize", prompt_version)
        self.chunk_template = load_template("translate_chunk", chunk_prompt_version)
        self.few_shot = self.summarize_template.few_shot if few_shot is None else few_shot
        self.max_concurrent_calls = max(1, max_concurrent_calls)
        #: One client for the engine's life: it keeps what it learnt about the endpoint (e.g. that
        #: it lacks strict JSON schema) across calls, sync ones included.
        self._client = client_factory(config)

    @classmethod
    def from_options(cls, config: ModelConfig, options: EngineOptions) -> OpenAIEngine:
        """An engine on ``config``'s endpoint tuned by ``options`` (checked ``Options``)."""
        given = options.given()
        engine_only = {name: given.pop(name) for name in list(given) if name in ENGINE_ONLY_OPTIONS}
        return cls(config.with_options(**given) if given else config, **engine_only)

    def __repr__(self) -> str:
        return f"OpenAIEngine(model={self.config.model!r}, endpoint={self.config.endpoint_host!r})"

    # --- the Engine protocol ---------------------------------------------------------------------

    def fingerprint(self) -> dict[str, str]:
        """What determines the output (the cache key's parts): the model, the server profile when
        there is one, the prompts, the schemas and the sampling. Not the endpoint's address: the
        same model behind ``localhost:P``, ``127.0.0.1:P`` or a restarted server on another port
        answers the same. Never a secret."""
        config = self.config
        summarize, chunk = self.summarize_template, self.chunk_template
        return {
            "engine": self.name,
            "model": config.model,
            "server_profile": str(getattr(config, "server_profile", None) or ""),
            "capability": config.capability,
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
        }

    async def summarize(self, document: Document, analysis: Analysis) -> ArticleSummary:
        """Summarize and translate one article; raises ``SummarizerError`` subclasses."""
        client = self._client
        ledger = _Ledger(capability=client.capability)
        hints = _hints(document, analysis)
        paragraphs = [paragraph.text for paragraph in document.paragraphs]
        chunks = _chunks(paragraphs, self.config.chunk_chars)
        if len(chunks) <= 1:
            draft = cast(
                "SummaryDraft",
                await self._ask(client, self._summary_ask(document, hints, True), ledger),
            )
        else:
            draft = await self._summarize_in_chunks(client, document, hints, chunks, ledger)
        return ArticleSummary.from_draft(
            draft, document.source_info(), self._meta(ledger, max(1, len(chunks)))
        )

    # --- the seam for answers made elsewhere (the Batch API) -------------------------------------

    def request_body(self, document: Document, analysis: Analysis) -> dict[str, Any]:
        """The chat completions body the online path would send first, at the current capability.

        For sending the same question another way (the Batch API); ``accept`` takes the answer.
        """
        ask = self._summary_ask(document, _hints(document, analysis), True)
        schema, schema_text, _ = response_schema(ask.output)
        capability = self._client.capability
        return self._client.request_body(
            _message_builder(ask, schema_text, ())(capability),
            capability=capability,
            schema_name=ask.output.__name__,
            schema=schema,
            max_output_tokens=self.config.max_output_tokens,
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
            problems = check(draft, document)
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
            endpoint_host=self.config.endpoint_host,
            capability=ledger.capability,
            prompt_template=self.summarize_template.name,
            prompt_version=self.summarize_template.version,
            attempts=len(ledger.attempts),
            reasks=ledger.reasks,
            chunks=chunks,
            usage=ledger.usage,
            latency_ms=round(ledger.latency_ms, 3),
            ledger=ledger.attempts,
            status={problem.path or "output": problem.message for problem in ledger.warnings},
            library_version=__version__,
        )

    def render_messages(
        self, document: Document, analysis: Analysis, capability: str = "json_schema"
    ) -> list[dict[str, Any]]:
        """The messages the first (unchunked) summarize call sends, for inspection and dry runs."""
        ask = self._summary_ask(document, _hints(document, analysis), True)
        return _message_builder(ask, response_schema(ask.output)[1], ())(capability)

    async def aclose(self) -> None:
        """Close the connections opened in the running loop now (the engine stays usable)."""
        await self._client.aclose()

    # --- flow ------------------------------------------------------------------------------------

    async def _summarize_in_chunks(
        self,
        client: ChatClient,
        document: Document,
        hints: dict[str, Any],
        chunks: list[tuple[int, list[str]]],
        ledger: _Ledger,
    ) -> SummaryDraft:
        limit = asyncio.Semaphore(self.max_concurrent_calls)

        async def bounded(ask: _Ask) -> BaseModel:
            async with limit:
                return await self._ask(client, ask, ledger)

        try:
            async with asyncio.TaskGroup() as group:
                outline_task = group.create_task(bounded(self._summary_ask(document, hints, False)))
                chunk_tasks = [
                    group.create_task(bounded(self._chunk_ask(hints, first, texts)))
                    for first, texts in chunks
                ]
        except BaseExceptionGroup as failures:
            raise _first_summarizer_error(failures) from None
        translated: list[str] = []
        for task in chunk_tasks:
            translated.extend(cast("ChunkTranslation", task.result()).paragraphs_en)
        outline = outline_task.result().model_dump()
        return SummaryDraft(**outline, translation=Translation(paragraphs_en=translated))

    async def _ask(self, client: ChatClient, ask: _Ask, ledger: _Ledger) -> BaseModel:
        """Call until the answer parses and passes the checks, re-asking up to ``max_reasks``."""
        schema, schema_text, _ = response_schema(ask.output)
        schema_name = ask.output.__name__
        follow_up: tuple[dict[str, str], ...] = ()
        problems: list[Problem] = []
        for round_number in range(self.config.max_reasks + 1):
            if round_number:
                ledger.reasks += 1
            build = _message_builder(ask, schema_text, follow_up)
            try:
                completion = await client.complete(
                    build,
                    schema_name=schema_name,
                    schema=schema,
                    max_output_tokens=self.config.max_output_tokens,
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
        self, document: Document, hints: dict[str, Any], with_translation: bool
    ) -> _Ask:
        paragraphs = [paragraph.text for paragraph in document.paragraphs]
        context = {
            **hints,
            "fence": article_fence(_fenced_text(document.text, hints)),
            "paragraphs": numbered_paragraphs(paragraphs),
            "paragraph_count": len(paragraphs),
            "with_translation": with_translation,
            "examples": list(self.summarize_template.examples) if self.few_shot else [],
        }
        if with_translation:
            return _Ask(
                self.summarize_template,
                context,
                SummaryDraft,
                lambda draft: check(draft, document),
            )
        return _Ask(
            self.summarize_template,
            context,
            SummaryOutline,
            lambda outline: check_content(outline, document),
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
        )


def _message_builder(
    ask: _Ask, schema_text: str, follow_up: tuple[dict[str, str], ...]
) -> Callable[[str], list[dict[str, Any]]]:
    """The callback the client uses to (re)build messages for the capability it settled on.

    The schema goes into the prompt only when the endpoint cannot enforce it (JSON mode, prompt).
    Each call returns fresh dicts, so nothing the client or SDK does to them leaks back.
    """

    def build(capability: str) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = ask.template.render(
            **ask.context,
            capability=capability,
            schema_json=None if capability == "json_schema" else schema_text,
        )
        return messages + [dict(message) for message in follow_up]

    return build


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
    notes = [f"{warning.code}: {warning.message}" for warning in document.warnings]
    notes += [f"{warning.code}: {warning.message}" for warning in analysis.warnings]
    # Uncertain repairs the warnings do not already describe (the model may want to hedge them).
    notes += [
        f"uncertain repair ({repair.kind}): {repair.original!r} -> {repair.replacement!r}"
        for repair in document.repairs
        if not repair.certain and not any(repair.original in note for note in notes)
    ]
    return {
        "terminology": list(terms.values()),
        "people": list(people.values()),
        "input_warnings": [_clip(note) for note in notes[:MAX_WARNINGS]],
    }


def _fenced_text(article: str, hints: dict[str, Any]) -> str:
    """Everything inside fences (article and notes): the fence nonce must occur in none of it."""
    parts = [article, *hints["input_warnings"]]
    parts += [f"{term.term} {term.english}" for term in hints["terminology"]]
    for person in hints["people"]:
        parts += [person.name, person.name_en, *person.titles, *person.titles_en]
    return "\n".join(parts)


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_HINT_CHARS else text[: MAX_HINT_CHARS - 1] + "…"


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
