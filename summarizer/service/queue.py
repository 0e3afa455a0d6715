"""Work notifications on a Redis task queue (saq), for N API replicas and M worker processes.

Division of labour: **the store is the source of truth, the queue only says "look at this
item"**. An API replica commits a job to PostgreSQL, then enqueues one message per item, named by
``(job_id, article_id)``. A worker that takes a message claims that item in the store under a lease
(``PostgresStore.claim_item``), summarizes it, and acks it with a write-once insert. So:

* the queue redelivering a message (saq sweeps a job whose worker stopped heartbeating, e.g.
  after SIGKILL, and retries it) is harmless: the item is claimed again only once its lease has
  expired, and its result can be written only once;
* a message that never got enqueued (a replica died between commit and enqueue) is not lost
  either: every worker now and then re-notifies items that have waited too long
  (``reconcile``); saq refuses a second message with the same key while the first is pending.

Why saq (over arq and taskiq; see the closing note of issue 13): asyncio-native on redis-py's
asyncio client; a per-job heartbeat plus a periodic sweep redelivers a killed worker's job within
seconds, however long jobs may run (arq redelivers only when the job's whole timeout has passed);
keyed jobs de-duplicate notifications; the worker embeds in our own process in a few lines; and it
is small and actively maintained.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any

from redis.exceptions import RedisError
from saq.queue.redis import RedisQueue

from summarizer.errors import ConfigError
from summarizer.service.pg_store import PostgresStore, describe_url
from summarizer.service.store import JobKind, JobRecord, NewItem

logger = logging.getLogger("summarizer.service")

#: The queue's function name: one message = one item to summarize.
SUMMARIZE_ITEM = "summarize_item"
DEFAULT_QUEUE_NAME = "summarizer"
_KEEP_FINISHED_SECONDS = 300


class _PromptSweepQueue(RedisQueue):
    """saq's Redis queue with a sweep that waits ``abort_wait`` s, not 5 s, per stale job.

    saq's sweep asks each stale job's worker to abort it and waits for the answer before
    retrying the job, one job after the other. A SIGKILLed worker never answers, so with the
    default wait a worker that died holding eight messages delays the last by 40 s. Waiting is
    only there to avoid running a job twice, which the store's leases make harmless here.
    """

    abort_wait = 0.5

    async def sweep(self, lock: int = 60, abort: float = 5.0) -> list[str]:
        return await super().sweep(lock, min(abort, self.abort_wait))


def item_key(job_id: str, article_id: str) -> str:
    """The message key: one pending message per item, however often it is notified."""
    return f"{job_id}\x1f{article_id}"


def is_redis_url(value: str) -> bool:
    return value.startswith(("redis://", "rediss://", "unix://"))


class WorkQueue:
    """The saq queue that carries item notifications; open before use, close after."""

    def __init__(
        self,
        url: str,
        *,
        name: str = DEFAULT_QUEUE_NAME,
        heartbeat_seconds: int = 10,
        redeliveries: int = 10,
    ) -> None:
        if not is_redis_url(url):
            raise ConfigError(f"not a Redis URL: {describe_url(url)[:120]!r}")
        self.url = url
        self.name = name
        self.heartbeat_seconds = max(1, int(heartbeat_seconds))
        #: How often saq may deliver one message (the store's max_attempts ends an item sooner).
        self.redeliveries = redeliveries
        try:
            self.saq: RedisQueue = _PromptSweepQueue.from_url(url, name=name)
        except ValueError as error:  # a port that is not a number, a broken IPv6 host
            raise ConfigError(
                f"not a valid Redis URL: {describe_url(url)[:120]!r} ({error})"
            ) from None

    async def open(self) -> None:
        try:
            await self.saq.connect()
            await self.saq.redis.ping()
        except (OSError, RedisError) as error:
            raise ConfigError(
                f"cannot connect to Redis at {describe_url(self.url)} ({type(error).__name__})"
            ) from None

    async def close(self) -> None:
        # Closing a connection that never opened (Redis was down) fails too; nothing to report.
        with contextlib.suppress(OSError, RedisError):
            await self.saq.disconnect()

    async def notify(self, job_id: str, article_ids: Sequence[str]) -> int:
        """Enqueue one message per item; returns how many were new (not already pending)."""
        results = await asyncio.gather(
            *(
                self.saq.enqueue(
                    SUMMARIZE_ITEM,
                    key=item_key(job_id, article_id),
                    timeout=0,
                    heartbeat=self.heartbeat_seconds,
                    retries=self.redeliveries,
                    retry_delay=1.0,
                    # Kept a while after it ends: saq's sweep re-reads a job it aborts.
                    ttl=_KEEP_FINISHED_SECONDS,
                    job_id=job_id,
                    article_id=article_id,
                )
                for article_id in article_ids
            )
        )
        return sum(1 for job in results if job is not None)

    async def depth(self) -> int:
        """Messages waiting to be taken."""
        return int(await self.saq.count("queued"))


class QueuedPostgresStore(PostgresStore):
    """A ``PostgresStore`` whose ``create_job`` also notifies the queue, after the commit.

    This is what an API replica runs on: the app calls the store as usual and never learns that
    the work is done in other processes.
    """

    def __init__(self, url: str, queue: WorkQueue, **kwargs: Any) -> None:
        super().__init__(url, **kwargs)
        self.queue = queue

    async def open(self) -> None:
        await super().open()
        await self.queue.open()

    async def close(self) -> None:
        await self.queue.close()
        await super().close()

    async def ping(self) -> None:
        await super().ping()
        await self.queue.saq.redis.ping()

    async def create_job(
        self,
        *,
        job_id: str,
        kind: JobKind,
        key_id: str,
        options: dict[str, Any],
        items: Sequence[NewItem],
    ) -> JobRecord:
        record = await super().create_job(
            job_id=job_id, kind=kind, key_id=key_id, options=options, items=items
        )
        try:
            await self.queue.notify(job_id, [item.article_id for item in items])
        except (OSError, RedisError) as error:
            # The job is committed: the workers' reconciler notifies its items later.
            logger.warning("could not enqueue job %s (%s)", job_id, type(error).__name__)
        return record


async def reconcile(store: PostgresStore, queue: WorkQueue, *, older_than: float) -> int:
    """Re-notify items that have waited ``older_than`` seconds (a lost or spent message)."""
    waiting = await store.claimable_items(older_than=older_than)
    notified = 0
    by_job: dict[str, list[str]] = {}
    for job_id, article_id in waiting:
        by_job.setdefault(job_id, []).append(article_id)
    for job_id, article_ids in by_job.items():
        notified += await queue.notify(job_id, article_ids)
    if notified:
        logger.info("re-notified %d waiting items", notified)
    return notified


def shared_store(
    store_url: str, queue_url: str | None, *, heartbeat_seconds: float = 30.0
) -> PostgresStore:
    """The store of an API replica: PostgreSQL, notifying the queue when one is given."""
    if queue_url is None:
        return PostgresStore(store_url)
    queue = WorkQueue(queue_url, heartbeat_seconds=max(1, round(heartbeat_seconds)))
    return QueuedPostgresStore(store_url, queue)


async def check_reachable(store_url: str, queue_url: str | None) -> None:
    """Open and close the store (and queue) once: a ``ConfigError`` now, not at server start-up."""
    probe = shared_store(store_url, queue_url)
    try:
        await probe.open()
    finally:
        await probe.close()
