"""``batch --help`` says what ``--concurrency`` is capped to: the server's slots plus one request
waiting in its queue (``engines.slots.WAITING_AT_SERVER``), not the slots alone."""

from __future__ import annotations

from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.engines.slots import WAITING_AT_SERVER

runner = CliRunner()


def test_the_concurrency_help_names_the_slots_plus_one_waiting() -> None:
    result = runner.invoke(app, ["batch", "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = next(n for n, line in enumerate(lines) if "--concurrency" in line)
    words = " ".join(" ".join(line.strip(" │").split()) for line in lines[start : start + 4])
    assert WAITING_AT_SERVER == 1  # the help says "one"
    assert "at most the server's slots plus one waiting in its queue" in words, words
