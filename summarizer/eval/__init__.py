"""The eval harness: gold sets, metrics, runs, comparisons and reports.

    from summarizer.eval import load_set, run_eval, compare_runs
    result = run_eval("seed", engine=get_engine("offline"), out_dir="runs/offline")
    result.summary["people.f1"].mean

Module map: ``goldset`` (sets and their hashes), ``outputs`` (predictions), ``rouge``,
``translation`` (sacrebleu chrF++/BLEU), ``entities``, ``grounding`` (reference-free checks),
``judge`` (optional LLM rubric), ``scoring`` (all metrics of one example), ``metrics`` (the
registry: each metric's family, direction, display and whether it may be gated), ``stats``
(bootstrap), ``run`` (generate + score + gate; ``arun_eval`` is the async form), ``result`` (the
``RunResult`` both sides share), ``compare``, ``report`` (Markdown/HTML, and ``write_run`` for a run
directory), ``signature``.

Names load on first use, so that ``from summarizer.eval.rouge import rouge_n`` (used by the
offline engine) does not pull in the whole harness.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "CompareResult": "compare",
    "compare_runs": "compare",
    "Example": "goldset",
    "GoldSet": "goldset",
    "load_set": "goldset",
    "rouge_l": "rouge",
    "rouge_n": "rouge",
    "rouge_scores": "rouge",
    "Metric": "metrics",
    "METRICS": "metrics",
    "RunResult": "result",
    "arun_eval": "run",
    "run_eval": "run",
    "write_run": "report",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'summarizer.eval' has no attribute {name!r}")
    return getattr(import_module(f"summarizer.eval.{module}"), name)


__all__ = sorted(_EXPORTS)
