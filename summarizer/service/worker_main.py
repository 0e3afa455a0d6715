"""``summarizer worker``: one worker process of a scaled-out service.

It takes item notifications from the Redis queue (saq), claims each item in PostgreSQL under a
lease, summarizes it (every HTTP attempt paced by the fleet-wide ``SharedRateLimiter``), and acks
it with a write-once insert. It holds no state of its own: kill it at any point (SIGKILL
included) and its items are redelivered to the others; stop it with SIGTERM/SIGINT and it gives
its items back at once.

The summarizing itself (engine per option set, errors to typed outcomes, tokens, cost, key usage)
is ``WorkerPool``'s; ``ItemRunner`` only feeds it from the queue instead of polling the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis
from saq import Worker
from saq.types import Context, PartialTimersDict

from summarizer.engines.client import use_attempt_hooks
from summarizer.service.cancellation import raise_if_cancel_was_swallowed
from summarizer.service.metrics import ServiceMetrics
from summarizer.service.pg_store import PostgresStore
from summarizer.service.queue import DEFAULT_QUEUE_NAME, SUMMARIZE_ITEM, WorkQueue, reconcile
from summarizer.service.shared_limiter import SharedLimit, SharedRateLimiter
from summarizer.service.workers import EngineSettings, WorkerPool

logger = logging.getLogger("summarizer.service")


def default_worker_id() -> str:
    """``host-pid``: unique in the fleet, and says where to look when a lease goes stale."""
    return f"{socket.gethostname()}-{os.getpid()}"


@dataclass
class WorkerSettings:
    """Everything ``summarizer worker`` is started with."""

    store_url: str
    queue_url: str
    engines: EngineSettings = field(default_factory=EngineSettings)
    #: Items this process works on at once.
    concurrency: int = 8
    #: A dead worker's item is claimable again this long after its last renewal.
    lease_seconds: float = 30.0
    max_attempts: int = 3
    queue_name: str = DEFAULT_QUEUE_NAME
    #: The provider's limit, shared by the fleet (None: no pacing).
    limit: SharedLimit | None = None
    #: How often stale messages are swept and lost notifications re-sent.
    sweep_seconds: int = 10
    worker_id: str = field(default_factory=default_worker_id)


class ItemRunner(WorkerPool):
    """Summarizes the items that queue messages name, one lease each."""

    def __init__(
        self,
        store: PostgresStore,
        engines: EngineSettings,
        metrics: ServiceMetrics,
        *,
        worker_id: str,
        limiter: SharedRateLimiter | None,
        lease_seconds: float,
        max_attempts: int,
        heartbeat_seconds: float,
    ) -> None:
        super().__init__(
            store,
            engines,
            metrics,
            concurrency=0,
            lease_seconds=lease_seconds,
            max_attempts=max_attempts,
            concurrency_option="--concurrency",
        )
        self.postgres = store
        self.worker_id = worker_id
        self.limiter = limiter
        self.heartbeat_seconds = heartbeat_seconds

    async def run_item(self, ctx: Context, *, job_id: str, article_id: str) -> str:
        """The queue's handler: summarize the item unless it is finished; returns what happened.

        An item still leased by another worker (this message is a redelivery that came before
        the old lease ran out) is waited for: it ends either way, acked by its owner or claimed
        here once the owner's lease has expired.

        Once the model server's slots are known (``WorkerPool.learn_server_slots``), an item
        waits for a place before it is claimed: unclaimed, another worker may take it meanwhile.
        """
        queue_job = ctx.get("job")
        beat = asyncio.create_task(self._heartbeat(queue_job)) if queue_job is not None else None
        try:
            while True:
                async with self._slots:
                    claim = await self.postgres.claim_item(
                        job_id,
                        article_id,
                        self.worker_id,
                        lease_seconds=self.lease_seconds,
                        max_attempts=self.max_attempts,
                    )
                    if claim.state == "finished":
                        return "finished"
                    if claim.lease is not None:
                        with use_attempt_hooks(self.limiter):
                            await self._process(claim.lease)
                        return f"summarized (attempt {claim.lease.attempt})"
                await asyncio.sleep(min(claim.leased_for + 0.05, self.lease_seconds))
        finally:
            if beat is not None:
                beat.cancel()

    async def _heartbeat(self, queue_job: Any) -> None:
        """Tell the queue that this message is still being worked on (else it is redelivered)."""
        every = (getattr(queue_job, "heartbeat", 0) or self.heartbeat_seconds) / 3
        while True:
            await asyncio.sleep(every)
            with contextlib.suppress(Exception):
                await queue_job.update()
            raise_if_cancel_was_swallowed()


async def run_worker(settings: WorkerSettings, *, stop: asyncio.Event | None = None) -> None:
    """Work until SIGINT/SIGTERM (or ``stop`` is set)."""
    store = PostgresStore(settings.store_url, max_connections=settings.concurrency + 4)
    heartbeat = max(2, int(settings.lease_seconds))
    queue = WorkQueue(settings.queue_url, name=settings.queue_name, heartbeat_seconds=heartbeat)
    await store.open()
    limiter_redis: Redis | None = None
    try:
        await queue.open()
        limiter = None
        if settings.limit is not None:
            limiter_redis = Redis.from_url(settings.queue_url)
            limiter = SharedRateLimiter(limiter_redis, settings.limit)
        runner = ItemRunner(
            store,
            settings.engines,
            ServiceMetrics(),
            worker_id=settings.worker_id,
            limiter=limiter,
            lease_seconds=settings.lease_seconds,
            max_attempts=settings.max_attempts,
            heartbeat_seconds=heartbeat,
        )
        worker = Worker(
            queue.saq,
            functions=[(SUMMARIZE_ITEM, runner.run_item)],
            concurrency=settings.concurrency,
            id=settings.worker_id,
            # saq's defaults, but a sweep (redelivery of stale messages) every sweep_seconds.
            timers=PartialTimersDict(
                schedule=1, worker_info=10, abort=1, sweep=settings.sweep_seconds
            ),
        )
        reconciler = asyncio.create_task(_reconcile_forever(store, queue, settings))
        stopper = asyncio.create_task(_stop_on(stop, worker)) if stop is not None else None
        logger.info("worker %s started", settings.worker_id)
        try:
            await worker.start()
        finally:
            reconciler.cancel()
            if stopper is not None:
                stopper.cancel()
            await runner.stop()
    finally:
        await queue.close()
        if limiter_redis is not None:
            await limiter_redis.aclose()
        await store.close()


async def _reconcile_forever(
    store: PostgresStore, queue: WorkQueue, settings: WorkerSettings
) -> None:
    older_than = max(settings.lease_seconds, settings.sweep_seconds) * 3
    while True:
        await asyncio.sleep(settings.sweep_seconds)
        try:
            await reconcile(store, queue, older_than=older_than)
        except Exception as error:  # the next round tries again
            logger.warning("reconciling failed (%s)", type(error).__name__)
        raise_if_cancel_was_swallowed()


async def _stop_on(stop: asyncio.Event, worker: Worker[Context]) -> None:
    await stop.wait()
    await worker.stop()
