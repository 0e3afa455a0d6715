"""Beyond one machine: the OpenAI Batch API (and vLLM's ``run_batch``, which reads the same format).

Four steps, each usable alone (``summarizer batch-api export|submit|status|ingest``) or chained by
``summarizer batch --via batch-api``:

1. ``export_requests``: one request line per article, ``{"custom_id": id, "method": "POST",
   "url": "/v1/chat/completions", "body": {...}}`` with the same prompt, schema and sampling as the
   online engine (structured output as strict JSON schema).
2. ``submit``: upload the file (``files.create(purpose="batch")``) and create the batch.
3. ``status``: ``batches.retrieve``.
4. ``ingest``: download the output (and error) files, validate every answer exactly like the online
   engine (``engines.validation``: schema parse + content and translation checks), write valid ones
   to the output journal, and send everything else (invalid answers, failed or missing requests)
   through the online path, which re-asks with the validation problems.

Results are joined to articles through a temporary SQLite table keyed by ``custom_id``, so neither
side is held in memory. ``batch --via batch-api`` keeps the batch id next to the output
(``OUTPUT.batch-api.json``) so that a rerun after an interruption polls the same batch instead of
paying for a new one.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import openai

from summarizer.api import checked_year_hint, prepare_article, run_sync
from summarizer.batch.cache import CacheChoice, ResponseCache, key_for, open_cache
from summarizer.batch.journal import OutputJournal, id_key
from summarizer.batch.pricing import PriceTable, load_prices
from summarizer.batch.records import Article, BadRecord, Record
from summarizer.batch.results import CostAccountant, ResultWriter
from summarizer.batch.runner import arun_records, cache_fingerprint
from summarizer.batch.stats import BatchReport, BatchStats
from summarizer.config import ModelConfig, redact
from summarizer.engines.base import Engine
from summarizer.errors import (
    ConfigError,
    InputError,
    InputFileError,
    JSONLError,
    OutputValidationError,
    TransportError,
)
from summarizer.jsonl import iter_objects
from summarizer.schema import ArticleSummary, TokenUsage
from summarizer.text.document import Analysis, Document

if TYPE_CHECKING:
    from summarizer.engines.openai import OpenAIEngine

CHAT_URL: Final = "/v1/chat/completions"
#: Terminal batch states; anything else is still running.
FINISHED_STATES = ("completed", "failed", "expired", "cancelled")

StatusCallback = Callable[[str], None]


# --- requests and answers (the engine's prompt, schema and validation) ---


def _openai_engine(engine: Engine) -> OpenAIEngine:
    from summarizer.engines.openai import OpenAIEngine

    if not isinstance(engine, OpenAIEngine):
        raise ConfigError("the Batch API needs the OpenAI-compatible engine (a model endpoint)")
    return engine


def _thorough(engine: Engine) -> bool:
    """The analysis depth the engine asks for (model engines need only the fast hints)."""
    return bool(getattr(engine, "thorough_analysis", True))


def request_body(engine: Engine, document: Document, analysis: Analysis) -> dict[str, Any]:
    """The chat completion body the online engine would send first for this article."""
    return _openai_engine(engine).request_body(document, analysis)


def accept_answer(
    engine: Engine, document: Document, completion: dict[str, Any]
) -> tuple[ArticleSummary | None, str]:
    """An ``ArticleSummary`` from one Batch API chat completion, or None and why it is unusable."""
    chosen = _openai_engine(engine)
    try:
        choice = completion["choices"][0]
        content = choice["message"].get("content")
        finish_reason = choice.get("finish_reason")
    except (KeyError, IndexError, TypeError, AttributeError):
        return None, "the answer is not a chat completion"
    if finish_reason == "length":
        return None, "the answer was cut off (finish_reason=length)"
    if not isinstance(content, str) or not content.strip():
        return None, "the answer has no content (refusal or filter)"
    raw_usage = completion.get("usage") or {}
    usage = TokenUsage(
        prompt_tokens=int(raw_usage.get("prompt_tokens") or 0),
        completion_tokens=int(raw_usage.get("completion_tokens") or 0),
        total_tokens=int(raw_usage.get("total_tokens") or 0),
    )
    try:
        summary = chosen.accept(document, content, usage)
    except OutputValidationError as unusable:
        return None, "; ".join(unusable.problems[:3])
    meta = summary.meta.model_copy(
        update={
            "engine": f"{chosen.name}+batch-api",
            "model": str(completion.get("model") or summary.meta.model),
        }
    )
    return summary.model_copy(update={"meta": meta}), ""


# --- 1. export ---


@dataclass
class ExportReport:
    requests: int = 0
    cached: int = 0
    #: (record, reason) of records that were not exported.
    bad_records: list[tuple[str, str]] = field(default_factory=list)


def export_requests(
    records: Iterable[Record],
    engine: Engine,
    destination: Path,
    *,
    skip: Callable[[Article], bool] | None = None,
    max_input_chars: int | None = None,
    year_hint: int | None = None,
) -> ExportReport:
    """Write one Batch API request line per article (streamed); bad records are listed, not sent.

    ``year_hint``: the publication year of every article, as for ``arun_records`` (a request
    then carries the notes the online engine would send with it).
    """
    hint = checked_year_hint(year_hint)
    report = ExportReport()
    seen: set[str] = set()
    temporary = destination.with_name(destination.name + ".tmp")
    with temporary.open("w", encoding="utf-8") as stream:
        for record in records:
            if isinstance(record, BadRecord):
                report.bad_records.append((record.record, str(record.error)))
                continue
            if record.id in seen:
                report.bad_records.append((record.record, f"duplicate id {record.id!r}"))
                continue
            seen.add(record.id)
            if skip is not None and skip(record):
                report.cached += 1
                continue
            try:
                document, analysis = prepare_article(
                    record.text,
                    thorough=_thorough(engine),
                    source_name=record.source_name,
                    max_input_chars=max_input_chars,
                    year_hint=hint,
                )
            except InputError as error:
                report.bad_records.append((record.record, str(error)))
                continue
            line = {
                "custom_id": record.id,
                "method": "POST",
                "url": CHAT_URL,
                "body": request_body(engine, document, analysis),
            }
            stream.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
            report.requests += 1
    temporary.replace(destination)
    return report


# --- 2 and 3. submit and status ---


def sdk_client(engine: Engine) -> openai.OpenAI:
    config: ModelConfig = _openai_engine(engine).config
    return openai.OpenAI(
        base_url=config.base_url, api_key=config.api_key.reveal() or "not-needed", max_retries=3
    )


def _transport_error(error: openai.OpenAIError, engine: Engine, doing: str) -> TransportError:
    config: ModelConfig = _openai_engine(engine).config
    return TransportError(
        f"{doing} on {config.endpoint_host} failed: {redact(str(error), config.api_key)}"
    )


def submit(engine: Engine, requests_file: Path, *, metadata: dict[str, str] | None = None) -> str:
    """Upload the request file and create the batch; returns the batch id."""
    client = sdk_client(engine)
    try:
        with requests_file.open("rb") as stream:
            uploaded = client.files.create(file=stream, purpose="batch")
        batch = client.batches.create(
            input_file_id=uploaded.id,
            endpoint=CHAT_URL,
            completion_window="24h",
            metadata=metadata or {"created_by": "summarizer"},
        )
    except OSError as error:
        raise InputFileError(f"cannot read {requests_file}: {error.strerror}") from None
    except openai.OpenAIError as error:
        raise _transport_error(error, engine, "submitting the batch") from None
    return str(batch.id)


@dataclass(frozen=True)
class BatchStatus:
    id: str
    status: str
    completed: int
    failed: int
    total: int
    output_file_id: str | None
    error_file_id: str | None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED_STATES

    def describe(self) -> str:
        return (
            f"batch {self.id}: {self.status}, {self.completed}/{self.total} completed, "
            f"{self.failed} failed"
        )


def status(engine: Engine, batch_id: str) -> BatchStatus:
    client = sdk_client(engine)
    try:
        batch = client.batches.retrieve(batch_id)
    except openai.OpenAIError as error:
        raise _transport_error(error, engine, f"reading batch {batch_id}") from None
    counts = batch.request_counts
    return BatchStatus(
        id=batch.id,
        status=batch.status,
        completed=counts.completed if counts else 0,
        failed=counts.failed if counts else 0,
        total=counts.total if counts else 0,
        output_file_id=batch.output_file_id,
        error_file_id=batch.error_file_id,
    )


def wait(
    engine: Engine,
    batch_id: str,
    *,
    poll_interval: float = 30.0,
    on_status: StatusCallback | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> BatchStatus:
    while True:
        current = status(engine, batch_id)
        if on_status is not None:
            on_status(current.describe())
        if current.finished:
            return current
        sleep(poll_interval)


# --- 4. ingest ---


def download_results(engine: Engine, current: BatchStatus, store: sqlite3.Connection) -> int:
    """Load the batch's output and error files into ``store`` (custom_id -> line); returns count."""
    client = sdk_client(engine)
    count = 0
    for file_id in (current.output_file_id, current.error_file_id):
        if not file_id:
            continue
        try:
            # Streamed line by line into the store: a 50,000-line result file never sits in memory.
            with client.files.with_streaming_response.content(file_id) as response:
                count += load_results(response.iter_lines(), store)
        except openai.OpenAIError as error:
            raise _transport_error(error, engine, f"downloading {file_id}") from None
    return count


