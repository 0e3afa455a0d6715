"""Summarize many articles: streamed input, bounded concurrency, rate limits, cache, resumable.

    >>> report = summarize_many(read_input("articles.jsonl"), output="out.jsonl")  # doctest: +SKIP
    >>> report.stats.ok, report.stats.failed  # doctest: +SKIP

Input is consumed lazily (a JSONL file, a folder of ``.txt``/``.html`` files, stdin, or any
iterable), so memory stays flat however many articles there are. ``concurrency`` workers pull one
record at a time; each record is looked up in the response cache, prepared, rate limited, sent to
the engine, and written as one line of the output journal (see ``summarizer.journal``), which is
also what makes a killed run resumable: rerun the same command and finished records are skipped.

Bad records (invalid JSON line, missing or duplicate id, empty or undecodable text) become error
lines with a reason; they never stop the batch. Only errors that would fail every record
(authentication, configuration), or 20 articles in a row failing on an unreachable endpoint or an
engine bug, stop it early, leaving the remaining records unwritten so that the rerun picks them up.

Every HTTP attempt of an article, retries included, passes through the rate limiter as it happens:
each article runs with ``AttemptHooks`` (``summarizer.client.use_attempt_hooks``) that wait in
``RateLimiter.acquire`` before an attempt and report a 429 (with its ``Retry-After``) to
``RateLimiter.rate_limited`` right after it, so one article's retries slow down every worker at
once. The same hooks keep the live ``retries``/``retrying``/``rate_limited`` counts. An engine
that makes no calls through ``ChatClient`` (the offline one) is not paced: it makes no requests;
its attempt ledger, if any, is accounted when the article finishes.
See ``summarizer.limiter``.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from summarizer.api import get_engine, prepare_article, run_sync
from summarizer.batch.cache import ResponseCache, key_for
from summarizer.client import use_attempt_hooks
from summarizer.config import redact
from summarizer.engines.base import Engine
from summarizer.errors import (
    AuthenticationError,
    ConfigError,
    EndpointUnreachableError,
    InputError,
    InputFileError,
    RateLimitedError,
    RecordError,
    SummarizerError,
)
from summarizer.batch.journal import OutputJournal, OutputState, id_key, record_key
from summarizer.batch.limiter import RateLimiter, TokenEstimator
from summarizer.batch.pricing import PriceTable, load_prices
from summarizer.schema import ArticleSummary, AttemptRecord, TokenUsage
from summarizer.text.document import Analysis, Document

#: File types read from an input folder.
FOLDER_SUFFIXES = (".txt", ".html", ".htm")
#: With a rate limiter, an article whose transport retries all met 429s is queued again (behind
#: the limiter, which has slowed down meanwhile) this many times before it counts as failed.
RATE_LIMITED_REQUEUES = 3
#: Stop after this many unreachable-endpoint or internal failures in a row (no success between).
SYSTEMIC_STREAK_LIMIT = 20


# --- bad-record errors (kinds appear in the output and the summary) ---


class InvalidJSONLineError(RecordError):
    kind = "input.record.invalid_json"


class MissingIdError(RecordError):
    kind = "input.record.missing_id"


class DuplicateIdError(RecordError):
    kind = "input.record.duplicate_id"


class MissingTextError(RecordError):
    kind = "input.record.missing_text"


class InternalError(SummarizerError):
    """An unexpected exception inside an engine: recorded for that article, the batch goes on."""

    kind = "internal"


# --- records ---


@dataclass(frozen=True)
class Article:
    """One input record: ``text`` is ``str`` (JSONL) or raw ``bytes`` (files, decoded later)."""

    id: str
    text: str | bytes
    metadata: Mapping[str, Any] = field(default_factory=dict)
    #: Where it came from, for messages: ``"line 12"`` or a relative path.
    record: str = ""
    #: The file name, when it came from one (tells text preparation that ``.html`` is HTML).
    source_name: str | None = None


@dataclass(frozen=True)
class BadRecord:
    """An input record that cannot become an ``Article``; reported as an error line."""

    record: str
    error: RecordError
    id: str | None = None


Record = Article | BadRecord


def read_input(source: str | Path) -> Iterator[Record]:
    """Records from a JSONL file, a folder of ``.txt``/``.html`` files, or ``"-"`` (stdin JSONL)."""
    if str(source) == "-":
        return read_jsonl(sys.stdin.buffer)
    path = Path(source)
    if path.is_dir():
        return read_folder(path)
    if not path.exists():
        raise InputFileError(f"batch input not found: {path} (give a JSONL file, a folder, or -)")
    return _read_jsonl_file(path)


def _read_jsonl_file(path: Path) -> Iterator[Record]:
    try:
        stream = path.open("rb")
    except OSError as error:
        raise InputFileError(f"cannot read {path}: {error.strerror}") from None
    with stream:
        yield from read_jsonl(stream)


def read_jsonl(stream: IO[bytes]) -> Iterator[Record]:
    """One record per line: ``{"id": ..., "text": ..., other keys kept as metadata}``."""
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        yield _parse_jsonl_line(raw, f"line {number}", first=number == 1)


def _parse_jsonl_line(raw: bytes, where: str, *, first: bool) -> Record:
    if first and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        value = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        return BadRecord(
            where,
            InvalidJSONLineError(
                f"{where}: not UTF-8 (byte {error.start}); JSONL input must be UTF-8"
            ),
        )
    except json.JSONDecodeError as error:
        return BadRecord(
            where,
            InvalidJSONLineError(f"{where}: invalid JSON ({error.msg} at column {error.colno})"),
        )
    if not isinstance(value, dict):
        return BadRecord(
            where,
            InvalidJSONLineError(
                f"{where}: expected a JSON object with id and text, got {type(value).__name__}"
            ),
        )
    identifier = value.get("id")
    if (
        isinstance(identifier, bool)
        or not isinstance(identifier, str | int)
        or str(identifier) == ""
    ):
        return BadRecord(
            where,
            MissingIdError(f'{where}: missing or empty "id" (a string or integer is required)'),
        )
    identifier = str(identifier)
    text = value.get("text")
    if not isinstance(text, str):
        found = "missing" if text is None else f"a {type(text).__name__}"
        return BadRecord(
            where,
            MissingTextError(f'{where}: "text" must be a string, found {found}'),
            id=identifier,
        )
    metadata = {key: item for key, item in value.items() if key not in ("id", "text")}
    return Article(identifier, text, metadata, where)


def read_folder(folder: Path) -> Iterator[Record]:
    """Every ``.txt``/``.html`` file below ``folder`` (sorted, lazily); id = relative POSIX path."""
    for directory, subdirectories, files in os.walk(folder):
        subdirectories.sort()
        for name in sorted(files):
            if not name.lower().endswith(FOLDER_SUFFIXES):
                continue
            path = Path(directory) / name
            identifier = path.relative_to(folder).as_posix()
            try:
                data = path.read_bytes()
            except OSError as error:
                yield BadRecord(
                    identifier,
                    RecordError(f"{identifier}: cannot read the file ({error.strerror})"),
                    id=identifier,
                )
                continue
            yield Article(identifier, data, {}, identifier, source_name=name)


def count_records(source: str | Path) -> int | None:
    """How many records ``source`` holds (for the ETA), without loading it; None for stdin."""
    if str(source) == "-":
        return None
    path = Path(source)
    if path.is_dir():
        return sum(
            1
            for _, _, files in os.walk(path)
            for name in files
            if name.lower().endswith(FOLDER_SUFFIXES)
        )
    try:
        with path.open("rb") as stream:
            return sum(1 for raw in stream if raw.strip())
    except OSError:
        return None


def as_records(articles: Iterable[Any]) -> Iterator[Record]:
    """Accept ``Article``/``BadRecord``, mappings with ``id``/``text``, or strings (id = index)."""
    for index, item in enumerate(articles):
        if isinstance(item, Article | BadRecord):
            yield item
        elif isinstance(item, str | bytes):
            yield Article(str(index), item, {}, f"item {index}")
        elif isinstance(item, Mapping):
            yield _parse_jsonl_line(
                json.dumps(dict(item), ensure_ascii=False).encode(), f"item {index}", first=False
            )
        else:
            yield BadRecord(
                f"item {index}",
                InvalidJSONLineError(
                    f"item {index}: expected a str or a mapping with id and text, "
                    f"got {type(item).__name__}"
                ),
            )


# --- statistics ---


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
    #: Calls beyond the first per article (transport retries and re-asks), and 429s among them.
    retries: int = 0
    rate_limited: int = 0
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


@dataclass
class BatchReport:
    stats: BatchStats
    output: Path | None
    #: Result lines (as written to the output), only when no output file was given.
    results: list[dict[str, Any]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 when every record in the output is ok, 1 when any failed (this run or before)."""
        return 1 if self.stats.failed or self.stats.previously_failed else 0


