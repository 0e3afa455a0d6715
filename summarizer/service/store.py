"""The ``Store`` protocol: jobs, their items, results, API keys and key usage.

Decisions recorded here:

* **A job holds items; an item is one article.** ``POST /v1/summaries`` makes a one-item job,
  ``POST /v1/batches`` a many-item job. Workers never see jobs, only items.
* **Claim / lease / ack.** A worker ``claim``s queued items and gets a ``Lease`` that expires
  ``lease_seconds`` later unless ``renew``ed. An item whose lease expired (its worker was killed)
  is claimable again: that is redelivery. ``ack`` writes the outcome and finishes the item;
  ``release`` puts it back in the queue. An item claimed more than ``max_attempts`` times ends as
  an error instead of looping forever.
* **Nothing is written twice.** Results are keyed by ``(job_id, article_id)`` and written with
  insert-if-absent semantics, so a redelivered item whose first worker had in fact finished adds
  nothing, and an ``ack`` from a worker that lost its lease is harmless.
* **A synchronous call is its caller's until its deadline.** ``POST /v1/summaries`` with a free
  in-process worker and nothing queued runs the article at once, with no queue round trip
  (``record_finished`` writes the job and its result once, 50 ms after the answer is sent; until
  then the process serves them from memory). If the process dies during such a call, the
  caller's connection breaks and nothing was stored: the caller retries, nothing is resumed. If
  it dies in the 50 ms after an answer, the caller has the summary but the stored copy (for
  ``GET /v1/summaries/{id}`` and the review page) is lost. A call that outlives its deadline
  gets its 202 only after ``create_leased_job`` has stored it as running under a lease, so from
  then on it is redelivered after a crash like any queued item.
* **Restart resumes.** Everything lives in the store, so a restarted service (or another worker)
  claims what was queued or left with an expired lease.
* **Quotas are shared.** Key usage (requests, tokens) is recorded in the store, so N API replicas
  see one budget per key.

``SQLiteStore`` (``summarizer.service.sqlite_store``) implements this for one machine. A PostgreSQL
store plus an external queue implements the same methods (``claim`` with ``SELECT ... FOR UPDATE
SKIP LOCKED``, results with ``INSERT ... ON CONFLICT DO NOTHING``).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

JobKind = Literal["summary", "batch"]
JobState = Literal["queued", "running", "done", "cancelled"]
ItemStatus = Literal["queued", "running", "ok", "error", "cancelled"]
FINAL_ITEM_STATUSES: tuple[ItemStatus, ...] = ("ok", "error", "cancelled")


@dataclass(frozen=True)
class NewItem:
    """One article to enqueue: its id within the job, and its text (``str``) or raw bytes."""

    article_id: str
    payload: str | bytes
    metadata: dict[str, Any] = field(default_factory=dict)
    source_name: str | None = None
    #: The charset the service decoded a ``str`` payload from (a declared charset that reads the
    #: bytes otherwise than detection), reported as the result's ``source.encoding``; None when
    #: the caller sent text, or bytes left to detection (the library then reports its own).
    encoding: str | None = None


@dataclass(frozen=True)
class JobRecord:
    job_id: str
    kind: JobKind
    key_id: str
    #: Per-job engine options (validated before the job was created).
    options: dict[str, Any]
    created_at: float
    cancelled: bool
    total: int


@dataclass(frozen=True)
class JobCounts:
    """Where a job's items are, plus what the finished ones cost."""

    by_status: dict[str, int]
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float | None
    #: Seconds the finished items took on average (for an ETA), or None before the first one.
    mean_item_seconds: float | None
    finished_at: float | None


@dataclass(frozen=True)
class Lease:
    """A worker's claim on one item; valid until ``expires_at`` unless renewed."""

    job_id: str
    article_id: str
    worker_id: str
    token: str
    attempt: int
    expires_at: float
    payload: str | bytes
    source_name: str | None
    options: dict[str, Any]
    key_id: str
    #: ``NewItem.encoding``, stored with the item so that a queued article reports it too.
    encoding: str | None = None


#: The ``items`` columns ``item_columns`` fills, in its order.
ITEM_COLUMNS = ("payload", "payload_is_text", "metadata", "source_name", "encoding")


def item_columns(item: NewItem) -> tuple[bytes, bool, str, str | None, str | None]:
    """An item's ``ITEM_COLUMNS``, as every store writes them: the payload always as bytes, with
    a flag so a ``str`` comes back as ``str``."""
    metadata = json.dumps(item.metadata, ensure_ascii=False)
    if isinstance(item.payload, str):
        return item.payload.encode(), True, metadata, item.source_name, item.encoding
    return item.payload, False, metadata, item.source_name, item.encoding


def first_lease(
    *,
    job_id: str,
    key_id: str,
    options: dict[str, Any],
    item: NewItem,
    worker_id: str,
    token: str,
    expires_at: float,
) -> Lease:
    """The lease ``create_leased_job`` hands back: the item's first attempt, built the same way
    by every store (only how ``expires_at`` is reckoned differs)."""
    return Lease(
        job_id=job_id,
        article_id=item.article_id,
        worker_id=worker_id,
        token=token,
        attempt=1,
        expires_at=expires_at,
        payload=item.payload,
        source_name=item.source_name,
        options=dict(options),
        key_id=key_id,
        encoding=item.encoding,
    )