def load_results(lines: Iterable[bytes | str], store: sqlite3.Connection) -> int:
    """Store each result line by its ``custom_id``; lines without one are not results: skipped."""
    count = 0
    for _number, line in iter_objects(lines, where="batch results", results=True):
        custom_id = None if isinstance(line, JSONLError) else line.get("custom_id")
        if custom_id is None:
            continue
        store.execute(
            "INSERT OR REPLACE INTO results (custom_id, line) VALUES (?, ?)",
            (str(custom_id), json.dumps(line, ensure_ascii=False)),
        )
        count += 1
    store.commit()
    return count


def open_result_store() -> sqlite3.Connection:
    """A private SQLite database on disk (SQLite's temporary database: deleted when closed)."""
    store = sqlite3.connect("")
    store.execute("CREATE TABLE results (custom_id TEXT PRIMARY KEY, line TEXT NOT NULL)")
    return store


@dataclass
class IngestReport:
    accepted: int = 0
    rejected: int = 0
    missing: int = 0
    usage: TokenUsage = field(default_factory=TokenUsage)


def ingest(
    records: Iterable[Record],
    engine: Engine,
    store: sqlite3.Connection,
    output: Path,
    *,
    cache: ResponseCache | None,
    prices: PriceTable,
    stats: BatchStats,
    max_input_chars: int | None = None,
    year_hint: int | None = None,
) -> IngestReport:
    """Write valid batch answers to the output journal; the rest is left for the online path.

    ``year_hint``: as the requests were exported with (it keys the cache as online).
    """
    report = IngestReport()
    fingerprint = cache_fingerprint(engine, checked_year_hint(year_hint))
    journal = OutputJournal(output)
    previous = journal.open()
    writer = ResultWriter(stats, journal=journal)
    accountant = CostAccountant(prices, stats)
    try:
        for record in records:
            if isinstance(record, BadRecord) or previous.finished(id_key(record.id)):
                continue
            row = store.execute(
                "SELECT line FROM results WHERE custom_id = ?", (record.id,)
            ).fetchone()
            if row is None:
                report.missing += 1
                continue
            summary = _accept_row(engine, record, json.loads(row[0]), max_input_chars)
            if summary is None:
                report.rejected += 1
                continue
            value = summary.model_dump(mode="json")
            if cache is not None:
                cache.put(key_for(fingerprint, record.text), value)
            writer.ok(record, value, cached=False, via="batch-api")
            previous.ok.add(id_key(record.id))
            report.accepted += 1
            report.usage = report.usage + summary.meta.usage
            accountant.add(summary, batch_api=True)
    finally:
        journal.close()
    return report


