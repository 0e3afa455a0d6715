"""The store contract (claim / lease / ack, write-once results), kept by every ``Store``.

Each test runs against the embedded SQLite store and against PostgreSQL (a real server on
loopback, one fresh database per test).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from summarizer.service import pg_store, sqlite_store
from summarizer.service.pg_store import PostgresStore
from summarizer.service.sqlite_store import REDELIVERY_EXHAUSTED, SQLiteStore
from summarizer.service.store import NewItem, Outcome, Store


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    opened: Store
    if request.param == "sqlite":
        opened = SQLiteStore(tmp_path / "store.sqlite3")
    else:
        opened = PostgresStore(request.getfixturevalue("postgres_database"))
    await opened.open()
    yield opened
    await opened.close()


async def enqueue(store: Store, count: int, job_id: str = "bat_1") -> None:
    items = [NewItem(f"a{n}", f"text {n}", metadata={"n": n}) for n in range(count)]
    await store.create_job(job_id=job_id, kind="batch", key_id="k", options={}, items=items)


async def test_a_claimed_item_is_not_claimed_again_while_its_lease_lives(
    store: Store,
) -> None:
    await enqueue(store, 2)

    first = await store.claim("w1", lease_seconds=30)
    second = await store.claim("w2", lease_seconds=30)
    third = await store.claim("w3", lease_seconds=30)

    assert [lease.article_id for lease in first + second] == ["a0", "a1"]
    assert third == []
    assert await store.queue_depth() == 0


async def test_an_expired_lease_is_redelivered_and_the_result_is_written_once(
    store: Store,
) -> None:
    await enqueue(store, 1)
    (dead,) = await store.claim("dying-worker", lease_seconds=0.05)
    await asyncio.sleep(0.1)

    (again,) = await store.claim("w2", lease_seconds=30)
    renewed_dead = await store.renew(dead, lease_seconds=30)
    wrote_second = await store.ack(again, Outcome(status="ok", result={"by": "w2"}))
    wrote_first = await store.ack(dead, Outcome(status="ok", result={"by": "dying-worker"}))

    assert (again.attempt, again.payload) == (2, "text 0")
    assert renewed_dead is False
    assert (wrote_second, wrote_first) == (True, False)
    results = [record async for record in store.iter_results("bat_1")]
    assert [(r.article_id, r.result) for r in results] == [("a0", {"by": "w2"})]
    assert (await store.job_counts("bat_1")).by_status == {"ok": 1}


async def test_an_item_whose_workers_keep_dying_ends_as_an_error(store: Store) -> None:
    await enqueue(store, 1)
    for _ in range(2):
        assert await store.claim("w", lease_seconds=0.01, max_attempts=2)
        await asyncio.sleep(0.03)

    assert await store.claim("w", lease_seconds=0.01, max_attempts=2) == []
    record = await store.get_result("bat_1", "a0")
    assert record is not None
    assert (record.status, record.error_kind) == ("error", REDELIVERY_EXHAUSTED)


async def test_release_requeues_and_cancel_skips_queued_items(store: Store) -> None:
    await enqueue(store, 3)
    (lease,) = await store.claim("w", lease_seconds=30)
    await store.release(lease)
    (again,) = await store.claim("w", lease_seconds=30)
    assert (again.article_id, again.attempt) == ("a0", 1)

    await store.cancel_job("bat_1")
    assert await store.claim("w", lease_seconds=30) == []
    await store.ack(again, Outcome(status="ok", result={}))

    counts = await store.job_counts("bat_1")
    assert counts.by_status == {"ok": 1, "cancelled": 2}
    assert [r.status for r in [x async for x in store.iter_results("bat_1")]] == [
        "ok",
        "cancelled",
        "cancelled",
    ]


async def test_results_stream_in_pages_in_submission_order(store: Store) -> None:
    await enqueue(store, 450)
    leases = await store.claim("w", lease_seconds=30, limit=450)
    for lease in reversed(leases):
        await store.ack(lease, Outcome(status="ok", result={"id": lease.article_id}))

    ids = [record.article_id async for record in store.iter_results("bat_1")]

    assert ids == [f"a{n}" for n in range(450)]


async def test_a_finished_one_item_job_is_recorded_in_one_step(store: Store) -> None:
    """A synchronous call that skipped the queue: job, item and result written together."""
    item = NewItem("n1", "正文", source_name="body.html")
    outcome = Outcome(status="ok", result_json=b'{"x": 1}', prompt_tokens=3, seconds=0.2)

    await store.record_finished(
        job_id="sum_1", kind="summary", key_id="k", options={"a": 1}, item=item, outcome=outcome
    )

    job = await store.get_job("sum_1")
    assert job is not None and (job.kind, job.key_id, job.options, job.total) == (
        "summary",
        "k",
        {"a": 1},
        1,
    )
    record = await store.get_result("sum_1", "n1")
    assert record is not None and (record.status, record.result) == ("ok", {"x": 1})
    counts = await store.job_counts("sum_1")
    assert counts.by_status == {"ok": 1} and counts.prompt_tokens == 3
    assert await store.queue_depth() == 0
    assert await store.claim("w", lease_seconds=30) == []  # nothing to deliver


async def test_a_leased_one_item_job_is_redelivered_when_its_lease_expires(store: Store) -> None:
    """A synchronous call past its deadline: stored running under a lease; if its process dies
    the lease runs out and a worker gets the item; the late ack of the first owner is ignored."""
    item = NewItem("n1", "正文")
    lease = await store.create_leased_job(
        job_id="sum_2",
        kind="summary",
        key_id="k",
        options={},
        item=item,
        worker_id="direct",
        lease_seconds=1.0,  # outlasts the two queries below on a loaded machine (0.1 s may not)
    )

    assert (await store.job_counts("sum_2")).by_status == {"running": 1}
    assert await store.claim("w", lease_seconds=30) == []  # leased
    await asyncio.sleep(1.1)
    (again,) = await store.claim("w", lease_seconds=30)
    assert (again.job_id, again.article_id, again.attempt, again.payload) == (
        "sum_2",
        "n1",
        2,
        "正文",
    )
    assert await store.renew(lease, lease_seconds=30) is False
    assert await store.ack(again, Outcome(status="ok", result={"by": "w"})) is True
    assert await store.ack(lease, Outcome(status="ok", result={"by": "direct"})) is False
    record = await store.get_result("sum_2", "n1")
    assert record is not None and record.result == {"by": "w"}


async def test_an_items_encoding_is_stored_and_comes_back_with_every_lease(store: Store) -> None:
    """The charset a service decoded a text payload from survives the queue and redelivery."""
    items = [
        NewItem("declared", "Café", encoding="iso8859-1"),
        NewItem("bytes", "Café".encode("latin-1")),
        NewItem("text", "Café"),
    ]
    await store.create_job(job_id="bat_e", kind="batch", key_id="k", options={}, items=items)
    leases = await store.claim("w", lease_seconds=30, limit=3)
    leased = await store.create_leased_job(
        job_id="sum_e",
        kind="summary",
        key_id="k",
        options={},
        item=NewItem("late", "Café", encoding="cp1252"),
        worker_id="direct",
        lease_seconds=0.05,
    )
    await asyncio.sleep(0.1)
    (redelivered,) = await store.claim("w2", lease_seconds=30)

    assert {lease.article_id: (lease.payload, lease.encoding) for lease in leases} == {
        "declared": ("Café", "iso8859-1"),
        "bytes": ("Café".encode("latin-1"), None),
        "text": ("Café", None),
    }
    assert leased.encoding == "cp1252"
    assert (redelivered.article_id, redelivered.attempt, redelivered.encoding) == (
        "late",
        2,
        "cp1252",
    )


def _without_encoding(schema: str) -> str:
    """A store's schema as it was before items had an encoding column."""
    lines = [line for line in schema.splitlines() if "encoding" not in line]
    assert len(lines) < len(schema.splitlines())
    return "\n".join(lines)


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
async def test_a_database_made_before_the_encoding_column_is_given_it_when_opened(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    old_row = (
        "INSERT INTO jobs (job_id, kind, key_id, options, created_at, total) "
        "VALUES ('bat_old', 'batch', 'k', '{}', 1.0, 1)",
        "INSERT INTO items (job_id, article_id, seq, payload, payload_is_text, metadata, "
        "status, created_at) VALUES ('bat_old', 'old', 0, 'x', TRUE, '{}', 'queued', 1.0)",
    )
    opened: Store
    if kind == "sqlite":
        path = tmp_path / "old.sqlite3"
        with sqlite3.connect(path) as db:
            db.executescript(_without_encoding(sqlite_store._SCHEMA))
            for statement in old_row:
                db.execute(statement.replace("TRUE", "1").replace("'x'", "X'78'"))
        opened = SQLiteStore(path)
    else:
        url = request.getfixturevalue("postgres_database")
        db = await asyncpg.connect(url)
        try:
            await db.execute(_without_encoding(pg_store._SCHEMA))
            for statement in old_row:
                await db.execute(statement.replace("'x'", "'\\x78'::bytea"))
        finally:
            await db.close()
        opened = PostgresStore(url)
    await opened.open()
    try:
        await opened.create_job(
            job_id="bat_new",
            kind="batch",
            key_id="k",
            options={},
            items=[NewItem("new", "Café", encoding="iso8859-1")],
        )
        leases = await opened.claim("w", lease_seconds=30, limit=2)
    finally:
        await opened.close()

    assert [(lease.article_id, lease.payload, lease.encoding) for lease in leases] == [
        ("old", "x", None),
        ("new", "Café", "iso8859-1"),
    ]
