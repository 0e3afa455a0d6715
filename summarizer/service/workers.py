"""In-process asyncio workers: claim an item, summarize it under a renewed lease, ack the outcome.

A synchronous ``POST /v1/summaries`` may skip the queue (``start_direct``): when a worker slot is
free and nothing waits, the article runs at once on its own task, with no claim transaction and
no hand-off, and its job is written once when it ends (``DirectRun``). Slots bound both kinds of
work together: ``concurrency`` articles at a time, queued or direct.

Why leases and not "mark running": a worker that dies (SIGKILL, OOM, a lost machine) leaves its
item ``running`` forever under the latter; with a lease the item becomes claimable again once the
lease expires, and the store's insert-if-absent ``ack`` makes the second delivery harmless.

A model server that works on few requests at once (llama-cpp-python: one; ``llama-server -np
N``: N) queues the rest, with their request timeout running. Before the first article that
needs the model, the pool asks it once (``engines.slots``, as ``batch`` does, or
``--server-slots``) and keeps at most its slots plus one (waiting in its queue) articles in work,
queued or direct; the others wait in the store's queue, not at the server. Every request of the
process to that server also passes one gate, where a wait counts against the article's deadline.

CPU-bound text preparation (and the offline engine, which is all CPU) of long articles runs in a
worker thread so that the event loop keeps answering HTTP requests meanwhile; short ones run
inline (see ``INLINE_MAX_CHARS``).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from summarizer.api import checked_max_input_chars, get_engine, prepare_article
from summarizer.config import ModelConfig, redact
from summarizer.engines.base import Engine
from summarizer.engines.deadline import deadline_checkpoint
from summarizer.engines.openai import article_clock
from summarizer.engines.slots import SlotGate, learn_endpoint_slots
from summarizer.errors import DeadlineExceededError, SummarizerError
from summarizer.schema import ArticleSummary, TokenUsage
from summarizer.service.batch_bridge import CostAccountant
from summarizer.service.metrics import ServiceMetrics
from summarizer.service.store import Lease, NewItem, Outcome, Store
from summarizer.text.document import Analysis, Document
from summarizer.text.warmup import text_tools_warm, warm_up_text_tools

logger = logging.getLogger("summarizer.service")

#: ``ArticleSummary``'s serializer: ``to_json`` gives the bytes ``model_dump_json`` decodes to str.
_SUMMARY_JSON = ArticleSummary.__pydantic_serializer__

#: Seconds between a direct run's answer and the write of its job (see ``persist_soon``).
PERSIST_DELAY = 0.05

#: Articles up to this size are prepared on the event loop: a few milliseconds of CPU cost less
#: than a hop to a thread, which waits for the GIL (up to its 5 ms switch interval) under load.
INLINE_MAX_CHARS = 4000


@dataclass
class EngineSettings:
    """The server's model configuration; per-job options are layered on top of it."""

    engine: str = "auto"
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    #: Server-wide engine options (``summarizer serve --max-reasks ...``); a request's win.
    options: dict[str, Any] = field(default_factory=dict)
    #: Longer articles are refused (413), in characters (``--max-input-chars``; None: as
    #: ``prepare_article``, i.e. ``$SUMMARIZER_MAX_INPUT_CHARS``, else 2,000,000).
    max_input_chars: int | None = None

    def __post_init__(self) -> None:
        checked_max_input_chars(self.max_input_chars)
        if self.engine != "offline":  # half an endpoint is a ConfigError now, not offline later
            ModelConfig.resolve(model=self.model, base_url=self.base_url, api_key=self.api_key)

    def build(self, options: dict[str, Any]) -> Engine:
        return get_engine(
            self.engine,  # type: ignore[arg-type]
            model=self.model,
            base_url=self.base_url,
            api_key=self.api_key,
            **{**self.options, **options},
        )