def _accept_row(
    engine: Engine, article: Article, line: dict[str, Any], max_input_chars: int | None = None
) -> ArticleSummary | None:
    response = line.get("response") or {}
    if not isinstance(response, dict) or response.get("status_code") != 200:
        return None
    body = response.get("body")
    if not isinstance(body, dict):
        return None
    try:
        document, _ = prepare_article(
            article.text,
            thorough=_thorough(engine),
            source_name=article.source_name,
            max_input_chars=max_input_chars,
        )
    except InputError:
        return None
    summary, _reason = accept_answer(engine, document, body)
    return summary


# --- the whole flow ---


def _state_path(output: Path) -> Path:
    return output.with_name(output.name + ".batch-api.json")


def run_via_batch_api(
    records: Iterable[Record] | Callable[[], Iterator[Record]],
    *,
    engine: Engine,
    output: Path,
    cache: CacheChoice = True,
    retry_failed: bool = False,
    prices: PriceTable | str | Path | None = None,
    poll_interval: float = 30.0,
    on_status: StatusCallback | None = None,
    sleep: Callable[[float], None] = time.sleep,
    concurrency: int = 8,
    max_input_chars: int | None = None,
    year_hint: int | None = None,
) -> BatchReport:
    """Export, submit, wait, ingest; then the online path for what the batch did not settle.

    ``records`` is read twice (export, then ingest and the online pass), so pass a callable that
    returns a fresh iterator (``lambda: read_input(path)``) rather than a one-shot iterator.
    ``year_hint``: the publication year of every article, as for ``arun_records``; the exported
    requests, the online pass and the cache keys all use it.
    """
    hint = checked_year_hint(year_hint)
    if not callable(records):
        raise ConfigError(
            "run_via_batch_api reads the input more than once: pass lambda: read_input(path)"
        )
    fresh = records
    price_table = prices if isinstance(prices, PriceTable) else load_prices(prices)
    stats = BatchStats()
    state_file = _state_path(output)
    with open_cache(cache, engine_name=engine.name) as response_cache:
        # Open once: repairs a half-written line and applies --retry-failed before anything else.
        journal = OutputJournal(output)
        previous = journal.open(retry_failed=retry_failed)
        journal.close()
        stats.truncated_bytes = previous.truncated_bytes
        fingerprint = cache_fingerprint(engine, hint)

        def settled(article: Article) -> bool:
            if previous.finished(id_key(article.id)):
                return True
            return (
                response_cache is not None
                and response_cache.get(key_for(fingerprint, article.text)) is not None
            )

        batch_id = _load_state(state_file)
        if batch_id is None:
            requests_file = output.with_name(output.name + ".batch-requests.jsonl")
            exported = export_requests(
                fresh(),
                engine,
                requests_file,
                skip=settled,
                max_input_chars=max_input_chars,
                year_hint=hint,
            )
            if on_status is not None:
                on_status(f"batch-api: exported {exported.requests} requests to {requests_file}")
            if exported.requests:
                batch_id = submit(engine, requests_file)
                state_file.write_text(json.dumps({"batch_id": batch_id}) + "\n", "utf-8")
                if on_status is not None:
                    on_status(f"batch-api: submitted batch {batch_id}")
        final = None
        if batch_id is not None:
            final = wait(
                engine, batch_id, poll_interval=poll_interval, on_status=on_status, sleep=sleep
            )
        report = finish(
            fresh,
            engine=engine,
            output=output,
            batch=final,
            cache=response_cache,
            prices=price_table,
            concurrency=concurrency,
            on_status=on_status,
            stats=stats,
            max_input_chars=max_input_chars,
            year_hint=hint,
        )
        state_file.unlink(missing_ok=True)
    return report


