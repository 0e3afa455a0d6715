"""Simple-shape predictions that leave fields out: n/a (out of the means), not 0."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.eval.goldset import load_set
from summarizer.eval.outputs import parse_prediction
from summarizer.eval.scoring import score_example

SEED_ID = "seed-tongzhou-2025-12-13"
#: Every metric that scores a field the headline-only line leaves out.
LEFT_OUT = (
    "fill.key_points",
    "fill.people",
    "fill.organizations",
    "fill.places",
    "fill.events",
    "fill.topics",
    "fill.summary",
    "fill.translation",
    "key_points.rougeL",
    "people.f1",
    "people.recall",
    "organizations.f1",
    "organizations.recall",
    "places.f1",
    "places.recall",
)


def _score(line: dict[str, object]) -> dict[str, float | None]:
    (example,) = [e for e in load_set("seed") if e.id == SEED_ID]
    return score_example(example, parse_prediction(line)).metrics


def test_fields_left_out_are_not_scored() -> None:
    metrics = _score({"id": SEED_ID, "headline": "District committee holds planning meeting"})
    assert metrics["fill.headline"] == 1.0
    assert metrics["headline.rougeL"] is not None and metrics["headline.rougeL"] > 0
    for name in LEFT_OUT:
        assert metrics.get(name) is None, name


def test_fields_given_empty_are_a_real_zero() -> None:
    line: dict[str, object] = {
        "id": SEED_ID,
        "headline": "District committee holds planning meeting",
        "key_points": [],
        "people": [],
        "organizations": [],
        "places": [],
        "events": [],
        "topics": [],
    }
    metrics = _score(line)
    for name in ("key_points", "people", "organizations", "places", "events", "topics"):
        assert metrics[f"fill.{name}"] == 0.0, name
    assert metrics["key_points.rougeL"] == 0.0
    for group in ("people", "organizations", "places"):
        assert metrics[f"{group}.recall"] == 0.0, group
        assert metrics[f"{group}.f1"] == 0.0, group
    assert metrics.get("fill.summary") is None  # still left out


def test_events_of_the_simple_shape_are_read() -> None:
    metrics = _score(
        {"id": SEED_ID, "events": [{"date_iso": "2025-12-13", "description_en": "Meeting"}]}
    )
    assert metrics["fill.events"] == 1.0


def test_eval_run_report_shows_left_out_fields_as_na(tmp_path: Path) -> None:
    predictions = tmp_path / "p.jsonl"
    line = {"id": SEED_ID, "headline": "District committee holds planning meeting"}
    predictions.write_text(json.dumps(line) + "\n", encoding="utf-8")
    out = tmp_path / "run"
    result = CliRunner().invoke(
        app,
        ["eval", "run", "--set", "seed", "--predictions", str(predictions), "--out", str(out)],
    )
    assert result.exit_code == 0, result.stderr
    summary = json.loads((out / "report.json").read_text(encoding="utf-8"))["summary"]
    assert summary["fill.headline"]["mean"] == 1.0 and summary["fill.headline"]["n"] == 1
    for name in LEFT_OUT:
        if name in summary:
            assert summary[name]["mean"] is None and summary[name]["n"] == 0, name
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "| fill.people | n/a | [n/a, n/a] | 0 |" in markdown
