"""``--server-slots`` and ``SUMMARIZER_SERVER_SLOTS`` (round 10): bad values stop the command before
any work, in one line (the environment's) or as a usage error (the option's), exit 3 and 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.errors import ConfigError

runner = CliRunner()
ENDPOINT = ["--model", "m", "--base-url", "http://127.0.0.1:9/v1"]


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5"])
def test_a_bad_option_value_is_a_usage_error(value: str, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "北京市政府今天宣布了新的交通规划。"}\n', "utf-8")
    result = runner.invoke(
        app,
        [
            "batch",
            str(source),
            "-o",
            str(tmp_path / "out.jsonl"),
            *ENDPOINT,
            "--server-slots",
            value,
        ],
    )
    assert result.exit_code == 2
    assert "--server-slots" in result.output
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize("value", ["0", "two", "1.5", "-1"])
@pytest.mark.parametrize("command", ["batch", "serve"])
def test_a_bad_environment_value_is_one_line_naming_it(
    value: str, command: str, tmp_path: Path
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "北京市政府今天宣布了新的交通规划。"}\n', "utf-8")
    arguments = (
        ["batch", str(source), "-o", str(tmp_path / "out.jsonl"), *ENDPOINT]
        if command == "batch"
        else ["serve", "--db", str(tmp_path / "svc.sqlite3"), "--port", "9", *ENDPOINT]
    )
    result = runner.invoke(app, arguments, env={"SUMMARIZER_SERVER_SLOTS": value})
    assert result.exit_code == ConfigError.exit_code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("summarizer: error: ")
    assert "SUMMARIZER_SERVER_SLOTS" in lines[0] and "at least 1" in lines[0]
    assert "Traceback" not in result.output
