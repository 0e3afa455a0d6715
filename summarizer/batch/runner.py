"""The online runner: many articles through one engine, bounded concurrency, rate limits, cache.

    >>> report = summarize_many(read_input("articles.jsonl"), output="out.jsonl")  # doctest: +SKIP
    >>> report.stats.ok, report.stats.failed  # doctest: +SKIP

``arun_records`` is the core, for code that already holds an engine (the CLI, the eval harness, a
service); ``asummarize_many`` resolves an engine, cache, prices and limits from plain arguments
first. Input is consumed lazily (see ``summarizer.batch.records``), so memory stays flat however
many articles there are. ``concurrency`` workers pull one record at a time; each record is looked
up in the response cache, prepared, rate limited, sent to the engine, and written as one line of
the output journal (see ``summarizer.batch.journal``, through ``summarizer.batch.results``), which
is also what makes a killed run resumable: rerun the same command and finished records are skipped.

Bad records (invalid JSON line, missing or duplicate id, empty or undecodable text) become error
lines with a reason; they never stop the batch. Only errors that would fail every record
(authentication, configuration), or 20 articles in a row failing on an unreachable endpoint or an
engine bug, stop it early, leaving the remaining records unwritten so that the rerun picks them up.

Every HTTP attempt of an article, retries included, passes through the rate limiter as it happens,
and there is always one (``summarizer.batch.limiter``; ``rpm``/``tpm`` only cap it): each article
runs with ``AttemptHooks`` (``engines.client.use_attempt_hooks``) that wait in
``RateLimiter.acquire`` before an attempt and report its outcome right after it (a 429 with its
``Retry-After``), so one article's retries slow down every worker at once. An article whose
attempts all met 429s is queued again behind the limiter for as long as the engine's deadline
allows (measured from the article's first attempt): a 429 never loses an article in time. An
engine that makes no calls through ``ChatClient`` (the offline one) is not paced: it makes no
requests; its attempt ledger, if any, is accounted when the article finishes.

Counters (``BatchStats``) keep apart what a reader would otherwise add up: ``retries`` (transport
attempts beyond the first of one call), ``reasks`` (calls made because an answer failed validation)
and ``chunk_calls`` (the calls a long article's translation is split into); ``rate_limited`` counts
429 answers as they happen.

``ordered=True`` keeps the journal in completion order while the run works (crash safety needs
appending) and rewrites it in input order, atomically, once the run has finished every record.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from summarizer.api import (
    checked_max_input_chars,
    checked_year_hint,
    get_engine,
    prepare_article,
    run_sync,
)
from summarizer.batch.cache import CacheChoice, ResponseCache, key_for, open_cache
from summarizer.batch.journal import OutputJournal, OutputState, id_key, line_key, record_key
from summarizer.batch.limiter import RateLimiter, TokenEstimator
from summarizer.batch.pricing import PriceTable, load_prices
from summarizer.batch.records import Article, BadRecord, Record, as_records
from summarizer.batch.results import CostAccountant, ResultCallback, ResultWriter
from summarizer.batch.stats import BatchReport, BatchStats, ProgressCallback
from summarizer.config import redact
from summarizer.engines.base import Engine
from summarizer.engines.client import use_attempt_hooks
from summarizer.engines.deadline import deadline_checkpoint
from summarizer.engines.openai import article_clock
from summarizer.engines.slots import SlotGate, learn_endpoint_slots
from summarizer.errors import (
    AuthenticationError,
    ConfigError,
    DeadlineExceededError,
    DuplicateIdError,
    EndpointUnreachableError,
    InputError,
    InternalError,
    OutputValidationError,
    RateLimitedError,
    RetryAfterTooLongError,
    SummarizerError,
    TransportError,
)
from summarizer.schema import ArticleSummary, AttemptRecord, RunMeta
from summarizer.text.document import Analysis, Checkpoint, Document, run_to_end
from summarizer.text.warmup import text_tools_warm, warm_up_text_tools

#: How long an article whose attempts all met 429s is queued again (behind the limiter, which has
#: slowed down meanwhile), when the engine has no ``config.deadline`` to say so.
DEFAULT_REQUEUE_SECONDS = 600.0
#: Texts at least this long are prepared in a worker thread (a 2 MB article takes seconds, which
#: on the event loop would stall every request in flight); shorter ones cost less than the hop.
OFF_LOOP_CHARS = 50_000
#: How many prepared short texts are kept (an identical text is prepared once).
PREPARED_CACHE_SIZE = 256
#: Stop after this many unreachable-endpoint or internal failures in a row (no success between).
SYSTEMIC_STREAK_LIMIT = 20

log = logging.getLogger(__name__)


class _Fatal(Exception):
    """Raised inside a worker to stop the whole batch with ``error``."""

    def __init__(self, error: SummarizerError) -> None:
        super().__init__(str(error))
        self.error = error


class _ArticleAttempts:
    """The ``AttemptHooks`` of one article: its every HTTP attempt through the run's limiter.

    Before an attempt: wait for the limiter (tokens = the client's estimate, scaled by what the
    run has learnt of real usage). After it: a 429 reaches the limiter at once, with the server's
    ``Retry-After``; a success settles the tokens charged against real usage. Attempts of one
    article may run concurrently (chunks), so each charge (and the start time the limiter gave,
    which its outcome hands back) is kept per task until its answer.
    """

    def __init__(self, run: _Run) -> None:
        self.run = run
        self.attempts = 0
        self.retrying = False
        self._charged: dict[asyncio.Task[Any] | None, tuple[int, int, float | None]] = {}

    async def before_attempt(self, estimated_tokens: int) -> None:
        run = self.run
        self.attempts += 1
        tokens = max(1, int(estimated_tokens * run.estimator.ratio))
        task = asyncio.current_task()
        self._forget(task)  # an attempt of this task that never reported (it gave up unsent)
        self._charged[task] = (estimated_tokens, tokens, None)
        started_at = await run.limiter.acquire(tokens)
        self._charged[task] = (estimated_tokens, tokens, started_at)

    def _forget(self, task: asyncio.Task[Any] | None) -> None:
        """An attempt with no outcome: the limiter stops waiting for it."""
        charge = self._charged.pop(task, None)
        if charge is not None and charge[2] is not None:
            self.run.limiter.failed(charge[2])

    def close(self) -> None:
        """The article is done: attempts that never reported (cancelled, gave up) are over."""
        for task in list(self._charged):
            self._forget(task)

    def headers(self, headers: Mapping[str, str]) -> None:
        """The answer's headers: the limiter reads ``x-ratelimit-*`` from them."""
        self.run.limiter.observe_headers(headers)

    def after_attempt(self, record: AttemptRecord, retry_after: float | None) -> None:
        run = self.run
        raw, charged, started_at = self._charged.pop(asyncio.current_task(), (0, 0, None))
        if record.error is None:
            self.set_retrying(False)
            run.limiter.succeeded(started_at)
            actual = record.usage.total_tokens
            if actual and raw:
                run.estimator.learn(raw, actual)
                run.limiter.settle(charged, actual)
            return
        # A failed attempt keeps its charge: the server may have counted it.
        self.set_retrying(True)
        if _is_rate_limit(record):
            run.stats.rate_limited += 1
            run.limiter.rate_limited(retry_after, started_at=started_at)
        else:
            run.limiter.failed(started_at)

    def set_retrying(self, retrying: bool) -> None:
        if retrying != self.retrying:
            self.retrying = retrying
            self.run.stats.retrying += 1 if retrying else -1
            if self.run.on_progress is not None:
                self.run.on_progress(self.run.stats)


