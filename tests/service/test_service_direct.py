"""Synchronous calls that skip the queue: bounded by the worker slots, stored once, and what a
crash does to them.

``POST /v1/summaries`` with a free in-process worker and nothing queued runs the article at once
(no claim transaction, no hand-off) and writes its job and result once, right after the answer.
The documented crash semantics: a call killed before its deadline was the caller's (its
connection breaks, nothing was stored, nothing is resumed); a call answered 202 at its deadline
was stored as running under a lease first, so it is redelivered after a crash.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import signal
import sqlite3
import threading
import time
from pathlib import Path

from service_helpers import (
    DraftingModel,
    HttpResponse,
    RunningService,
    ServiceFactory,
    article_text,
    model_settings,
)
from test_service_batches import free_port, start_serve, wait_ready

from summarizer.schema import ArticleSummary
from summarizer.service.sqlite_store import SQLiteStore
from summarizer.testing import RecordedRequest, Reply, ScriptedOpenAIServer


class CountingModel:
    """Answers like ``DraftingModel`` after ``delay`` seconds, counting requests in flight."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.drafts = DraftingModel()
        self.in_flight = 0
        self.most_in_flight = 0
        self._lock = threading.Lock()

    def __call__(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            time.sleep(self.delay)
            return self.drafts(request)
        finally:
            with self._lock:
                self.in_flight -= 1


def _stored(database: str, job_id: str) -> tuple[str | None, list[tuple[str, str]]]:
    """The job's key id and its (item status, result status) rows, read by a fresh connection."""
    with sqlite3.connect(database) as db:
        job = db.execute("SELECT key_id FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
        rows = db.execute(
            "SELECT i.status, COALESCE(r.status, '-') FROM items i LEFT JOIN results r "
            "USING (job_id, article_id) WHERE i.job_id = ?",
            (job_id,),
        ).fetchall()
    return (job[0] if job else None), [(row[0], row[1]) for row in rows]


def test_sync_calls_and_queued_work_share_the_worker_slots(
    service_factory: ServiceFactory, openai_server: ScriptedOpenAIServer
) -> None:
    model = CountingModel(delay=0.3)
    openai_server.set_handler(model)
    service = service_factory(engines=model_settings(openai_server.base_url), workers=2)
    batch = [{"id": f"b{n}", "text": article_text(n)} for n in range(4)]

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        queued = pool.submit(service.request, "POST", "/v1/batches", batch)
        calls = [
            pool.submit(service.request, "POST", "/v1/summaries", {"text": article_text(10 + n)})
            for n in range(5)
        ]
        answers = [call.result() for call in calls]
    status = service.wait_for_batch(queued.result().json()["id"])

    assert [answer.status for answer in answers] == [200] * 5
    assert status["counts"] == {"ok": 4}
    assert model.most_in_flight == 2  # never more articles at once than workers


def test_a_sync_answer_is_served_at_once_and_stored_once_shortly_after(
    service_factory: ServiceFactory, openai_server: ScriptedOpenAIServer
) -> None:
    openai_server.set_handler(DraftingModel())
    service = service_factory(engines=model_settings(openai_server.base_url))

    answer = service.request("POST", "/v1/summaries", {"text": article_text(1), "id": "n1"})
    job_id = answer.headers["location"].rsplit("/", 1)[-1]
    polled = service.request("GET", answer.headers["location"])
    review = service.request("GET", f"/v1/review/outputs/{job_id}")

    assert answer.status == 200
    summary = ArticleSummary.model_validate_json(answer.body)
    assert "art-00001" in summary.source.normalized_text
    assert polled.json()["status"] == "ok" and polled.json()["result"] == answer.json()
    assert review.json()["article_id"] == "n1" and review.json()["result"] == answer.json()

    async def stored_result() -> dict[str, object] | None:
        store = SQLiteStore(service.settings.database)
        await store.open()
        try:
            record = await store.get_result(job_id, "n1")
            return None if record is None else record.result
        finally:
            await store.close()

    deadline = time.monotonic() + 10  # written shortly after the answer (PERSIST_DELAY)
    while (stored := asyncio.run(stored_result())) is None:
        assert time.monotonic() < deadline, "the answered summary was never stored"
        time.sleep(0.02)
    assert stored == json.loads(answer.body)
    key_id, rows = _stored(service.settings.database, job_id)
    assert key_id is not None and key_id in str(service.key)
    assert rows == [("ok", "ok")]


def test_a_sync_call_past_its_deadline_is_stored_as_running_before_its_202(
    service_factory: ServiceFactory, openai_server: ScriptedOpenAIServer
) -> None:
    openai_server.set_handler(DraftingModel(delay=1.0))
    service = service_factory(engines=model_settings(openai_server.base_url))

    accepted = service.request(
        "POST", "/v1/summaries", {"text": article_text(2), "wait_seconds": 0.2}
    )
    job_id = accepted.json()["id"]
    _, rows_at_202 = _stored(service.settings.database, job_id)
    with sqlite3.connect(service.settings.database) as db:
        lease = db.execute("SELECT lease_owner, attempts FROM items WHERE job_id = ?", (job_id,))
        owner, attempts = lease.fetchone()
    deadline = time.monotonic() + 30
    while (job := service.request("GET", accepted.json()["url"]).json())["status"] != "ok":
        assert job["status"] == "running", job
        assert time.monotonic() < deadline
        time.sleep(0.05)

    assert accepted.status == 202
    assert accepted.json()["accepted_because"] == "deadline_reached"
    assert rows_at_202 == [("running", "-")]
    assert owner is not None and attempts == 1
    assert "art-00002" in ArticleSummary.model_validate(job["result"]).source.normalized_text
    assert _stored(service.settings.database, job_id)[1] == [("ok", "ok")]


def _post_in_thread(
    client: RunningService, body: dict[str, object]
) -> concurrent.futures.Future[HttpResponse]:
    pool = concurrent.futures.ThreadPoolExecutor(1)
    future = pool.submit(client.request, "POST", "/v1/summaries", body)
    pool.shutdown(wait=False)
    return future


def _wait_for_model_call(model: DraftingModel, count: int) -> None:
    deadline = time.monotonic() + 30
    while len(model.answered) < count:
        assert time.monotonic() < deadline, "the model was not called"
        time.sleep(0.02)


def test_a_killed_server_resumes_a_202_call_but_not_an_unanswered_sync_call(
    tmp_path: Path, openai_server: ScriptedOpenAIServer
) -> None:
    model = DraftingModel(delay=2.0)
    openai_server.set_handler(model)
    database, log, port = tmp_path / "service.sqlite3", tmp_path / "serve.log", free_port()

    # 1. A sync call in progress when the server dies: the caller's connection breaks and
    # nothing was stored, so a restart resumes nothing.
    first = start_serve(database, port, openai_server.base_url, log)
    try:
        client = wait_ready(port, first)
        pending = _post_in_thread(client, {"text": article_text(3)})
        _wait_for_model_call(model, 1)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    assert isinstance(pending.exception(timeout=30), OSError)
    second = start_serve(database, port, openai_server.base_url, log)
    try:
        client = wait_ready(port, second)
        time.sleep(2.5)  # over two lease lengths (--lease-seconds 1): nothing is redelivered
        assert len(model.answered) == 1
        with sqlite3.connect(database) as db:
            assert db.execute("SELECT COUNT(*) FROM jobs").fetchone() == (0,)

        # 2. A call answered 202 at its deadline, then the server dies during the model call:
        # the job was stored as running under a lease, so the restarted server redelivers it.
        accepted = client.request(
            "POST", "/v1/summaries", {"text": article_text(4), "wait_seconds": 0.3}
        )
        assert accepted.status == 202, accepted.body
        _wait_for_model_call(model, 2)  # killed during the model call, not before it
    finally:
        second.send_signal(signal.SIGKILL)
        second.wait()
    # The restarted server claims the expired lease under a longer one of its own: with 1 s, a
    # loaded machine can delay a renewal past expiry and a second worker asks the model again.
    third = start_serve(database, port, openai_server.base_url, log, lease_seconds=5)
    try:
        client = wait_ready(port, third)
        deadline = time.monotonic() + 60
        while (job := client.request("GET", accepted.json()["url"]).json())["status"] != "ok":
            assert time.monotonic() < deadline, job
            time.sleep(0.1)
    finally:
        third.terminate()
        third.wait(timeout=30)

    assert "art-00004" in ArticleSummary.model_validate(job["result"]).source.normalized_text
    assert model.answered.count("art-00004") == 2  # asked again after the kill
    assert _stored(str(database), accepted.json()["id"])[1] == [("ok", "ok")]
