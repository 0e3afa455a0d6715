"""Pydantic models of results, and the strict JSON schema sent to models.

Two families live here:

* ``SummaryDraft`` (and the models it contains) is what a model must write. Its field descriptions
  are the instructions the model reads in the JSON schema, so they are written for the model.
* ``ArticleSummary`` is what a user gets: the draft's content (nullable where an engine without a
  model cannot fill it), plus ``source`` (what we did to the input) and ``meta`` (how it was made).

``strict_json_schema`` turns any model into a schema that OpenAI's strict structured outputs accept
(every property required, ``additionalProperties: false``, nullable instead of optional).
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class StrictModel(BaseModel):
    """Base of every model we exchange: unknown keys are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


# --- what the model writes


class KeyPoint(StrictModel):
    text_en: str | None = Field(
        description="One key point of the article, as one English sentence.",
    )
    evidence: str = Field(
        description=(
            "The exact span of the ARTICLE (copied character for character, in the original "
            "language, as given between the article markers) that supports this key point."
        ),
    )


class Person(StrictModel):
    name_as_written: str = Field(description="The person's name exactly as written in the article.")
    name_en: str | None = Field(
        description="The name in English (Hanyu Pinyin for Chinese names, surname first).",
    )
    role_as_written: str | None = Field(
        description="The person's titles/roles exactly as written in the article, or null.",
    )
    role_en: str | None = Field(description="The titles/roles in English, or null.")
    organization_en: str | None = Field(
        description="The organization the person belongs to, in English, or null.",
    )


class NamedEntity(StrictModel):
    name_as_written: str = Field(description="The name exactly as written in the article.")
    name_en: str | None = Field(description="The name in English.")


class Event(StrictModel):
    date_as_written: str | None = Field(
        description="The date expression exactly as written in the article, or null.",
    )
    date_iso: str | None = Field(
        description="The date as YYYY-MM-DD (or YYYY-MM, YYYY) when determinable, else null.",
    )
    description_en: str | None = Field(description="What happened, in one English sentence.")


class Translation(StrictModel):
    paragraphs_en: list[str] = Field(
        description=(
            "A faithful, complete English translation of the article: exactly one English "
            "paragraph per source paragraph, in the same order."
        ),
    )


class SummaryDraft(StrictModel):
    """The part of an ``ArticleSummary`` that a model writes."""

    headline_en: str = Field(description="A concise, factual English headline.")
    summary_en: str = Field(description="An English abstract of 2 to 4 sentences.")
    key_points: list[KeyPoint] = Field(
        description="The 3 to 7 most important points, each with its supporting evidence span.",
    )
    people: list[Person] = Field(description="People named in the article.")
    organizations: list[NamedEntity] = Field(description="Organizations named in the article.")
    places: list[NamedEntity] = Field(description="Places named in the article.")
    events: list[Event] = Field(description="Dated events reported in the article.")
    topics: list[str] = Field(description="3 to 6 short English topic labels.")
    translation: Translation


class ChunkTranslation(StrictModel):
    """What a model writes for one chunk of a long article (translation only)."""

    paragraphs_en: list[str] = Field(
        description="Exactly one English paragraph per source paragraph of this chunk, in order.",
    )


# --- what the library adds


class Repair(StrictModel):
    """One change made to the input text, kept so that nothing is silently dropped or invented.

    The repairs of one text never overlap, in the input or in the normalized text: putting each
    ``replacement`` over ``original_start:original_end`` of the input gives the normalized text.
    """

    kind: str = Field(description="e.g. pinyin_annotation, damaged_annotation, mojibake, html, ...")
    original: str
    replacement: str
    original_start: int = Field(description="Offset in the decoded input text.")
    original_end: int
    normalized_start: int = Field(description="Offset in the normalized text.")
    normalized_end: int
    certain: bool = True
    note: str = ""


class InputWarning(StrictModel):
    """Something about the input a reader (or the model) should know."""

    code: str
    message: str
    start: int | None = Field(default=None, description="Offset in the normalized text.")
    end: int | None = None


