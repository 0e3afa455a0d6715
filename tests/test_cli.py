"""The CLI contract: one-line errors with non-zero exit codes, never a traceback."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer import __version__
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
    assert "OfflineFallbackWarning" not in stderr  # the CLI says it in its own words, once
    result = json.loads(stdout)
    assert result["meta"]["engine"] == "offline"
    assert result["translation"] is None
    assert "translation" in result["meta"]["status"]
    names = {person["name_en"] for person in result["people"]}
    assert "Zhang Jianhua" in names


def test_a_misspelt_lac_switch_fails_offline_with_one_line(
    no_model_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``SUMMARIZER_LAC=maybe`` used to be read as "on" without a word."""
    monkeypatch.setenv("SUMMARIZER_LAC", "maybe")
    code, stdout, stderr = invoke("summarize", str(SEED))
    assert code == 3
    assert stdout == ""
    assert_one_line_error(stderr, "SUMMARIZER_LAC must be one of")


def test_stdin_and_markdown(no_model_env: None) -> None:
    code, stdout, stderr = invoke("summarize", "-", "--format", "markdown", stdin=SEED.read_bytes())
    assert code == 0, stderr
    assert stdout.startswith("# ")
    assert "Zhang Jianhua" in stdout


def test_normalize_writes_exactly_the_normalized_text_to_stdout(tmp_path: Path) -> None:
    """``summarizer normalize seed > clean.txt``, in a real process with a real redirect."""
    clean = tmp_path / "clean.txt"
    with clean.open("wb") as out:
        completed = subprocess.run(
            [sys.executable, "-m", "summarizer", "normalize", str(SEED)],
            stdout=out,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    assert completed.returncode == 0, completed.stderr
    assert clean.read_text("utf-8") == prepare(SEED.read_bytes()).text
    stderr = completed.stderr.decode()
    assert len(stderr.strip().splitlines()) == 1
    assert "repair(s)" in stderr and "--report" in stderr


def test_normalize_report_goes_to_stderr_and_json_has_everything() -> None:
    document = prepare(SEED.read_bytes())
    code, stdout, stderr = invoke("normalize", str(SEED), "--report")
    assert code == 0, stderr
    assert stdout == document.text
    assert "pinyin_annotation" in stderr and "pinyin_annotation" not in stdout
    assert "None" not in stderr  # whole-text warnings carry no "at None-None"
    code, stdout, _ = invoke("normalize", str(SEED), "--format", "json")
    payload = json.loads(stdout)
    assert payload["text"] == document.text
    assert len(payload["repairs"]) == len(document.repairs) > 0


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
    assert_one_line_error(stderr, "does not exist")


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
    without = openai_server.chat_requests[0].messages[0]["content"]
    openai_server.reset()
    openai_server.set_handler(answering())
    code, _, stderr = invoke(*args, "--few-shot", "--max-reasks", "0", "--deadline", "30")
    assert code == 0, stderr
    with_examples = openai_server.chat_requests[0].messages[0]["content"]
    example = load_template("summarize", "v1").examples[0]
    assert example.output not in without
    assert example.output in with_examples


def test_an_unknown_capability_is_a_usage_error() -> None:
    code, _, stderr = invoke("summarize", str(SEED), "--capability", "xml")
    assert code == 2
    assert "xml" in stderr


# --- conventions: version, -h, usage lines, types, completion ------------------------------------


def test_version_flag() -> None:
    for flag in ("--version", "-V"):
        code, stdout, _ = invoke(flag)
        assert code == 0
        assert stdout.strip() == f"summarizer {__version__}"


def _every_command() -> list[tuple[str, ...]]:
    """Every command path of the CLI, found by walking the Click tree (new commands included)."""
    from typer.main import get_command

    paths: list[tuple[str, ...]] = []

    def walk(command: object, path: tuple[str, ...]) -> None:
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*path, name))

    walk(get_command(app), ())
    return paths


