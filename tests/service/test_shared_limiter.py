"""The fleet-wide rate limiter, against a real redis-server: several limiters, one budget."""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import math
import time
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from summarizer.schema import AttemptRecord
from summarizer.service.shared_limiter import SharedLimit, SharedRateLimiter

pytestmark = pytest.mark.services


@pytest.fixture
async def connections(redis_url: str) -> AsyncIterator[list[Redis]]:
    """Three connections: three workers' views of one Redis."""
    opened = [Redis.from_url(redis_url) for _ in range(3)]
    yield opened
    for connection in opened:
        await connection.aclose()


async def admitted_within(
    limiters: list[SharedRateLimiter], seconds: float
) -> tuple[list[float], float]:
    """Times (from the start) at which attempts were admitted, 4 eager callers per limiter, and
    the seconds the callers really ran (``seconds``, or more when a loaded machine wakes late)."""
    started = time.monotonic()
    admitted: list[float] = []

    async def caller(limiter: SharedRateLimiter) -> None:
        while True:
            await limiter.acquire(1)
            admitted.append(time.monotonic() - started)

    tasks = [asyncio.create_task(caller(limiter)) for limiter in limiters for _ in range(4)]
    await asyncio.sleep(seconds)
    ran = time.monotonic() - started
    for task in tasks:
        task.cancel()
    async with asyncio.timeout(10):  # a caller that ignores its cancellation fails, not hangs
        await asyncio.gather(*tasks, return_exceptions=True)
    return admitted, ran


async def test_limiters_on_one_redis_share_one_request_budget(connections: list[Redis]) -> None:
    limit = SharedLimit(requests=20, window_seconds=1.0, burst_seconds=0, headroom=1.0)
    limiters = [SharedRateLimiter(redis, limit, name="shared") for redis in connections]

    admitted, ran = await admitted_within(limiters, 2.5)

    # Three windows began in 2.5 s: at most 20 each, for twelve eager callers. (A loaded machine
    # may wake the test late: each further second the callers ran may admit 20 more.)
    assert 40 <= len(admitted) <= 20 * math.ceil(ran)
    assert sum(1 for at in admitted if at < 0.9) == 20
    assert sum(limiter.admitted for limiter in limiters) == len(admitted)


async def test_pacing_spreads_the_budget_over_the_window(connections: list[Redis]) -> None:
    limit = SharedLimit(requests=40, window_seconds=2.0, burst_seconds=0.1, headroom=1.0)
    limiters = [SharedRateLimiter(redis, limit, name="paced") for redis in connections]

    admitted, ran = await admitted_within(limiters, 1.0)

    # 20 per second, in a burst of at most 2 then one every 50 ms: not 40 at once. The gaps are
    # read from the log in Redis (the limiter's own clock), not from this loop's wake-ups.
    logged = await connections[0].zrange(limiters[0].log_key, 0, -1, withscores=True)
    scores = sorted(score for _, score in logged)
    # (Up to the burst, one per 50 ms and the one at the start, for as long as the callers ran.)
    assert 18 <= len(admitted) <= 2 + math.floor(ran / 0.05) + 1
    assert len(scores) == len(admitted)
    # Any 500 ms holds at most the burst (2) plus 500 / 50 admissions.
    busiest = max(bisect.bisect_left(scores, at + 500) - i for i, at in enumerate(scores))
    assert busiest <= 12


async def test_a_429_pauses_every_limiter_for_its_retry_after(connections: list[Redis]) -> None:
    limit = SharedLimit(requests=1000, window_seconds=60.0, burst_seconds=0)
    first, second = (SharedRateLimiter(redis, limit, name="paused") for redis in connections[:2])

    paused = time.monotonic()  # the pause is written after this, so it ends 0.6 s after it
    first.after_attempt(AttemptRecord(status_code=429, error="RateLimitedError"), 0.6)
    async with asyncio.timeout(2):  # the pause is written in the background
        while not await connections[1].exists(second.pause_key):
            await asyncio.sleep(0.005)
    started = time.monotonic()
    await second.acquire(1)

    assert time.monotonic() - paused >= 0.6 - 0.002  # on any machine (Redis keeps ms)
    assert time.monotonic() - started <= 1.5
    assert first.rate_limited == 1


async def test_tokens_are_budgeted_across_limiters(connections: list[Redis]) -> None:
    limit = SharedLimit(tokens=1000, window_seconds=1.5, burst_seconds=0, headroom=1.0)
    first, second = (SharedRateLimiter(redis, limit, name="tokens") for redis in connections[:2])

    started = time.monotonic()  # the 600 are logged after this, so they leave 1.5 s after it
    await first.acquire(600)
    await second.acquire(400)
    await second.acquire(300)

    assert time.monotonic() - started >= 1.5 - 0.002  # on any machine (Redis keeps ms)


async def test_a_cancellation_the_redis_call_swallows_still_stops_acquire(
    connections: list[Redis],
) -> None:
    """redis-py 8 on Python 3.11 can drop a CancelledError that lands as a reply arrives
    (``asyncio.wait_for``); the admission loop must still end, or a worker's shutdown hangs."""
    limit = SharedLimit(requests=1, window_seconds=60.0, burst_seconds=0)
    limiter = SharedRateLimiter(connections[0], limit, name="swallowed")
    admissions_tried = 0
    test_over = False

    async def admit_swallowing_cancellation(**_: object) -> int:
        nonlocal admissions_tried
        if test_over:
            raise RuntimeError("test over")  # ends a loop that ignored its cancellation
        admissions_tried += 1
        with contextlib.suppress(asyncio.CancelledError):  # as wait_for does, reply in hand
            await asyncio.sleep(0.5)
        return 20  # "wait 20 ms and ask again"

    limiter._admit = admit_swallowing_cancellation  # type: ignore[assignment]
    task = asyncio.create_task(limiter.acquire(1))
    await asyncio.sleep(0.05)
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=3)  # waits without cancelling it again
    test_over = True
    await asyncio.gather(task, return_exceptions=True)
    assert task in done, "acquire went on after its cancellation"
    assert task.cancelled()
    assert admissions_tried == 1