@dataclass(frozen=True)
class Outcome:
    """What a worker writes when an item ends."""

    status: Literal["ok", "error"]
    result: dict[str, Any] | None = None
    error_kind: str | None = None
    error_message: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = None
    seconds: float = 0.0
    #: The result already serialized by the worker, as UTF-8 JSON bytes (pydantic's serializer,
    #: several times faster than ``json.dumps`` on a summary, whose ``source`` alone is 100+ KB;
    #: bytes, because that is what the HTTP answer sends: no encoding of 130 KB on the way). A
    #: store writes it as is, and ``POST /v1/summaries`` answers with it. The in-process workers
    #: give only this (``result`` stays None): building the dict as well cost a millisecond.
    result_json: bytes | None = field(default=None, repr=False)

    def stored_json(self) -> str | None:
        """The result as the JSON text a store writes: ``result_json``, else ``result`` dumped."""
        if self.result_json is not None:
            return self.result_json.decode()
        return None if self.result is None else json.dumps(self.result, ensure_ascii=False)


@dataclass(frozen=True)
class ResultRecord:
    """One finished item, as ``GET /v1/batches/{id}/results`` streams it."""

    article_id: str
    status: ItemStatus
    result: dict[str, Any] | None
    error_kind: str | None
    error_message: str | None
    metadata: dict[str, Any]


@dataclass(frozen=True)
class KeyRecord:
    """An API key as stored: only the hash of its secret part, never the key itself."""

    key_id: str
    secret_hash: str
    name: str
    read_only: bool
    requests_per_minute: int | None
    tokens_per_minute: int | None
    created_at: float
    revoked_at: float | None = None


#: Called with (requests, tokens, time of the oldest event) in the quota window; raises to refuse.
UsageCheck = Callable[[int, int, float | None], None]


@runtime_checkable
class Store(Protocol):
    """Persistence for the service; all methods are safe to call from many workers at once."""

    async def open(self) -> None:
        """Create tables if needed; called once before use."""
        ...

    async def close(self) -> None: ...

    async def ping(self) -> None:
        """Raise if the store cannot answer (``/readyz``)."""
        ...

    # jobs

    async def create_job(
        self,
        *,
        job_id: str,
        kind: JobKind,
        key_id: str,
        options: dict[str, Any],
        items: Sequence[NewItem],
    ) -> JobRecord:
        """Record a job and enqueue its items, atomically."""
        ...

    async def record_finished(
        self,
        *,
        job_id: str,
        kind: JobKind,
        key_id: str,
        options: dict[str, Any],
        item: NewItem,
        outcome: Outcome,
    ) -> None:
        """Record a one-item job that already ended, atomically: a synchronous call run outside
        the queue (``WorkerPool.start_direct``), written once, after its answer was sent."""
        ...

    async def create_leased_job(
        self,
        *,
        job_id: str,
        kind: JobKind,
        key_id: str,
        options: dict[str, Any],
        item: NewItem,
        worker_id: str,
        lease_seconds: float,
    ) -> Lease:
        """Record a one-item job whose item is already running, leased to ``worker_id``: a
        synchronous call that outlived its deadline. If its process dies, the lease expires and
        the item is redelivered like any other."""
        ...

    async def get_job(self, job_id: str) -> JobRecord | None: ...

    async def job_counts(self, job_id: str) -> JobCounts: ...

    async def cancel_job(self, job_id: str) -> None:
        """Mark the job cancelled; its queued items end as ``cancelled`` and are never claimed."""
        ...

    async def queue_depth(self) -> int:
        """Items waiting (queued, or running with an expired lease)."""
        ...

    # work

    async def claim(
        self, worker_id: str, *, lease_seconds: float, limit: int = 1, max_attempts: int = 3
    ) -> list[Lease]:
        """Lease up to ``limit`` claimable items (oldest first)."""
        ...

    async def renew(self, lease: Lease, *, lease_seconds: float) -> bool:
        """Extend a lease; False when it was lost (expired and claimed by another worker)."""
        ...

    async def release(self, lease: Lease) -> None:
        """Give an item back to the queue without an outcome (e.g. on shutdown)."""
        ...

    async def ack(self, lease: Lease, outcome: Outcome) -> bool:
        """Write the item's outcome once; True when this call wrote it, False if already there."""
        ...

    # results

    def iter_results(self, job_id: str) -> AsyncIterator[ResultRecord]:
        """Finished items of a job in submission order, read in pages (for streaming)."""
        ...

    async def get_result(self, job_id: str, article_id: str) -> ResultRecord | None: ...

    # keys and quotas

    async def add_key(self, key: KeyRecord) -> None: ...

    async def get_key(self, key_id: str) -> KeyRecord | None: ...

    async def list_keys(self) -> list[KeyRecord]: ...

    async def revoke_key(self, key_id: str) -> bool:
        """True when a live key was revoked now."""
        ...

    async def record_usage(self, key_id: str, *, requests: int, tokens: int, at: float) -> None: ...

    async def usage_since(self, key_id: str, since: float) -> tuple[int, int, float | None]:
        """(requests, tokens, time of the oldest event) recorded for the key since ``since``."""
        ...

    async def admit_request(
        self, key_id: str, *, since: float, at: float, check: UsageCheck
    ) -> None:
        """Read the key's usage since ``since``, pass it to ``check`` (which raises to refuse),
        then record one request at ``at``: as one step, so that requests arriving together on
        any replica cannot all read the same count below the quota."""
        ...
