"""Compare two eval runs of the same gold set: paired bootstrap per metric, verdicts and a gate.

Directions are read from the runs' ``report.json`` (written from ``summarizer.eval.metrics``), so a
run made by another version is judged by the directions it was scored with.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer.errors import InputError, RunDirError
from summarizer.eval.metrics import Direction
from summarizer.eval.stats import DEFAULT_RESAMPLES, Comparison, paired_compare


@dataclass(frozen=True)
class LoadedRun:
    path: Path
    report: dict[str, Any]
    metrics: dict[str, dict[str, float | None]]  # example id -> metric -> value


@dataclass(frozen=True)
class CompareResult:
    run_a: LoadedRun
    run_b: LoadedRun
    comparisons: list[Comparison]

    @property
    def regressions(self) -> list[Comparison]:
        return [c for c in self.comparisons if c.regression]

    def to_json(self) -> dict[str, Any]:
        return {
            "a": str(self.run_a.path),
            "b": str(self.run_b.path),
            "set": self.run_a.report.get("set", {}).get("signature"),
            "comparisons": [c.to_json() for c in self.comparisons],
            "regressions": [c.metric for c in self.regressions],
        }


def load_run(path: str | Path) -> LoadedRun:
    folder = Path(path)
    try:
        report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
        lines = (folder / "scores.jsonl").read_text(encoding="utf-8").split("\n")
    except OSError as error:
        raise RunDirError(
            f"{folder} is not an eval run directory ({error.strerror}: "
            f"{error.filename}); give a folder written by `summarizer eval run --out`"
        ) from None
    except json.JSONDecodeError as error:
        raise RunDirError(f"{folder / 'report.json'} is not valid JSON ({error.msg})") from None
    metrics: dict[str, dict[str, float | None]] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            metrics[str(item["id"])] = dict(item["metrics"])
        except (json.JSONDecodeError, KeyError, TypeError):
            raise RunDirError(f"{folder / 'scores.jsonl'}:{number}: not a score line") from None
    return LoadedRun(folder, report, metrics)


def compare_runs(
    path_a: str | Path,
    path_b: str | Path,
    *,
    tolerances: Mapping[str, float] | None = None,
    resamples: int = DEFAULT_RESAMPLES,
) -> CompareResult:
    """Per metric, mean(B - A) over examples scored in both, with CI, p-value and verdict."""
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
            )
        )
    return CompareResult(run_a, run_b, comparisons)
