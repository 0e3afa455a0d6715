"""The metric registry: every metric the eval can report, described once.

Like a sacrebleu metric, each entry carries its own facts, so the scorer, the run, the gates, the
comparison and the reports read them from here instead of keeping their own lists:

- ``name``: the flat key in ``ExampleScore.metrics`` / ``report.json`` (``family.stat``);
- ``family``: the signature key (``summarizer.eval.signature.signatures``) that says how the value
  was computed; two numbers are comparable only when their family's signatures agree;
- ``direction``: ``higher`` or ``lower`` is better, or ``neutral`` (shown, never judged);
- ``charted``: gets a distribution chart in the HTML report;
- ``per_example``: shown in the per-example view of the HTML report;
- ``quality``: a quality metric that a gate may hold a run to. Cost and latency are not quality:
  they describe what a run spent, not how good its outputs are;
- ``level``: ``example`` (scored per example, averaged with a CI) or ``corpus`` (one number per
  run: corpus chrF/BLEU and the cost totals).

The registry is a leaf module (no imports from the rest of the eval), so every other module may
import it without a cycle. Names not in the registry (e.g. read from a run written by another
version) get :func:`lookup`'s default: higher is better, their own family, not charted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    NEUTRAL = "neutral"


@dataclass(frozen=True)
class Metric:
    name: str
    family: str
    direction: Direction
    description: str
    charted: bool = False
    per_example: bool = False
    quality: bool = True
    level: Literal["example", "corpus"] = "example"

    @property
    def group(self) -> str:
        """The part of the name before the first dot (``summary`` of ``summary.rougeL``)."""
        return self.name.split(".", 1)[0]

    @property
    def higher_is_better(self) -> bool | None:
        """``True``/``False`` by direction; ``None`` for a neutral metric."""
        if self.direction is Direction.NEUTRAL:
            return None
        return self.direction is Direction.HIGHER

    def signature(self, signatures: Mapping[str, str]) -> str | None:
        """This metric's signature among a run's family signatures (``None`` when it has none)."""
        return signatures.get(self.family)


# --- the table ------------------------------------------------------------------------------------

#: Output fields whose non-emptiness is measured (``fill.<field>``).
FILL_FIELDS = (
    "headline",
    "summary",
    "key_points",
    "people",
    "organizations",
    "places",
    "events",
    "topics",
    "translation",
)
#: The judge rubric's criteria (``judge.<criterion>``); ``summarizer.eval.judge`` scores these.
JUDGE_CRITERIA = ("faithfulness", "coverage", "translation_fidelity", "fluency")
#: Grounding flag counters: metric suffix -> flag-code prefix they count.
GROUNDING_FLAG_KINDS = {
    "number_flags": "number.",
    "date_flags": "date.",
    "name_flags": "name.",
    "untranslated_flags": "english.untranslated",
    "length_flags": "length.",
}
#: Cost metrics summed over a run into ``total.<stat>``.
COST_STATS = ("prompt_tokens", "completion_tokens", "total_tokens", "usd", "latency_ms")

_HIGHER, _LOWER, _NEUTRAL = Direction.HIGHER, Direction.LOWER, Direction.NEUTRAL
_CHARTED = frozenset(
    {
        "summary.rougeL",
        "evidence_zh.rougeL",
        "translation.chrf",
        "translation.bleu",
        "people.f1",
        "grounding.evidence_in_source",
        "grounding.flags",
        "judge.mean",
        "cost.latency_ms",
    }
)
_PER_EXAMPLE = frozenset(
    {
        "schema_valid",
        "summary.rougeL",
        "evidence_zh.rougeL",
        "translation.chrf",
        "translation.bleu",
        "people.f1",
        "grounding.evidence_in_source",
        "grounding.flags",
    }
)
#: Chart and per-example order (reports list metrics in this order, not alphabetically).
_DISPLAY_ORDER = (
    "schema_valid",
    "summary.rougeL",
    "evidence_zh.rougeL",
    "translation.chrf",
    "translation.bleu",
    "people.f1",
    "grounding.evidence_in_source",
    "grounding.flags",
    "judge.mean",
    "cost.latency_ms",
)


def _metric(
    name: str, family: str, direction: Direction, description: str, *, quality: bool = True
) -> Metric:
    return Metric(
        name,
        family,
        direction,
        description,
        charted=name in _CHARTED,
        per_example=name in _PER_EXAMPLE,
        quality=quality,
    )


def _table() -> Iterator[Metric]:
    yield _metric("schema_valid", "schema_valid", _HIGHER, "output parsed into ArticleSummary")
    for field in FILL_FIELDS:
        yield _metric(f"fill.{field}", "fill", _HIGHER, f"{field} is non-empty")
    for stat in ("rouge1", "rouge2", "rougeL"):
        yield _metric(f"summary.{stat}", "rouge", _HIGHER, f"summary {stat} F1, best reference")
        yield _metric(
            f"evidence_zh.{stat}", "rouge", _HIGHER, f"evidence spans vs Chinese summary {stat} F1"
        )
    yield _metric("headline.rougeL", "rouge", _HIGHER, "headline ROUGE-L F1, best reference")
    yield _metric("key_points.rougeL", "rouge", _HIGHER, "key points ROUGE-L F1 (joined)")
    for stat, what in (("chrf", "chrF++"), ("bleu", "BLEU")):
        yield _metric(f"translation.{stat}", f"translation.{stat}", _HIGHER, f"document {what}")
    for group in ("people", "organizations", "places"):
        for stat in ("precision", "recall", "f1"):
            yield _metric(f"{group}.{stat}", "entities", _HIGHER, f"{group} {stat} vs reference")
    yield _metric(
        "grounding.evidence_in_source", "grounding", _HIGHER, "share of evidence found in source"
    )
    yield _metric("grounding.flags", "grounding", _LOWER, "reference-free grounding flags")
    for kind in GROUNDING_FLAG_KINDS:
        yield _metric(f"grounding.{kind}", "grounding", _LOWER, f"grounding {kind}")
    yield _metric(
        "translation.missing_paragraphs", "grounding", _LOWER, "source paragraphs not translated"
    )
    yield _metric(
        "translation.length_ratio", "grounding", _NEUTRAL, "English words per source unit"
    )
    for stat in COST_STATS:
        yield _metric(f"cost.{stat}", "cost", _LOWER, f"{stat} of one example", quality=False)
    for criterion in JUDGE_CRITERIA:
        yield _metric(f"judge.{criterion}", "judge", _HIGHER, f"judge {criterion} score (1-5)")
    yield _metric("judge.mean", "judge", _HIGHER, "mean judge score")
    yield _metric("judge.pass", "judge", _HIGHER, "judge pass (decided in code)")
    yield _metric("judge.error", "judge", _LOWER, "the judge gave no valid verdict")


def _corpus_table() -> Iterator[Metric]:
    for stat in COST_STATS:
        yield Metric(
            f"total.{stat}", "cost", _LOWER, f"{stat} summed over the run", quality=False,
            level="corpus",
        )  # fmt: skip


#: Every metric by name (example-level metrics; corpus chrF/BLEU share their example names).
METRICS: Mapping[str, Metric] = {metric.name: metric for metric in _table()}
#: Run-level totals (``RunResult.corpus``), which have no per-example values.
CORPUS_METRICS: Mapping[str, Metric] = {metric.name: metric for metric in _corpus_table()}


def find(name: str) -> Metric | None:
    """The registered metric called ``name``, if any."""
    return METRICS.get(name) or CORPUS_METRICS.get(name)


def lookup(name: str) -> Metric:
    """The registered metric, or a default for an unknown name (higher is better, own family)."""
    found = find(name)
    if found is not None:
        return found
    return Metric(name, name, _HIGHER, "not in the registry")


def direction(name: str) -> Direction:
    return lookup(name).direction


def family(name: str) -> str:
    """The signature key of a metric name."""
    return lookup(name).family


def groups() -> frozenset[str]:
    """Every name group (``summary``, ``cost``, ``total``, ...) a run can produce."""
    return frozenset(m.group for m in (*METRICS.values(), *CORPUS_METRICS.values()))


def _ordered(names: Iterable[str]) -> tuple[str, ...]:
    wanted = frozenset(names)
    return tuple(name for name in _DISPLAY_ORDER if name in wanted)


#: Metrics that get a distribution chart, in display order.
CHARTED = _ordered(name for name, metric in METRICS.items() if metric.charted)
#: Metrics shown per example in the HTML view, in display order.
PER_EXAMPLE = _ordered(name for name, metric in METRICS.items() if metric.per_example)