ProgressCallback = Callable[[BatchStats], None]


# --- the runner ---


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
    article may run concurrently (chunks), so each charge is kept per task until its answer.
    """

    def __init__(self, run: _Run) -> None:
        self.run = run
        self.attempts = 0
        self.retrying = False
        self._charged: dict[asyncio.Task[Any] | None, tuple[int, int]] = {}

    async def before_attempt(self, estimated_tokens: int) -> None:
        run = self.run
        self.attempts += 1
        if self.attempts > 1:
            run.stats.retries += 1
        tokens = max(1, int(estimated_tokens * run.estimator.ratio))
        self._charged[asyncio.current_task()] = (estimated_tokens, tokens)
        if run.limiter is not None:
            await run.limiter.acquire(tokens)

    def after_attempt(self, record: AttemptRecord, retry_after: float | None) -> None:
        run = self.run
        raw, charged = self._charged.pop(asyncio.current_task(), (0, 0))
        if record.error is None:
            self.set_retrying(False)
            actual = record.usage.total_tokens
            if actual and raw:
                run.estimator.learn(raw, actual)
                if run.limiter is not None:
                    run.limiter.settle(charged, actual)
            return
        # A failed attempt keeps its charge: the server may have counted it.
        self.set_retrying(True)
        if _is_rate_limit(record):
            run.stats.rate_limited += 1
            if run.limiter is not None:
                run.limiter.rate_limited(retry_after)

    def set_retrying(self, retrying: bool) -> None:
        if retrying != self.retrying:
            self.retrying = retrying
            self.run.stats.retrying += 1 if retrying else -1
            if self.run.on_progress is not None:
                self.run.on_progress(self.run.stats)


def _is_rate_limit(record: AttemptRecord) -> bool:
    return record.status_code == 429 or record.error == "RateLimitedError"


class _Run:
    """The state of one batch run shared by its workers."""

    def __init__(
        self,
        engine: Engine,
        records: Iterator[Record],
        *,
        cache: ResponseCache | None,
        journal: OutputJournal | None,
        previous: OutputState,
        limiter: RateLimiter | None,
        prices: PriceTable,
        stats: BatchStats,
        on_progress: ProgressCallback | None,
    ) -> None:
        self.engine = engine
        self.records = records
        self.cache = cache
        self.journal = journal
        self.previous = previous
        self.limiter = limiter
        self.prices = prices
        self.stats = stats
        self.on_progress = on_progress
        self.fingerprint = engine.fingerprint()
        self.thorough = bool(getattr(engine, "thorough_analysis", True))
        self.estimator = TokenEstimator()
        self.seen_ids: dict[str, str] = {}
        self.results: list[dict[str, Any]] = []
        self.systemic_streak = 0

    def next_record(self) -> Record | None:
        """The next record still to do (finished ones from a previous run are skipped)."""
        for record in self.records:
            if isinstance(record, Article) or record.id is not None:
                identifier = record.id
                assert identifier is not None
                first_seen = self.seen_ids.get(identifier)
                if first_seen is not None:
                    where = record.record
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
                self.write_error(record.id, record.record, record.error, {})
                continue
            self.stats.in_flight += 1
            try:
                await self.process(record)
            finally:
                self.stats.in_flight -= 1

    async def process(self, article: Article) -> None:
        key = key_for(self.fingerprint, article.text) if self.cache is not None else None
        if self.cache is not None and key is not None:
            hit = self.cache.get(key)
            if hit is not None:
                self.write_ok(article, hit, cached=True)
                return
        try:
            document, analysis = prepare_article(
                article.text, thorough=self.thorough, source_name=article.source_name
            )
        except InputError as error:
            self.write_error(article.id, article.record, error, article.metadata)
            return
        estimate = self.estimator.estimate(document.text)
        hooks = _ArticleAttempts(self)
        try:
            with use_attempt_hooks(hooks):
                summary = await self.summarize(article, document, analysis, hooks, estimate)
        finally:
            hooks.set_retrying(False)
        if summary is None:
            return
        self.systemic_streak = 0
        self.account(summary.meta.ledger, estimate, hooks)
        self.add_usage(summary)
        value = summary.model_dump(mode="json")
        if self.cache is not None and key is not None:
            self.cache.put(key, value)
        self.write_ok(article, value, cached=False)

    async def summarize(
        self,
        article: Article,
        document: Document,
        analysis: Analysis,
        hooks: _ArticleAttempts,
        estimate: int,
    ) -> ArticleSummary | None:
        """The engine's summary, or None once an error line is written for the article."""
        for round_number in range(1 + RATE_LIMITED_REQUEUES):
            try:
                return await self.engine.summarize(document, analysis)
            except (AuthenticationError, ConfigError) as error:
                raise _Fatal(error) from None
            except RateLimitedError as error:
                self.account(error.attempts, estimate, hooks)
                if self.limiter is not None and round_number < RATE_LIMITED_REQUEUES:
                    continue  # the limiter has slowed down since: queue again behind it
                self.write_error(article.id, article.record, error, article.metadata)
                return None
            except SummarizerError as error:
                self.account(error.attempts, estimate, hooks)
                self.check_systemic(error)
                self.write_error(article.id, article.record, error, article.metadata)
                return None
            except Exception as error:  # an engine bug must not lose the rest of the batch
                internal = InternalError(redact(f"{type(error).__name__}: {error}"))
                self.write_error(article.id, article.record, internal, article.metadata)
                self.check_systemic(internal)
                return None
        raise AssertionError("unreachable: the last round returns or writes an error")

    def account(self, ledger: list[AttemptRecord], estimate: int, hooks: _ArticleAttempts) -> None:
        """Count an engine's ledger, unless its attempts were already counted live by ``hooks``."""
        if hooks.attempts:
            return
        self.stats.retries += max(0, len(ledger) - 1)
        self.stats.rate_limited += sum(1 for record in ledger if _is_rate_limit(record))
        actual = sum(record.usage.total_tokens for record in ledger)
        if actual:
            self.estimator.learn(int(estimate / self.estimator.ratio), actual)
        if self.limiter is not None:
            self.limiter.observe(ledger, estimate)

    def add_usage(self, summary: ArticleSummary) -> None:
        usage = summary.meta.usage
        self.stats.usage = self.stats.usage + usage
        if not usage.total_tokens:
            return
        cost = self.prices.cost(summary.meta.model, usage)
        if cost is None:
            self.stats.unpriced_models.add(summary.meta.model or "(unknown model)")
        else:
            self.stats.cost_usd += cost

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

    # output

    def write_ok(self, article: Article, result: dict[str, Any], *, cached: bool) -> None:
        line: dict[str, Any] = {"id": article.id, "status": "ok"}
        if article.metadata:
            line["metadata"] = dict(article.metadata)
        line["cached"] = cached
        line["result"] = result
        self.stats.ok += 1
        self.stats.cached += cached
        self.emit(line)

    def write_error(
        self,
        identifier: str | None,
        record: str,
        error: SummarizerError,
        metadata: Mapping[str, Any],
    ) -> None:
        line: dict[str, Any] = {"id": identifier, "status": "error"}
        if identifier is None:
            line["record"] = record
        if metadata:
            line["metadata"] = dict(metadata)
        line["error"] = {"kind": error.kind, "message": redact(str(error))}
        self.stats.failed += 1
        self.stats.errors_by_kind[error.kind] += 1
        self.emit(line)

    def emit(self, line: dict[str, Any]) -> None:
        if self.journal is not None:
            self.journal.write(line)
        else:
            self.results.append(line)
        if self.on_progress is not None:
            self.on_progress(self.stats)


