"""The metric registry against the code that produces, gates, compares and renders metrics."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from summarizer.errors import InputError
from summarizer.eval.compare import compare_runs
from summarizer.eval.goldset import Example, load_set, shipped_set_names
from summarizer.eval.judge import JudgeResult
from summarizer.eval.metrics import (
    CHARTED,
    CORPUS_METRICS,
    METRICS,
    PER_EXAMPLE,
    Direction,
    groups,
    lookup,
)
from summarizer.eval.outputs import EntityOut, Output, Prediction
from summarizer.eval.report import _charts, _example_views, example_columns
from summarizer.eval.run import (
    apply_fail_under,
    arun_eval,
    check_gate_names,
    run_eval,
    score,
    summarize_scores,
    totals,
)
from summarizer.eval.stats import Estimate
from summarizer.schema import TokenUsage

JUDGE_ONLY = {name for name in METRICS if name.startswith("judge.")}


def _entities(example: Example, group: str) -> tuple[EntityOut, ...]:
    return tuple(
        EntityOut(str(item.get("name") or item.get("name_en") or ""), item.get("name_en"))
        for item in example.references.get(group, [])
    )


def _full_prediction(example: Example) -> Prediction:
    """Every output field filled (from the references where there are some), with cost data."""
    source_lines = [line for line in example.source.split("\n") if line.strip()]
    translation = (example.translations() or [["The text in English."]])[0]
    output = Output(
        headline=(example.texts("headline") or ["A headline"])[0],
        summary=(example.texts("summary") or ["A summary 2025 of the article."])[0],
        key_points=("First point on 12 March.", "Second point."),
        evidence=(source_lines[0][:8], "not in the source"),
        people=_entities(example, "people"),
        organizations=_entities(example, "organizations"),
        places=_entities(example, "places"),
        events=(("2025-01-01", "an event"),),
        topics=("news",),
        translation=tuple(translation[:-1] or translation),
        prompt_tokens=120,
        completion_tokens=60,
        latency_ms=250.0,
        model="gpt-4o-mini",
        engine="openai",
    )
    return Prediction(example.id, output, None)


def _scored_names() -> tuple[set[str], set[str]]:
    """Metric names the scorer produced over every shipped set, and the run totals' names."""
    names: set[str] = set()
    total_names: set[str] = set()
    for set_name in shipped_set_names():
        goldset = load_set(set_name)
        examples = goldset.examples[:3]
        predictions = [_full_prediction(example) for example in examples]
        if len(goldset) > len(examples):  # and one example where the engine failed
            predictions.append(Prediction(goldset.examples[-1].id, None, False, "engine failed"))
        scores = score(goldset, predictions, prices=lambda _model: (0.15, 0.6))
        for item in scores:
            names.update(item.metrics)
        total_names.update(totals(scores))
    return names, total_names


def test_every_metric_the_scorer_produces_is_registered_and_vice_versa() -> None:
    names, total_names = _scored_names()
    assert {"summary.rougeL", "translation.chrf", "people.f1", "cost.usd"} <= names
    assert names - set(METRICS) == set(), "scored but not in the registry"
    # The judge's metrics come from the judge step; everything else registered is scored.
    assert set(METRICS) - JUDGE_ONLY - names == set(), "registered but never scored"
    assert total_names == set(CORPUS_METRICS)


def test_the_judges_metrics_are_registered() -> None:
    result = JudgeResult(
        scores={"faithfulness": 5, "coverage": 4, "translation_fidelity": 3, "fluency": 4},
        rationales={},
        mean=4.0,
        passed=True,
        usage=TokenUsage(prompt_tokens=1, completion_tokens=1),
        latency_ms=1.0,
        reasks=0,
    )
    produced = set(result.metrics()) | {"judge.error"}  # judge.error: set by run.judge_scores
    assert produced == JUDGE_ONLY
    assert lookup("judge.error").direction is Direction.LOWER


def test_cost_and_latency_are_never_quality_metrics() -> None:
    for metric in [*METRICS.values(), *CORPUS_METRICS.values()]:
        assert metric.quality == (metric.group not in ("cost", "total")), metric.name
    assert not lookup("cost.latency_ms").quality
    assert lookup("translation.chrf").quality


def test_charts_and_the_per_example_view_read_the_registry() -> None:
    assert set(CHARTED) == {name for name, m in METRICS.items() if m.charted}
    assert set(PER_EXAMPLE) == {name for name, m in METRICS.items() if m.per_example}
    assert "cost.latency_ms" in CHARTED and "cost.latency_ms" not in PER_EXAMPLE
    assert PER_EXAMPLE[0] == "schema_valid"


