"""Pydantic models of the HTTP API: request bodies, responses and the typed error body.

These are the single source of the OpenAPI document (``/openapi.json``); results are the library's
own ``ArticleSummary``, not a copy of it.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from summarizer.engines.options import MAX_YEAR_HINT, MIN_YEAR_HINT
from summarizer.errors import (
    ConfigError,
    DeadlineExceededError,
    InputError,
    ModelOutputError,
    SummarizerError,
    TransportError,
)
from summarizer.schema import ArticleSummary, InputWarning, Repair
from summarizer.service.batch_bridge import OPTIONS_KEY, per_record_options_message

Capability = Literal["auto", "json_schema", "json_object", "prompt"]
ItemStatus = Literal["queued", "running", "ok", "error", "cancelled"]


class _Strict(BaseModel):
    # strict: JSON types as documented (no 0 for false, no "5" for 5); extra names refused.
    model_config = ConfigDict(extra="forbid", strict=True)


class SummaryOptions(_Strict):
    """Engine options for one request; unknown names are refused (422)."""

    max_reasks: int | None = Field(
        default=None, ge=0, le=5, description="Re-asks with validation errors before giving up."
    )
    capability: Capability | None = Field(
        default=None, description="Structured-output mode; auto steps down when rejected."
    )
    prompt_version: str | None = Field(
        default=None,
        pattern=r"^(latest|v[0-9]{1,3})$",
        description="Version of the summarize prompt: latest or e.g. v1.",
    )
    few_shot: bool | None = Field(default=None, description="Include the prompt's examples.")
    deadline: float | None = Field(
        default=None,
        gt=0,
        le=600,
        allow_inf_nan=False,
        description=(
            "Seconds for the whole article: text preparation, the model call, retries and re-asks."
        ),
    )

    year_hint: int | None = Field(
        default=None,
        ge=MIN_YEAR_HINT,
        le=MAX_YEAR_HINT,
        description="The publication year, for dates written without one (12月13日, 明年).",
    )

    def engine_options(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class SummaryRequest(_Strict):
    text: str = Field(min_length=1, pattern=r"\S", description="The article: plain text or HTML.")
    id: str = Field(default="article", min_length=1, max_length=200, description="Your id.")
    options: SummaryOptions = Field(default_factory=SummaryOptions)
    mode: Literal["sync", "async"] = Field(
        default="sync",
        description="sync: wait up to wait_seconds, then 202; async: 202 at once.",
    )
    wait_seconds: float | None = Field(
        default=None,
        ge=0,
        le=600,
        allow_inf_nan=False,
        description="How long to wait in sync mode (server default).",
    )


class ErrorDetail(_Strict):
    kind: str = Field(description="The library's error kind, e.g. input.empty, quota.exceeded.")
    message: str


class ErrorBody(_Strict):
    error: ErrorDetail


class SummaryJob(_Strict):
    """A summary job: its status, and the result or error once it has ended."""

    id: str
    status: ItemStatus
    url: str
    result: ArticleSummary | None = None
    error: ErrorDetail | None = None
    accepted_because: Literal["asked", "deadline_predicted", "deadline_reached"] | None = Field(
        default=None,
        description="Why a 202 came instead of the result: async mode was asked, the queue "
        "predicted a wait past the deadline, or the deadline passed.",
    )


#: What to do instead of per-item options (the service's words for them).
ITEM_OPTIONS_REMEDY = 'give options for the whole batch (the body\'s "options" or the query string)'


class BatchItem(BaseModel):
    """One article of a batch; keys other than id and text are kept as metadata, except
    ``options``: per-item options are refused (422), not kept as metadata and left unapplied."""

    model_config = ConfigDict(
        extra="allow", strict=True, json_schema_extra={"not": {"required": [OPTIONS_KEY]}}
    )

    id: str | int
    text: str = Field(min_length=1, pattern=r"\S", description="The article: plain text or HTML.")

    @model_validator(mode="before")
    @classmethod
    def _no_item_options(cls, value: Any) -> Any:
        if isinstance(value, dict) and OPTIONS_KEY in value:
            raise ValueError(per_record_options_message(remedy=ITEM_OPTIONS_REMEDY))
        return value


class BatchRequest(_Strict):
    items: list[BatchItem] = Field(min_length=1)
    options: SummaryOptions = Field(default_factory=SummaryOptions)


class BatchCreated(_Strict):
    id: str
    url: str
    results_url: str
    total: int


class BatchStatus(_Strict):
    id: str
    state: Literal["queued", "running", "done", "cancelled"]
    total: int
    counts: dict[str, int] = Field(description="Items by status (queued, running, ok, error...).")
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float | None = Field(description="Estimated; null when the model has no price.")
    eta_seconds: float | None = Field(description="Estimated time to finish; null when unknown.")
    created_at: float
    finished_at: float | None


class ResultLine(_Strict):
    """One line of ``GET /v1/batches/{id}/results`` (JSONL)."""

    id: str
    status: Literal["ok", "error", "cancelled"]
    metadata: dict[str, Any] = Field(default_factory=dict)
    result: ArticleSummary | None = None
    error: ErrorDetail | None = None


class NormalizeRequest(_Strict):
    text: str = Field(min_length=1)


class NormalizeResponse(_Strict):
    text: str
    encoding: str
    script: str
    language: str
    repairs: list[Repair]
    warnings: list[InputWarning]


class Health(_Strict):
    status: Literal["ok"]


class Readiness(_Strict):
    status: Literal["ready", "not_ready"]
    checks: dict[str, str]


def status_for_kind(kind: str) -> int:
    """The HTTP status of a library error kind (also used for errors stored with a job)."""
    if kind == "input.too_large":
        return 413
    if kind.startswith("input"):
        return 400
    if kind.startswith("config"):
        return 422
    if kind == DeadlineExceededError.kind:
        return 504
    if kind.startswith(("transport", "model_output")):
        return 502
    if kind == "cancelled":
        return 409
    return 500


def status_for(error: SummarizerError) -> int:
    status = getattr(error, "status", None)
    if isinstance(status, int):
        return status
    if isinstance(error, InputError):
        return 413 if error.kind == "input.too_large" else 400
    if isinstance(error, ConfigError):
        return 422
    if isinstance(error, DeadlineExceededError):
        return 504
    if isinstance(error, TransportError | ModelOutputError):
        return 502
    return status_for_kind(error.kind)
