"""Compare two eval runs of the same gold set: paired bootstrap per metric, verdicts and a gate.

Directions are read from the runs' ``report.json`` (written from ``summarizer.eval.metrics``), so a
run made by another version is judged by the directions it was scored with.

Three rules keep the verdicts honest (and one decision rule makes them: ``stats.DECISION_RULE``):

- below ``MIN_PAIRED_N`` paired examples there is no verdict and no gate (a bootstrap of one
  example gives the CI ``[x, x]`` and a meaningless p-value);
- metrics that are not quality (the registry's ``quality`` flag: cost and latency) are reported but
  gated only when named in ``tolerances`` (two identical runs differ in latency);
- failures are counted per run and shown (``B: 40 errors``), and the per-example diff lists the
  biggest wins and losses with links into both runs' HTML reports.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from summarizer.errors import InputError, RunDirError
from summarizer.eval.metrics import Direction, lookup
from summarizer.eval.report import example_anchor
from summarizer.eval.stats import (
    DECISION_RULE,
    DEFAULT_RESAMPLES,
    MIN_PAIRED_N,
    Comparison,
    paired_compare,
)

#: Example-level diffs listed per direction (biggest wins, biggest losses).
DIFF_LIMIT = 5
#: Metrics tried in order for the per-example diff when none is asked for.
DIFF_METRICS = ("summary.rougeL", "translation.chrf", "evidence_zh.rougeL", "people.f1")


@dataclass(frozen=True)
class LoadedRun:
    path: Path
    report: dict[str, Any]
    metrics: dict[str, dict[str, float | None]]  # example id -> metric -> value
    #: example id -> error kind, for examples that produced no output.
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def error_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(self.errors.values()).items()))

    def report_link(self, example_id: str) -> str:
        """Where this example's full view is: the run's ``report.html`` at its anchor."""
        return f"{self.path / 'report.html'}#{example_anchor(example_id)}"


@dataclass(frozen=True)
class ExampleDiff:
    """One example's change on the diff metric (``None`` value: no output in that run)."""

    id: str
    a: float | None
    b: float | None
    difference: float | None
    error_a: str | None
    error_b: str | None
    link_a: str
    link_b: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CompareResult:
    run_a: LoadedRun
    run_b: LoadedRun
    comparisons: list[Comparison]
    diff_metric: str | None = None
    wins: list[ExampleDiff] = field(default_factory=list)
    losses: list[ExampleDiff] = field(default_factory=list)
    #: Examples that failed in exactly one run (B failed: a loss; A failed: a win).
    newly_failed: list[ExampleDiff] = field(default_factory=list)
    newly_fixed: list[ExampleDiff] = field(default_factory=list)

    @property
    def regressions(self) -> list[Comparison]:
        return [c for c in self.comparisons if c.regression]

    @property
    def min_n(self) -> int:
        return MIN_PAIRED_N

    @property
    def overall(self) -> str:
        """One line: ``no difference``, or which judged metrics are better or worse."""
        gated = [c for c in self.comparisons if c.gated]
        better = [c.metric for c in gated if c.verdict == "better"]
        worse = [c.metric for c in gated if c.verdict == "worse"]
        if not better and not worse:
            judged = [c for c in gated if c.higher_is_better is not None and c.n > 0]
            if judged and all(c.n < MIN_PAIRED_N for c in judged):
                most = max(c.n for c in judged)
                return f"no verdict: {most} paired examples, verdicts need {MIN_PAIRED_N}"
            return "no difference"
        parts = []
        if better:
            parts.append(f"B better on {len(better)} metric(s) ({', '.join(better[:6])})")
        if worse:
            parts.append(f"B worse on {len(worse)} metric(s) ({', '.join(worse[:6])})")
        return "; ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "a": str(self.run_a.path),
            "b": str(self.run_b.path),
            "set": self.run_a.report.get("set", {}).get("signature"),
            "overall": self.overall,
            "min_paired_n": MIN_PAIRED_N,
            "decision_rule": DECISION_RULE,
            "errors": {
                "a": {"count": len(self.run_a.errors), "kinds": self.run_a.error_counts},
                "b": {"count": len(self.run_b.errors), "kinds": self.run_b.error_counts},
            },
            "comparisons": [c.to_json() for c in self.comparisons],
            "regressions": [c.metric for c in self.regressions],
            "diff_metric": self.diff_metric,
            "wins": [d.to_json() for d in self.wins],
            "losses": [d.to_json() for d in self.losses],
            "newly_failed": [d.to_json() for d in self.newly_failed],
            "newly_fixed": [d.to_json() for d in self.newly_fixed],
        }


