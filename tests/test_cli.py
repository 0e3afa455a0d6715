"""The CLI contract: one-line errors with non-zero exit codes, never a traceback."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.engines.prompts import load_template
from summarizer.testing import ScriptedOpenAIServer, answering
from summarizer.text import prepare

runner = CliRunner()
SEED = Path(__file__).parent.parent / "examples" / "tongzhou_2025-12-13_scraped.txt"


def invoke(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def assert_one_line_error(stderr: str, fragment: str) -> None:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("summarizer: error: ")
    assert fragment in lines[0]
    assert "Traceback" not in stderr


def test_missing_file(tmp_path: Path) -> None:
    code, _, stderr = invoke("summarize", str(tmp_path / "nope.txt"))
    assert code == 2
    assert_one_line_error(stderr, "not found")


@pytest.mark.parametrize("content", [b"", b"   \n\t  \n", "\u3000\n".encode()])
def test_empty_or_whitespace_input(tmp_path: Path, content: bytes) -> None:
    article = tmp_path / "empty.txt"
    article.write_bytes(content)
    code, _, stderr = invoke("summarize", str(article), "--engine", "offline")
    assert code == 2
    assert_one_line_error(stderr, "empty")


def test_binary_input(tmp_path: Path) -> None:
    image = tmp_path / "photo.txt"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    code, _, stderr = invoke("summarize", str(image), "--engine", "offline")
    assert code == 2
    assert_one_line_error(stderr, "not text")


def test_undecodable_input(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(bytes([0x81, 0x30, 0xFF, 0xFE, 0x80, 0xC0, 0xC1, 0xF5]) * 50)
    code, _, stderr = invoke("summarize", str(garbage), "--engine", "offline")
    assert code == 2
    assert "summarizer: error: " in stderr and "Traceback" not in stderr


def test_no_model_configured_says_how_to_configure(no_model_env: None) -> None:
    code, _, stderr = invoke("summarize", str(SEED), "--engine", "openai")
    assert code == 3
    assert_one_line_error(stderr, "SUMMARIZER_MODEL")


def test_unreachable_endpoint(no_model_env: None) -> None:
    with socket.socket() as sock:  # a port that nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, _, stderr = invoke(
        "summarize",
        str(SEED),
        "--engine",
        "openai",
        "--model",
        "m",
        "--base-url",
        f"http://127.0.0.1:{port}/v1",
    )
    assert code == 4
    assert_one_line_error(stderr, f"127.0.0.1:{port}")


def test_offline_default_summarizes_the_seed_and_says_so(no_model_env: None) -> None:
    code, stdout, stderr = invoke("summarize", str(SEED))
    assert code == 0, stderr
    assert "offline engine" in stderr
    result = json.loads(stdout)
    assert result["meta"]["engine"] == "offline"
    assert result["translation"] is None
    assert "translation" in result["meta"]["status"]
    names = {person["name_en"] for person in result["people"]}
    assert "Zhang Jianhua" in names


def test_stdin_and_markdown(no_model_env: None) -> None:
    code, stdout, stderr = invoke("summarize", "-", "--format", "markdown", stdin=SEED.read_bytes())
    assert code == 0, stderr
    assert stdout.startswith("# ")
    assert "Zhang Jianhua" in stdout


def test_normalize_prints_only_the_text_on_stdout_and_the_repairs_on_stderr() -> None:
    """``summarizer normalize FILE > clean.txt`` must give exactly the normalized text."""
    code, stdout, stderr = invoke("normalize", str(SEED))
    assert code == 0, stderr
    assert stdout == prepare(SEED.read_bytes()).text + "\n"
    assert "pinyin_annotation" in stderr
    assert "pinyin_annotation" not in stdout
    assert "script_converted:" in stderr
    assert "None" not in stderr


def test_real_process_exit_code_and_no_traceback(tmp_path: Path) -> None:
    """The installed entry point, not just the in-process runner."""
    completed = subprocess.run(
        [sys.executable, "-m", "summarizer", "summarize", str(tmp_path / "missing.txt")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 2
    assert completed.stderr.startswith("summarizer: error: input file not found")
    assert "Traceback" not in completed.stderr


def test_unwritable_output_path_is_one_line(tmp_path: Path, no_model_env: None) -> None:
    code, _, stderr = invoke(
        "summarize", str(SEED), "--engine", "offline", "-o", str(tmp_path / "no" / "x.json")
    )
    assert code == 2
    assert_one_line_error(stderr, "No such file or directory")


def test_normalize_rejects_an_unknown_format() -> None:
    code, _, stderr = invoke("normalize", str(SEED), "--format", "yaml")
    assert code == 2
    assert "yaml" in stderr


# --- the shared model option group --------------------------------------------------------------

MODEL_OPTIONS = (
    "--engine",
    "--model",
    "--base-url",
    "--capability",
    "--prompt-version",
    "--max-reasks",
    "--deadline",
    "--few-shot",
)


@pytest.mark.parametrize(
    "command",
    [("summarize",), ("batch",), ("eval", "run"), ("batch-api", "export"), ("batch-api", "ingest")],
)
def test_every_command_that_calls_a_model_takes_the_same_model_options(
    command: tuple[str, ...],
) -> None:
    code, stdout, _ = invoke(*command, "--help")
    assert code == 0
    expected = MODEL_OPTIONS if command[0] != "batch-api" else MODEL_OPTIONS[1:]
    for option in expected:
        assert option in stdout, (command, option)


def test_prompt_version_and_few_shot_reach_the_request(
    openai_server: ScriptedOpenAIServer,
) -> None:
    openai_server.set_handler(answering())
    args = ["summarize", str(SEED), "--model", "test-model", "--base-url", openai_server.base_url]
    code, stdout, stderr = invoke(*args, "--prompt-version", "v1", "--no-few-shot")
    assert code == 0, stderr
    assert json.loads(stdout)["meta"]["prompt_version"] == "v1"
    without = openai_server.requests[0].messages[0]["content"]
    openai_server.reset()
    openai_server.set_handler(answering())
    code, _, stderr = invoke(*args, "--few-shot", "--max-reasks", "0", "--deadline", "30")
    assert code == 0, stderr
    with_examples = openai_server.requests[0].messages[0]["content"]
    example = load_template("summarize", "v1").examples[0]
    assert example.output not in without
    assert example.output in with_examples


def test_an_unknown_capability_is_a_usage_error() -> None:
    code, _, stderr = invoke("summarize", str(SEED), "--capability", "xml")
    assert code == 2
    assert "xml" in stderr