def finish(
    fresh: Callable[[], Iterator[Record]],
    *,
    engine: Engine,
    output: Path,
    batch: BatchStatus | None = None,
    result_files: Iterable[Path] = (),
    cache: ResponseCache | None,
    prices: PriceTable,
    concurrency: int = 8,
    on_status: StatusCallback | None = None,
    stats: BatchStats | None = None,
    max_input_chars: int | None = None,
    year_hint: int | None = None,
) -> BatchReport:
    """Ingest a finished batch (or downloaded result files), then settle the rest online
    (``year_hint``: as the requests were exported with)."""
    hint = checked_year_hint(year_hint)
    stats = stats or BatchStats()
    if batch is not None or result_files:
        store = open_result_store()
        try:
            if batch is not None:
                download_results(engine, batch, store)
            for path in result_files:
                try:
                    with path.open("rb") as stream:
                        load_results(stream, store)
                except OSError as error:
                    raise InputFileError(f"cannot read {path}: {error.strerror}") from None
            ingested = ingest(
                fresh(),
                engine,
                store,
                output,
                cache=cache,
                prices=prices,
                stats=stats,
                max_input_chars=max_input_chars,
                year_hint=hint,
            )
        finally:
            store.close()
        if on_status is not None:
            on_status(
                f"batch-api: {ingested.accepted} answers accepted, {ingested.rejected} unusable "
                f"(failed, cut off or invalid), {ingested.missing} missing; settling those online"
            )
    online = run_sync(
        arun_records(
            fresh(),
            engine,
            output=output,
            cache=cache,
            prices=prices,
            concurrency=concurrency,
            max_input_chars=max_input_chars,
            year_hint=hint,
        )
    )
    return BatchReport(stats=_merge(stats, online.stats), output=output)


def _load_state(state_file: Path) -> str | None:
    try:
        data = json.loads(state_file.read_text("utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    batch_id = data.get("batch_id") if isinstance(data, dict) else None
    return batch_id if isinstance(batch_id, str) else None


def _merge(batch: BatchStats, online: BatchStats) -> BatchStats:
    online.ok += batch.ok
    online.skipped = max(0, online.skipped - batch.ok)
    online.usage = online.usage + batch.usage
    online.cost_usd += batch.cost_usd
    online.unpriced_models |= batch.unpriced_models
    online.started = batch.started
    online.truncated_bytes = batch.truncated_bytes
    return online


__all__ = [
    "BatchStatus",
    "accept_answer",
    "export_requests",
    "finish",
    "ingest",
    "request_body",
    "run_via_batch_api",
    "status",
    "submit",
    "wait",
]
