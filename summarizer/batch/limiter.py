"""Client-side limits on requests and tokens per minute: always on, learning the server's limits.

A batch is safe by default: every HTTP attempt waits in ``RateLimiter.acquire``, whether or not the
user gave ``--rpm``/``--tpm``. What the limiter knows of a limit, most trusted first:

1. **Configured** (``rpm``/``tpm``): a hard cap. No 60 s sliding window ever holds more starts
   (or estimated tokens) than ``limit * headroom``, whatever the server says.
2. **Headers**: ``x-ratelimit-limit-requests`` / ``-tokens`` (OpenAI and several compatible servers
   send them) set the limit in force (never above a configured one); ``-remaining-*`` at 0 pauses
   everyone for the matching ``-reset-*`` time.
3. **Discovered**: without either, a burst of 429s (``burst_429s`` within a cool-down) measures
   the number of our requests that the server admitted in the 60 s before the burst: the ones
   that *started* in that window and succeeded. Against a server that counts a sliding minute
   this is its limit exactly, however short the burst that filled it (a rate measured over the
   burst, an earlier rule, took 3,166 rpm for a 600 rpm server). The measurement waits until
   every request that started in that window has answered: the server counted those still in
   flight when the 429s came back, and counting successes as their answers came (an earlier
   rule) missed them, so under load (slow answers, many in flight) it measured too little or
   two bursts disagreed. A request that never reports back is given up on after
   ``in_flight_patience``. Bursts and cool-downs go by start times too: a 429 answered late
   belongs to the burst its request met. Start times stand in for arrival times at the server:
   requests that start together (after a pause) reach it spread over the time it takes to send
   them, so a window edge that cuts through such a group can miss part of it and one
   measurement can read low. Two bursts whose measurements agree (within 10%) make
   it the limit in force; until then a 429 is only a pause (``Retry-After``), so random 429s
   from a server without a limit do not invent one. Two later bursts that both measure less
   lower it (to the larger measurement); it is never raised by guessing (each guess above a
   sliding-window limit would cost a burst of 429s), so it converges.

Before anything is known the limiter starts conservatively: the first request goes alone, and the
others wait for its answer (whose headers may carry the limits) or for ``probe_timeout``. After
that, with no limit known, only the concurrency bounds the pace.

On top of a limit sits an AIMD ``factor``: a 429 (at most one per cool-down: one burst of
concurrent 429s is one signal) cuts it multiplicatively, drains the buckets and honours
``Retry-After`` for everyone; it recovers additively while requests succeed. Two token buckets
(1 s of burst) keep the pace even within the window.

``acquire`` returns the request's start time; hand it back with the outcome (``succeeded``,
``failed``, ``rate_limited``) so the limiter knows which request answered. An outcome without it
is taken to be the oldest request in flight.

Token counts are estimated before the call and corrected by real usage afterwards (``settle``).
Clock and sleep are injectable so tests run the arithmetic without waiting.
"""

from __future__ import annotations

import asyncio
import bisect
import math
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass

from summarizer.engines.tokens import estimate_tokens
from summarizer.schema import AttemptRecord

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
#: Waits shorter than this are rounding residue, not a reason to sleep.
_EPSILON = 1e-6
#: The span of a rate-limit window, seconds (what "per minute" means at the server).
WINDOW_SECONDS = 60.0
#: Longest pause a header or ``Retry-After`` may impose at once.
MAX_PAUSE = 120.0
#: Longest a measurement of a discovered limit waits for requests in flight: longer than any
#: request's timeout (120 s by default), so only a request whose outcome was lost is given up on.
IN_FLIGHT_PATIENCE = 600.0
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")


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


class _Window:
    """Amounts spent in the last ``span`` seconds (a sliding window) and their running sum."""

    def __init__(self, span: float = WINDOW_SECONDS) -> None:
        self.span = span
        self.entries: deque[tuple[float, float]] = deque()
        self.total = 0.0

    def prune(self, now: float) -> None:
        entries = self.entries
        while entries and entries[0][0] <= now - self.span:
            self.total -= entries.popleft()[1]

    def add(self, now: float, amount: float) -> None:
        self.entries.append((now, amount))
        self.total += amount

    def count(self, now: float) -> int:
        self.prune(now)
        return len(self.entries)

    def wait_for(self, now: float, amount: float, cap: float) -> float:
        """Seconds until ``amount`` more fits under ``cap`` within the window (0: it fits now)."""
        self.prune(now)
        excess = self.total + min(amount, cap) - cap
        if excess <= _EPSILON:
            return 0.0
        freed = 0.0
        for at, spent in self.entries:
            freed += spent
            if freed >= excess - _EPSILON:
                return at + self.span - now + _EPSILON
        return self.span