def load_run(path: str | Path) -> LoadedRun:
    """A run folder's report and per-example scores; a ``RunDirError`` for anything malformed."""
    folder = Path(path)
    try:
        report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
        lines = (folder / "scores.jsonl").read_text(encoding="utf-8").split("\n")
    except OSError as error:
        raise RunDirError(
            f"{folder} is not an eval run directory ({error.strerror}: "
            f"{error.filename}); give a folder written by `summarizer eval run --out`"
        ) from None
    except UnicodeDecodeError as error:
        raise RunDirError(
            f"{folder} holds a file that is not UTF-8 (byte {error.start}); "
            "give a folder written by `summarizer eval run --out`"
        ) from None
    except json.JSONDecodeError as error:
        raise RunDirError(f"{folder / 'report.json'} is not valid JSON ({error.msg})") from None
    if not isinstance(report, dict) or not all(
        isinstance(report.get(part, {}), dict) for part in ("set", "directions")
    ):
        raise RunDirError(
            f"{folder / 'report.json'} is not a run report (an object with 'set' and "
            "'directions' objects); give a folder written by `summarizer eval run --out`"
        )
    metrics: dict[str, dict[str, float | None]] = {}
    errors: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            values = dict(item["metrics"])
            metrics[str(item["id"])] = {name: _score(value) for name, value in values.items()}
        except (json.JSONDecodeError, KeyError, TypeError, ValueError):
            raise RunDirError(f"{folder / 'scores.jsonl'}:{number}: not a score line") from None
        if item.get("error"):
            errors[str(item["id"])] = str(item["error"])
    return LoadedRun(folder, report, metrics, errors)


def _score(value: object) -> float | None:
    """A metric value as written by ``eval run``: a number or null (``ValueError`` otherwise)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"not a number: {value!r}")
    return float(value)


def compare_runs(
    path_a: str | Path,
    path_b: str | Path,
    *,
    tolerances: Mapping[str, float] | None = None,
    resamples: int = DEFAULT_RESAMPLES,
    diff_metric: str | None = None,
) -> CompareResult:
    """Per metric, mean(B - A) over examples scored in both, with CI, p-value and verdict.

    ``tolerances`` also opt a non-quality metric (cost, latency) into the gate.
    """
    run_a, run_b = load_run(path_a), load_run(path_b)
    hash_a = run_a.report.get("set", {}).get("content_hash")
    hash_b = run_b.report.get("set", {}).get("content_hash")
    if hash_a != hash_b:
        raise RunDirError(
            f"the runs scored different gold sets ({run_a.report.get('set', {}).get('signature')} "
            f"vs {run_b.report.get('set', {}).get('signature')}); compare runs of the same set"
        )
    directions: dict[str, str] = {
        **run_a.report.get("directions", {}),
        **run_b.report.get("directions", {}),
    }
    tolerances = dict(tolerances or {})
    unknown = sorted(set(tolerances) - set(directions))
    if unknown:
        raise InputError(f"--tolerance names unknown metric(s): {', '.join(unknown)}")
    comparisons = []
    for metric in sorted(directions):
        a_values, b_values = [], []
        for example_id, a_metrics in run_a.metrics.items():
            b_metrics = run_b.metrics.get(example_id)
            if b_metrics is None:
                continue
            a_value, b_value = a_metrics.get(metric), b_metrics.get(metric)
            if a_value is None or b_value is None:
                continue
            a_values.append(float(a_value))
            b_values.append(float(b_value))
        way = directions[metric]
        higher = None if way == Direction.NEUTRAL else way == Direction.HIGHER
        comparisons.append(
            paired_compare(
                metric,
                a_values,
                b_values,
                higher_is_better=higher,
                tolerance=tolerances.get(metric, 0.0),
                resamples=resamples,
                gated=lookup(metric).quality or metric in tolerances,
            )
        )
    chosen = _diff_metric(diff_metric, directions, run_a, run_b)
    diffs = example_diffs(run_a, run_b, chosen) if chosen is not None else []
    higher = chosen is None or directions.get(chosen) != Direction.LOWER
    scored = [d for d in diffs if d.difference is not None and d.difference != 0]
    scored.sort(key=lambda d: (d.difference or 0.0) * (1 if higher else -1), reverse=True)
    wins = [d for d in scored if (d.difference or 0) * (1 if higher else -1) > 0][:DIFF_LIMIT]
    losses = [d for d in reversed(scored) if (d.difference or 0) * (1 if higher else -1) < 0]
    return CompareResult(
        run_a,
        run_b,
        comparisons,
        chosen,
        wins,
        losses[:DIFF_LIMIT],
        [d for d in diffs if d.error_b and not d.error_a],
        [d for d in diffs if d.error_a and not d.error_b],
    )


def _diff_metric(
    asked: str | None, directions: Mapping[str, str], run_a: LoadedRun, run_b: LoadedRun
) -> str | None:
    if asked is not None:
        if asked not in directions:
            known = ", ".join(sorted(directions)[:12])
            raise InputError(f"--diff-metric {asked}: not in these runs (have: {known}, ...)")
        return asked
    for name in DIFF_METRICS:
        if name in directions:
            return name
    return next((name for name in sorted(directions) if lookup(name).quality), None)


def example_diffs(run_a: LoadedRun, run_b: LoadedRun, metric: str) -> list[ExampleDiff]:
    """Every example of run A with its value of ``metric`` in both runs (set order)."""
    diffs = []
    for example_id, a_metrics in run_a.metrics.items():
        b_metrics = run_b.metrics.get(example_id)
        if b_metrics is None:
            continue
        a_value, b_value = a_metrics.get(metric), b_metrics.get(metric)
        both = a_value is not None and b_value is not None
        diffs.append(
            ExampleDiff(
                example_id,
                a_value,
                b_value,
                float(b_value) - float(a_value) if both else None,  # type: ignore[arg-type]
                run_a.errors.get(example_id),
                run_b.errors.get(example_id),
                run_a.report_link(example_id),
                run_b.report_link(example_id),
            )
        )
    return diffs