def _is_rate_limit(record: AttemptRecord) -> bool:
    return record.status_code == 429 or record.error == "RateLimitedError"


def _is_quota_exhausted(error: RateLimitedError) -> bool:
    """A 429 that waiting does not cure (billing quota): the client says so in its message."""
    return "quota" in str(error).lower()


def _calls_of(meta: RunMeta) -> tuple[int, int, int]:
    """(transport retries, re-asks, chunk calls) of one summarized article, from its ``meta``.

    Logical calls = the first one + one per re-ask + one per chunk when the translation was
    chunked; every HTTP attempt beyond those was a transport retry.
    """
    chunk_calls = meta.chunks if meta.chunks > 1 else 0
    calls = 1 + meta.reasks + chunk_calls
    return max(0, meta.attempts - calls), meta.reasks, chunk_calls


#: Errors of an attempt that was answered, with an answer that could not be used: a re-ask or
#: the article's end, never a transport retry.
_ANSWER_PROBLEMS = frozenset(
    {"TruncatedOutputError", "ContentFilterError", "RefusalError", "OutputValidationError"}
)


def _failed_calls_of(error: SummarizerError) -> tuple[int, int]:
    """(transport retries, re-asks) in the ledger of an article that failed with ``error``."""
    transport_failures = sum(
        1
        for record in error.attempts
        if record.error is not None
        and record.kind == "transport"
        and not (record.status_code == 200 and record.error in _ANSWER_PROBLEMS)
    )
    invalid_answers = sum(1 for record in error.attempts if record.kind == "content")
    retries = transport_failures - (1 if isinstance(error, TransportError) else 0)
    reasks = invalid_answers - (1 if isinstance(error, OutputValidationError) else 0)
    return max(0, retries), max(0, reasks)