class SourceInfo(StrictModel):
    language: str = Field(description="Detected language code, e.g. 'zh' or 'en'.")
    script: Literal["traditional", "simplified", "mixed", "latin", "none"]
    encoding: str = Field(description="How the bytes were decoded (or 'str' when given text).")
    normalized_text: str = Field(description="The text that evidence spans and offsets refer to.")
    paragraphs: list[str] = Field(description="The normalized paragraphs, in order.")
    repairs: list[Repair] = Field(default_factory=list)
    warnings: list[InputWarning] = Field(default_factory=list)


class TokenUsage(StrictModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0

    def __add__(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            total_tokens=self.total_tokens + other.total_tokens,
        )


class AttemptRecord(StrictModel):
    """One call to the endpoint: what it cost and how it ended."""

    kind: Literal["transport", "content"] = "transport"
    usage: TokenUsage = Field(default_factory=TokenUsage)
    latency_ms: float = 0.0
    error: str | None = Field(default=None, description="Error class name, or null on success.")
    status_code: int | None = None
    capability: str | None = None
    raw_answer: str | None = Field(
        default=None, description="The model's answer, kept when it failed validation."
    )


class RunMeta(StrictModel):
    engine: str
    model: str | None = None
    endpoint_host: str | None = Field(default=None, description="Host of the base URL, no secrets.")
    capability: str | None = Field(
        default=None,
        description=(
            "How structured output was asked for: json_schema, json_object_schema, "
            "ollama_format, json_object or prompt (see summarizer.engines.profiles)."
        ),
    )
    prompt_template: str | None = None
    prompt_version: str | None = None
    attempts: int = 0
    reasks: int = 0
    chunks: int = 1
    usage: TokenUsage = Field(default_factory=TokenUsage)
    latency_ms: float = 0.0
    ledger: list[AttemptRecord] = Field(default_factory=list)
    status: dict[str, str] = Field(
        default_factory=dict,
        description="Per field: why it is empty or partial (e.g. 'translation needs a model').",
    )
    library_version: str = ""
    call_ids: list[str] = Field(
        default_factory=list,
        description="Ids of the model calls in the call log (`summarizer logs show ID`).",
    )


class ArticleSummary(StrictModel):
    """The structured summary of one article."""

    headline_en: str | None
    summary_en: str | None
    key_points: list[KeyPoint]
    people: list[Person]
    organizations: list[NamedEntity]
    places: list[NamedEntity]
    events: list[Event]
    topics: list[str]
    translation: Translation | None
    source: SourceInfo
    meta: RunMeta

    @classmethod
    def from_draft(cls, draft: SummaryDraft, source: SourceInfo, meta: RunMeta) -> ArticleSummary:
        return cls(**draft.model_dump(), source=source, meta=meta)


# --- strict JSON schema

#: Keywords OpenAI strict mode rejects or ignores; dropped from the schema we send.
_UNSUPPORTED_KEYWORDS = ("default", "title", "examples", "format")


def strict_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema of ``model`` made acceptable to OpenAI strict structured outputs.

    Every object lists all its properties as required and forbids others; optional values are
    expressed as ``anyOf [..., null]`` (pydantic already does this for ``X | None``).
    """
    schema = copy.deepcopy(model.model_json_schema())
    _make_strict(schema)
    return schema


def _make_strict(node: Any) -> None:
    """Rewrite one schema node (and everything below it) in place."""
    if isinstance(node, list):
        for item in node:
            _make_strict(item)
        return
    if not isinstance(node, dict):
        return
    for keyword in _UNSUPPORTED_KEYWORDS:
        node.pop(keyword, None)
    properties = node.get("properties")
    if isinstance(properties, dict):
        node["required"] = list(properties)
        node["additionalProperties"] = False
        for property_schema in properties.values():
            _make_strict(property_schema)
    for keyword, value in node.items():
        if keyword == "$defs":
            for definition in value.values():
                _make_strict(definition)
        elif keyword in ("items", "anyOf", "allOf", "oneOf", "prefixItems"):
            _make_strict(value)
    if node.get("type") == "object" and "properties" not in node and "additionalProperties" in node:
        # Free-form maps (dict[str, X]) are not allowed in strict mode; models sent must avoid them.
        raise ValueError("strict structured outputs do not allow free-form objects")


def schema_hash(model: type[BaseModel]) -> str:
    """A short content hash of the strict schema: part of every cache key."""
    payload = json.dumps(strict_json_schema(model), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]
