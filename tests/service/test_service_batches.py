"""Batches: submit (JSON list, JSONL, multipart), status, results, cancel, and restart resume."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from service_helpers import (
    ROOT,
    DraftingModel,
    RunningService,
    ServiceFactory,
    article_text,
    model_settings,
)

from summarizer.schema import ArticleSummary
from summarizer.testing import TEST_API_KEY, ScriptedOpenAIServer


def rows(count: int, start: int = 0) -> list[dict[str, Any]]:
    return [
        {"id": f"a{n}", "text": article_text(n), "source": f"feed-{n % 3}"}
        for n in range(start, start + count)
    ]


def test_a_json_list_batch_streams_each_id_exactly_once(service: RunningService) -> None:
    submitted = service.request("POST", "/v1/batches", rows(12))

    assert submitted.status == 202, submitted.body
    created = submitted.json()
    assert created["total"] == 12
    assert submitted.headers["location"] == created["url"]
    status = service.wait_for_batch(created["id"])
    results = service.request("GET", created["results_url"])

    assert status["state"] == "done"
    assert status["counts"] == {"ok": 12}
    assert status["eta_seconds"] == 0
    # Cancelling a finished batch changes nothing.
    assert service.request("POST", f"{created['url']}/cancel").json()["state"] == "done"
    assert results.headers["content-type"].startswith("application/x-ndjson")
    lines = results.lines()
    assert [line["id"] for line in lines] == [f"a{n}" for n in range(12)]
    assert all(line["status"] == "ok" for line in lines)
    assert lines[4]["metadata"] == {"source": "feed-1"}
    for line in lines:
        summary = ArticleSummary.model_validate(line["result"])
        assert f"art-{int(line['id'][1:]):05d}" in summary.source.normalized_text


def test_jsonl_and_multipart_uploads(service: RunningService) -> None:
    jsonl = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows(3))
    boundary = uuid.uuid4().hex
    multipart = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="articles.jsonl"\r\n'
        "Content-Type: application/x-ndjson\r\n\r\n"
        f"{jsonl}\r\n--{boundary}--\r\n"
    ).encode()

    as_jsonl = service.request(
        "POST", "/v1/batches", jsonl, headers={"Content-Type": "application/x-ndjson"}
    )
    as_upload = service.request(
        "POST",
        "/v1/batches",
        multipart,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    bad_line = service.request(
        "POST",
        "/v1/batches",
        jsonl + '{"id": "x"}\n',
        headers={"Content-Type": "application/x-ndjson"},
    )

    for response in (as_jsonl, as_upload):
        assert response.status == 202, response.body
        batch_id = response.json()["id"]
        assert service.wait_for_batch(batch_id)["counts"] == {"ok": 3}
        ids = [
            line["id"] for line in service.request("GET", response.json()["results_url"]).lines()
        ]
        assert ids == ["a0", "a1", "a2"]
    assert bad_line.status == 400
    assert bad_line.json()["error"]["message"].startswith("line 4:")


def test_status_counts_tokens_and_cost_then_cancel(
    service_factory: ServiceFactory,
    openai_server: ScriptedOpenAIServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prices = tmp_path / "prices.toml"
    prices.write_text('[models."test-model"]\ninput = 1.00\noutput = 2.00\n', "utf-8")
    monkeypatch.setenv("SUMMARIZER_PRICES", str(prices))
    openai_server.set_handler(DraftingModel(delay=0.3))
    service = service_factory(engines=model_settings(openai_server.base_url), workers=1)
    created = service.request("POST", "/v1/batches", rows(20)).json()

    deadline = time.monotonic() + 30
    while (midway := service.request("GET", created["url"]).json())["counts"].get("ok", 0) < 2:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    cancelled = service.request("POST", f"{created['url']}/cancel")
    assert midway["state"] == "running"
    assert midway["eta_seconds"] > 0 and midway["finished_at"] is None
    final = service.wait_for_batch(created["id"])
    lines = service.request("GET", created["results_url"]).lines()

    assert cancelled.status == 200
    assert final["state"] == "cancelled"
    ok, gone = final["counts"].get("ok", 0), final["counts"].get("cancelled", 0)
    assert ok >= 2 and gone >= 10 and ok + gone == 20
    assert final["prompt_tokens"] == 120 * ok and final["completion_tokens"] == 80 * ok
    assert final["cost_usd"] == pytest.approx(ok * (120 * 1.00 + 80 * 2.00) / 1_000_000)
    assert sorted(line["id"] for line in lines) == sorted(f"a{n}" for n in range(20))
    assert {line["status"] for line in lines} == {"ok", "cancelled"}
    # Cancelled items were never sent to the model.
    assert len(openai_server.chat_requests) == ok


def test_unknown_batch_is_a_typed_404(service: RunningService) -> None:
    for path in ("/v1/batches/bat_nope", "/v1/batches/bat_nope/results", "/v1/summaries/x"):
        response = service.request("GET", path)
        assert response.status == 404
        assert response.json()["error"]["kind"] == "not_found"


# --- restart: a real `summarizer serve` process, SIGKILLed mid-batch, then started again


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_serve(
    database: Path, port: int, model_url: str, log: Path, *, lease_seconds: float = 1
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "OPENAI_BASE_URL": model_url,
        "OPENAI_API_KEY": TEST_API_KEY,
        "SUMMARIZER_MODEL": "test-model",
    }
    command = [sys.executable, "-m", "summarizer", "serve", "--no-auth", "--port", str(port)]
    command += ["--db", str(database), "--workers", "3", "--lease-seconds", str(lease_seconds)]
    with log.open("ab") as sink:
        return subprocess.Popen(command, env=env, stdout=sink, stderr=sink)


def wait_ready(port: int, process: subprocess.Popen[bytes]) -> RunningService:
    client = RunningService.for_port(port)
    deadline = time.monotonic() + 180  # a hang guard: a cold start is tens of seconds under load
    while True:
        assert process.poll() is None, "summarizer serve exited"
        try:
            if client.request("GET", "/healthz").status == 200:
                return client
        except OSError:
            pass
        assert time.monotonic() < deadline, "summarizer serve did not start"
        time.sleep(0.1)


def test_a_killed_server_resumes_on_restart_and_writes_nothing_twice(
    tmp_path: Path, openai_server: ScriptedOpenAIServer
) -> None:
    model = DraftingModel(delay=0.4)
    openai_server.set_handler(model)
    database, log, port = tmp_path / "service.sqlite3", tmp_path / "serve.log", free_port()

    first = start_serve(database, port, openai_server.base_url, log)
    try:
        client = wait_ready(port, first)
        created = client.request("POST", "/v1/batches", rows(15)).json()
        deadline = time.monotonic() + 30
        while client.request("GET", created["url"]).json()["counts"].get("ok", 0) < 3:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        in_flight = client.request("GET", created["url"]).json()["counts"].get("running", 0)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    assert in_flight >= 1, "the kill should interrupt running items"

    second = start_serve(database, port, openai_server.base_url, log)
    try:
        client = wait_ready(port, second)
        deadline = time.monotonic() + 60
        while (status := client.request("GET", created["url"]).json())["state"] != "done":
            assert time.monotonic() < deadline, status
            time.sleep(0.1)
        lines = client.request("GET", created["results_url"]).lines()
    finally:
        second.terminate()
        second.wait(timeout=30)

    assert status["counts"] == {"ok": 15}
    assert [line["id"] for line in lines] == [f"a{n}" for n in range(15)]
    assert all(line["status"] == "ok" for line in lines)
    # Items interrupted by the kill were asked again: more model calls than articles.
    assert len(model.answered) >= 15 + in_flight - 1
    assert TEST_API_KEY not in log.read_text()