def cache_fingerprint(engine: Engine, year_hint: int | None = None) -> dict[str, str]:
    """What keys an article's cached result: the engine's fingerprint, and the year hint, which
    changes the output (as the model engine's own fingerprint has it when made with one)."""
    return engine.fingerprint() | ({"year_hint": str(year_hint)} if year_hint is not None else {})


class _Run:
    """The state of one batch run shared by its workers."""

    def __init__(
        self,
        engine: Engine,
        records: Iterator[Record],
        *,
        cache: ResponseCache | None,
        previous: OutputState,
        limiter: RateLimiter,
        writer: ResultWriter,
        accountant: CostAccountant,
        max_input_chars: int | None = None,
        year_hint: int | None = None,
        concurrency: int = 8,
    ) -> None:
        self.engine = engine
        self.concurrency = concurrency
        #: Articles in flight: ``concurrency``, or fewer while the endpoint takes fewer requests
        #: at once (``engines.slots``): an article then waits here, before its deadline starts,
        #: not in the server's queue with its request timeout running.
        self.admission = SlotGate(concurrency)
        capacity = getattr(engine, "endpoint_capacity", None)
        self.endpoint_capacity = capacity if callable(capacity) else None
        self.slots_asked = False
        self.slots_lock = asyncio.Lock()
        self.max_input_chars = checked_max_input_chars(max_input_chars)  # before any work
        self.year_hint = year_hint
        self.records = records
        self.cache = cache
        self.previous = previous
        self.limiter = limiter
        self.writer = writer
        self.accountant = accountant
        self.stats = writer.stats
        self.on_progress = writer.on_progress
        self.fingerprint = cache_fingerprint(engine, year_hint)
        self.thorough = bool(getattr(engine, "thorough_analysis", True))
        self.estimator = TokenEstimator()
        self.seen_ids: dict[str, str] = {}
        self.systemic_streak = 0
        config = getattr(engine, "config", None)
        self.requeue_seconds = float(getattr(config, "deadline", DEFAULT_REQUEUE_SECONDS))
        #: Recently prepared short texts, and the thread that prepares long ones.
        self.prepared: OrderedDict[tuple[str | bytes, str | None], tuple[Document, Analysis]] = (
            OrderedDict()
        )
        self.prepare_pool: ThreadPoolExecutor | None = None
        #: Input position of every key met so far (only kept for ``ordered`` output).
        self.positions: dict[str, int] | None = None
        #: Position of the record read last (0-based).
        self.input_index = -1

    def next_record(self) -> Record | None:
        """The next record still to do (finished ones from a previous run are skipped)."""
        for record in self.records:
            self.input_index += 1
            if self.positions is not None:
                key = id_key(record.id) if record.id is not None else record_key(record.record)
                self.positions.setdefault(key, self.input_index)
            if isinstance(record, Article) or record.id is not None:
                identifier = record.id
                assert identifier is not None
                first_seen = self.seen_ids.get(identifier)
                if first_seen is not None:
                    where = record.record
                    if self.positions is not None:  # its error line is keyed by its position
                        self.positions.setdefault(record_key(where), self.input_index)
                    if self.skip_finished(record_key(where)):
                        continue
                    return BadRecord(
                        where,
                        DuplicateIdError(
                            f"{where}: duplicate id {identifier!r} (first used at {first_seen}); "
                            "ids must be unique, this record was not summarized"
                        ),
                    )
                self.seen_ids[identifier] = record.record
                if self.skip_finished(id_key(identifier)):
                    continue
                return record
            if self.skip_finished(record_key(record.record)):
                continue
            return record
        return None

    def skip_finished(self, key: str) -> bool:
        if not self.previous.finished(key):
            return False
        self.stats.skipped += 1
        self.stats.previously_failed += key in self.previous.failed
        return True

    async def worker(self) -> None:
        while True:
            record = self.next_record()
            if record is None:
                return
            if isinstance(record, BadRecord):
                self.writer.error(record.id, record.record, record.error, {})
                continue
            key = self.answer_from_cache(record)
            if key is None:
                continue
            await self.learn_server_slots()
            self.admission.resize(self.allowed_in_flight())
            await self.admission.acquire()
            self.stats.in_flight += 1
            try:
                await self.process(record, key)
            finally:
                self.stats.in_flight -= 1
                self.admission.release()
                self.admission.resize(self.allowed_in_flight())

    async def learn_server_slots(self) -> None:
        """Before the first article that needs the model (none when the cache has them all),
        ask the server once how many requests it works on at once; the other workers wait."""
        if self.slots_asked:
            return
        async with self.slots_lock:
            if not self.slots_asked:
                if self.concurrency > 1:
                    await _learn_server_slots(self.engine, self.concurrency)
                self.slots_asked = True

    def allowed_in_flight(self) -> int:
        """Articles that may be in flight now: ``concurrency``, capped by the requests the
        endpoint takes at once (its slots, or fewer after timeouts behind other requests)."""
        capacity = self.endpoint_capacity() if self.endpoint_capacity is not None else None
        return self.concurrency if capacity is None else max(1, min(self.concurrency, capacity))

    def answer_from_cache(self, article: Article) -> str | None:
        """Write the cached result of ``article`` if there is one (then ``None``); else its cache
        key (``""`` without a cache), for storing the result once it is made."""
        if self.cache is None:
            return ""
        key = key_for(self.fingerprint, article.text)
        hit = self.cache.get(key)
        if hit is None:
            return key
        self.writer.ok(article, hit, cached=True)
        return None

    async def process(self, article: Article, key: str) -> None:
        if not text_tools_warm():  # once per process, off the loop and off the article's clock
            await asyncio.to_thread(warm_up_text_tools)
        # One deadline per article: preparation counts, also when a caller did it beforehand (or
        # began it, and its deadline stopped it: then the checkpoints below stop at once).
        started = time.monotonic() - article.preparation_seconds
        try:
            with article_clock(started):
                checkpoint = deadline_checkpoint(self.engine)
                document, analysis = article.prepared or await self.prepare(article, checkpoint)
        except InputError as error:
            located = _located(error, article)
            self.writer.error(article.id, article.record, located, article.metadata)
            return
        except DeadlineExceededError as error:  # the deadline passed while the text was prepared
            self.writer.error(article.id, article.record, error, article.metadata)
            return
        estimate = self.estimator.estimate(document.text)
        hooks = _ArticleAttempts(self)
        try:
            with use_attempt_hooks(hooks):
                summary = await self.summarize(
                    article, document, analysis, hooks, estimate, started=started
                )
        finally:
            hooks.set_retrying(False)
            hooks.close()
        if summary is None:
            return
        self.systemic_streak = 0
        self.account(summary.meta.ledger, estimate, hooks)
        retries, reasks, chunk_calls = _calls_of(summary.meta)
        self.stats.retries += retries
        self.stats.reasks += reasks
        self.stats.chunk_calls += chunk_calls
        self.accountant.add(summary)
        value = summary.model_dump(mode="json")
        if self.cache is not None and key:
            self.cache.put(key, value)
        self.writer.ok(article, value, cached=False)

    async def prepare(
        self, article: Article, checkpoint: Checkpoint = run_to_end
    ) -> tuple[Document, Analysis]:
        """The article prepared and analysed: once per text (duplicates are common in news
        feeds), and in a worker thread when it is long enough to stall every other request.
        ``checkpoint`` (the article's deadline) may stop it part way."""
        cache_key = (article.text, article.source_name)
        cached = self.prepared.get(cache_key)
        if cached is not None:
            self.prepared.move_to_end(cache_key)
            return cached
        if len(article.text) >= OFF_LOOP_CHARS:
            if self.prepare_pool is None:
                self.prepare_pool = ThreadPoolExecutor(1, thread_name_prefix="summarizer-prepare")
            result = await asyncio.get_running_loop().run_in_executor(
                self.prepare_pool,
                functools.partial(
                    prepare_article,
                    article.text,
                    thorough=self.thorough,
                    source_name=article.source_name,
                    max_input_chars=self.max_input_chars,
                    year_hint=self.year_hint,
                    checkpoint=checkpoint,
                ),
            )
            return result
        result = prepare_article(
            article.text,
            thorough=self.thorough,
            source_name=article.source_name,
            max_input_chars=self.max_input_chars,
            year_hint=self.year_hint,
            checkpoint=checkpoint,
        )
        self.prepared[cache_key] = result
        if len(self.prepared) > PREPARED_CACHE_SIZE:
            self.prepared.popitem(last=False)
        return result

    async def summarize(
        self,
        article: Article,
        document: Document,
        analysis: Analysis,
        hooks: _ArticleAttempts,
        estimate: int,
        *,
        started: float,
    ) -> ArticleSummary | None:
        """The engine's summary, or None once an error line is written for the article.

        The first attempt's deadline runs from ``started`` (before preparation); an attempt
        queued again after a rate limit gets a deadline of its own, from when it starts.
        """
        attempt_started = started
        while True:
            try:
                with article_clock(attempt_started):
                    return await self.engine.summarize(document, analysis)
            except (AuthenticationError, ConfigError) as error:
                raise _Fatal(error) from None
            except RateLimitedError as error:
                self.account_failure(error, estimate, hooks)
                in_time = time.monotonic() - started < self.requeue_seconds
                attempt_started = time.monotonic()
                waiting_helps = not (
                    _is_quota_exhausted(error) or isinstance(error, RetryAfterTooLongError)
                )
                if in_time and waiting_helps:
                    self.stats.requeued += 1
                    continue  # the limiter has slowed down since: queue again behind it
                self.writer.error(article.id, article.record, error, article.metadata)
                return None
            except SummarizerError as error:
                self.account_failure(error, estimate, hooks)
                self.check_systemic(error)
                self.writer.error(article.id, article.record, error, article.metadata)
                return None
            except Exception as error:  # an engine bug must not lose the rest of the batch
                internal = InternalError(redact(f"{type(error).__name__}: {error}"))
                self.writer.error(article.id, article.record, internal, article.metadata)
                self.check_systemic(internal)
                return None

    def account_failure(
        self, error: SummarizerError, estimate: int, hooks: _ArticleAttempts
    ) -> None:
        self.account(error.attempts, estimate, hooks)
        model = getattr(getattr(self.engine, "config", None), "model", None)
        self.accountant.add_failed(error.attempts, model if isinstance(model, str) else None)
        retries, reasks = _failed_calls_of(error)
        self.stats.retries += retries
        self.stats.reasks += reasks

    def account(self, ledger: list[AttemptRecord], estimate: int, hooks: _ArticleAttempts) -> None:
        """Feed an engine's ledger to the limiter, unless ``hooks`` saw its attempts live."""
        if hooks.attempts:
            return
        self.stats.rate_limited += sum(1 for record in ledger if _is_rate_limit(record))
        actual = sum(record.usage.total_tokens for record in ledger)
        if actual:
            self.estimator.learn(int(estimate / self.estimator.ratio), actual)
        if ledger:
            self.limiter.observe(ledger, estimate)

    def check_systemic(self, error: SummarizerError) -> None:
        """Stop when every article fails the same way: an unreachable endpoint or an engine bug."""
        if not isinstance(error, EndpointUnreachableError | InternalError):
            self.systemic_streak = 0
            return
        self.systemic_streak += 1
        if self.systemic_streak >= SYSTEMIC_STREAK_LIMIT:
            raise _Fatal(
                type(error)(
                    f"stopping: {self.systemic_streak} articles in a row failed ({error}); fix "
                    "the cause and rerun the same command with --retry-failed to resume"
                )
            )


