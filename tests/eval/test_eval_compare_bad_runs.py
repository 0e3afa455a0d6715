"""``eval compare`` on damaged run folders: a one-line ``RunDirError`` (exit 2), never exit 70.

Run folders are files users copy, edit and keep; a report that is not an object, a file that is
not UTF-8 or a metric that is not a number is bad input, not a bug in summarizer.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app

SET = {"name": "s", "version": "1", "content_hash": "sha256:abc", "signature": "s@1#abc"}
DIRECTIONS = {"summary.rougeL": "higher", "cost.latency_ms": "lower"}


def _write_run(folder: Path) -> Path:
    folder.mkdir()
    report = {"set": SET, "directions": DIRECTIONS}
    (folder / "report.json").write_text(json.dumps(report), encoding="utf-8")
    lines = [
        json.dumps({"id": f"e{number}", "metrics": {"summary.rougeL": 0.5, "cost.latency_ms": 9}})
        for number in range(3)
    ]
    (folder / "scores.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _report_is_a_list(run: Path) -> None:
    (run / "report.json").write_text("[]", encoding="utf-8")


def _report_not_utf8(run: Path) -> None:
    (run / "report.json").write_bytes(b"\xff\xfe{}")


def _scores_not_utf8(run: Path) -> None:
    (run / "scores.jsonl").write_bytes(b"\xff\xfe{}\n")


def _set_is_a_string(run: Path) -> None:
    report = {"set": "s", "directions": DIRECTIONS}
    (run / "report.json").write_text(json.dumps(report), encoding="utf-8")


def _directions_is_a_list(run: Path) -> None:
    report = {"set": SET, "directions": ["summary.rougeL"]}
    (run / "report.json").write_text(json.dumps(report), encoding="utf-8")


def _metric_is_text(run: Path) -> None:
    line = {"id": "e0", "metrics": {"summary.rougeL": "high", "cost.latency_ms": 9}}
    (run / "scores.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")


def _metrics_not_an_object(run: Path) -> None:
    (run / "scores.jsonl").write_text('{"id": "e0", "metrics": 3}\n', encoding="utf-8")


def test_two_intact_runs_compare(tmp_path: Path) -> None:
    """The baseline of the damaged cases below: the hand-written runs are valid."""
    run_a, run_b = _write_run(tmp_path / "a"), _write_run(tmp_path / "b")
    result = CliRunner().invoke(app, ["eval", "compare", str(run_a), str(run_b)])
    assert result.exit_code == 0, result.output
    assert "summary.rougeL" in result.stdout


@pytest.mark.parametrize(
    "damage",
    [
        _report_is_a_list,
        _report_not_utf8,
        _scores_not_utf8,
        _set_is_a_string,
        _directions_is_a_list,
        _metric_is_text,
        _metrics_not_an_object,
    ],
)
def test_a_damaged_run_is_a_one_line_error(tmp_path: Path, damage: Callable[[Path], None]) -> None:
    run_a = _write_run(tmp_path / "a")
    run_b = tmp_path / "b"
    shutil.copytree(run_a, run_b)
    damage(run_b)

    result = CliRunner().invoke(app, ["eval", "compare", str(run_a), str(run_b)])

    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("summarizer: error: "), result.stderr
    assert str(run_b) in lines[0]
    assert "internal error" not in result.stderr
