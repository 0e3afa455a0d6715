"""Loops around Redis calls end when cancelled, even if redis-py's wait_for swallowed it."""

from __future__ import annotations

import asyncio
import contextlib
from types import SimpleNamespace

from summarizer.service.worker_main import ItemRunner


class SwallowingQueueJob:
    """A saq job whose update() loses a cancellation, as redis-py 8 can on Python 3.11."""

    heartbeat = 0.03

    def __init__(self) -> None:
        self.updates = 0
        self.test_over = False

    async def update(self) -> None:
        if self.test_over:
            raise asyncio.CancelledError  # ends a loop that ignored its cancellation
        self.updates += 1
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.sleep(0.2)


async def test_a_heartbeat_whose_update_swallowed_the_cancellation_still_stops() -> None:
    job = SwallowingQueueJob()
    runner = SimpleNamespace(heartbeat_seconds=1.0)
    beat = asyncio.create_task(ItemRunner._heartbeat(runner, job))  # type: ignore[arg-type]
    while job.updates == 0:
        await asyncio.sleep(0.005)
    beat.cancel()  # lands inside update(), which swallows it
    done, _ = await asyncio.wait({beat}, timeout=2)
    job.test_over = True
    await asyncio.gather(beat, return_exceptions=True)
    assert beat in done, "the heartbeat went on after its cancellation"
    assert job.updates == 1
