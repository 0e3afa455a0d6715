"""``eval run`` and ``eval matrix`` take the model options ``summarize`` takes (the matrix all but
its axes), with the same meaning: ``--chunk-chars``, ``--max-output-tokens`` and
``--max-input-chars`` reach every example's summary.

Against the scripted OpenAI-compatible server (real HTTP), on the shipped seed set.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.engines.offline import OfflineEngine
from summarizer.errors import ConfigError
from summarizer.eval.matrix import MatrixSpec, run_matrix
from summarizer.eval.run import run_eval
from summarizer.testing import RecordedRequest, Reply, ScriptedOpenAIServer

runner = CliRunner()
LIMITS = ["--chunk-chars", "500", "--max-output-tokens", "777", "--no-cache"]


def _predictions(folder: Path) -> list[dict[str, Any]]:
    lines = (folder / "predictions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _caps(server: ScriptedOpenAIServer) -> set[object]:
    return {
        request.json.get("max_tokens") or request.json.get("max_completion_tokens")
        for request in server.chat_requests
    }


def _variant_folders(out: Path) -> list[Path]:
    return sorted(path for path in (out / "variants").iterdir() if path.is_dir())


@pytest.fixture
def model(
    openai_server: ScriptedOpenAIServer, fake_model: Callable[[RecordedRequest], Reply]
) -> list[str]:
    openai_server.set_handler(fake_model)
    return ["--base-url", openai_server.base_url]


def test_eval_run_summarizes_within_the_article_limits(
    tmp_path: Path, openai_server: ScriptedOpenAIServer, model: list[str]
) -> None:
    out = tmp_path / "run"
    command = ["eval", "run", "--set", "seed", "--engine", "openai", "--model", "m", *model]
    result = runner.invoke(app, [*command, "--out", str(out), *LIMITS])
    assert result.exit_code == 0, result.stderr
    [prediction] = _predictions(out)
    assert prediction["output"]["meta"]["chunks"] > 1, prediction  # cut at 500 characters
    assert _caps(openai_server) == {777}

    openai_server.reset()
    openai_server.set_handler(lambda request: Reply.error(500, "must not be called"))
    refused = tmp_path / "refused"
    result = runner.invoke(
        app, [*command, "--out", str(refused), "--max-input-chars", "100", "--no-cache"]
    )
    assert result.exit_code == 1, result.output  # the example failed; the report is written
    [prediction] = _predictions(refused)
    assert prediction["error"]["kind"] == "input.too_large", prediction
    assert openai_server.chat_requests == []


def test_eval_matrix_applies_the_shared_options_to_every_variant(
    tmp_path: Path, openai_server: ScriptedOpenAIServer, model: list[str]
) -> None:
    out = tmp_path / "matrix"
    command = ["eval", "matrix", "--set", "seed", "--model", "a", "--model", "b", *model]
    result = runner.invoke(app, [*command, "--out", str(out), "--max-reasks", "0", *LIMITS])
    assert result.exit_code == 0, result.stderr
    folders = _variant_folders(out)
    assert len(folders) == 2
    for folder in folders:
        [prediction] = _predictions(folder)
        assert prediction["output"]["meta"]["chunks"] > 1, prediction
        report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
        assert report["engine"]["max_reasks"] == "0"  # in every variant's fingerprint
    assert {request.model for request in openai_server.chat_requests} == {"a", "b"}
    assert _caps(openai_server) == {777}

    openai_server.reset()
    refused = tmp_path / "refused"
    result = runner.invoke(
        app, [*command, "--out", str(refused), "--max-input-chars", "100", "--no-cache"]
    )
    assert result.exit_code == 1, result.output  # every variant failed every example
    assert "2 variant(s) produced no output" in result.stderr
    for folder in _variant_folders(refused):
        [prediction] = _predictions(folder)
        assert prediction["error"]["kind"] == "input.too_large", prediction
    assert openai_server.chat_requests == []


@pytest.mark.parametrize(
    ("option", "value"),
    [("--chunk-chars", "0"), ("--max-output-tokens", "x"), ("--deadline", "0")],
)
@pytest.mark.parametrize("command", ["run", "matrix"])
def test_a_bad_model_option_is_a_usage_error(
    tmp_path: Path, command: str, option: str, value: str
) -> None:
    args = ["eval", command, "--set", "seed", "--out", str(tmp_path / "out"), option, value]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and option in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_bad_shared_option_fails_the_matrix_before_any_work(
    tmp_path: Path, openai_server: ScriptedOpenAIServer, model: list[str]
) -> None:
    """Checked as ``get_engine`` checks it, for every variant, the offline one included."""
    for models in (("a", "b"), ("offline", "a")):
        spec = MatrixSpec("seed", models=models, base_url=model[1], engine_options={"max_reask": 1})
        with pytest.raises(ConfigError, match=r"unknown option.*max_reask.*valid options"):
            run_matrix(spec, out_dir=tmp_path / "out", use_cache=False)
    spec = MatrixSpec("seed", models=("a", "b"), base_url=model[1], max_input_chars=0)
    with pytest.raises(ConfigError, match="max_input_chars must be a positive whole number"):
        run_matrix(spec, out_dir=tmp_path / "out", use_cache=False)
    assert openai_server.chat_requests == []
    assert not (tmp_path / "out").exists()


def test_eval_run_refuses_a_bad_input_limit_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="max_input_chars must be a positive whole number"):
        run_eval("seed", engine=OfflineEngine(), out_dir=tmp_path / "out", max_input_chars=0)
    assert not (tmp_path / "out").exists()
