"""``eval run`` fails loudly: failed examples and unknown gates are not a green run."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.testing import Reply, ScriptedOpenAIServer

runner = CliRunner()


def test_a_run_whose_examples_all_failed_exits_non_zero(
    openai_server: ScriptedOpenAIServer, openai_env: str, tmp_path: Path
) -> None:
    openai_server.set_handler(lambda request: Reply.error(400, "model does not exist"))
    out = tmp_path / "run"
    result = runner.invoke(
        app, ["eval", "run", "--set", "seed", "--engine", "openai", "--out", str(out)]
    )
    assert result.exit_code == 1
    assert "1 of 1 examples failed" in result.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["counts"]["errors"] == 1


def test_an_unknown_gate_is_rejected_before_any_call(
    openai_server: ScriptedOpenAIServer, openai_env: str, tmp_path: Path
) -> None:
    result = runner.invoke(
        app,
        ["eval", "run", "--set", "seed", "--engine", "openai", "--out", str(tmp_path / "r"),
         "--fail-under", "nosuchmetric=0.5"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "unknown metric" in result.stderr
    assert openai_server.request_count == 0