@dataclass(eq=False)
class DirectRun:
    """One synchronous article run outside the queue, from its start to its one store write.

    ``task`` ends with the outcome (its slot is freed then). The request that started it answers
    with that outcome and calls ``persist_soon``; one that gives up waiting calls
    ``WorkerPool.detach`` instead, which stores the job as running under a lease before the 202,
    and the task acks the lease when it ends.
    """

    job_id: str
    key_id: str
    options: dict[str, Any]
    item: NewItem
    #: Whether the key has a token quota (only then are its tokens written as usage rows).
    count_tokens: bool
    created_at: float = field(default_factory=time.time)
    task: asyncio.Task[Outcome] = field(init=False, repr=False)
    outcome: Outcome | None = field(default=None, init=False, repr=False)
    #: Set by ``WorkerPool.detach``: the lease the task acks when it ends.
    leased: asyncio.Future[Lease] | None = field(default=None, init=False, repr=False)
    persisted: bool = field(default=False, init=False)


class WorkerPool:
    """``concurrency`` asyncio tasks pulling items from the store until stopped."""

    def __init__(
        self,
        store: Store,
        engines: EngineSettings,
        metrics: ServiceMetrics,
        *,
        concurrency: int = 4,
        lease_seconds: float = 30.0,
        max_attempts: int = 3,
        poll_seconds: float = 0.5,
        on_finished: Callable[[str, Outcome | None], None] | None = None,
        concurrency_option: str = "--workers",
    ) -> None:
        self.store = store
        self.engines = engines
        self.metrics = metrics
        self.concurrency = concurrency
        self.lease_seconds = lease_seconds
        self.max_attempts = max_attempts
        self.poll_seconds = poll_seconds
        self.on_finished = on_finished
        self.worker_prefix = f"w-{uuid.uuid4().hex[:8]}"
        #: One token per wake-up, so that one idle worker (not all of them) looks for new work.
        self._wake: asyncio.Queue[None] = asyncio.Queue(maxsize=max(1, concurrency))
        self._tasks: list[asyncio.Task[None]] = []
        self._engine_cache: dict[str, Engine] = {}
        self._costs = CostAccountant()
        self._stopping = False
        #: Moving average of seconds per item (None before the first), for predicted waits.
        self.mean_item_seconds: float | None = None
        #: One place per article in work, queued or direct: ``concurrency`` (no limit of its
        #: own at 0), and no more than the model server takes at once (see the module).
        self._slots = SlotGate(concurrency if concurrency > 0 else None)
        self.concurrency_option = concurrency_option
        #: Requests the model endpoint takes at once now (None: no limit, or not asked yet).
        self._endpoint_capacity: Callable[[], int | None] | None = None
        self._slots_asked = False
        self._slots_lock = asyncio.Lock()
        #: Direct runs whose job is not stored yet (answered or about to be), by job id.
        self.unpersisted: dict[str, DirectRun] = {}
        self._to_persist: list[DirectRun] = []
        self._persist_timer: asyncio.TimerHandle | None = None
        self._persisting: set[asyncio.Task[None]] = set()

    def start(self) -> None:
        for index in range(self.concurrency):
            self._tasks.append(asyncio.create_task(self._run(f"{self.worker_prefix}-{index}")))

    def wake(self) -> None:
        """New work was queued: one idle worker stops waiting for the next poll."""
        with contextlib.suppress(asyncio.QueueFull):
            self._wake.put_nowait(None)

    @property
    def running(self) -> bool:
        return bool(self._tasks) and not self._stopping

    async def stop(self) -> None:
        self._stopping = True
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        if self._persist_timer is not None:
            self._persist_timer.cancel()
            self._persist_timer = None
        for flush in list(self._persisting):
            with contextlib.suppress(Exception):
                await flush
        for run in list(self.unpersisted.values()):
            # Finished and answered, not written yet: write now. Still running: the caller's
            # connection ends with the server, and nothing was promised (see DirectRun).
            if run.outcome is not None and run.leased is None:
                with contextlib.suppress(Exception):
                    await self.persist(run)
            elif not run.task.done():
                run.task.cancel()
        for engine in self._engine_cache.values():
            closer = getattr(engine, "aclose", None)
            if closer is not None:
                with contextlib.suppress(Exception):
                    await closer()
        self._engine_cache.clear()

    @property
    def articles_at_once(self) -> int:
        """Articles in work at once: ``concurrency`` as capped by the slot gate (the model
        server's slots and one waiting, once learnt), at least 1. Waits are estimated from it:
        ``concurrency`` alone promised the pace of more workers than the server lets run."""
        return max(1, self._slots.capacity or self.concurrency)

    def expected_wait(self, queue_depth: int) -> float | None:
        """Seconds until an item queued now is done, from the recent pace; None when unknown."""
        if self.mean_item_seconds is None:
            return None
        rounds = queue_depth // self.articles_at_once + 1
        return rounds * self.mean_item_seconds

    def engine_for(self, options: dict[str, Any]) -> Engine:
        """One engine per distinct option set, reused (it holds the HTTP connection pool)."""
        cache_key = json.dumps(options, sort_keys=True)
        engine = self._engine_cache.get(cache_key)
        if engine is None:
            engine = self.engines.build(options)
            self._engine_cache[cache_key] = engine
        return engine

    async def _run(self, worker_id: str) -> None:
        while not self._stopping:
            async with self._slots:  # direct runs may hold them all: then wait for one
                try:
                    leases = await self.store.claim(
                        worker_id,
                        lease_seconds=self.lease_seconds,
                        limit=1,
                        max_attempts=self.max_attempts,
                    )
                except Exception:
                    logger.exception("claiming work failed; retrying")
                    leases = None
                if leases:
                    self.wake()  # there may be more: let a sibling look while this one works
                    for lease in leases:
                        await self._process(lease)
                    continue
            if leases is None:
                await asyncio.sleep(self.poll_seconds)
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.get(), self.poll_seconds)

    # --- direct runs (synchronous calls that skip the queue)

    async def start_direct(
        self,
        *,
        job_id: str,
        key_id: str,
        options: dict[str, Any],
        item: NewItem,
        count_tokens: bool,
    ) -> DirectRun | None:
        """Start the article now on a free slot, or None when every slot is taken (the caller
        queues it then). The caller checks first that nothing is queued, so that a synchronous
        call never overtakes waiting work."""
        if not self.running or self._slots.full:
            return None
        await self._slots.acquire()  # free: returns at once, without yielding
        run = DirectRun(job_id, key_id, options, item, count_tokens)
        run.task = asyncio.create_task(self._direct(run))
        self.unpersisted[job_id] = run
        return run

    async def _direct(self, run: DirectRun) -> Outcome:
        # A lease that exists only in memory: _summarize needs the item's fields, no store row.
        lease = Lease(
            job_id=run.job_id,
            article_id=run.item.article_id,
            worker_id=f"{self.worker_prefix}-direct",
            token="",
            attempt=1,
            expires_at=float("inf"),
            payload=run.item.payload,
            source_name=run.item.source_name,
            options=run.options,
            key_id=run.key_id,
            encoding=run.item.encoding,
        )
        started = time.monotonic()
        try:
            outcome, engine_name = await self._summarize(lease)
        finally:
            self._slots.release()
            self._fit_to_endpoint()
        seconds = time.monotonic() - started
        self._pace(seconds)
        outcome = dataclasses.replace(outcome, seconds=seconds)
        run.outcome = outcome
        self._count(outcome, engine_name, seconds)
        recorded = run.leased is None
        if recorded:
            # Now, not with the deferred write: the key's next request is checked against it.
            await self._record_tokens(run.key_id, outcome, run.count_tokens)
        if run.leased is not None:  # the caller gave up waiting: the job is stored as running
            try:
                stored = await run.leased
            except Exception:
                # Not stored: the caller got an error instead of a 202, so nobody waits for it.
                self.unpersisted.pop(run.job_id, None)
                return outcome
            try:
                await self.store.ack(stored, outcome)
                if not recorded:
                    await self._record_tokens(run.key_id, outcome, run.count_tokens)
            finally:
                self.unpersisted.pop(run.job_id, None)
        return outcome

    def persist_soon(self, run: DirectRun) -> None:
        """Write the answered run's job ``PERSIST_DELAY`` seconds from now, with any others
        answered meanwhile: not on the path of the answer, nor of the next request of a client
        that sends it as soon as it has this answer. Until then ``unpersisted`` serves reads."""
        self._to_persist.append(run)
        if self._persist_timer is None:
            loop = asyncio.get_running_loop()
            self._persist_timer = loop.call_later(PERSIST_DELAY, self._start_persisting)

    def _start_persisting(self) -> None:
        self._persist_timer = None
        runs, self._to_persist = self._to_persist, []
        task = asyncio.create_task(self._persist_all(runs))
        self._persisting.add(task)
        task.add_done_callback(self._persisting.discard)

    async def _persist_all(self, runs: list[DirectRun]) -> None:
        for run in runs:
            try:
                await self.persist(run)
            except Exception:
                logger.exception("storing the answered summary %s failed", run.job_id)

    async def persist(self, run: DirectRun) -> None:
        """Write a finished direct run's job and result (once); its caller has its answer."""
        if run.persisted or run.outcome is None:
            return
        run.persisted = True
        try:
            await self.store.record_finished(
                job_id=run.job_id,
                kind="summary",
                key_id=run.key_id,
                options=run.options,
                item=run.item,
                outcome=run.outcome,
            )
        finally:
            self.unpersisted.pop(run.job_id, None)

    async def detach(self, run: DirectRun) -> None:
        """The caller stops waiting (deadline): store the job as running under a lease, which
        the run renews until it ends and then acks; a crash before that redelivers it."""
        run.leased = asyncio.get_running_loop().create_future()
        try:
            lease = await self.store.create_leased_job(
                job_id=run.job_id,
                kind="summary",
                key_id=run.key_id,
                options=run.options,
                item=run.item,
                worker_id=f"{self.worker_prefix}-direct",
                lease_seconds=self.lease_seconds,
            )
        except BaseException as error:
            run.leased.set_exception(error)
            run.leased.exception()  # retrieved here: the run only needs to know it failed
            raise
        run.leased.set_result(lease)
        renewer = asyncio.create_task(self._keep_lease(lease))
        run.task.add_done_callback(lambda _: renewer.cancel())

    async def _process(self, lease: Lease) -> None:
        renewer = asyncio.create_task(self._keep_lease(lease))
        started = time.monotonic()
        try:
            outcome, engine_name = await self._summarize(lease)
        except asyncio.CancelledError:
            renewer.cancel()
            with contextlib.suppress(Exception):
                await asyncio.shield(self.store.release(lease))
            raise
        finally:
            renewer.cancel()
            self._fit_to_endpoint()
        seconds = time.monotonic() - started
        self._pace(seconds)
        outcome = dataclasses.replace(outcome, seconds=seconds)
        written = await self.store.ack(lease, outcome)
        if self.on_finished is not None:
            # As soon as the outcome is durable (acked), before metrics and quota bookkeeping:
            # a waiting POST /v1/summaries answers now. The outcome only when it is the one
            # stored (not a redelivery's losing duplicate).
            self.on_finished(lease.job_id, outcome if written else None)
            await asyncio.sleep(0)  # the SQLite store never yields: let the request answer first
        if written:
            self._count(outcome, engine_name, seconds)
            await self._record_tokens(lease.key_id, outcome, True)
        logger.debug(
            "item %s/%s ended %s (attempt %d, %.3f s)",
            lease.job_id,
            lease.article_id,
            outcome.status,
            lease.attempt,
            seconds,
        )

    def _pace(self, seconds: float) -> None:
        previous = self.mean_item_seconds
        self.mean_item_seconds = seconds if previous is None else 0.8 * previous + 0.2 * seconds

    def _count(self, outcome: Outcome, engine_name: str, seconds: float) -> None:
        self.metrics.items.labels(outcome.status).inc()
        self.metrics.item_seconds.labels(engine_name, outcome.status).observe(seconds)
        self.metrics.tokens.labels("prompt").inc(outcome.prompt_tokens)
        self.metrics.tokens.labels("completion").inc(outcome.completion_tokens)
        if outcome.cost_usd:
            self.metrics.cost.inc(outcome.cost_usd)

    async def _record_tokens(self, key_id: str, outcome: Outcome, needed: bool) -> None:
        """A usage row for the tokens (what token quotas count), when the key has one."""
        tokens = outcome.prompt_tokens + outcome.completion_tokens
        if tokens and needed:
            await self.store.record_usage(key_id, requests=0, tokens=tokens, at=time.time())

    async def _keep_lease(self, lease: Lease) -> None:
        while True:
            await asyncio.sleep(self.lease_seconds / 3)
            if not await self.store.renew(lease, lease_seconds=self.lease_seconds):
                logger.warning("lost the lease on %s/%s", lease.job_id, lease.article_id)
                return

    async def learn_server_slots(self, engine: Engine) -> None:
        """Before the first article that needs the model: ask its server, once, how many
        requests it works on at once, and keep no more articles in work than it takes (its
        slots and one waiting in its queue). The article's deadline has not started yet."""
        if self._slots_asked:
            return
        async with self._slots_lock:
            if self._slots_asked:
                return
            slots, capacity = await learn_endpoint_slots(engine)
            self._slots_asked = True
            reader = getattr(engine, "endpoint_capacity", None)
            if not callable(reader):
                return  # no model server (the offline engine)
            self._endpoint_capacity = reader  # also when it does not say: timeouts may lower it
            self._fit_to_endpoint()
            if slots is None:
                return
            wanted = self.concurrency or None
            if capacity is not None and (wanted is None or capacity < wanted):
                host = getattr(getattr(engine, "config", None), "endpoint_host", None)
                logger.warning(
                    "%s works on %d request(s) at once; keeping %d article(s) in work at once%s: "
                    "one more than it works on waits in its queue, the others wait here, not "
                    "there with their request timeout running",
                    host or "the model server",
                    slots,
                    capacity,
                    f", not {wanted} ({self.concurrency_option})" if wanted else "",
                )

    def _fit_to_endpoint(self) -> None:
        """Articles in work: ``concurrency``, capped by what the endpoint takes at once now (its
        slots and one waiting, or fewer after timeouts behind other requests)."""
        if self._endpoint_capacity is None:
            return
        capacity = self._endpoint_capacity()
        limits = [n for n in (self.concurrency or None, capacity) if n is not None]
        self._slots.resize(min(limits) if limits else None)

    async def _summarize(self, lease: Lease) -> tuple[Outcome, str]:
        engine_name = "unknown"
        try:
            engine = self.engine_for(lease.options)
            engine_name = engine.name
            await self.learn_server_slots(engine)
            result = await self._call(engine, lease)
        except SummarizerError as error:
            self._count_attempts(error.attempts)
            usage = sum((a.usage for a in error.attempts), start=TokenUsage())
            message = public_message(error)
            if message != redact(str(error)):
                logger.warning(
                    "%s/%s failed (%s): %s",
                    lease.job_id,
                    lease.article_id,
                    error.kind,
                    redact(str(error)),
                )
            return (
                Outcome(
                    status="error",
                    error_kind=error.kind,
                    error_message=message,
                    prompt_tokens=usage.prompt_tokens,
                    completion_tokens=usage.completion_tokens,
                ),
                engine_name,
            )
        except Exception as error:
            logger.exception("internal error on %s/%s", lease.job_id, lease.article_id)
            return (
                Outcome(
                    status="error",
                    error_kind="internal",
                    error_message=f"internal error ({type(error).__name__})",
                ),
                engine_name,
            )
        self._count_attempts(result.meta.ledger)
        self.metrics.reasks.inc(result.meta.reasks)
        return (
            Outcome(
                status="ok",
                result_json=_SUMMARY_JSON.to_json(result),
                prompt_tokens=result.meta.usage.prompt_tokens,
                completion_tokens=result.meta.usage.completion_tokens,
                cost_usd=self._costs.cost(result.meta.model, result.meta.usage)
                if result.meta.model
                else None,
            ),
            engine_name,
        )

    async def _call(self, engine: Engine, lease: Lease) -> ArticleSummary:
        # One deadline per article: the text's preparation counts against it too.
        limit = self.engines.max_input_chars
        if not text_tools_warm():  # once per process, off the loop and off the article's clock
            await asyncio.to_thread(warm_up_text_tools)
        with article_clock():
            if len(lease.payload) > INLINE_MAX_CHARS:
                if engine.name == "offline":
                    # All CPU: run the whole thing off the event loop.
                    return await asyncio.to_thread(_summarize_in_thread, engine, lease, limit)
                document, analysis = await asyncio.to_thread(_prepare, engine, lease, limit)
            else:
                document, analysis = _prepare(engine, lease, limit)
            return await engine.summarize(document, analysis)

    def _count_attempts(self, ledger: list[Any]) -> None:
        limited = sum(1 for attempt in ledger if getattr(attempt, "status_code", None) == 429)
        if limited:
            self.metrics.provider_rate_limited.inc(limited)