async def arun_records(
    records: Iterable[Any],
    engine: Engine,
    *,
    concurrency: int = 8,
    cache: ResponseCache | None = None,
    output: str | Path | None = None,
    retry_failed: bool = False,
    limiter: RateLimiter | None = None,
    prices: PriceTable | None = None,
    stats: BatchStats | None = None,
    on_result: ResultCallback | None = None,
    on_progress: ProgressCallback | None = None,
    ordered: bool = False,
    max_input_chars: int | None = None,
    year_hint: int | None = None,
) -> BatchReport:
    """Summarize every record with ``engine``: the runner's API for code that holds an engine.

    ``records``: ``(id, text)`` pairs, ``Article``/``BadRecord``s (``records.read_input``),
    mappings with ``id``/``text``, or strings. At most ``concurrency`` articles are in flight;
    each is looked up in ``cache`` first (and stored after a success). ``output`` is the JSONL
    journal (resumed if it exists, ``retry_failed`` redoes its error lines); without it the
    result lines are kept in ``report.results``. ``on_result`` sees every result line as it is
    written (completion order, not input order). ``stats`` may be passed in to watch it live.
    ``limiter``: the run's rate limiter (default: a ``RateLimiter()`` with no configured limit,
    which learns the server's). ``ordered``: once every record is done, rewrite ``output`` in
    input order (atomically); without ``output``, sort ``report.results`` the same way.
    ``max_input_chars``: longer articles are error lines (default: as ``prepare_article``).
    ``year_hint``: the publication year of every article, for dates written without one (any
    engine; a ``ConfigError`` unless a four-digit year). Raises at once on errors that would
    fail every record (authentication, configuration).
    """
    if concurrency < 1:
        raise ConfigError("concurrency must be at least 1")
    hint = checked_year_hint(year_hint)
    stats = stats if stats is not None else BatchStats()
    journal = OutputJournal(output) if output is not None else None
    writer = ResultWriter(stats, journal=journal, on_result=on_result, on_progress=on_progress)
    try:
        previous = journal.open(retry_failed=retry_failed) if journal else OutputState()
        stats.truncated_bytes = previous.truncated_bytes
        run = _Run(
            engine,
            as_records(records),
            cache=cache,
            previous=previous,
            limiter=limiter if limiter is not None else RateLimiter(),
            writer=writer,
            accountant=CostAccountant(prices if prices is not None else load_prices(), stats),
            max_input_chars=max_input_chars,
            year_hint=hint,
            concurrency=concurrency,
        )
        if ordered:
            run.positions = {}
        if on_progress is not None:
            on_progress(stats)  # once before any work: e.g. to say that a partial line was cut
        workers = [asyncio.create_task(run.worker()) for _ in range(concurrency)]
        try:
            await asyncio.gather(*workers)
        except _Fatal as fatal:
            raise fatal.error from None
        finally:
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            if run.prepare_pool is not None:
                run.prepare_pool.shutdown(wait=False, cancel_futures=True)
        if run.positions is not None:
            if journal is not None:
                journal.rewrite_in_order(run.positions)
            else:
                positions = run.positions
                last = max(positions.values(), default=-1) + 1
                writer.results.sort(key=lambda line: _position(line, positions, last))
    finally:
        stats.finished = time.monotonic()
        if journal is not None:
            journal.close()
    return BatchReport(stats=stats, output=Path(output) if output else None, results=writer.results)


