"""``year_hint`` through the OpenAI Batch API: the exported requests carry what the online engine
would send with it (no "dates have no year" note), the online pass and the cache keys use it too.

Against the scripted server's ``/v1/files`` and ``/v1/batches`` through the real SDK.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from batch_helpers import read_output, write_jsonl
from typer.testing import CliRunner

from summarizer.batch import read_input
from summarizer.batch.batch_api import export_requests, run_via_batch_api
from summarizer.batch.cache import ResponseCache
from summarizer.cli import app
from summarizer.engines.openai import OpenAIEngine
from summarizer.errors import ConfigError
from summarizer.testing import RecordedRequest, Reply, ScriptedOpenAIServer, answering
from summarizer.testing.batch_endpoints import install_batch_endpoints

#: A year-less day and a relative year: only a year hint dates them.
ARTICLE = "12月13日，区委召开全体会议，部署明年重点工作。会议要求各部门切实抓好落实。"
#: The note the prompt carries when some dates have no year (``engines.openai._MODEL_NOTES``).
DATE_NOTE = "some dates have no year"


def _request_prompts(path: Path) -> list[str]:
    return [json.dumps(line["body"]["messages"], ensure_ascii=False) for line in read_output(path)]


def _chat_prompts(server: ScriptedOpenAIServer) -> list[str]:
    return [json.dumps(request.messages, ensure_ascii=False) for request in server.chat_requests]


@pytest.mark.parametrize(("hint", "noted"), [([], True), (["--year-hint", "2024"], False)])
def test_batch_via_batch_api_sends_the_year_hint_in_its_requests(
    tmp_path: Path,
    openai_env: str,
    openai_server: ScriptedOpenAIServer,
    hint: list[str],
    noted: bool,
) -> None:
    openai_server.set_handler(answering())
    endpoints = install_batch_endpoints(openai_server)
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": ARTICLE}])
    output = tmp_path / "out.jsonl"
    command = ["batch", str(source), "-o", str(output), "--via", "batch-api", "--no-cache"]
    result = CliRunner().invoke(app, [*command, "--poll-interval", "0.01", *hint])
    assert result.exit_code == 0, result.stderr
    assert len(endpoints.batches) == 1
    [prompt] = _request_prompts(tmp_path / "out.jsonl.batch-requests.jsonl")
    assert (DATE_NOTE in prompt) is noted
    [line] = read_output(output)
    assert line["status"] == "ok" and line["via"] == "batch-api", line


def test_the_exported_request_is_the_online_engines_first_request(
    tmp_path: Path, openai_server: ScriptedOpenAIServer, make_engine: Any
) -> None:
    """Same prompt with the hint given to the engine, to the export, or to both."""
    openai_server.set_handler(answering())
    engine: OpenAIEngine = make_engine()
    hinted = OpenAIEngine(engine.config, year_hint=2024)
    records = [("a", ARTICLE)]
    source = write_jsonl(tmp_path / "in.jsonl", _rows(records))
    bodies = []
    for name, chosen, year_hint in (
        ("engine", hinted, None),
        ("export", engine, 2024),
        ("both", hinted, 2024),
    ):
        out = tmp_path / f"{name}.jsonl"
        export_requests(read_input(source), chosen, out, year_hint=year_hint)
        bodies.append(read_output(out)[0]["body"])
    assert bodies[0] == bodies[1] == bodies[2]
    assert DATE_NOTE not in json.dumps(bodies[0]["messages"], ensure_ascii=False)
    # ... and the online engine sends exactly those messages first.
    from summarizer.batch import run_records

    run_records(records, engine, year_hint=2024)
    [online] = openai_server.chat_requests
    assert online.messages == bodies[0]["messages"]


def test_answers_the_batch_did_not_settle_are_redone_online_with_the_hint(
    tmp_path: Path, openai_server: ScriptedOpenAIServer, make_engine: Any
) -> None:
    """The batch's one line fails: the online pass summarizes with the hint, caches under it."""
    answer = answering()
    calls: list[int] = []

    def first_fails(request: RecordedRequest) -> Reply:
        calls.append(1)
        return Reply.error(400, "bad request") if len(calls) == 1 else answer(request)

    openai_server.set_handler(first_fails)
    install_batch_endpoints(openai_server)
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": ARTICLE}])
    with ResponseCache(tmp_path / "cache.sqlite3") as cache:
        report = run_via_batch_api(
            lambda: read_input(source),
            engine=make_engine(),
            output=tmp_path / "out.jsonl",
            cache=cache,
            poll_interval=0.01,
            sleep=lambda seconds: None,
            year_hint=2024,
        )
        assert report.stats.ok == 1
        [line] = read_output(tmp_path / "out.jsonl")
        assert line["status"] == "ok" and line.get("via") != "batch-api", line
        batch_line, *online = _chat_prompts(openai_server)
        assert online and all(DATE_NOTE not in prompt for prompt in [batch_line, *online])
        # A later online run with the same hint is served from that cache entry.
        from summarizer.batch import run_records

        again = run_records([("a", ARTICLE)], make_engine(), cache=cache, year_hint=2024)
        assert again.stats.cached == 1


@pytest.mark.parametrize("bad", [99, "2024", 2024.5])
def test_a_bad_year_hint_is_refused_before_anything_is_exported(
    tmp_path: Path, openai_server: ScriptedOpenAIServer, make_engine: Any, bad: object
) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": ARTICLE}])
    with pytest.raises(ConfigError, match="year_hint"):
        run_via_batch_api(
            lambda: read_input(source),
            engine=make_engine(),
            output=tmp_path / "out.jsonl",
            cache=False,
            year_hint=bad,  # type: ignore[arg-type]
        )
    assert openai_server.requests == []
    assert not (tmp_path / "out.jsonl.batch-requests.jsonl").exists()


def _rows(records: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"id": identifier, "text": text} for identifier, text in records]


def test_batch_api_export_takes_the_year_hint(tmp_path: Path, openai_env: str) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": ARTICLE}])
    prompts = []
    for hint in ([], ["--year-hint", "2024"]):
        out = tmp_path / "requests.jsonl"
        result = CliRunner().invoke(
            app, ["batch-api", "export", str(source), "-o", str(out), *hint]
        )
        assert result.exit_code == 0, result.stderr
        prompts += _request_prompts(out)
    without, given = prompts
    assert DATE_NOTE in without and DATE_NOTE not in given
