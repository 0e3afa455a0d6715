"""Predictions: what an engine produced for each gold example, in the shape metrics read.

A predictions file is JSONL, one object per example, in one of three shapes:

* ``{"id": ..., "output": <ArticleSummary JSON>}``: what ``summarizer eval run`` writes (plus
  ``source_hash``, ``engine``, ``cached``); ``output`` is validated against the schema.
* ``{"id": ..., "error": {"kind": ..., "message": ...}}``: the engine failed on this example
  (it scores 0 on validity and fill rates and is excluded from quality means).
* the simple shape, for outputs made elsewhere: ``{"id": ..., "headline": str, "summary": str,
  "key_points": [str], "evidence": [str], "translation": [str], "people": [{"name": ...,
  "name_en": ...}], "organizations": [...], "places": [...], "events": [{"date_iso": ...,
  "description_en": ...}], "topics": [str]}``; every field optional: a field left out (or
  ``null``) is n/a and stays out of the means, a field present but empty scores 0. Schema
  validity does not apply to it (n/a).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from summarizer.errors import JSONLError, PredictionsError
from summarizer.jsonl import read_objects
from summarizer.schema import ArticleSummary


@dataclass(frozen=True)
class EntityOut:
    name: str
    name_en: str | None = None
    role_en: str | None = None


@dataclass(frozen=True)
class Output:
    """The fields metrics read, whatever shape the prediction came in."""

    headline: str | None = None
    summary: str | None = None
    key_points: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    people: tuple[EntityOut, ...] = ()
    organizations: tuple[EntityOut, ...] = ()
    places: tuple[EntityOut, ...] = ()
    events: tuple[tuple[str | None, str | None], ...] = ()  # (date_iso, description_en)
    topics: tuple[str, ...] = ()
    translation: tuple[str, ...] | None = None
    #: The normalized source the output refers to (from ``ArticleSummary.source``), if known.
    source_text: str | None = None
    source_paragraphs: tuple[str, ...] | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: float | None = None
    model: str | None = None
    engine: str | None = None
    summary_obj: ArticleSummary | None = field(default=None, compare=False, repr=False)
    #: The fields (names above) the prediction line actually gave; ``None``: all of them (a valid
    #: ``ArticleSummary`` has every field). A field not given is n/a for its metrics, not 0.
    given: frozenset[str] | None = None

    def has(self, name: str) -> bool:
        """Whether the prediction gave field ``name`` (an empty value counts as given)."""
        return self.given is None or name in self.given


@dataclass(frozen=True)
class Prediction:
    id: str
    output: Output | None
    #: True/False for ArticleSummary predictions; None for the simple shape (n/a).
    schema_valid: bool | None
    error: str | None = None
    cached: bool = False
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


def from_summary(summary: ArticleSummary) -> Output:
    usage = summary.meta.usage
    return Output(
        headline=summary.headline_en,
        summary=summary.summary_en,
        key_points=tuple(p.text_en or "" for p in summary.key_points),
        evidence=tuple(p.evidence for p in summary.key_points),
        people=tuple(EntityOut(p.name_as_written, p.name_en, p.role_en) for p in summary.people),
        organizations=tuple(EntityOut(o.name_as_written, o.name_en) for o in summary.organizations),
        places=tuple(EntityOut(p.name_as_written, p.name_en) for p in summary.places),
        events=tuple((e.date_iso, e.description_en) for e in summary.events),
        topics=tuple(summary.topics),
        translation=tuple(summary.translation.paragraphs_en) if summary.translation else None,
        source_text=summary.source.normalized_text,
        source_paragraphs=tuple(summary.source.paragraphs),
        prompt_tokens=usage.prompt_tokens,
        completion_tokens=usage.completion_tokens,
        latency_ms=summary.meta.latency_ms,
        model=summary.meta.model,
        engine=summary.meta.engine,
        summary_obj=summary,
    )


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item if isinstance(item, str) else str(item) for item in value if item is not None)


def _entities(value: Any) -> tuple[EntityOut, ...]:
    if not isinstance(value, list):
        return ()
    found = []
    for item in value:
        if isinstance(item, str):
            found.append(EntityOut(item))
        elif isinstance(item, Mapping):
            name = item.get("name") or item.get("name_as_written") or item.get("name_en") or ""
            found.append(EntityOut(str(name), _opt(item.get("name_en")), _opt(item.get("role_en"))))
    return tuple(found)


def _opt(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _events(value: Any) -> tuple[tuple[str | None, str | None], ...]:
    if not isinstance(value, list):
        return ()
    found: list[tuple[str | None, str | None]] = []
    for item in value:
        if isinstance(item, str):
            found.append((None, item))
        elif isinstance(item, Mapping):
            found.append((_opt(item.get("date_iso")), _opt(item.get("description_en"))))
    return tuple(found)


#: ``Output`` field -> the keys a loose line may give it under (the simple and the schema name).
_LOOSE_KEYS = {
    "headline": ("headline", "headline_en"),
    "summary": ("summary", "summary_en"),
    "key_points": ("key_points",),
    "evidence": ("evidence",),
    "people": ("people",),
    "organizations": ("organizations",),
    "places": ("places",),
    "events": ("events",),
    "topics": ("topics",),
    "translation": ("translation",),
}


def _given_fields(data: Mapping[str, Any]) -> frozenset[str]:
    """The ``Output`` fields a loose line gives: its key is there with a non-null value."""
    given = {
        name for name, keys in _LOOSE_KEYS.items() if any(data.get(key) is not None for key in keys)
    }
    key_points = data.get("key_points")
    if isinstance(key_points, list) and key_points and isinstance(key_points[0], Mapping):
        given.add("evidence")  # schema-shaped key points carry their own evidence
    return frozenset(given)


def from_loose(data: Mapping[str, Any]) -> Output:
    """An ``Output`` from the simple shape, or from an ArticleSummary that failed validation."""
    key_points = data.get("key_points")
    evidence = data.get("evidence")
    texts: tuple[str, ...] = ()
    if isinstance(key_points, list) and key_points and isinstance(key_points[0], Mapping):
        texts = tuple(str(p.get("text_en") or "") for p in key_points if isinstance(p, Mapping))
        evidence = [p.get("evidence") for p in key_points if isinstance(p, Mapping)]
    else:
        texts = _strings(key_points)
    translation = data.get("translation")
    if isinstance(translation, Mapping):
        translation = translation.get("paragraphs_en")
    source = data.get("source") if isinstance(data.get("source"), Mapping) else {}
    assert isinstance(source, Mapping)
    return Output(
        headline=_opt(data.get("headline", data.get("headline_en"))),
        summary=_opt(data.get("summary", data.get("summary_en"))),
        key_points=texts,
        evidence=_strings(evidence),
        people=_entities(data.get("people")),
        organizations=_entities(data.get("organizations")),
        places=_entities(data.get("places")),
        events=_events(data.get("events")),
        topics=_strings(data.get("topics")),
        translation=_strings(translation) if isinstance(translation, list) else None,
        source_text=_opt(source.get("normalized_text")),
        source_paragraphs=_strings(source.get("paragraphs")) or None,
        given=_given_fields(data),
    )


def parse_prediction(data: Mapping[str, Any], *, where: str = "") -> Prediction:
    identifier = data.get("id")
    if not isinstance(identifier, str) or not identifier:
        raise PredictionsError(f'{where}: every prediction needs a string "id"')
    cached = bool(data.get("cached", False))
    if data.get("error"):
        error = data["error"]
        message = error.get("kind", "error") if isinstance(error, Mapping) else str(error)
        return Prediction(identifier, None, False, str(message), cached, data)
    if "output" in data:
        raw_output = data["output"]
        if not isinstance(raw_output, Mapping):
            return Prediction(identifier, None, False, "output is not an object", cached, data)
        try:
            summary = ArticleSummary.model_validate(raw_output)
        except ValidationError:
            return Prediction(identifier, from_loose(raw_output), False, None, cached, data)
        return Prediction(identifier, from_summary(summary), True, None, cached, data)
    return Prediction(identifier, from_loose(data), None, None, cached, data)


def read_predictions(path: str | Path) -> list[Prediction]:
    """Parse a predictions JSONL file; a bad line is a ``PredictionsError`` naming it."""
    file = Path(path)
    try:
        with file.open("rb") as stream:
            return parse_lines(stream, where=str(file))
    except OSError as error:
        raise PredictionsError(f"cannot read predictions {file}: {error.strerror}") from None


def parse_lines(lines: Iterable[bytes | str], *, where: str = "") -> list[Prediction]:
    predictions: list[Prediction] = []
    seen: set[str] = set()
    try:
        for number, data in read_objects(lines, where=where, results=True):
            prediction = parse_prediction(data, where=f"{where}:{number}")
            if prediction.id in seen:
                raise PredictionsError(f"{where}:{number}: duplicate id {prediction.id!r}")
            seen.add(prediction.id)
            predictions.append(prediction)
    except JSONLError as error:
        raise PredictionsError(str(error)) from None
    return predictions