def _position(line: Mapping[str, Any], positions: Mapping[str, int], unknown: int) -> int:
    """The input position of a result line (``unknown`` for a line of no known key: last)."""
    key = line_key(line)
    return positions.get(key, unknown) if key is not None else unknown


def run_records(records: Iterable[Any], engine: Engine, **options: Any) -> BatchReport:
    """The synchronous form of ``arun_records`` (same arguments)."""
    return run_sync(arun_records(records, engine, **options))


async def asummarize_many(
    articles: Iterable[Any],
    *,
    engine: Engine | str | None = "auto",
    concurrency: int = 8,
    rpm: float | None = None,
    tpm: float | None = None,
    cache: CacheChoice = True,
    output: str | Path | None = None,
    retry_failed: bool = False,
    prices: PriceTable | str | Path | None = None,
    on_progress: ProgressCallback | None = None,
    limiter: RateLimiter | None = None,
    total: int | None = None,
    ordered: bool = False,
    max_input_chars: int | None = None,
    year_hint: int | None = None,
    **engine_options: Any,
) -> BatchReport:
    """Summarize every article; see the module docstring. Returns counts, tokens, cost, timing.

    ``articles``: as for ``arun_records``. ``engine``: an ``Engine`` or a name for ``get_engine``
    (with ``engine_options``). ``output``: the JSONL journal (resumed if it exists); without one,
    result lines are returned in ``report.results`` (in completion order). ``cache``: True for the
    default cache file (not used by the offline engine), a path, a ``ResponseCache``, or
    False/None for none. ``rpm``/``tpm``: caps for the always-on limiter, which also learns the
    server's limits (headers, 429s); ``limiter`` replaces it with your own. ``ordered``: see
    ``arun_records``. ``year_hint``: as for ``arun_records``, whichever the engine; given an engine
    name, the engine is made with it too.
    """
    if concurrency < 1:
        raise ConfigError("concurrency must be at least 1")
    hint = checked_year_hint(year_hint)
    if hint is not None and (engine is None or isinstance(engine, str)):
        engine_options["year_hint"] = hint
    chosen = get_engine(engine, **engine_options)  # type: ignore[arg-type]
    price_table = prices if isinstance(prices, PriceTable) else load_prices(prices)
    if limiter is None:
        limiter = RateLimiter(rpm, tpm)
    with open_cache(cache, engine_name=chosen.name) as response_cache:
        return await arun_records(
            articles,
            chosen,
            concurrency=concurrency,
            cache=response_cache,
            output=output,
            retry_failed=retry_failed,
            limiter=limiter,
            prices=price_table,
            stats=BatchStats(total=total),
            on_progress=on_progress,
            ordered=ordered,
            max_input_chars=max_input_chars,
            year_hint=hint,
        )


