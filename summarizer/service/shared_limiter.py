"""One provider rate limit for a whole fleet of workers, kept in Redis.

Why not ``summarizer.batch.limiter.RateLimiter`` per worker: its buckets live in one process, so M
workers would each spend the whole limit. Here every worker asks one Redis script before each HTTP
attempt; the script keeps a sliding-window log (a sorted set of admitted attempts, scored by the
Redis server's clock) and admits an attempt only when, counting it, the last ``window_seconds``
hold at most ``requests`` attempts and ``tokens`` estimated tokens. A sliding log is exact: no
window of that length, wherever it starts, ever holds more than the limit (a fixed-window counter
can let through twice the limit across a boundary, and a token bucket only bounds the average).

The same script also paces admissions (GCRA: one every ``window / requests``, with a burst of at
most ``burst_seconds`` worth after a lull), so the fleet spreads its calls evenly instead of
spending the minute's allowance in its first second (which providers that also enforce shorter
limits refuse) and then sending clumps exactly when old calls leave the window: with clumps, a
few milliseconds of network delay move a whole clump into the provider's next window, while with
evenly spaced calls they move one call.

A 429 from the provider pauses the whole fleet for its ``Retry-After`` (a key in Redis that every
admission checks). Tokens are charged at the estimate made before the call (its prompt plus its
output cap, which is what providers count against a tokens-per-minute limit).
"""

from __future__ import annotations

import asyncio
import math
import uuid
from dataclasses import dataclass

from redis.asyncio import Redis

from summarizer.schema import AttemptRecord
from summarizer.service.cancellation import raise_if_cancel_was_swallowed

# KEYS: log (sorted set), pause (string), pace (string: GCRA's theoretical arrival time, ms).
# ARGV: window ms, max requests (-1: none), max tokens (-1: none), pace interval ms (0: none),
# pace tolerance ms, this attempt's tokens, member id.
# Returns 0 when admitted (and logged), else the milliseconds to wait before asking again.
_ADMIT = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + tonumber(clock[2]) / 1000
local window = tonumber(ARGV[1])
local max_requests = tonumber(ARGV[2])
local max_tokens = tonumber(ARGV[3])
local interval = tonumber(ARGV[4])
local tolerance = tonumber(ARGV[5])
local tokens = tonumber(ARGV[6])
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > now then
  return math.ceil(paused - now)
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if max_requests >= 0 and count >= max_requests then
  local oldest = redis.call('ZRANGE', KEYS[1], count - max_requests, count - max_requests,
    'WITHSCORES')
  return math.max(1, math.ceil(tonumber(oldest[2]) + window - now))
end
local tat = math.max(tonumber(redis.call('GET', KEYS[3]) or '0'), now)
if interval > 0 and tat - tolerance > now then
  return math.max(1, math.ceil(tat - tolerance - now))
end
if max_tokens >= 0 then
  local entries = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
  local used = 0
  for i = 1, #entries, 2 do
    used = used + tonumber(string.match(entries[i], ':(%d+)$'))
  end
  if used + tokens > max_tokens then
    local freed = 0
    for i = 1, #entries, 2 do
      freed = freed + tonumber(string.match(entries[i], ':(%d+)$'))
      if used - freed + tokens <= max_tokens then
        return math.max(1, math.ceil(tonumber(entries[i + 1]) + window - now))
      end
    end
    return window
  end
end
redis.call('ZADD', KEYS[1], tostring(now), ARGV[7] .. ':' .. ARGV[6])
redis.call('PEXPIRE', KEYS[1], math.ceil(window) + 1000)
if interval > 0 then
  redis.call('SET', KEYS[3], tostring(tat + interval), 'PX', math.ceil(window) + 1000)
end
return 0
"""

# KEYS: pause.  ARGV: milliseconds.  Extends the fleet-wide pause, never shortens it.
_PAUSE = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + tonumber(clock[2]) / 1000
local until_ms = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ms > current then
  redis.call('SET', KEYS[1], tostring(until_ms), 'PX', tonumber(ARGV[1]) + 1000)
end
return until_ms
"""


