"""Half a model endpoint (a base URL without a model, a model without an endpoint) is a one-line
configuration error (exit 3) in every command and in the library, never a silent fall back to
the offline engine; model-only options given to the offline engine say they change nothing; and
``summarize -o`` into a missing folder fails before any model call."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import summarizer
from summarizer.cli import app
from summarizer.config import ModelConfig
from summarizer.errors import ConfigError
from summarizer.service.workers import EngineSettings
from summarizer.testing import ScriptedOpenAIServer, answering

runner = CliRunner()
ARTICLE = "北京市今天召开会议，讨论城市交通问题。与会者认为应当加快地铁建设。"


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def _half_configurations(base_url: str) -> list[tuple[list[str], dict[str, str], str]]:
    """(arguments, environment, what the message must name) for each half an endpoint."""
    return [
        (["--base-url", base_url], {}, "no model name"),
        ([], {"OPENAI_BASE_URL": base_url}, "OPENAI_BASE_URL"),
        (["--model", "gpt-4o-mini"], {}, "no endpoint"),
        ([], {"SUMMARIZER_MODEL": "gpt-4o-mini"}, "SUMMARIZER_MODEL"),
    ]


def _one_line_config_error(exit_code: int, stderr: str, fragment: str) -> None:
    assert exit_code == 3, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("summarizer: error: "), stderr
    assert "half configured" in lines[0] and fragment in lines[0], lines[0]
    assert "offline" not in lines[0]


def test_summarize_and_batch_refuse_half_an_endpoint(
    article: Path, tmp_path: Path, openai_server: ScriptedOpenAIServer
) -> None:
    openai_server.set_handler(answering())
    for arguments, environment, fragment in _half_configurations(openai_server.base_url):
        for command in (
            ["summarize", str(article), "--max-reasks", "3"],
            ["batch", str(article.parent), "-o", str(tmp_path / "out.jsonl")],
        ):
            result = runner.invoke(app, [*command, *arguments], env=environment)
            _one_line_config_error(result.exit_code, result.stderr, fragment)
            assert result.stdout == ""
    assert openai_server.chat_requests == []
    assert not (tmp_path / "out.jsonl").exists()


def test_eval_run_refuses_half_an_endpoint(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "eval",
            "run",
            "--set",
            "seed",
            "--out",
            str(tmp_path / "run"),
            "--engine",
            "openai",
            "--model",
            "m",
        ],
    )
    _one_line_config_error(result.exit_code, result.stderr, "no endpoint")


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_serve_and_worker_refuse_half_an_endpoint_at_start_up(command: str, tmp_path: Path) -> None:
    """Real processes: they stop with the message before listening or connecting anywhere."""
    arguments = [sys.executable, "-m", "summarizer", command, "--base-url", "http://127.0.0.1:9/v1"]
    if command == "serve":
        arguments += ["--port", "0", "--db", str(tmp_path / "s.db")]
    else:
        arguments += ["--store", "postgresql://127.0.0.1:9/db", "--queue", "redis://127.0.0.1:9"]
    environment = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(Path(summarizer.__file__).resolve().parents[1]),
        "SUMMARIZER_LOG_PATH": str(tmp_path / "calls.db"),
    }
    finished = subprocess.run(
        arguments, capture_output=True, text=True, timeout=60, env=environment, check=False
    )
    _one_line_config_error(finished.returncode, finished.stderr, "no model name")


def test_the_library_refuses_half_an_endpoint_and_keeps_the_offline_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(ConfigError, match="no model name"):
        summarizer.summarize(ARTICLE, base_url="http://127.0.0.1:9/v1")
    with pytest.raises(ConfigError, match="no endpoint"):
        summarizer.summarize(ARTICLE, model="gpt-4o-mini")
    with pytest.raises(ConfigError, match="an API key is given but no model name"):
        summarizer.get_engine("auto", api_key="sk-abcdefgh12345678")
    with pytest.raises(ConfigError, match="no model name"):
        EngineSettings(base_url="http://127.0.0.1:9/v1")
    monkeypatch.setenv("SUMMARIZER_MODEL", "gpt-4o-mini")
    with pytest.raises(ConfigError, match="SUMMARIZER_MODEL"):
        summarizer.get_engine("auto")
    assert summarizer.get_engine("offline").name == "offline"  # asked for by name: no endpoint
    monkeypatch.delenv("SUMMARIZER_MODEL")
    # Nothing given, or only OPENAI_API_KEY (other tools read it too): the offline engine.
    assert ModelConfig.resolve(environ={}) is None
    assert ModelConfig.resolve(environ={"OPENAI_API_KEY": "sk-abcdefgh12345678"}) is None
    with pytest.warns(summarizer.OfflineFallbackWarning):
        assert summarizer.summarize(ARTICLE).meta.engine == "offline"


def test_model_options_with_the_offline_engine_say_they_change_nothing(article: Path) -> None:
    for arguments in (["--max-reasks", "3", "--temperature", "0.5"], ["--engine", "offline"]):
        result = runner.invoke(app, ["summarize", str(article), "--deadline", "30", *arguments])
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["meta"]["engine"] == "offline"
        warned = [line for line in result.stderr.splitlines() if "warning" in line]
        if "--max-reasks" in arguments:
            assert warned == [
                "summarizer: warning: --max-reasks, --temperature only tune a model; "
                "the offline engine ignores them"
            ]
        else:
            assert warned == []  # --deadline bounds the offline engine too


def test_summarize_checks_the_output_folder_before_calling_the_model(
    article: Path, tmp_path: Path, openai_server: ScriptedOpenAIServer
) -> None:
    openai_server.set_handler(answering())
    missing = tmp_path / "nonexist" / "d" / "x.json"
    endpoint = ["--model", "m", "--base-url", openai_server.base_url]
    result = runner.invoke(app, ["summarize", str(article), *endpoint, "-o", str(missing)])
    assert result.exit_code == 2, result.stderr
    assert "does not exist" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert openai_server.chat_requests == []  # no paid call for an answer that cannot be written
    written = tmp_path / "x.json"
    result = runner.invoke(app, ["summarize", str(article), *endpoint, "-o", str(written)])
    assert result.exit_code == 0, result.stderr
    assert json.loads(written.read_text(encoding="utf-8"))["meta"]["engine"] == "openai"
    assert len(openai_server.chat_requests) >= 1
