"""Score one prediction against one gold example: every metric, as a flat ``name -> value`` map.

A value of ``None`` means "does not apply" (no reference for it, or nothing to score) and is left
out of means; a failed example scores 0 on validity and fill rates and ``None`` elsewhere, so that
failures show in the validity rate instead of silently lowering (or raising) quality means.

Every metric produced here is described (family, direction, display) in
``summarizer.eval.metrics``; ``summarizer.eval.signature`` describes how each family is computed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from summarizer.engines.validation import check_content
from summarizer.eval.entities import prf, reference_entities
from summarizer.eval.goldset import Example
from summarizer.eval.grounding import Flag, check_text_grounding, check_translation_grounding
from summarizer.eval.metrics import FILL_FIELDS, GROUNDING_FLAG_KINDS
from summarizer.eval.outputs import Output, Prediction
from summarizer.eval.rouge import rouge_scores_multi
from summarizer.eval.translation import document_scores
from summarizer.text.chars import HAN_CHAR
from summarizer.text.document import Document, Span
from summarizer.text.matching import han_runs

_WORDS = re.compile(r"[A-Za-z0-9]+")
_HAN = HAN_CHAR


@dataclass
class ExampleScore:
    id: str
    metrics: dict[str, float | None]
    flags: list[Flag] = field(default_factory=list)
    error: str | None = None
    cached: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "metrics": self.metrics,
            "flags": [
                {"code": f.code, "paragraph": f.paragraph, "text": f.text, "message": f.message}
                for f in self.flags
            ],
            "error": self.error,
            "cached": self.cached,
        }


def document_from_text(text: str, paragraphs: Sequence[str] | None = None) -> Document:
    """A minimal ``Document`` (text + paragraph spans) for checks that read only those."""
    paragraph_texts = (
        list(paragraphs)
        if paragraphs is not None
        else [line.strip() for line in text.split("\n") if line.strip()]
    )
    spans = []
    cursor = 0
    for paragraph in paragraph_texts:
        start = text.find(paragraph, cursor)
        start = cursor if start < 0 else start
        spans.append(Span(start, start + len(paragraph), paragraph))
        cursor = start + len(paragraph)
    return Document(
        original=text,
        text=text,
        language="zh",
        script="none",
        encoding="str",
        paragraphs=tuple(spans),
        sentences=(),
    )


def source_document(example: Example, output: Output | None) -> Document:
    """The source as the output saw it: its own ``source`` block when present, else prepared."""
    if output is not None and output.source_text is not None:
        return document_from_text(output.source_text, output.source_paragraphs)
    return prepared(example.source)


@lru_cache(maxsize=1024)
def prepared(source: str) -> Document:
    """The source repaired and normalized exactly as an engine would receive it."""
    from summarizer.errors import InputError
    from summarizer.text import prepare

    try:
        return prepare(source)
    except InputError:  # an unusable source: check against its plain lines
        return document_from_text(source)


def score_example(
    example: Example,
    prediction: Prediction | None,
    *,
    document: Document | None = None,
    price_per_mtok: tuple[float, float] | None = None,
) -> ExampleScore:
    """All metrics of one prediction (``None`` prediction: the engine produced nothing)."""
    metrics: dict[str, float | None] = {}
    output = prediction.output if prediction is not None else None
    if prediction is not None and prediction.schema_valid is not None:
        metrics["schema_valid"] = 1.0 if prediction.schema_valid else 0.0
    elif prediction is None:
        metrics["schema_valid"] = 0.0
    if output is None:
        for name in FILL_FIELDS:
            metrics[f"fill.{name}"] = 0.0
        error = prediction.error if prediction is not None else "missing prediction"
        return ExampleScore(
            example.id, metrics, [], error or "no output", bool(prediction and prediction.cached)
        )

    _fill(metrics, output)
    _reference_metrics(metrics, example, output)
    doc = document if document is not None else source_document(example, output)
    flags = _grounding(metrics, output, doc)
    _cost(metrics, output, price_per_mtok)
    for name in unavailable_metrics(output):
        if name in metrics:  # a metric without references for this example stays absent
            metrics[name] = None
    return ExampleScore(
        example.id, metrics, flags, None, prediction.cached if prediction else False
    )


#: Output field (``ArticleSummary`` name) -> the metrics that score it.
_FIELD_METRICS = {
    "headline_en": ("fill.headline", "headline.rougeL"),
    "summary_en": ("fill.summary", "summary.rouge1", "summary.rouge2", "summary.rougeL"),
    "translation": ("fill.translation", "translation.chrf", "translation.bleu"),
}
#: Fields whose English text is scored but whose presence is not a fill rate (key points are
#: there, with their evidence, even when the engine cannot write their ``text_en``).
_TEXT_METRICS = {"key_points": ("key_points.rougeL",)}
#: What an engine writes into ``meta.status[field]`` when it cannot produce the field at all
#: (``summarizer.engines.offline.MODEL_NEEDED`` starts with it).
_CANNOT_PRODUCE = "needs a model"
_ROUGE_STATS = ("rouge1", "rouge2", "rougeL")
_ENTITY_STATS = ("precision", "recall", "f1")
#: ``Output`` field -> every metric that scores it, for predictions that leave fields out.
_OUTPUT_FIELD_METRICS: dict[str, tuple[str, ...]] = {
    "headline": ("fill.headline", "headline.rougeL"),
    "summary": ("fill.summary", *(f"summary.{stat}" for stat in _ROUGE_STATS)),
    "key_points": ("fill.key_points", "key_points.rougeL"),
    "evidence": tuple(f"evidence_zh.{stat}" for stat in _ROUGE_STATS),
    **{
        group: (f"fill.{group}", *(f"{group}.{stat}" for stat in _ENTITY_STATS))
        for group in ("people", "organizations", "places")
    },
    "events": ("fill.events",),
    "topics": ("fill.topics",),
    "translation": ("fill.translation", "translation.chrf", "translation.bleu"),
}


def unavailable_metrics(output: Output) -> list[str]:
    """Metrics of fields the output does not have: n/a (``None``), not a score of 0.

    The offline engine has no headline, English summary, key point text or translation for a
    Chinese article; it says so in ``meta.status``. A simple-shape line that leaves a field out
    did not attempt it (and cannot say so otherwise); a field it gives empty is a real 0.
    Scoring left-out fields as 0 would measure the engine against a task it does not attempt,
    and drag every mean (and the corpus scores) that mixes engines.
    """
    summary = output.summary_obj
    if summary is None:  # the simple shape, or an output that failed validation
        return [
            name
            for field_name, names in _OUTPUT_FIELD_METRICS.items()
            if not output.has(field_name)
            for name in names
        ]
    values = {
        "headline_en": summary.headline_en,
        "summary_en": summary.summary_en,
        "translation": summary.translation,
        "key_points": [point.text_en for point in summary.key_points if point.text_en],
    }
    names: list[str] = []
    for field_name, metric_names in (*_FIELD_METRICS.items(), *_TEXT_METRICS.items()):
        status = summary.meta.status.get(field_name, "")
        if not values[field_name] and _CANNOT_PRODUCE in status:
            names.extend(metric_names)
    return names


def _fill(metrics: dict[str, float | None], output: Output) -> None:
    values: Mapping[str, Any] = {name: getattr(output, name) for name in FILL_FIELDS}
    for name, value in values.items():
        filled = bool(value.strip()) if isinstance(value, str) else bool(value)
        metrics[f"fill.{name}"] = 1.0 if filled else 0.0


def _reference_metrics(metrics: dict[str, float | None], example: Example, output: Output) -> None:
    for field_name, text in (("headline", output.headline), ("summary", output.summary)):
        references = example.texts(field_name)
        if references:
            scores = rouge_scores_multi(text or "", references)
            if field_name == "headline":
                metrics["headline.rougeL"] = scores["rougeL"]
            else:
                for key, value in scores.items():
                    metrics[f"summary.{key}"] = value
    key_point_refs = example.texts("key_points")
    if key_point_refs:
        metrics["key_points.rougeL"] = rouge_scores_multi(
            " ".join(output.key_points), [" ".join(key_point_refs)]
        )["rougeL"]
    summary_zh = example.texts("summary_zh")
    if summary_zh:
        # The Chinese side of an output: its evidence spans (copied from the article).
        for key, value in rouge_scores_multi("".join(output.evidence), summary_zh).items():
            metrics[f"evidence_zh.{key}"] = value
    translations = example.translations()
    if translations:
        if output.translation:
            metrics.update(document_scores(output.translation, translations))
        else:
            metrics["translation.chrf"] = 0.0
            metrics["translation.bleu"] = 0.0
    for group, is_person in (("people", True), ("organizations", False), ("places", False)):
        if group in example.references:
            expected = reference_entities(example.references[group])
            found = getattr(output, group)
            result = prf(found, expected, person=is_person)
            metrics[f"{group}.precision"] = result.precision
            metrics[f"{group}.recall"] = result.recall
            metrics[f"{group}.f1"] = result.f1


def _grounding(metrics: dict[str, float | None], output: Output, document: Document) -> list[Flag]:
    source_paragraphs = [span.text for span in document.paragraphs]
    flags: list[Flag] = []
    summary = output.summary_obj
    problems = check_content(summary, document) if summary is not None else []
    evidence_problems = {p.path for p in problems if p.code.startswith("evidence.")}
    if output.evidence:
        grounded = sum(
            1
            for index in range(len(output.evidence))
            if f"key_points[{index}].evidence" not in evidence_problems
        )
        if summary is None:  # simple shape: run the same evidence check directly
            from summarizer.text.matching import occurs_in

            grounded = sum(1 for span in output.evidence if occurs_in(span, document.text))
        metrics["grounding.evidence_in_source"] = grounded / len(output.evidence)
    for problem in problems:
        if problem.severity == "error" and not problem.code.startswith("evidence."):
            flags.append(Flag(problem.code, None, problem.path, problem.message))
    if summary is None:  # simple shape: the English fields get the same no-Chinese check
        english_fields = [("headline", output.headline), ("summary", output.summary)]
        english_fields += [(f"key_points[{i}]", text) for i, text in enumerate(output.key_points)]
        for path, text in english_fields:
            runs = han_runs(text or "")
            if runs:
                message = f"contains untranslated Chinese ({', '.join(runs[:5])})"
                flags.append(Flag("english.untranslated", None, path, message))
    if output.translation:
        flags.extend(check_translation_grounding(list(output.translation), source_paragraphs))
        missing = max(0, len(source_paragraphs) - len(output.translation))
        metrics["translation.missing_paragraphs"] = float(missing)
        words = sum(len(_WORDS.findall(p)) for p in output.translation)
        units = len(_HAN.findall(document.text)) + len(_WORDS.findall(_HAN.sub(" ", document.text)))
        metrics["translation.length_ratio"] = words / units if units else None
    for path, text in (("headline_en", output.headline), ("summary_en", output.summary)):
        if text:
            for flag in check_text_grounding(text, document.text):
                flags.append(Flag(flag.code, None, f"{path}: {flag.text}", flag.message))
    for index, point in enumerate(output.key_points):
        for flag in check_text_grounding(point, document.text):
            flags.append(Flag(flag.code, None, f"key_points[{index}]: {flag.text}", flag.message))
    metrics["grounding.flags"] = float(len(flags))
    for kind, prefix in GROUNDING_FLAG_KINDS.items():
        metrics[f"grounding.{kind}"] = float(sum(1 for f in flags if f.code.startswith(prefix)))
    return flags


def _cost(
    metrics: dict[str, float | None], output: Output, price: tuple[float, float] | None
) -> None:
    if output.engine is None and not output.prompt_tokens and output.latency_ms is None:
        return
    metrics["cost.prompt_tokens"] = float(output.prompt_tokens)
    metrics["cost.completion_tokens"] = float(output.completion_tokens)
    metrics["cost.total_tokens"] = float(output.prompt_tokens + output.completion_tokens)
    if output.latency_ms is not None:
        metrics["cost.latency_ms"] = output.latency_ms
    if price is not None:
        metrics["cost.usd"] = (
            output.prompt_tokens * price[0] + output.completion_tokens * price[1]
        ) / 1_000_000