async def asummarize_many(
    articles: Iterable[Any],
    *,
    engine: Engine | str | None = "auto",
    concurrency: int = 8,
    rpm: float | None = None,
    tpm: float | None = None,
    cache: ResponseCache | str | Path | bool | None = True,
    output: str | Path | None = None,
    retry_failed: bool = False,
    prices: PriceTable | str | Path | None = None,
    on_progress: ProgressCallback | None = None,
    limiter: RateLimiter | None = None,
    total: int | None = None,
    **engine_options: Any,
) -> BatchReport:
    """Summarize every article; see the module docstring. Returns counts, tokens, cost, timing.

    ``articles``: records from ``read_input``, ``Article``s, mappings with ``id``/``text``, or
    strings. ``output``: the JSONL journal (resumed if it exists); without one, result lines are
    returned in ``report.results`` (in completion order). ``cache``: True for the default cache
    file, a path, a ``ResponseCache``, or False/None for none. ``rpm``/``tpm``: client-side limits
    (AIMD-adapted on 429s); ``limiter`` replaces them with your own.
    """
    if concurrency < 1:
        raise ConfigError("concurrency must be at least 1")
    chosen = get_engine(engine, **engine_options)  # type: ignore[arg-type]
    price_table = prices if isinstance(prices, PriceTable) else load_prices(prices)
    owned_cache = None
    if cache is True and chosen.name != "offline":
        # The default cache is for answers that cost a call; offline results are cheaper to redo.
        owned_cache = ResponseCache()
    elif isinstance(cache, str | Path):
        owned_cache = ResponseCache(cache)
    response_cache = (
        owned_cache
        if owned_cache is not None
        else cache
        if isinstance(cache, ResponseCache)
        else None
    )
    if limiter is None and (rpm is not None or tpm is not None):
        limiter = RateLimiter(rpm, tpm)
    journal = OutputJournal(output) if output is not None else None
    stats = BatchStats(total=total)
    try:
        previous = journal.open(retry_failed=retry_failed) if journal else OutputState()
        stats.truncated_bytes = previous.truncated_bytes
        run = _Run(
            chosen,
            as_records(articles),
            cache=response_cache,
            journal=journal,
            previous=previous,
            limiter=limiter,
            prices=price_table,
            stats=stats,
            on_progress=on_progress,
        )
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
    finally:
        stats.finished = time.monotonic()
        if journal is not None:
            journal.close()
        if owned_cache is not None:
            owned_cache.close()
    return BatchReport(stats=stats, output=Path(output) if output else None, results=run.results)


def summarize_many(articles: Iterable[Any], **options: Any) -> BatchReport:
    """The synchronous form of ``asummarize_many`` (same arguments)."""
    return run_sync(asummarize_many(articles, **options))


__all__ = [
    "Article",
    "BadRecord",
    "BatchReport",
    "BatchStats",
    "asummarize_many",
    "count_records",
    "read_input",
    "summarize_many",
]
