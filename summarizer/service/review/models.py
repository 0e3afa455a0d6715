"""Pydantic models of the review page's API: opening outputs, saving gold examples, listing sets.

The reviewed summary reuses the library's own field models (``KeyPoint``, ``Person``...), so what a
reviewer edits is exactly what a model writes.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from summarizer.schema import ArticleSummary, Event, KeyPoint, NamedEntity, Person, Translation
from summarizer.service.models import ErrorDetail

SET_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReviewSession(_Strict):
    """Who the page is talking as (a key id and name, never the key) and what it may do."""

    key_id: str
    name: str
    read_only: bool


class ReviewOutput(_Strict):
    """One stored model output (an item of a summary or batch job), opened for review."""

    job_id: str
    job_kind: Literal["summary", "batch"]
    article_id: str
    status: Literal["queued", "running", "ok", "error", "cancelled"]
    result: ArticleSummary | None = None
    error: ErrorDetail | None = None


class ReviewArticle(_Strict):
    id: str
    status: str


class ReviewArticles(_Strict):
    """The finished articles of a job, to pick one to review."""

    job_id: str
    job_kind: Literal["summary", "batch"]
    articles: list[ReviewArticle]
    truncated: bool = Field(description="True when only the first articles are listed.")


class ReviewedSummary(_Strict):
    """The reviewer's corrected summary: the fields a model writes, every one editable."""

    headline_en: str | None = None
    summary_en: str | None = None
    key_points: list[KeyPoint] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    organizations: list[NamedEntity] = Field(default_factory=list)
    places: list[NamedEntity] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)
    translation: Translation | None = None

    @classmethod
    def of(cls, summary: ArticleSummary) -> ReviewedSummary:
        """The editable part of a model output (what the reviewer started from)."""
        return cls.model_validate(summary.model_dump(include=set(cls.model_fields)))


class OutputRef(_Strict):
    """Which stored model output the example was corrected from."""

    job_id: str = Field(min_length=1, max_length=200)
    article_id: str | None = Field(
        default=None, max_length=200, description="Required for batch jobs."
    )


class SaveExampleRequest(_Strict):
    output: OutputRef
    reviewed: ReviewedSummary
    example_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="The example's id in the set (default: the article id); saving an id "
        "that is already in the set replaces that example.",
    )
    source: str | None = Field(
        default=None,
        max_length=2_000_000,
        description="The article exactly as it was submitted; it must normalize to the output's "
        "normalized text. Without it the normalized text is stored as the source.",
    )
    note: str = Field(default="", max_length=4000, description="The reviewer's note.")
    license: str = Field(
        default="unspecified", min_length=1, max_length=500, description="The example's terms."
    )
    set_description: str | None = Field(
        default=None, max_length=2000, description="Used when this save creates the set."
    )


class FieldChange(_Strict):
    """One field the reviewer changed, by its path in the summary (e.g. ``people[2].name_en``)."""

    field: str
    before: Any = None
    after: Any = None


class EvalSetInfo(_Strict):
    name: str
    version: str
    signature: str = Field(description="name@version#hash, as score signatures name it.")
    examples: int
    description: str
    provenance: str
    license: str
    updated_at: str | None = None


class EvalSetList(_Strict):
    sets: list[EvalSetInfo]


class EvalExampleInfo(_Strict):
    id: str
    provenance: str
    reviewer: str | None = None
    reviewed_at: str | None = None
    changes: int | None = Field(default=None, description="Fields changed from the model output.")
    note: str | None = None


class EvalSetDetail(_Strict):
    set: EvalSetInfo
    examples: list[EvalExampleInfo]


class SavedExample(_Strict):
    set: EvalSetInfo
    example_id: str
    replaced: bool = Field(description="True when an example with this id was replaced.")
    changes: list[FieldChange]