def test_unknown_names_get_a_default_and_known_signatures_resolve() -> None:
    unknown = lookup("from.another.version")
    assert unknown.direction is Direction.HIGHER and unknown.family == "from.another.version"
    signatures = {"rouge": "rouge:f1|x", "translation.chrf": "sacrebleu|chrF2++"}
    assert METRICS["evidence_zh.rouge2"].signature(signatures) == "rouge:f1|x"
    assert METRICS["translation.chrf"].signature(signatures) == "sacrebleu|chrF2++"
    assert METRICS["people.f1"].signature(signatures) is None


def test_gate_names_are_checked_against_the_registry() -> None:
    check_gate_names({name: 1.0 for name in (*METRICS, *CORPUS_METRICS)})
    check_gate_names({"evidence_zh.rougeL": 0.2, "schema_valid": 1.0, "total.usd": 1.0})
    with pytest.raises(InputError, match="unknown metric"):
        check_gate_names({"events.count": 1.0})
    # a known family with a misspelt statistic is unknown too, with the likely name
    with pytest.raises(InputError, match=r"summary.rogueL: unknown metric.*summary.rougeL"):
        check_gate_names({"summary.rogueL": 0.3})
    assert groups() >= {"summary", "total"}


def test_gates_follow_each_metrics_direction() -> None:
    summary = {
        "grounding.flags": Estimate(2.0, 1.0, 3.0, 4),
        "summary.rougeL": Estimate(0.4, 0.3, 0.5, 4),
        "translation.length_ratio": Estimate(1.2, 1.0, 1.4, 4),
    }
    gates = {
        gate["metric"]: gate
        for gate in apply_fail_under(
            summary,
            {"grounding.flags": 1.0, "summary.rougeL": 0.3, "translation.length_ratio": 1.0},
        )
    }
    assert gates["grounding.flags"]["rule"] == "<=" and not gates["grounding.flags"]["passed"]
    assert gates["summary.rougeL"]["rule"] == ">=" and gates["summary.rougeL"]["passed"]
    assert gates["translation.length_ratio"]["rule"] == ">="  # neutral: gated as written


def _predictions_file(path: Path, *, drop_last: bool) -> Path:
    lines = []
    for example in load_set("wmt22-zhen"):
        translation = example.translations()[1]
        lines.append(
            json.dumps(
                {"id": example.id, "translation": translation[:-1] if drop_last else translation},
                ensure_ascii=False,
            )
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_report_directions_are_the_registrys_and_compare_uses_them(tmp_path: Path) -> None:
    for name, drop_last in (("a", False), ("b", True)):
        run_eval(
            "wmt22-zhen",
            predictions_path=_predictions_file(tmp_path / f"{name}.jsonl", drop_last=drop_last),
            out_dir=tmp_path / name,
            resamples=200,
        )
    report = json.loads((tmp_path / "a" / "report.json").read_text(encoding="utf-8"))
    assert report["directions"] == {
        name: METRICS[name].direction.value for name in report["summary"]
    }
    assert {"higher", "lower", "neutral"} <= set(report["directions"].values())
    result = compare_runs(tmp_path / "a", tmp_path / "b", resamples=200)
    assert result.comparisons
    for comparison in result.comparisons:
        assert comparison.higher_is_better == METRICS[comparison.metric].higher_is_better
    verdicts = {c.metric: c.verdict for c in result.comparisons}
    assert verdicts["translation.missing_paragraphs"] == "worse"  # lower is better: it rose


def test_the_async_form_runs_in_a_caller_loop_and_matches_the_sync_form(tmp_path: Path) -> None:
    predictions = _predictions_file(tmp_path / "p.jsonl", drop_last=True)

    async def inside_a_loop() -> dict[str, Estimate]:
        result = await arun_eval("wmt22-zhen", predictions_path=predictions, resamples=200)
        return result.summary

    from_async = asyncio.run(inside_a_loop())
    from_sync = run_eval("wmt22-zhen", predictions_path=predictions, resamples=200).summary
    assert from_async == from_sync
    assert from_async["translation.missing_paragraphs"].mean is not None
    assert from_async["translation.missing_paragraphs"].mean > 0


def test_the_html_view_shows_exactly_the_registrys_per_example_and_charted_metrics(
    tmp_path: Path,
) -> None:
    predictions = _predictions_file(tmp_path / "p.jsonl", drop_last=False)
    result = run_eval("wmt22-zhen", predictions_path=predictions, resamples=200)
    present = set(result.summary)
    charts, skipped = _charts(result)
    assert {chart.metric for chart in charts} | {name for name, _ in skipped} == {
        m for m in CHARTED if m in present and result.summary[m].n
    }
    columns = [column.metric for column in example_columns(result)]
    per_example = [m for m in PER_EXAMPLE if m in result.scores[0].metrics]
    assert per_example and columns[: len(per_example)] == per_example
    view = _example_views(result, example_columns(result))[0]
    assert len(view["cells"]) == len(columns)
    assert summarize_scores(result.scores, resamples=200).keys() == result.summary.keys()