def test_every_help_page_follows_the_conventions() -> None:
    commands = _every_command()
    assert ("logs", "show") in commands and ("eval", "compare") in commands
    for command in commands:
        code, stdout, stderr = invoke(*command, "-h")
        assert code == 0, (command, stderr)
        usage = next(line for line in stdout.splitlines() if "Usage:" in line)
        assert "{" not in usage, usage  # INPUT, not {input_path}
        assert "<bool>" not in stdout and "<str>" not in stdout, (command, stdout)
        assert "<list[str]>" not in stdout, command


def test_usage_names_arguments_in_capitals() -> None:
    _, stdout, _ = invoke("summarize", "-h")
    assert "Usage: summarizer summarize [OPTIONS] INPUT" in " ".join(stdout.split())
    _, stdout, _ = invoke("eval", "compare", "-h")
    assert "RUN_A RUN_B" in stdout
    assert "markdown|json" in stdout  # a choice, shown as one


def test_eval_compare_format_is_a_choice(tmp_path: Path) -> None:
    code, _, stderr = invoke("eval", "compare", str(tmp_path), str(tmp_path), "-f", "yaml")
    assert code == 2
    assert "yaml" in stderr and "markdown" in stderr


def test_shell_completion_completes_commands_and_choices() -> None:
    """What bash asks the real program when the user presses tab."""

    def complete(words: str, index: int) -> list[str]:
        completed = subprocess.run(
            [sys.executable, "-m", "summarizer"],
            env={
                **os.environ,
                "_SUMMARIZER_COMPLETE": "complete_bash",
                "COMP_WORDS": words,
                "COMP_CWORD": str(index),
            },
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr
        return completed.stdout.split()

    assert complete("summarizer summ", 1) == ["summarize"]
    assert complete("summarizer summarize --format ", 3) == ["json", "markdown"]
    _, stdout, _ = invoke("-h")
    assert "--install-completion" in stdout


def test_a_finished_batch_rerun_reports_nothing_left_not_zero_throughput(
    tmp_path: Path, no_model_env: None
) -> None:
    articles = tmp_path / "in.jsonl"
    articles.write_text(
        "\n".join(
            json.dumps({"id": str(n), "text": f"北京市第{n}次会议今天召开。"}) for n in range(2)
        )
        + "\n",
        "utf-8",
    )
    out, summary = tmp_path / "out.jsonl", tmp_path / "summary.json"
    args = ["batch", str(articles), "-o", str(out), "--engine", "offline", "--no-cache"]
    code, _, stderr = invoke(*args)
    assert code == 0, stderr
    code, _, stderr = invoke(*args, "--summary-json", str(summary))
    assert code == 0, stderr
    assert "articles/s" not in stderr
    assert "nothing left to do" in stderr
    assert json.loads(summary.read_text())["articles_per_second"] is None


@pytest.mark.usefixtures("no_model_env")
def test_an_unknown_prompt_version_is_refused_without_a_model(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text("北京市政府今天宣布，将在明年增加公共交通投资。", "utf-8")
    code, stdout, stderr = invoke("summarize", str(article), "--prompt-version", "v9")
    assert code == 3
    assert stdout == ""
    assert_one_line_error(stderr, "no version 'v9'")


@pytest.mark.usefixtures("no_model_env")
@pytest.mark.parametrize("value", ["-5", "0", "abc"])
def test_a_bad_max_input_chars_setting_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    article = tmp_path / "article.txt"
    article.write_text("北京市政府今天宣布，将在明年增加公共交通投资。", "utf-8")
    monkeypatch.setenv("SUMMARIZER_MAX_INPUT_CHARS", value)
    code, _, stderr = invoke("summarize", str(article), "--engine", "offline")
    assert code == 3, stderr
    assert_one_line_error(stderr, "SUMMARIZER_MAX_INPUT_CHARS must be a positive whole number")
