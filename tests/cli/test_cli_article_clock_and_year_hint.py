"""``summarize`` and ``batch`` on the command line: one deadline per article with its preparation
inside it, and ``--year-hint`` (declared once, checked as the library checks ``year_hint``)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner

import summarizer.api as api_module
from summarizer.cli import app
from summarizer.cli.common import ModelOptions
from summarizer.engines import openai as openai_module
from summarizer.engines.offline import OfflineEngine
from summarizer.errors import DeadlineExceededError
from summarizer.schema import ArticleSummary
from summarizer.testing import ScriptedOpenAIServer, answering
from summarizer.text.document import Analysis, Document

runner = CliRunner()

#: A year-less day and a relative year: only a year hint dates them.
ARTICLE = "12月13日，区委召开全体会议，部署明年重点工作。会议要求各部门切实抓好落实。"
DATE_NOTE = "some dates have no year"


def _model_args(server: ScriptedOpenAIServer) -> list[str]:
    return ["--engine", "openai", "--model", "test-model", "--base-url", server.base_url]


def _one_line_error(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("summarizer: error: "), stderr
    return lines[0]


def _event_dates(summary: dict[str, Any]) -> dict[str, str | None]:
    return {event["date_as_written"]: event["date_iso"] for event in summary["events"]}


def test_summarize_counts_preparation_against_the_deadline(
    tmp_path: Path,
    openai_server: ScriptedOpenAIServer,
    monkeypatch: pytest.MonkeyPatch,
    slow_preparation: Callable[[ModuleType], Callable[..., Any]],
) -> None:
    """Preparation that uses the whole deadline up: a deadline error, and no model request."""
    real_prepare = slow_preparation(api_module)
    openai_server.set_handler(answering())
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(
        app, ["summarize", str(article), *_model_args(openai_server), "--deadline", "0.05"]
    )
    assert result.exit_code == DeadlineExceededError.exit_code, result.output
    assert "before any model call" in _one_line_error(result.stderr)  # spent preparing the text
    assert openai_server.chat_requests == []
    # The same command with time to spare reaches the model: the clock, not the setup, stopped it.
    monkeypatch.setattr(api_module, "prepare_article", real_prepare)
    result = runner.invoke(
        app, ["summarize", str(article), *_model_args(openai_server), "--deadline", "30"]
    )
    assert result.exit_code == 0, result.output
    assert len(openai_server.chat_requests) == 1


def test_summarize_year_hint_dates_the_offline_result(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    without = runner.invoke(app, ["summarize", str(article), "--engine", "offline"])
    given = runner.invoke(
        app, ["summarize", str(article), "--engine", "offline", "--year-hint", "2024"]
    )
    assert without.exit_code == 0 and given.exit_code == 0, (without.output, given.output)
    assert _event_dates(json.loads(without.stdout))["12月13日"] is None
    assert _event_dates(json.loads(given.stdout))["12月13日"] == "2024-12-13"
    warnings = json.loads(given.stdout)["source"]["warnings"]
    assert "date_year_unknown" not in {warning["code"] for warning in warnings}


def test_summarize_year_hint_reaches_the_model_prompt(
    tmp_path: Path, openai_server: ScriptedOpenAIServer
) -> None:
    openai_server.set_handler(answering())
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    base = ["summarize", str(article), *_model_args(openai_server)]
    assert runner.invoke(app, base).exit_code == 0
    assert runner.invoke(app, [*base, "--year-hint", "2024"]).exit_code == 0
    without, given = (
        json.dumps(request.messages, ensure_ascii=False) for request in openai_server.chat_requests
    )
    assert DATE_NOTE in without
    assert DATE_NOTE not in given


@pytest.mark.parametrize("command", ["summarize", "batch"])
@pytest.mark.parametrize("value", ["99", "abc", "20245", "2024.0", "-2024", "０２０２"])
def test_a_bad_year_hint_is_a_usage_error(tmp_path: Path, command: str, value: str) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    extra = ["-o", str(tmp_path / "out.jsonl")] if command == "batch" else []
    result = runner.invoke(
        app, [command, str(article), *extra, "--engine", "offline", "--year-hint", value]
    )
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    [message] = [line for line in result.stderr.splitlines() if "--year-hint" in line]
    assert "--year-hint': not a four-digit year (e.g. 2024)" in message
    assert not (tmp_path / "out.jsonl").exists()


def test_every_command_with_a_year_hint_declares_it_alike() -> None:
    helps = [
        runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"}).stdout
        for command in (["summarize"], ["batch"], ["batch-api", "export"], ["batch-api", "ingest"])
    ]
    lines = [
        " ".join(
            next(
                line for line in text.splitlines() if line.split()[1:3] == ["--year-hint", "YEAR"]
            ).split()
        )
        for text in helps
    ]
    assert len(set(lines)) == 1, lines
    assert "YEAR" in lines[0]


def test_batch_year_hint_dates_every_offline_result(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    records = [{"id": "a", "text": ARTICLE}, {"id": "b", "text": "3月5日，市里召开会议。"}]
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    output = tmp_path / "out.jsonl"
    result = runner.invoke(
        app,
        [
            "batch",
            str(source),
            "-o",
            str(output),
            "--engine",
            "offline",
            "-q",
            "--year-hint",
            "2023",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = {line["id"]: line for line in map(json.loads, output.read_text().splitlines())}
    assert _event_dates(lines["a"]["result"])["12月13日"] == "2023-12-13"
    assert _event_dates(lines["b"]["result"])["3月5日"] == "2023-03-05"


class _ClockRecordingEngine(OfflineEngine):
    """The offline engine, noting when the article's clock started as the engine sees it."""

    def __init__(self, seen: list[float | None]) -> None:
        super().__init__()
        self.seen = seen

    async def summarize(self, document: Document, analysis: Analysis) -> ArticleSummary:
        self.seen.append(openai_module._ARTICLE_STARTED.get())
        return await super().summarize(document, analysis)


def test_each_summarize_command_starts_its_own_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two commands in one thread (one event-loop runner): the engine sees each command's own
    start, never an earlier command's (a clock set outside the runner's context would leak)."""
    seen: list[float | None] = []
    monkeypatch.setattr(ModelOptions, "build_engine", lambda *_, **__: _ClockRecordingEngine(seen))
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    began: list[float] = []
    codes: list[int] = []

    def two_commands() -> None:  # a new thread: a runner made during these commands
        for _ in range(2):
            began.append(time.monotonic())
            codes.append(runner.invoke(app, ["summarize", str(article)]).exit_code)

    worker = threading.Thread(target=two_commands)
    worker.start()
    worker.join()
    assert codes == [0, 0]
    assert len(seen) == 2 and None not in seen
    assert began[0] <= seen[0] < began[1] <= seen[1]  # type: ignore[operator]
