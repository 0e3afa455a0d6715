"""A key's request quota holds under concurrent requests, on both stores.

Checking the usage and recording the request must be one step: with two steps, requests that
arrive together (several API replicas on one PostgreSQL, or awaits between the steps) all read
the same count below the quota and are all admitted.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from summarizer.errors import QuotaExceededError
from summarizer.service.keys import admit, authenticate, create_key
from summarizer.service.pg_store import PostgresStore
from summarizer.service.sqlite_store import SQLiteStore
from summarizer.service.store import Store

QUOTA = 5
CONCURRENT = 40


async def _admitted_of_concurrent_requests(stores: list[Store]) -> int:
    """Requests admitted when CONCURRENT arrive together, spread over ``stores`` (replicas)."""
    for store in stores:
        await store.open()
    try:
        key, _ = await create_key(stores[0], name="quota", requests_per_minute=QUOTA)
        who = await authenticate(stores[0], key)

        async def one(store: Store) -> bool:
            try:
                await admit(store, who)
            except QuotaExceededError:
                return False
            return True

        outcomes = await asyncio.gather(
            *(one(stores[number % len(stores)]) for number in range(CONCURRENT))
        )
        return sum(outcomes)
    finally:
        for store in stores:
            await store.close()


def test_concurrent_requests_on_sqlite_admit_exactly_the_quota(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "service.sqlite3")
    assert asyncio.run(_admitted_of_concurrent_requests([store])) == QUOTA


@pytest.mark.services
def test_concurrent_requests_on_two_postgres_replicas_admit_exactly_the_quota(
    postgres_database: str,
) -> None:
    replicas: list[Store] = [PostgresStore(postgres_database), PostgresStore(postgres_database)]
    assert asyncio.run(_admitted_of_concurrent_requests(replicas)) == QUOTA
