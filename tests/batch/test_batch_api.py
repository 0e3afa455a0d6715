"""The Batch API path end to end through the real SDK: export, submit, poll, ingest, online rest."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from batch_helpers import DraftingModel, article_rows, read_output, write_jsonl
from typer.testing import CliRunner

from summarizer.batch import read_input
from summarizer.batch.batch_api import run_via_batch_api
from summarizer.cli import app
from summarizer.engines.openai import OpenAIEngine
from summarizer.testing import ScriptedOpenAIServer
from summarizer.testing.batch_endpoints import install_batch_endpoints


def test_via_batch_api_validates_answers_and_redoes_invalid_ones_online(
    tmp_path: Path,
    openai_server: ScriptedOpenAIServer,
    drafting_model: DraftingModel,
    make_engine: Callable[..., OpenAIEngine],
) -> None:
    endpoints = install_batch_endpoints(openai_server)
    rows = article_rows(8)
    rows.append({"id": "empty", "text": " "})
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    drafting_model.invalid_first = {"art-00002", "art-00005"}
    output = tmp_path / "out.jsonl"
    statuses: list[str] = []
    report = run_via_batch_api(
        lambda: read_input(source),
        engine=make_engine(),
        output=output,
        cache=False,
        poll_interval=0.01,
        on_status=statuses.append,
        sleep=lambda seconds: None,
    )
    # The request file is the Batch API format (what vLLM's run_batch reads too).
    requests = read_output(tmp_path / "out.jsonl.batch-requests.jsonl")
    assert [r["custom_id"] for r in requests] == [f"a{n}" for n in range(8)]
    first = requests[0]
    assert first["method"] == "POST" and first["url"] == "/v1/chat/completions"
    assert first["body"]["model"] == "test-model"
    assert first["body"]["response_format"]["type"] == "json_schema"
    assert "art-00000" in json.dumps(first["body"]["messages"], ensure_ascii=False)
    # One batch was created and polled through the SDK.
    (batch,) = endpoints.batches.values()
    assert batch.status == "completed" and batch.total == 8 and batch.polls >= 1
    # Valid answers came from the batch, the two invalid ones were redone online.
    lines = {line["id"]: line for line in read_output(output)}
    assert Counter(line["id"] for line in read_output(output)) == Counter(r["id"] for r in rows)
    via_batch = {i for i, line in lines.items() if line.get("via") == "batch-api"}
    assert via_batch == {f"a{n}" for n in range(8)} - {"a2", "a5"}
    assert lines["a2"]["status"] == "ok" and lines["a5"]["status"] == "ok"
    assert lines["empty"]["status"] == "error"
    assert report.stats.ok == 8 and report.stats.failed == 1 and report.exit_code == 1
    assert any("6 answers accepted, 2 unusable" in status for status in statuses), statuses
    assert not (tmp_path / "out.jsonl.batch-api.json").exists()


def test_batch_api_steps_from_the_cli(
    tmp_path: Path,
    openai_env: str,
    openai_server: ScriptedOpenAIServer,
    drafting_model: DraftingModel,
) -> None:
    install_batch_endpoints(openai_server)
    runner = CliRunner()
    source = write_jsonl(tmp_path / "in.jsonl", article_rows(3))
    requests, output = tmp_path / "requests.jsonl", tmp_path / "out.jsonl"

    exported = runner.invoke(app, ["batch-api", "export", str(source), "-o", str(requests)])
    assert exported.exit_code == 0, exported.stderr
    assert len(requests.read_text().splitlines()) == 3

    submitted = runner.invoke(app, ["batch-api", "submit", str(requests)])
    assert submitted.exit_code == 0, submitted.stderr
    batch_id = submitted.stdout.strip()

    waited = runner.invoke(
        app, ["batch-api", "status", batch_id, "--wait", "--poll-interval", "0.05"]
    )
    assert waited.exit_code == 0 and "completed, 3/3 completed" in waited.stdout

    openai_server_requests_before = openai_server.request_count
    ingested = runner.invoke(
        app,
        ["batch-api", "ingest", str(source), "--batch", batch_id, "-o", str(output), "--no-cache"],
    )
    assert ingested.exit_code == 0, ingested.stderr
    assert all(line["via"] == "batch-api" for line in read_output(output))
    # Ingesting made no chat calls: everything came from the batch's output file.
    chat_after = [
        r
        for r in openai_server.requests[openai_server_requests_before:]
        if r.path.endswith("/chat/completions")
    ]
    assert chat_after == []


def test_batch_via_batch_api_from_the_cli(
    tmp_path: Path,
    openai_env: str,
    openai_server: ScriptedOpenAIServer,
    drafting_model: DraftingModel,
) -> None:
    endpoints = install_batch_endpoints(openai_server)
    source = write_jsonl(tmp_path / "in.jsonl", article_rows(4))
    output = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        app,
        [
            "batch",
            str(source),
            "-o",
            str(output),
            "--via",
            "batch-api",
            "--poll-interval",
            "0.01",
            "--no-cache",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert len(endpoints.batches) == 1
    assert "submitted batch" in result.stderr and "batch: 4 ok, 0 failed" in result.stderr
    assert sorted(line["id"] for line in read_output(output)) == ["a0", "a1", "a2", "a3"]
