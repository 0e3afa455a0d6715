"""A batch's ``eta_seconds`` counts the articles the pool really keeps in work at once.

The estimate divided the waiting items' mean time by ``--workers``; once the model server says
it works on one request at a time, the slot gate keeps two articles in work (one working, one
waiting in the server's queue), whatever ``--workers`` says, so the estimate was four times too
short with eight workers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from test_service_server_slots import one_slot_llama_server

from summarizer.engines.slots import WAITING_AT_SERVER
from summarizer.service.app import _batch_status
from summarizer.service.metrics import ServiceMetrics
from summarizer.service.sqlite_store import SQLiteStore
from summarizer.service.store import NewItem, Outcome
from summarizer.service.workers import EngineSettings, WorkerPool
from summarizer.testing import TEST_API_KEY, ScriptedOpenAIServer


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SQLiteStore]:
    opened = SQLiteStore(tmp_path / "store.sqlite3")
    await opened.open()
    try:
        yield opened
    finally:
        await opened.close()


async def test_the_estimate_divides_by_the_articles_the_slot_gate_lets_in_work(
    store: SQLiteStore, openai_server: ScriptedOpenAIServer
) -> None:
    one_slot_llama_server(openai_server, 0.0)
    items = [NewItem(f"a{n}", f"text {n}") for n in range(6)]
    await store.create_job(job_id="bat_eta", kind="batch", key_id="k", options={}, items=items)
    (lease,) = await store.claim("w", lease_seconds=30)
    await store.ack(lease, Outcome(status="ok", result={}, seconds=2.0))
    engines = EngineSettings(
        engine="openai",
        model="test-model",
        base_url=openai_server.base_url,
        api_key=TEST_API_KEY,
    )
    pool = WorkerPool(store, engines, ServiceMetrics(), concurrency=8)
    job = await store.get_job("bat_eta")
    assert job is not None

    before = await _batch_status(store, job, pool)
    await pool.learn_server_slots(pool.engine_for({}))
    after = await _batch_status(store, job, pool)

    assert before.eta_seconds == pytest.approx(5 * 2.0 / 8)  # not learnt yet: --workers
    assert pool.articles_at_once == 1 + WAITING_AT_SERVER
    assert after.eta_seconds == pytest.approx(5 * 2.0 / (1 + WAITING_AT_SERVER))
