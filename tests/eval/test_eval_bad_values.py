"""``eval``: a gate that cannot be judged, or a predictions file too deep to read, is a usage
error (exit 2) before any example is run, not a crash or a verdict after the whole run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.api import get_engine
from summarizer.cli import app
from summarizer.errors import InputError
from summarizer.eval.goldset import load_set
from summarizer.eval.run import run_eval
from summarizer.jsonl import OUTPUT_MAX_DEPTH

runner = CliRunner()


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_a_fail_under_threshold_that_is_not_finite_stops_the_run_before_it_starts(
    tmp_path: Path, value: str
) -> None:
    out = tmp_path / "run"
    result = runner.invoke(
        app,
        ["eval", "run", "--set", "seed", "--engine", "offline", "--out", str(out),
         "--fail-under", f"people.f1={value}"],
    )  # fmt: skip

    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"summarizer: error: --fail-under people.f1: the threshold must be a finite number, "
        f"not {float(value)}\n"
    )
    assert not (out / "report.json").exists()  # refused before the run, not after it


def test_the_library_refuses_a_non_finite_gate_too(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="must be a finite number"):
        run_eval(
            "seed",
            engine=get_engine("offline"),
            out_dir=tmp_path / "run",
            fail_under={"people.f1": float("nan")},
        )
    assert not (tmp_path / "run" / "report.json").exists()


def test_a_compare_tolerance_that_is_not_finite_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["eval", "compare", str(tmp_path), str(tmp_path), "--tolerance", "people.f1=nan"]
    )

    assert result.exit_code == 2, result.output
    assert "--tolerance people.f1: the threshold must be a finite number" in result.stderr


def test_a_predictions_line_nested_too_deeply_is_a_clear_error_not_a_crash(tmp_path: Path) -> None:
    (example,) = list(load_set("seed"))[:1]
    deep = {"id": example.id, "meta": "PLACEHOLDER"}
    line = json.dumps(deep).replace('"PLACEHOLDER"', "[" * 5000 + "]" * 5000)
    predictions = tmp_path / "deep.jsonl"
    predictions.write_text(line + "\n", "utf-8")

    result = runner.invoke(
        app,
        ["eval", "run", "--set", "seed", "--predictions", str(predictions),
         "--out", str(tmp_path / "run")],
    )  # fmt: skip

    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"summarizer: error: {predictions}:1: nested deeper than {OUTPUT_MAX_DEPTH} levels of "
        "arrays and objects\n"
    )