class _StartTimes:
    """Start times of requests, sorted (answers come back in any order)."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def add(self, at: float) -> None:
        bisect.insort(self.times, at)

    def remove(self, at: float) -> bool:
        """Forget one request that started at ``at``; False if none is known."""
        index = bisect.bisect_left(self.times, at)
        if index < len(self.times) and self.times[index] == at:
            del self.times[index]
            return True
        return False

    def pop_oldest(self) -> float | None:
        return self.times.pop(0) if self.times else None

    def forget_until(self, horizon: float) -> None:
        """Forget the requests that started at ``horizon`` or before."""
        del self.times[: bisect.bisect_right(self.times, horizon)]

    def count_between(self, after: float, until: float) -> int:
        """How many started in ``(after, until]``."""
        return bisect.bisect_right(self.times, until) - bisect.bisect_right(self.times, after)


def parse_reset(value: str) -> float | None:
    """Seconds in an ``x-ratelimit-reset-*`` value: ``"1s"``, ``"6m0s"``, ``"20ms"``, ``"0.5"``."""
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    parts = _DURATION_PART.findall(value)
    if not parts or "".join(number + unit for number, unit in parts) != value:
        return None
    scale = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
    return sum(float(number) * scale[unit] for number, unit in parts)


def _header_number(headers: Mapping[str, str], name: str) -> float | None:
    value = headers.get(name)
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None


class RateLimiter:
    """Requests and tokens per minute, configured or learnt, with AIMD adaptation to 429s.

    ``rpm``/``tpm`` of ``None`` mean "no configured limit" (headers or a first 429 find one).
    ``burst_seconds`` is how much unused allowance may pile up (1 s of rate by default).
    ``headroom`` keeps the pace and every 60 s window a hair under the limit (99%), so network
    jitter cannot push one request over a server's sliding window. ``probe`` sends the first
    request alone (see the module docstring).
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
        probe: bool = True,
        probe_timeout: float = 10.0,
        burst_429s: int = 3,
        window_seconds: float = WINDOW_SECONDS,
        in_flight_patience: float = IN_FLIGHT_PATIENCE,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if (rpm is not None and rpm <= 0) or (tpm is not None and tpm <= 0):
            raise ValueError("rpm and tpm must be positive (or None for no limit)")
        #: The user's limits: never exceeded.
        self.configured_rpm = rpm
        self.configured_tpm = tpm
        #: The limits in force (configured, from headers, or discovered); None = none known.
        self.rpm = rpm
        self.tpm = tpm
        #: Where ``rpm`` came from: "configured", "headers", "discovered" or None.
        self.rpm_source: str | None = "configured" if rpm is not None else None
        self.burst_seconds = burst_seconds
        self.headroom = headroom
        self.decrease = decrease
        self.recovery_per_second = recovery_per_second
        self.fast_recovery_per_second = fast_recovery_per_second
        self.min_factor = min_factor
        self.cooldown_seconds = cooldown_seconds
        self.probe_timeout = probe_timeout
        self.burst_429s = burst_429s
        #: What "per minute" means: 60 s, shorter only to compress time in benchmarks.
        self.window_seconds = window_seconds
        self.in_flight_patience = in_flight_patience
        self.clock = clock
        self.sleep = sleep
        #: Multiplies both rates: 1.0 = the limits in force; AIMD moves it.
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
        self._starts = _Window(window_seconds)
        self._tokens = _Window(window_seconds)
        #: Start times of requests that succeeded, and of requests not answered yet.
        self._successes = _StartTimes()
        self._in_flight = _StartTimes()
        #: Times of 429 bursts whose measurement waits for the requests in flight at the time.
        self._bursts_to_measure: deque[float] = deque()
        self._probing = probe
        #: Start times of requests that met a 429.
        self._recent_429s = _StartTimes()
        #: The last measurement of a discovered limit (requests that succeeded in the window).
        self._measured: float | None = None
        self._probe_started: float | None = None
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
        return 1.0 if rate is None else max(1.0, rate / self.window_seconds * self.burst_seconds)

    def _token_capacity(self) -> float:
        rate = self.effective_tpm
        return 0.0 if rate is None else rate / self.window_seconds * max(self.burst_seconds, 1.0)

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self._last_refill)
        self._last_refill = now
        self._recover(elapsed)
        per_second = elapsed / self.window_seconds
        if self.effective_rpm is not None:
            self._request_level = min(
                self._request_capacity(), self._request_level + per_second * self.effective_rpm
            )
        if self.effective_tpm is not None:
            self._token_level = min(
                self._token_capacity(), self._token_level + per_second * self.effective_tpm
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

    async def acquire(self, tokens: int = 0) -> float:
        """Wait until one request of about ``tokens`` tokens may start, then take its allowance.

        Returns the start time, to hand back with the request's outcome.
        """
        if self.rpm is None and self.tpm is None and not self._probing and not self._lock.locked():
            now = self.clock()
            if now >= self._paused_until:  # nothing known, nothing to wait for: no lock, no queue
                self._starts.add(now, 1.0)
                self._starts.prune(now)
                self.stats.acquired += 1
                return self._started(now)
        async with self._lock:
            started = self.clock()
            await self._wait_for_probe(started)
            while True:
                now = self.clock()
                self._refill(now)
                wait = self._paused_until - now
                rpm = self.effective_rpm
                if rpm is not None:
                    if self._request_level < 1.0:
                        wait = max(wait, (1.0 - self._request_level) / (rpm / self.window_seconds))
                    wait = max(wait, self._starts.wait_for(now, 1.0, max(1.0, math.floor(rpm))))
                tpm = self.effective_tpm
                if tpm is not None and tokens > 0:
                    needed = min(float(tokens), self._token_capacity())
                    if self._token_level < needed:
                        wait = max(wait, (needed - self._token_level) / (tpm / self.window_seconds))
                    wait = max(wait, self._tokens.wait_for(now, float(tokens), tpm))
                if wait <= _EPSILON:  # float residue must not spin the loop
                    break
                await self.sleep(wait)
            if self.effective_rpm is not None:
                self._request_level -= 1.0
            if self.effective_tpm is not None:
                self._token_level -= tokens
            self._starts.add(now, 1.0)
            self._starts.prune(now)
            self._tokens.add(now, float(tokens))
            self._tokens.prune(now)
            self.stats.acquired += 1
            self.stats.waited_seconds += now - started
            return self._started(now)

    def _started(self, now: float) -> float:
        self._in_flight.forget_until(now - self.window_seconds - self.in_flight_patience)
        self._in_flight.add(now)
        self._measure_settled_bursts(now)
        return now

    async def _wait_for_probe(self, now: float) -> None:
        """The first request goes alone; the rest wait for its answer (or ``probe_timeout``)."""
        if not self._probing:
            return
        if self._probe_started is None:
            self._probe_started = now
            return
        while self._probing and self.clock() - self._probe_started < self.probe_timeout:
            await self.sleep(0.005)
        self._probing = False

    # --- feedback ---

    def _answered(self, started_at: float | None) -> float:
        """The request that started at ``started_at`` (None: the oldest in flight) is done."""
        if started_at is None:
            oldest = self._in_flight.pop_oldest()
            return self.clock() if oldest is None else oldest
        self._in_flight.remove(started_at)  # absent: reported after the fact, or forgotten
        return started_at

    def succeeded(self, started_at: float | None = None) -> None:
        """An attempt got an answer (not a 429): counts toward a discovered limit.

        ``started_at``: what ``acquire`` returned for it. The server counted it when it arrived,
        so it counts at its start, not at its answer.
        """
        self._probing = False
        now = self.clock()
        # Kept as far back as a measurement may look: a window before a burst whose 429 may still
        # be answered (as late as ``in_flight_patience``) or whose measurement still waits.
        oldest = self._bursts_to_measure[0] if self._bursts_to_measure else now
        horizon = min(now - self.in_flight_patience, oldest)
        self._successes.forget_until(horizon - self.window_seconds)
        self._successes.add(self._answered(started_at))
        self._measure_settled_bursts(now)

    def failed(self, started_at: float | None = None) -> None:
        """An attempt failed in another way than a 429: the probe is over all the same."""
        self._probing = False
        self._answered(started_at)
        self._measure_settled_bursts(self.clock())

    def settle(self, estimated_tokens: int, actual_tokens: int, *, extra_requests: int = 0) -> None:
        """Correct the token budget by real usage; charge requests beyond the first (retries)."""
        difference = actual_tokens - estimated_tokens
        if self.effective_tpm is not None:
            self._token_level -= difference
        if difference:
            self._tokens.add(self.clock(), float(difference))
        if extra_requests > 0:
            if self.effective_rpm is not None:
                self._request_level -= extra_requests
            self._starts.add(self.clock(), float(extra_requests))

    def pause(self, seconds: float) -> None:
        """Nobody starts a request for ``seconds`` (at most ``MAX_PAUSE``)."""
        if seconds > 0:
            self._paused_until = max(self._paused_until, self.clock() + min(seconds, MAX_PAUSE))

    def rate_limited(
        self, retry_after: float | None = None, *, started_at: float | None = None
    ) -> None:
        """The server answered 429: pause for ``Retry-After``, learn or cut (once per cool-down).

        ``started_at``: what ``acquire`` returned for the request. The server refused it when it
        arrived, so bursts and cool-downs go by start times: a 429 answered late belongs to the
        burst it was part of, not to a new one.
        """
        now = self.clock()
        started_at = self._answered(started_at)
        self._measure_settled_bursts(now)
        self._refill(now)
        self._probing = False
        self.stats.rate_limited += 1
        if retry_after is not None:
            self.pause(retry_after)
        recent = self._recent_429s
        # As far back as a 429 answered late may have started (its burst counts by starts).
        recent.forget_until(now - self.window_seconds - self.in_flight_patience)
        recent.add(started_at)
        cooldown = self.cooldown_seconds
        burst = recent.count_between(started_at - cooldown, started_at + cooldown)
        if self.rpm is None and burst < self.burst_429s:
            return  # a lone 429 (a hiccup, not a full window): the pause is the answer
        if started_at - self._last_decrease < cooldown:
            return  # the same burst (or an older one, answered late): one signal
        self._last_decrease = started_at
        self.stats.decreases += 1
        self._request_level = min(self._request_level, 0.0)
        self._token_level = min(self._token_level, 0.0)
        if self.rpm_source in (None, "discovered"):
            # The server's window was full when this request arrived; measured once the requests
            # in flight then have answered (maybe at once).
            self._bursts_to_measure.append(started_at)
            self._measure_settled_bursts(now)
            if self.rpm is None:
                return  # no limit to cut yet: the pause is the answer until measurements agree
        self.ceiling = self.factor
        self.factor = max(self.min_factor, self.factor * self.decrease)

    def _measure_settled_bursts(self, now: float) -> None:
        """Measure each burst whose requests in flight have all answered (or ``in_flight_patience``
        has passed: a request whose outcome never came back must not hold learning up for ever)."""
        bursts = self._bursts_to_measure
        while bursts:
            burst = bursts[0]
            window_start = burst - self.window_seconds
            waiting = self._in_flight.count_between(window_start, burst)
            if waiting and now - burst < self.in_flight_patience:
                return
            bursts.popleft()
            # The server's window at the burst: our requests it admitted, counted at their start.
            admitted = self._successes.count_between(window_start, burst)
            self._learn_from_measurement(float(max(1, admitted)))

    def _learn_from_measurement(self, measured: float) -> None:
        """Two agreeing measurements set a discovered limit; two lower ones lower it (to the
        larger of them: one low measurement, e.g. a start whose request was slow to leave, is no
        reason to run below the limit for the rest of the batch)."""
        if self.rpm_source not in (None, "discovered"):
            return  # headers said the limit meanwhile: they win
        previous, self._measured = self._measured, measured
        if self.rpm is None:
            if previous is None or abs(measured - previous) > 0.1 * previous:
                return  # the first measurement (or one that disagrees): nothing learnt yet
            # Two full windows of the same size: that many per minute is the server's limit.
            self.rpm, self.rpm_source = measured, "discovered"
            self.factor = self.ceiling = 1.0
        elif previous is not None and max(measured, previous) < self.rpm:
            self.rpm = max(measured, previous)
            self.factor = self.ceiling = 1.0

    def observe_headers(self, headers: Mapping[str, str]) -> None:
        """Learn from ``x-ratelimit-*`` headers (names in lower case, as httpx gives them)."""
        now = self.clock()
        limit = _header_number(headers, "x-ratelimit-limit-requests")
        if limit is not None and limit >= 1:
            if self.configured_rpm is None or limit < self.configured_rpm:
                if self.rpm != limit:
                    self.rpm = limit
                    self.rpm_source = "headers"
            elif self.rpm_source != "configured":
                self.rpm, self.rpm_source = self.configured_rpm, "configured"
        tokens = _header_number(headers, "x-ratelimit-limit-tokens")
        if tokens is not None and tokens >= 1:
            self.tpm = tokens if self.configured_tpm is None else min(tokens, self.configured_tpm)
        for kind in ("requests", "tokens"):
            remaining = _header_number(headers, f"x-ratelimit-remaining-{kind}")
            reset_text = headers.get(f"x-ratelimit-reset-{kind}")
            if remaining is not None and remaining < 1 and reset_text:
                reset = parse_reset(reset_text)
                if reset is not None and reset > 0:
                    self._paused_until = max(self._paused_until, now + min(reset, MAX_PAUSE))

    def observe(self, attempts: Iterable[AttemptRecord], estimated_tokens: int) -> None:
        """Feed back one article's attempt ledger: 429s, retries made, tokens really used."""
        records = list(attempts)
        now = self.clock()
        for record in records:  # after the fact: these were never in flight here
            if record.status_code == 429 or record.error == "RateLimitedError":
                self.rate_limited(None, started_at=now)
            elif record.error is None:
                self.succeeded(started_at=now)
        actual = sum(record.usage.total_tokens for record in records)
        self.settle(
            estimated_tokens,
            actual if actual else estimated_tokens,
            extra_requests=max(0, len(records) - 1),
        )


__all__ = ["LimiterStats", "RateLimiter", "TokenEstimator", "parse_reset"]