@dataclass(frozen=True)
class SharedLimit:
    """The provider's limit, as the fleet must keep it."""

    requests: int | None = None
    tokens: int | None = None
    window_seconds: float = 60.0
    #: Pace: admissions are spaced ``window / requests`` apart, with bursts of at most this
    #: many seconds' worth after a pause (0: no pacing, only the window's cap).
    burst_seconds: float = 1.0
    #: Keep this fraction of the limit (a margin for clock and network jitter).
    headroom: float = 0.99

    def __post_init__(self) -> None:
        if self.requests is not None and self.requests <= 0:
            raise ValueError("requests must be positive (or None for no limit)")
        if self.tokens is not None and self.tokens <= 0:
            raise ValueError("tokens must be positive (or None for no limit)")
        if self.window_seconds <= 0 or not 0 < self.headroom <= 1 or self.burst_seconds < 0:
            raise ValueError("window_seconds and headroom must be positive, headroom at most 1")

    @property
    def effective_requests(self) -> int | None:
        if self.requests is None:
            return None
        return max(1, math.floor(self.requests * self.headroom))

    @property
    def effective_tokens(self) -> int | None:
        if self.tokens is None:
            return None
        return max(1, math.floor(self.tokens * self.headroom))

    @property
    def pace_ms(self) -> tuple[float, float]:
        """(interval between admissions, GCRA tolerance), in ms; (0, 0) when not pacing."""
        allowed = self.effective_requests
        if allowed is None or self.burst_seconds <= 0:
            return 0.0, 0.0
        interval = self.window_seconds * 1000 / allowed
        burst = max(1, math.floor(allowed * self.burst_seconds / self.window_seconds))
        return interval, interval * (burst - 1)


class SharedRateLimiter:
    """``AttemptHooks`` that pace every HTTP attempt of every worker through one Redis log.

    Use one per process; wrap each article's engine call in ``use_attempt_hooks(limiter)``.
    """

    def __init__(self, redis: Redis, limit: SharedLimit, *, name: str = "provider") -> None:
        self.redis = redis
        self.limit = limit
        self.log_key = f"summarizer:ratelimit:{name}:log"
        self.pause_key = f"summarizer:ratelimit:{name}:pause"
        self.pace_key = f"summarizer:ratelimit:{name}:pace"
        self._admit = redis.register_script(_ADMIT)
        self._pause = redis.register_script(_PAUSE)
        self._background: set[asyncio.Task[None]] = set()
        self.admitted = 0
        self.waited_seconds = 0.0
        self.rate_limited = 0

    async def acquire(self, tokens: int = 1) -> None:
        """Wait until the fleet may send one more attempt of about ``tokens`` tokens."""
        limit = self.limit
        if limit.requests is None and limit.tokens is None:
            return
        max_tokens = limit.effective_tokens
        charged = min(max(1, tokens), max_tokens) if max_tokens is not None else max(1, tokens)
        member = uuid.uuid4().hex
        interval, tolerance = limit.pace_ms
        while True:
            wait_ms = int(
                await self._admit(
                    keys=[self.log_key, self.pause_key, self.pace_key],
                    args=[
                        limit.window_seconds * 1000,
                        _or_none(limit.effective_requests),
                        _or_none(max_tokens),
                        interval,
                        tolerance,
                        charged,
                        member,
                    ],
                )
            )
            raise_if_cancel_was_swallowed()
            if wait_ms <= 0:
                self.admitted += 1
                return
            self.waited_seconds += wait_ms / 1000
            await asyncio.sleep(wait_ms / 1000)

    async def pause(self, seconds: float) -> None:
        """Hold every worker's next attempt for ``seconds`` (the provider said so)."""
        await self._pause(keys=[self.pause_key], args=[max(1, int(seconds * 1000))])

    # AttemptHooks

    async def before_attempt(self, estimated_tokens: int) -> None:
        await self.acquire(estimated_tokens)

    def after_attempt(self, record: AttemptRecord, retry_after: float | None) -> None:
        if record.status_code != 429:
            return
        self.rate_limited += 1
        task = asyncio.get_running_loop().create_task(self.pause(retry_after or 1.0))
        self._background.add(task)
        task.add_done_callback(self._background.discard)


def _or_none(value: int | None) -> int:
    return -1 if value is None else value
