"""What a batch run counts while it works and reports when it ends."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarizer.schema import TokenUsage


@dataclass
class BatchStats:
    """Live counters of one run (shown by progress displays, returned in the report)."""

    total: int | None = None
    ok: int = 0
    failed: int = 0
    #: Already finished in the output file before this run (resume), and how many of those failed.
    skipped: int = 0
    previously_failed: int = 0
    #: Of ``ok``: answered from the response cache, no call made.
    cached: int = 0
    in_flight: int = 0
    #: HTTP attempts beyond the first of one call (the transport retried it).
    retries: int = 0
    #: Calls made because an answer failed validation (the model was asked again).
    reasks: int = 0
    #: Calls a long article's translation was split into (not retries: planned work).
    chunk_calls: int = 0
    #: 429 answers received (each one retried or requeued, not lost while time allows).
    rate_limited: int = 0
    #: Articles queued again behind the rate limiter after all attempts of a round met 429s.
    requeued: int = 0
    #: Articles whose last attempt failed and that wait to try again (now, not in total).
    retrying: int = 0
    errors_by_kind: Counter[str] = field(default_factory=Counter)
    usage: TokenUsage = field(default_factory=TokenUsage)
    cost_usd: float = 0.0
    #: Models whose price is unknown (their usage has no cost in ``cost_usd``).
    unpriced_models: set[str] = field(default_factory=set)
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    #: Bytes of a half-written last line (from a killed run) cut off the output at start.
    truncated_bytes: int = 0
    #: Files in an input folder that are not articles, so not read (``records.ignored_files``).
    ignored_files: int = 0

    @property
    def done(self) -> int:
        return self.ok + self.failed

    @property
    def elapsed(self) -> float:
        return (self.finished or time.monotonic()) - self.started

    @property
    def per_second(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def remaining(self) -> int | None:
        if self.total is None:
            return None
        return max(0, self.total - self.skipped - self.done)

    @property
    def eta_seconds(self) -> float | None:
        remaining = self.remaining
        if remaining is None or self.per_second <= 0:
            return None
        return remaining / self.per_second


#: The exit code of a run that could not use the endpoint at all (``TransportError.exit_code``).
EXIT_ENDPOINT = 4


@dataclass
class BatchReport:
    stats: BatchStats
    output: Path | None
    #: Result lines (as written to the output), only when no output file was given.
    results: list[dict[str, Any]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """``EXIT_ENDPOINT`` (4, as ``summarize`` gives) when this run tried records, none
        succeeded and every one failed on the endpoint (unreachable, deadline, 429s, 5xx); else
        1 when any record in the output failed (this run or before); else 0."""
        stats = self.stats
        endpoint_failures = sum(
            count for kind, count in stats.errors_by_kind.items() if kind.startswith("transport")
        )
        if stats.failed and not stats.ok and endpoint_failures == stats.failed:
            return EXIT_ENDPOINT
        return 1 if stats.failed or stats.previously_failed else 0


ProgressCallback = Callable[[BatchStats], None]