#: What API clients are told for failures whose full message names the model endpoint's host or
#: the operator's settings (environment variables, CLI flags); the full message goes to the log.
_PUBLIC_MESSAGES = {
    "transport.auth": "the model endpoint refused the server's credentials",
    "transport.rate_limited": "the model endpoint's quota for this server is exhausted; "
    "try again later",
    "transport.deadline": "the model endpoint did not answer in time; try again later or "
    "raise options.deadline",
    "transport.unreachable": "the model endpoint could not be reached; try again later",
    "transport.server": "the model endpoint failed (server error); try again later",
    "transport.rejected": "the model endpoint rejected the request",
    "transport": "the model endpoint failed",
    "config": "the server's model configuration cannot serve this request",
    "input.prompt_too_long": "the article does not fit the model's context window",
    "model_output.content_filter": "the model endpoint's content filter stopped the answer; "
    "this model cannot process this article",
}


def public_message(error: SummarizerError) -> str:
    """The message an API client gets for ``error``: generic (kind kept) when the full one would
    tell it the server's internals, else the error's own (redacted) message."""
    if isinstance(error, DeadlineExceededError) and not error.attempts:
        # Not the endpoint's fault: the time went before any model call (preparing the text,
        # or waiting for a turn at a model server busy with this service's other articles).
        return (
            "the article's deadline ran out before any model call (preparing its text, or "
            "waiting for its turn at the model server); raise options.deadline"
        )
    kind = error.kind
    while kind:
        if kind in _PUBLIC_MESSAGES:
            return f"{_PUBLIC_MESSAGES[kind]} (the operator has been told)"
        kind = kind.rpartition(".")[0]
    return redact(str(error))


def _prepare(
    engine: Engine, lease: Lease, max_input_chars: int | None = None
) -> tuple[Document, Analysis]:
    """The leased article prepared for ``engine``; text the service decoded from a declared
    charset reports that charset as its encoding (the library saw only a ``str``)."""
    document, analysis = prepare_article(
        lease.payload,
        thorough=engine.thorough_analysis,
        source_name=lease.source_name,
        max_input_chars=max_input_chars,
        # Here too, not only in the engine's options: the offline engine has no use for those.
        year_hint=lease.options.get("year_hint"),
        # Inside the job's article_clock (a worker thread runs in a copy of its context).
        checkpoint=deadline_checkpoint(engine),
    )
    if lease.encoding is not None and isinstance(lease.payload, str):
        document = dataclasses.replace(document, encoding=lease.encoding)
    return document, analysis


def _summarize_in_thread(
    engine: Engine, lease: Lease, max_input_chars: int | None = None
) -> ArticleSummary:
    document, analysis = _prepare(engine, lease, max_input_chars)
    return asyncio.run(engine.summarize(document, analysis))
