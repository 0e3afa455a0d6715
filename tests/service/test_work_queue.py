"""Queue messages over the store's truth: real PostgreSQL and redis-server, in-process workers."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest

from summarizer.service.metrics import ServiceMetrics
from summarizer.service.pg_store import PostgresStore
from summarizer.service.queue import QueuedPostgresStore, WorkQueue
from summarizer.service.store import NewItem, Outcome
from summarizer.service.worker_main import ItemRunner, WorkerSettings, run_worker
from summarizer.service.workers import EngineSettings

pytestmark = pytest.mark.services

TEXT = "南京市召开交通工作会议。会议部署了下一阶段的重点任务。\n与会人员表示将认真落实会议精神。"
OFFLINE = EngineSettings(engine="offline")


@pytest.fixture
async def store(postgres_database: str) -> AsyncIterator[PostgresStore]:
    opened = PostgresStore(postgres_database)
    await opened.open()
    yield opened
    await opened.close()


async def enqueue(store: PostgresStore, count: int, job_id: str = "bat_q") -> None:
    items = [NewItem(f"a{n}", TEXT) for n in range(count)]
    await store.create_job(job_id=job_id, kind="batch", key_id="k", options={}, items=items)


async def test_claim_item_claims_waits_out_a_live_lease_and_sees_the_end(
    store: PostgresStore,
) -> None:
    await enqueue(store, 2)

    first = await store.claim_item("bat_q", "a0", "w1", lease_seconds=30)
    again = await store.claim_item("bat_q", "a0", "w2", lease_seconds=30)
    assert first.state == "claimed" and first.lease is not None
    assert again.state == "leased" and 29 < again.leased_for <= 30

    await store.ack(first.lease, Outcome(status="ok", result={"done": True}))
    after = await store.claim_item("bat_q", "a0", "w2", lease_seconds=30)
    await store.cancel_job("bat_q")
    cancelled = await store.claim_item("bat_q", "a1", "w2", lease_seconds=30)
    missing = await store.claim_item("bat_q", "nope", "w2", lease_seconds=30)

    assert [after.state, cancelled.state, missing.state] == ["finished"] * 3
    assert (await store.job_counts("bat_q")).by_status == {"ok": 1, "cancelled": 1}


async def test_a_pending_item_is_notified_once_however_often_it_is_sent(
    postgres_database: str, redis_url: str
) -> None:
    queue = WorkQueue(redis_url, name="dedupe")
    store = QueuedPostgresStore(postgres_database, queue)
    await store.open()
    try:
        await store.create_job(
            job_id="bat_d",
            kind="batch",
            key_id="k",
            options={},
            items=[NewItem("a0", TEXT), NewItem("a1", TEXT)],
        )
        resent = await queue.notify("bat_d", ["a0", "a1"])
        depth = await queue.depth()
    finally:
        await store.close()

    assert (resent, depth) == (0, 2)


async def test_a_redelivered_message_for_a_finished_item_writes_nothing(
    store: PostgresStore,
) -> None:
    await enqueue(store, 1)
    runner = ItemRunner(
        store,
        OFFLINE,
        ServiceMetrics(),
        worker_id="w1",
        limiter=None,
        lease_seconds=10,
        max_attempts=3,
        heartbeat_seconds=10,
    )
    try:
        first = await runner.run_item({}, job_id="bat_q", article_id="a0")
        record = await store.get_result("bat_q", "a0")
        second = await runner.run_item({}, job_id="bat_q", article_id="a0")
    finally:
        await runner.stop()

    assert (first, second) == ("summarized (attempt 1)", "finished")
    assert record is not None and record.status == "ok"
    assert record.result is not None
    assert record.result["key_points"][0]["evidence"] == "南京市召开交通工作会议。"
    assert await store.get_result("bat_q", "a0") == record
    assert [r.article_id async for r in store.iter_results("bat_q")] == ["a0"]


async def test_items_whose_notifications_were_lost_are_found_and_done(
    store: PostgresStore, postgres_database: str, redis_url: str
) -> None:
    # Committed by a replica that died before enqueueing: no message exists for these items.
    await enqueue(store, 2, job_id="bat_lost")
    stop = asyncio.Event()
    settings = WorkerSettings(
        store_url=postgres_database,
        queue_url=redis_url,
        engines=OFFLINE,
        concurrency=2,
        lease_seconds=1,
        sweep_seconds=1,
        queue_name="lost",
    )
    worker = asyncio.create_task(run_worker(settings, stop=stop))
    try:
        async with asyncio.timeout(60):
            while (await store.job_counts("bat_lost")).by_status != {"ok": 2}:
                assert not worker.done(), worker
                await asyncio.sleep(0.2)
    finally:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(worker, 30)
