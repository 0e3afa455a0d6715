"""``summarizer serve`` and ``summarizer worker`` take ``--chunk-chars``, ``--max-output-tokens``
and ``--max-input-chars`` as ``summarize`` and ``batch`` do, and their articles obey them.

Real processes started through the CLI, real HTTP, the scripted model behind them; the worker
test adds the real PostgreSQL store and Redis queue of the scaled-out service.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from service_helpers import RunningService
from typer.testing import CliRunner

from summarizer.cli import app as cli_app
from summarizer.testing import TEST_API_KEY, ScriptedOpenAIServer, answering
from summarizer.testing.fleet import Fleet
from summarizer.testing.local_services import PostgresServer, free_port

#: Three paragraphs of about 40 characters: more than --chunk-chars 50 in all, each under it.
SHORT = "\n".join(
    (
        "北京市今天召开会议，讨论城市交通问题。与会者认为应当加快地铁建设，缓解高峰时段的拥堵。",
        "会议指出，全市公交线路将在年内完成优化调整，方便市民出行，并增加夜间线路的班次。",
        "有关部门表示，将继续推进智慧交通建设，提高道路通行效率，减少交通事故的发生。",
    )
)
LIMITS = ["--chunk-chars", "50", "--max-output-tokens", "777", "--max-input-chars", "300"]
MODEL = ["--engine", "openai", "--model", "test-model"]


def _environment() -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    env["OPENAI_API_KEY"] = TEST_API_KEY
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    return env


def _wait_until_serving(service: RunningService, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180  # a hang guard: a cold start is tens of seconds under load
    while True:
        assert process.poll() is None, "serve exited at start-up"
        with contextlib.suppress(OSError):
            if service.request("GET", "/healthz", key=None).status == 200:
                return
        assert time.monotonic() < deadline, "serve did not start"
        time.sleep(0.1)


@pytest.fixture
def served(tmp_path: Path, openai_server: ScriptedOpenAIServer) -> Iterator[RunningService]:
    """``summarizer serve`` in its own process with the article limits, keyless on loopback."""
    port = free_port()
    command = [sys.executable, "-m", "summarizer", "serve", "--port", str(port), "--no-auth"]
    command += ["--db", str(tmp_path / "service.sqlite3"), "--log-level", "warning"]
    command += [*MODEL, "--base-url", openai_server.base_url, *LIMITS]
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(command, env=_environment(), stdout=log, stderr=subprocess.STDOUT)
    service = RunningService.for_port(port)
    try:
        _wait_until_serving(service, process)
        yield service
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def _check_limits_held(
    server: ScriptedOpenAIServer, summarized: tuple[int, Any], too_long: tuple[int, Any]
) -> None:
    status, body = summarized
    assert status == 200, body
    assert body["meta"]["chunks"] > 1  # --chunk-chars 50 cut the three paragraphs apart
    bodies = [request.json for request in server.chat_requests]
    assert len(bodies) > 1
    assert {body.get("max_tokens") or body.get("max_completion_tokens") for body in bodies} == {777}
    status, body = too_long
    assert status == 413, body
    assert body["error"]["kind"] == "input.too_large"
    assert "max_input_chars=300" in body["error"]["message"]


def test_serve_summarizes_within_the_article_limits(
    served: RunningService, openai_server: ScriptedOpenAIServer
) -> None:
    openai_server.set_handler(answering())
    summarized = served.request("POST", "/v1/summaries", {"text": SHORT}, key=None)
    asked = len(openai_server.chat_requests)
    too_long = served.request("POST", "/v1/summaries", {"text": SHORT * 3}, key=None)
    assert len(openai_server.chat_requests) == asked  # refused before any model call
    _check_limits_held(
        openai_server, (summarized.status, summarized.json()), (too_long.status, too_long.json())
    )


@pytest.mark.services
def test_worker_processes_summarize_within_the_article_limits(
    tmp_path: Path,
    postgres_server: PostgresServer,
    redis_url: str,
    openai_server: ScriptedOpenAIServer,
) -> None:
    """The API replica only queues; the ``summarizer worker`` process applies its limits."""
    openai_server.set_handler(answering())
    fleet = Fleet(
        store_url=postgres_server.create_database("article_limits"),
        queue_url=redis_url,
        model_url=openai_server.base_url,
        log_dir=tmp_path,
    )
    try:
        key = fleet.create_key()
        port = fleet.start_api()
        fleet.start_worker(*LIMITS)
        fleet.wait_until_serving()
        service = RunningService.for_port(port)
        service.key = key
        summarized = service.request("POST", "/v1/summaries", {"text": SHORT})
        asked = len(openai_server.chat_requests)
        too_long = service.request("POST", "/v1/summaries", {"text": SHORT * 3})
        assert len(openai_server.chat_requests) == asked, fleet.logs()
        _check_limits_held(
            openai_server,
            (summarized.status, summarized.json()),
            (too_long.status, too_long.json()),
        )
    finally:
        fleet.stop()


@pytest.mark.parametrize("command", [["serve"], ["worker", "--store", "x", "--queue", "y"]])
@pytest.mark.parametrize(
    ("option", "value"),
    [("--chunk-chars", "0"), ("--max-output-tokens", "-5"), ("--max-input-chars", "many")],
)
def test_a_bad_article_limit_is_a_usage_error_before_start_up(
    command: list[str], option: str, value: str
) -> None:
    result = CliRunner().invoke(cli_app, [*command, option, value])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert option in result.stderr
    assert "serving on" not in result.output