def summarize_many(articles: Iterable[Any], **options: Any) -> BatchReport:
    """The synchronous form of ``asummarize_many`` (same arguments)."""
    return run_sync(asummarize_many(articles, **options))


async def _learn_server_slots(engine: Engine, concurrency: int) -> None:
    """Ask the engine's server how many requests it works on at once (an engine without a
    server has no ``server_slots``), and say so when the articles kept in flight for it (its
    slots, and one waiting in its queue) are fewer than ``concurrency``."""
    slots, capacity = await learn_endpoint_slots(engine)
    if slots is not None and capacity is not None and capacity < concurrency:
        host = getattr(getattr(engine, "config", None), "endpoint_host", None)
        log.warning(
            "summarizer: %s works on %d request(s) at once; keeping %d article(s) in flight, "
            "not %d (--concurrency): one more than it works on waits in its queue, so that it "
            "starts the moment a request ends; more would wait there with their request "
            "timeout running",
            host or "the server",
            slots,
            capacity,
            concurrency,
        )


def _located(error: InputError, article: Article) -> InputError:
    """``error`` with where its record is in front (``line 12: the input is empty...``), as every
    record error of the reader has; a file's id is its path already, so it is left as it is."""
    where = article.record
    if not where or where == article.id or error.message.startswith(f"{where}:"):
        return error
    error.message = f"{where}: {error.message}"
    error.args = (error.message,)
    return error


__all__ = [
    "InternalError",
    "arun_records",
    "asummarize_many",
    "run_records",
    "summarize_many",
]
