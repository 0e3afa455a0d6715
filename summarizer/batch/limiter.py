"""Client-side rate limiting for requests and tokens per minute, adapting to the server's 429s.

Two token buckets (requests, tokens) refill continuously at ``rate * factor``; ``acquire`` waits in
FIFO order until both allow the next request. Token counts are estimated from the text before the
call and corrected by the real usage afterwards (the difference is charged or refunded, and the
estimator learns the actual/estimated ratio).

The ``factor`` is AIMD: every 429 from the server cuts it multiplicatively (at most once per
cool-down, since one burst of concurrent 429s is one signal), drains the buckets and honours
``Retry-After``; then it recovers additively with time while requests succeed. So a configured limit
that is above the server's real one settles just under the real one. With no configured limit, the
first 429 sets one: the request rate observed over the last seconds.

Clock and sleep are injectable so tests run the arithmetic without waiting.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from summarizer.engines.tokens import estimate_tokens
from summarizer.schema import AttemptRecord

Clock = Callable[[], float]
#: Waits shorter than this are rounding residue, not a reason to sleep.
_EPSILON = 1e-6
Sleep = Callable[[float], Awaitable[None]]


class TokenEstimator:
    """Tokens a call will use, guessed from the article before the call and learned after it.

    CJK text runs close to one token per character in current tokenizers, other text about four
    characters per token. The prompt adds a fixed overhead and the answer (summary + translation)
    scales with the article. ``learn`` keeps a moving ratio of actual to estimated tokens.
    """

    def __init__(self, *, prompt_overhead: int = 900, output_ratio: float = 0.9) -> None:
        self.prompt_overhead = prompt_overhead
        self.output_ratio = output_ratio
        self.ratio = 1.0

    def raw_estimate(self, text: str | bytes) -> int:
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        text_tokens = estimate_tokens(text)
        return int(self.prompt_overhead + text_tokens * (1 + self.output_ratio) + 200)

    def estimate(self, text: str | bytes) -> int:
        return max(1, int(self.raw_estimate(text) * self.ratio))

    def learn(self, raw_estimate: int, actual: int) -> None:
        if raw_estimate <= 0 or actual <= 0:
            return
        observed = min(max(actual / raw_estimate, 0.05), 20.0)
        self.ratio = 0.8 * self.ratio + 0.2 * observed


@dataclass
class LimiterStats:
    acquired: int = 0
    rate_limited: int = 0
    decreases: int = 0
    waited_seconds: float = 0.0


class RateLimiter:
    """Requests-per-minute and tokens-per-minute buckets with AIMD adaptation to 429s.

    ``rpm``/``tpm`` of ``None`` mean "no configured limit" (a first 429 discovers a request limit).
    ``burst_seconds`` is how much unused allowance may pile up (1 s of rate by default): small
    enough not to trip a server that enforces its limit over short windows. ``headroom`` keeps the
    pace a hair under the configured limit (99%), so network jitter cannot push one request over
    a server's sliding window.
    """

    def __init__(
        self,
        rpm: float | None = None,
        tpm: float | None = None,
        *,
        burst_seconds: float = 1.0,
        headroom: float = 0.99,
        decrease: float = 0.75,
        recovery_per_second: float = 0.01,
        fast_recovery_per_second: float = 0.05,
        min_factor: float = 0.05,
        cooldown_seconds: float = 2.0,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if (rpm is not None and rpm <= 0) or (tpm is not None and tpm <= 0):
            raise ValueError("rpm and tpm must be positive (or None for no limit)")
        self.rpm = rpm
        self.tpm = tpm
        self.burst_seconds = burst_seconds
        self.headroom = headroom
        self.decrease = decrease
        self.recovery_per_second = recovery_per_second
        self.fast_recovery_per_second = fast_recovery_per_second
        self.min_factor = min_factor
        self.cooldown_seconds = cooldown_seconds
        self.clock = clock
        self.sleep = sleep
        #: Multiplies both rates: 1.0 = the configured limits; AIMD moves it.
        self.factor = 1.0
        #: The factor at the last 429: recovery is fast below 90% of it, slow above.
        self.ceiling = 1.0
        self.stats = LimiterStats()
        now = clock()
        self._last_refill = now
        self._last_decrease = -math.inf
        self._paused_until = now
        # Start nearly empty: the server's window may still hold a previous (killed) run's calls,
        # and a full bucket at start would put one burst more than the limit into the first minute.
        self._request_level = 1.0
        self._token_level = 0.0
        self._recent_starts: deque[float] = deque()
        self._lock = asyncio.Lock()

    # --- rates ---

    @property
    def effective_rpm(self) -> float | None:
        return None if self.rpm is None else self.rpm * self.factor * self.headroom

    @property
    def effective_tpm(self) -> float | None:
        return None if self.tpm is None else self.tpm * self.factor * self.headroom

    def _request_capacity(self) -> float:
        rate = self.effective_rpm
        return 1.0 if rate is None else max(1.0, rate / 60 * self.burst_seconds)

    def _token_capacity(self) -> float:
        rate = self.effective_tpm
        return 0.0 if rate is None else rate / 60 * max(self.burst_seconds, 1.0)

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self._last_refill)
        self._last_refill = now
        self._recover(elapsed)
        if self.effective_rpm is not None:
            self._request_level = min(
                self._request_capacity(), self._request_level + elapsed * self.effective_rpm / 60
            )
        if self.effective_tpm is not None:
            self._token_level = min(
                self._token_capacity(), self._token_level + elapsed * self.effective_tpm / 60
            )

    def _recover(self, elapsed: float) -> None:
        """Additive increase: the factor climbs back with time (faster far below the ceiling)."""
        if self.factor >= 1.0:
            return
        speed = (
            self.fast_recovery_per_second
            if self.factor < 0.9 * self.ceiling
            else self.recovery_per_second
        )
        self.factor = min(1.0, self.factor + speed * elapsed)

    # --- the gate ---

    async def acquire(self, tokens: int = 0) -> None:
        """Wait until one request of about ``tokens`` tokens may start, then take its allowance."""
        async with self._lock:
            started = self.clock()
            while True:
                now = self.clock()
                self._refill(now)
                wait = self._paused_until - now
                if self.effective_rpm is not None and self._request_level < 1.0:
                    wait = max(wait, (1.0 - self._request_level) / (self.effective_rpm / 60))
                if self.effective_tpm is not None and tokens > 0:
                    needed = min(float(tokens), self._token_capacity())
                    if self._token_level < needed:
                        wait = max(wait, (needed - self._token_level) / (self.effective_tpm / 60))
                if wait <= _EPSILON:  # float residue must not spin the loop
                    break
                await self.sleep(wait)
            if self.effective_rpm is not None:
                self._request_level -= 1.0
            if self.effective_tpm is not None:
                self._token_level -= tokens
            self.stats.acquired += 1
            self.stats.waited_seconds += now - started
            self._note_start(now)

    def _note_start(self, now: float) -> None:
        self._recent_starts.append(now)
        while self._recent_starts and self._recent_starts[0] < now - 10.0:
            self._recent_starts.popleft()

    # --- feedback ---

    def settle(self, estimated_tokens: int, actual_tokens: int, *, extra_requests: int = 0) -> None:
        """Correct the token bucket by real usage; charge requests beyond the first (retries)."""
        if self.effective_tpm is not None:
            self._token_level -= actual_tokens - estimated_tokens
        if self.effective_rpm is not None and extra_requests > 0:
            self._request_level -= extra_requests

    def rate_limited(self, retry_after: float | None = None) -> None:
        """The server answered 429: multiplicative decrease (once per cool-down), drain, pause."""
        now = self.clock()
        self._refill(now)
        self.stats.rate_limited += 1
        if retry_after is not None and retry_after > 0:
            self._paused_until = max(self._paused_until, now + min(retry_after, 120.0))
        if now - self._last_decrease < self.cooldown_seconds:
            return
        self._last_decrease = now
        self.stats.decreases += 1
        if self.rpm is None:
            self._discover_request_limit(now)
        self.ceiling = self.factor
        self.factor = max(self.min_factor, self.factor * self.decrease)
        self._request_level = min(self._request_level, 0.0)
        self._token_level = min(self._token_level, 0.0)

    def _discover_request_limit(self, now: float) -> None:
        """No configured limit: take the request rate we were just running at as the limit."""
        window = [start for start in self._recent_starts if start >= now - 10.0]
        if len(window) >= 2:
            span = max(now - window[0], 1.0)
            self.rpm = len(window) / span * 60
        else:
            self.rpm = 60.0
        self.factor = 1.0
        self._request_level = 0.0

    def observe(self, attempts: Iterable[AttemptRecord], estimated_tokens: int) -> None:
        """Feed back one article's attempt ledger: 429s, retries made, tokens really used."""
        records = list(attempts)
        for record in records:
            if record.status_code == 429 or record.error == "RateLimitedError":
                self.rate_limited(None)
        actual = sum(record.usage.total_tokens for record in records)
        self.settle(
            estimated_tokens,
            actual if actual else estimated_tokens,
            extra_requests=max(0, len(records) - 1),
        )
