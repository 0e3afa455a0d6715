"""Review 7, finding 4: ``eval run`` and ``eval matrix`` do not write into each other's folders.

Before: ``eval run --out DIR`` on a folder holding ``eval matrix`` output (matrix.json,
variants/) wrote report.*, scores.jsonl and predictions.jsonl among them with exit 0, although
``--out`` holding a run of another set or engine needs ``--overwrite``.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from summarizer.cli import app

runner = CliRunner()
RUN = ["eval", "run", "--set", "seed", "--engine", "offline"]


def test_a_run_is_not_written_into_a_matrix_folder(tmp_path: Path) -> None:
    (tmp_path / "matrix.json").write_text("{}", encoding="utf-8")
    result = runner.invoke(app, [*RUN, "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "holds an eval matrix" in result.stderr
    assert not (tmp_path / "report.json").exists()
    overwritten = runner.invoke(app, [*RUN, "--out", str(tmp_path), "--overwrite"])
    assert overwritten.exit_code == 0, overwritten.stderr
    assert (tmp_path / "report.json").is_file()


def test_a_matrix_is_not_written_into_a_run_folder(tmp_path: Path) -> None:
    run = runner.invoke(app, [*RUN, "--out", str(tmp_path)])
    assert run.exit_code == 0, run.stderr
    matrix = runner.invoke(
        app,
        ["eval", "matrix", "--set", "seed", "--out", str(tmp_path), "--model", "a", "--model",
         "b", "--base-url", "http://127.0.0.1:9/v1"],
    )  # fmt: skip
    assert matrix.exit_code == 2, matrix.stderr
    assert "holds an eval run" in matrix.stderr
    assert not (tmp_path / "matrix.json").exists()


def test_a_negative_tolerance_is_refused(tmp_path: Path) -> None:
    """A tolerance is an acceptable drop (>= 0); -1 was taken silently."""
    run = runner.invoke(app, [*RUN, "--out", str(tmp_path)])
    assert run.exit_code == 0, run.stderr
    compared = runner.invoke(
        app, ["eval", "compare", str(tmp_path), str(tmp_path), "--tolerance", "fill.people=-1"]
    )
    assert compared.exit_code == 2
    assert "--tolerance fill.people: a tolerance is the drop that is acceptable" in compared.stderr
