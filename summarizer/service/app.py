"""The FastAPI application of ``summarizer serve``: routes, auth, limits, errors and metrics.

Request bodies are read by the routes themselves (under the size limit enforced by
``BodyLimitMiddleware``) because ``POST /v1/summaries`` and ``POST /v1/batches`` take JSON *or* raw
bytes / JSONL; their OpenAPI request bodies are declared from the same pydantic models.
Every failure leaves as an ``ErrorBody`` with the library's error kind; nothing leaves as a
traceback. Keys are never logged: the log only ever names a key id.

No ``from __future__ import annotations`` here: FastAPI reads the routes' signatures at runtime,
and their dependency aliases (``Reader``, ``Writer``) are local to ``create_app``.
"""

import asyncio
import codecs
import contextlib
import ipaddress
import json
import logging
import secrets
import time
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit, urlunsplit

import httpx2
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from summarizer.api import check_input_size
from summarizer.config import ModelConfig, is_credential_name, redact
from summarizer.errors import (
    AuthRequiredError,
    ConfigError,
    DuplicateIdError,
    EmptyInputError,
    InputError,
    InvalidJSONError,
    MissingIdError,
    NotFoundError,
    PayloadTooLargeError,
    QuotaExceededError,
    RecordError,
    SummarizerError,
    UndecodableInputError,
)
from summarizer.jsonl import load_json
from summarizer.schema import ArticleSummary
from summarizer.service.batch_bridge import jsonl_records
from summarizer.service.keys import (
    ANONYMOUS,
    Principal,
    admit,
    authenticate,
    may_see,
    require_write,
)
from summarizer.service.metrics import ServiceMetrics
from summarizer.service.models import (
    BatchCreated,
    BatchItem,
    BatchRequest,
    BatchStatus,
    ErrorBody,
    ErrorDetail,
    Health,
    NormalizeRequest,
    NormalizeResponse,
    Readiness,
    ResultLine,
    SummaryJob,
    SummaryOptions,
    SummaryRequest,
    status_for,
    status_for_kind,
)
from summarizer.service.review import create_review_router
from summarizer.service.sqlite_store import SQLiteStore
from summarizer.service.store import JobRecord, NewItem, Outcome, ResultRecord, Store
from summarizer.service.workers import DirectRun, EngineSettings, WorkerPool
from summarizer.text import prepare
from summarizer.text.repair.decode import decode
from summarizer.text.warmup import warm_up_text_tools

logger = logging.getLogger("summarizer.service")

DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024


@dataclass
class ServiceSettings:
    """Everything ``summarizer serve`` is started with."""

    database: str = "summarizer-service.sqlite3"
    engines: EngineSettings = field(default_factory=EngineSettings)
    #: Requests without a key are served only when this is on *and* they come from loopback.
    allow_anonymous_loopback: bool = False
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    #: Default time ``POST /v1/summaries`` waits before answering 202 with a job URL.
    sync_wait_seconds: float = 30.0
    workers: int = 4
    lease_seconds: float = 30.0
    max_attempts: int = 3
    #: Run in-process workers (off for an API-only replica in a scaled-out deployment).
    run_workers: bool = True


class HeadAsGetMiddleware:
    """``HEAD`` answers as ``GET`` would, without the body (RFC 9110 §9.3.2).

    FastAPI's routes take only the methods they name, so ``HEAD /healthz`` (uptime monitors and
    load balancers probe with it) and ``HEAD /`` were 405. The request is routed as ``GET``; the
    status and headers (``Content-Length`` included) are sent as they are, the body is dropped.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)


class BodyLimitMiddleware:
    """413 for bodies over the limit, by ``Content-Length`` or by counting a chunked body.

    The 413 is sent first, then the rest of the body is read and dropped (up to a bound) before
    the connection closes. HTTP/1.1 clients such as ``http.client`` and ``requests`` send the
    whole body before they read an answer: closing while they still send resets the connection,
    and they report a broken pipe instead of the typed 413. A client that asked
    ``Expect: 100-continue`` has sent no body yet, so there is nothing to drain: it gets the 413
    instead of the 100 and never sends it.
    """

    #: Read and drop at most this much (and for at most ``DRAIN_SECONDS``) after a 413.
    DRAIN_BYTES = 64 * 1024 * 1024
    DRAIN_SECONDS = 10.0

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            drain = headers.get(b"expect", b"").lower() != b"100-continue"
            await self._refuse(send, receive if drain else None, 0)
            return
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                more = message.get("more_body", False)
                await self._refuse(send, receive if more else None, size)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send, receive: Receive | None, size: int) -> None:
        """The 413, then (with ``receive``) the rest of the body read and dropped, then close."""
        body = (
            ErrorBody(
                error=ErrorDetail(
                    kind=PayloadTooLargeError.kind,
                    message=f"the request body is over the limit of {self.max_bytes} bytes",
                )
            )
            .model_dump_json()
            .encode()
        )
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body, "more_body": receive is not None})
        if receive is None:
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self.DRAIN_SECONDS):
                while size <= max(self.DRAIN_BYTES, 4 * self.max_bytes):
                    message = await receive()
                    if message["type"] != "http.request":
                        break
                    size += len(message.get("body", b""))
                    if not message.get("more_body", False):
                        break
        await send({"type": "http.response.body", "body": b""})


class MetricsMiddleware:
    """Count and time requests by route template (not by path: ids would be unbounded labels).

    A request is timed to the last byte of its answer, not to the end of the app's call: work a
    route does after answering (a background task: storing a synchronous result) is not latency.
    """

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        answered: float | None = None

        async def recording_send(message: Message) -> None:
            nonlocal status, answered
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                answered = time.perf_counter()

        try:
            await self.app(scope, receive, recording_send)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            method = scope["method"]
            ended = answered if answered is not None else time.perf_counter()
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(ended - started)
            if status == 429:
                self.metrics.quota_refusals.inc()


def error_response(kind: str, message: str, status: int, **headers: str) -> JSONResponse:
    body = ErrorBody(error=ErrorDetail(kind=kind, message=redact(message)))
    return JSONResponse(body.model_dump(), status_code=status, headers=headers or None)


_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": description}
    for code, description in (
        (400, "Bad input"),
        (401, "No key, or an unknown or revoked key"),
        (403, "A read-only key on a write route"),
        (404, "No such job"),
        (413, "Body too large"),
        (415, "A Content-Type the operation does not take"),
        (422, "Invalid request or options"),
        (429, "The key is over its quota (see Retry-After)"),
        (502, "The model failed"),
        (504, "The model took too long"),
    )
}


def create_app(settings: ServiceSettings, *, store: Store | None = None) -> FastAPI:
    """The service as an ASGI app; the store opens and the workers start with the app's lifespan."""
    the_store: Store = store or SQLiteStore(settings.database)
    metrics = ServiceMetrics()
    waiters: dict[str, _Waiter] = {}

    def finished(job_id: str, outcome: Outcome | None) -> None:
        waiter = waiters.get(job_id)
        if waiter is not None and not waiter.ended.done():
            waiter.ended.set_result(outcome)

    pool = WorkerPool(
        the_store,
        settings.engines,
        metrics,
        concurrency=settings.workers,
        lease_seconds=settings.lease_seconds,
        max_attempts=settings.max_attempts,
        on_finished=finished,
    )
    readiness_cache: dict[str, tuple[float, str]] = {}

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await the_store.open()
        warming: asyncio.Task[None] | None = None
        if settings.run_workers:
            # Load the text tools now, in the background, so the first job does not wait for them.
            warming = asyncio.create_task(asyncio.to_thread(warm_up_text_tools))
            pool.start()
        try:
            yield
        finally:
            if warming is not None:
                warming.cancel()
            await pool.stop()
            await the_store.close()

    app = FastAPI(
        title="summarizer",
        summary="Validated structured English summaries of (mostly Chinese) news articles.",
        version="1",
        lifespan=lifespan,
        responses=_ERROR_RESPONSES,
    )
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    app.add_middleware(HeadAsGetMiddleware)

    # --- errors

    @app.exception_handler(SummarizerError)
    async def _library_error(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, SummarizerError)
        headers: dict[str, str] = {}
        if isinstance(error, QuotaExceededError):
            headers["Retry-After"] = str(int(error.retry_after))
        return error_response(error.kind, str(error), status_for(error), **headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        if any(detail.get("type") == "json_invalid" for detail in error.errors()):
            bad = BadJSONError(_validation_message(error.errors(), prefix="the body is not JSON: "))
            return error_response(bad.kind, str(bad), status_for(bad))
        return error_response("input.validation", _validation_message(error.errors()), 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, StarletteHTTPException)
        kind = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http")
        # Keep the exception's own headers: a 405 must say which methods are allowed (RFC 9110).
        return error_response(kind, str(error.detail), error.status_code, **(error.headers or {}))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, error: Exception) -> JSONResponse:
        logger.error("internal error: %s", type(error).__name__, exc_info=error)
        return error_response("internal", f"internal error ({type(error).__name__})", 500)

    # --- auth

    async def principal(request: Request) -> Principal:
        header = request.headers.get("authorization", "")
        presented = header[7:] if header[:7].lower() == "bearer " else ""
        presented = presented or request.headers.get("x-api-key", "")
        if presented:
            return await authenticate(the_store, presented)
        if settings.allow_anonymous_loopback and _is_loopback(request):
            return Principal(key_id=ANONYMOUS)
        raise AuthRequiredError(
            "an API key is required: send 'Authorization: Bearer <key>' "
            "(create one with `summarizer keys create`)"
        )

    async def reader(who: Annotated[Principal, Depends(principal)]) -> Principal:
        """Any valid key; counted as a read (not against the key's work quota)."""
        await admit(the_store, who, reading=True)
        return who

    async def text_worker(who: Annotated[Principal, Depends(principal)]) -> Principal:
        """Any valid key (read-only ones too: no model is called); counted as work."""
        await admit(the_store, who)
        return who

    async def writer(who: Annotated[Principal, Depends(principal)]) -> Principal:
        require_write(who)
        await admit(the_store, who)
        return who

    Reader = Annotated[Principal, Depends(reader)]
    Writer = Annotated[Principal, Depends(writer)]
    TextWorker = Annotated[Principal, Depends(text_worker)]

    # --- summaries

    @app.post(
        "/v1/summaries",
        dependencies=_takes_query(*_SUMMARY_QUERY_FIELDS, *SummaryOptions.model_fields),
        response_model=ArticleSummary,
        responses={202: {"model": SummaryJob, "description": "Accepted; poll the job URL"}},
        openapi_extra=_body_doc(
            SummaryRequest,
            raw=_RAW_TEXT_TYPES,
            note="JSON, or the article's raw bytes (charset declared or detected); with raw "
            "bytes, pass mode, wait_seconds, id and options as query parameters.",
        ),
    )
    async def create_summary(request: Request, who: Writer) -> Response:
        """Summarize one article: the result within the deadline, else 202 and a job URL."""
        body = await _summary_request(request)
        options = _checked_options(pool, body.options)
        if settings.run_workers:  # this process's limit applies (else the workers' do)
            # Now, for every mode: a queued article over the limit was a 202 that failed later.
            check_input_size(body.payload, settings.engines.max_input_chars)
        job_id = "sum_" + secrets.token_hex(12)
        item = NewItem(
            body.article_id, body.payload, source_name=body.source_name, encoding=body.encoding
        )
        wait = body.wait_seconds if body.wait_seconds is not None else settings.sync_wait_seconds
        if body.mode != "sync":
            return await queued(job_id, who, options, item, None, "asked")
        depth = await the_store.queue_depth()
        expected = pool.expected_wait(depth)
        if expected is not None and expected > wait:
            return await queued(job_id, who, options, item, None, "deadline_predicted")
        if depth == 0 and wait > 0:  # nothing waits: run it now if a slot is free (no queue)
            run = await pool.start_direct(
                job_id=job_id,
                key_id=who.key_id,
                options=options,
                item=item,
                count_tokens=who.tokens_per_minute is not None,
            )
            if run is not None:
                return await answer_direct(run, wait)
        return await queued(job_id, who, options, item, wait, "deadline_reached")

    async def queued(
        job_id: str,
        who: Principal,
        options: dict[str, Any],
        item: NewItem,
        wait: float | None,
        reason: Literal["asked", "deadline_predicted", "deadline_reached"],
    ) -> Response:
        """Queue the article; wait up to ``wait`` seconds (None: not at all) for its outcome."""
        waiter = _Waiter()
        waiters[job_id] = waiter
        try:
            await the_store.create_job(
                job_id=job_id, kind="summary", key_id=who.key_id, options=options, items=[item]
            )
            pool.wake()
            if wait is not None:
                ended = await _wait_for(the_store, job_id, item.article_id, waiter, wait)
                if ended is not None:
                    return _summary_outcome(job_id, ended)
        finally:
            waiters.pop(job_id, None)
        return _accepted(job_id, reason)

    async def answer_direct(run: DirectRun, wait: float) -> Response:
        """The direct run's outcome (its job written after the answer is sent), or a 202 once
        the job is stored as running when the deadline comes first."""
        try:
            async with asyncio.timeout(wait):
                outcome = await asyncio.shield(run.task)
        except TimeoutError:
            if not run.task.done():
                await pool.detach(run)
                return _accepted(run.job_id, "deadline_reached")
            outcome = run.task.result()
        pool.persist_soon(run)  # shortly after the answer, off its path
        return _summary_outcome(run.job_id, outcome)

    def unpersisted(job_id: str) -> tuple[JobRecord, ResultRecord | None] | None:
        """A direct run answered (or running) whose job is not in the store yet."""
        run = pool.unpersisted.get(job_id)
        if run is None:
            return None
        job = JobRecord(job_id, "summary", run.key_id, run.options, run.created_at, False, 1)
        outcome = run.outcome
        if outcome is None:
            return job, None
        result = json.loads(outcome.result_json) if outcome.result_json is not None else None
        record = ResultRecord(
            article_id=run.item.article_id,
            status=outcome.status,
            result=result if result is not None else outcome.result,
            error_kind=outcome.error_kind,
            error_message=outcome.error_message,
            metadata={},
        )
        return job, record

    @app.get("/v1/summaries/{summary_id}", dependencies=_takes_query(), response_model=SummaryJob)
    async def get_summary(summary_id: str, who: Reader) -> SummaryJob:
        """A summary job's status, and its result or error once it has ended."""
        url = f"/v1/summaries/{summary_id}"
        recent = unpersisted(summary_id)
        if recent is not None:
            _check_access(recent[0], who, "summary")
            record = recent[1]
            if record is None:
                return SummaryJob(id=summary_id, status="running", url=url)
        else:
            job = await _job(the_store, summary_id, "summary", who)
            record = None
            async for first in the_store.iter_results(job.job_id):
                record = first
                break
        if record is not None:
            return SummaryJob(
                id=summary_id,
                status=record.status,
                url=url,
                result=_summary(record.result),
                error=_error_detail(record),
            )
        counts = await the_store.job_counts(summary_id)
        running = bool(counts.by_status.get("running"))
        return SummaryJob(id=summary_id, status="running" if running else "queued", url=url)

    # --- batches

    @app.post(
        "/v1/batches",
        dependencies=_takes_query(*SummaryOptions.model_fields),
        status_code=202,
        response_model=BatchCreated,
        openapi_extra=_body_doc(
            BatchRequest,
            raw=_JSONL_TYPES,
            note="A JSON object with items, a JSON list of {id, text} objects, a JSONL body, "
            "or a multipart upload (field 'file'); options go in the JSON object or the query.",
        ),
    )
    async def create_batch(request: Request, who: Writer) -> JSONResponse:
        """Queue many articles; 202 with the batch id and its URLs."""
        items, options_model = await _batch_request(request)
        options = _checked_options(pool, options_model)
        batch_id = "bat_" + secrets.token_hex(12)
        await the_store.create_job(
            job_id=batch_id, kind="batch", key_id=who.key_id, options=options, items=items
        )
        pool.wake()
        logger.info("batch %s: %d items queued by key %s", batch_id, len(items), who.key_id)
        created = BatchCreated(
            id=batch_id,
            url=f"/v1/batches/{batch_id}",
            results_url=f"/v1/batches/{batch_id}/results",
            total=len(items),
        )
        return JSONResponse(created.model_dump(), 202, {"Location": created.url})

    @app.get("/v1/batches/{batch_id}", dependencies=_takes_query(), response_model=BatchStatus)
    async def get_batch(batch_id: str, who: Reader) -> BatchStatus:
        """Counts by status, tokens, cost and an ETA."""
        return await _batch_status(the_store, await _job(the_store, batch_id, "batch", who), pool)

    @app.post(
        "/v1/batches/{batch_id}/cancel", dependencies=_takes_query(), response_model=BatchStatus
    )
    async def cancel_batch(batch_id: str, who: Writer) -> BatchStatus:
        """Stop a batch: queued items end as cancelled; items already running finish."""
        job = await _job(the_store, batch_id, "batch", who)
        await the_store.cancel_job(job.job_id)
        return await _batch_status(the_store, await _job(the_store, batch_id, "batch", who), pool)

    @app.get(
        "/v1/batches/{batch_id}/results",
        dependencies=_takes_query(),
        response_class=StreamingResponse,
        responses={
            200: {
                "description": "One ResultLine per finished item, in submission order (JSONL).",
                "content": {
                    "application/x-ndjson": {"schema": {"$ref": "#/components/schemas/ResultLine"}}
                },
            }
        },
    )
    async def batch_results(batch_id: str, who: Reader) -> StreamingResponse:
        """The finished items so far, streamed as JSONL (each id exactly once)."""
        job = await _job(the_store, batch_id, "batch", who)

        async def lines() -> AsyncIterator[bytes]:
            async for record in the_store.iter_results(job.job_id):
                yield (_result_line(record) + "\n").encode()

        return StreamingResponse(lines(), media_type="application/x-ndjson")

    # --- text only

    @app.post(
        "/v1/normalize",
        dependencies=_takes_query(),
        response_model=NormalizeResponse,
        openapi_extra=_body_doc(
            NormalizeRequest,
            raw=_RAW_TEXT_TYPES,
            note="JSON, or raw bytes (charset declared or detected).",
        ),
    )
    async def normalize(request: Request, who: TextWorker) -> NormalizeResponse:
        """Repair and normalize text (no model): the text and every repair made."""
        content_type = request.headers.get("content-type", "")
        media = _require_media(content_type, ("application/json", "", *_RAW_TEXT_TYPES))
        raw = await request.body()
        if media == "application/json":
            body = _RawPayload(_parse_json_model(NormalizeRequest, raw).text)
        else:
            body = await asyncio.to_thread(_raw_payload, raw, content_type)
        document = await asyncio.to_thread(prepare, body.payload, source_name=body.source_name)
        return NormalizeResponse(
            text=document.text,
            encoding=body.encoding or document.encoding,
            script=document.script,
            language=document.language,
            repairs=list(document.repairs),
            warnings=list(document.warnings),
        )

    # --- operations

    @app.get("/healthz", dependencies=_takes_query(), response_model=Health)
    async def healthz() -> Health:
        """The process is up."""
        return Health(status="ok")

    @app.get(
        "/readyz",
        dependencies=_takes_query(),
        response_model=Readiness,
        responses={503: {"model": Readiness}},
    )
    async def readyz() -> JSONResponse:
        """The store answers and the model endpoint (when one is configured) is reachable."""
        checks: dict[str, str] = {}
        try:
            await the_store.ping()
            checks["store"] = "ok"
        except Exception as error:
            checks["store"] = f"failing ({type(error).__name__})"
        checks["model"] = await _model_check(settings.engines, readiness_cache)
        ready = all(value == "ok" or value.startswith("offline") for value in checks.values())
        body = Readiness(status="ready" if ready else "not_ready", checks=checks)
        return JSONResponse(body.model_dump(), 200 if ready else 503)

    @app.get("/metrics", dependencies=_takes_query(), response_class=PlainTextResponse)
    async def prometheus_metrics() -> Response:
        """Prometheus text format."""
        metrics.queue_depth.set(await the_store.queue_depth())
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    # --- the review page (/) and eval sets

    app.include_router(
        create_review_router(the_store, reader=reader, writer=writer, recent=unpersisted)
    )

    _document_extra_models(app, SummaryRequest, BatchRequest, NormalizeRequest, ResultLine)
    app.state.store = the_store
    app.state.pool = pool
    app.state.metrics = metrics
    return app


# --- request parsing

_RAW_TEXT_TYPES = ("text/plain", "text/html", "application/octet-stream")
_JSONL_TYPES = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines")


class BadJSONError(InputError):
    """A body declared (or taken) as JSON does not parse; a 400, unlike a schema mismatch (422)."""

    kind = "input.bad_json"


class UnsupportedMediaTypeError(InputError):
    """A body in a Content-Type the route does not document (a form, say): never read as text."""

    kind = "input.media_type"
    status = 415


def _require_media(content_type: str, accepted: tuple[str, ...]) -> str:
    """The body's media type when the route takes it, else a 415 listing the ones it does."""
    media = _media_type(content_type)
    if media not in accepted:
        listed = ", ".join(kind for kind in accepted if kind)
        raise UnsupportedMediaTypeError(
            f"Content-Type {media[:80]!r} is not accepted here: send one of {listed}"
        )
    return media


@dataclass(frozen=True)
class _ParsedSummary:
    article_id: str
    payload: str | bytes
    source_name: str | None
    options: SummaryOptions
    mode: str
    wait_seconds: float | None
    #: ``NewItem.encoding``: the declared charset the payload was decoded with, if it was.
    encoding: str | None


#: What ``POST /v1/summaries`` takes in the query with a raw body (in the JSON object otherwise).
_SUMMARY_QUERY_FIELDS = ("id", "mode", "wait_seconds")


async def _summary_request(request: Request) -> _ParsedSummary:
    content_type = request.headers.get("content-type", "")
    media = _require_media(content_type, ("application/json", "", *_RAW_TEXT_TYPES))
    raw = await request.body()
    if media in ("application/json", ""):
        _refuse_query(request, (*_SUMMARY_QUERY_FIELDS, *SummaryOptions.model_fields))
        if not raw.strip():
            raise EmptyInputError('the request body is empty: send JSON {"text": ...} or bytes')
        body = _parse_json_model(SummaryRequest, raw)
        if not body.text.strip():
            raise EmptyInputError("the article text is empty")
        return _ParsedSummary(
            body.id, body.text, None, body.options, body.mode, body.wait_seconds, None
        )
    options = _query_model(SummaryOptions, _query_values(request, SummaryOptions.model_fields))
    extra = _query_model(
        SummaryRequest, {"text": "-", **_query_values(request, _SUMMARY_QUERY_FIELDS)}
    )
    body = await asyncio.to_thread(_raw_payload, raw, content_type)
    return _ParsedSummary(
        extra.id,
        body.payload,
        body.source_name,
        options,
        extra.mode,
        extra.wait_seconds,
        body.encoding,
    )


@dataclass(frozen=True)
class _RawPayload:
    """An article as the library should read it, and the charset the service decoded it with
    when that is not for the library to find out (``encoding``, None: the library reports it)."""

    payload: str | bytes
    source_name: str | None = None
    encoding: str | None = None


def _raw_payload(raw: bytes, content_type: str) -> _RawPayload:
    """Raw bytes, left to the library to decode (so the result reports the encoding it read them
    with), unless a declared charset reads them differently: then the text decoded with it, and
    that charset as the encoding."""
    if not raw.strip():
        raise EmptyInputError("the request body is empty")
    media = _media_type(content_type)
    source_name = "body.html" if media == "text/html" else None
    charset = _charset(content_type)
    if charset is None:
        return _RawPayload(raw, source_name)
    try:
        declared = raw.decode(charset)
    except LookupError:
        raise InputError(f"unknown charset {charset[:40]!r} in Content-Type") from None
    except UnicodeDecodeError as error:
        raise UndecodableInputError(
            f"the body is not valid {charset} (byte {error.start}); "
            "declare the right charset or none to detect it"
        ) from None
    as_declared = _RawPayload(declared, source_name, codecs.lookup(charset).name)
    try:
        detected = decode(raw).text
    except InputError:
        return as_declared
    return _RawPayload(raw, source_name) if detected == decode(declared).text else as_declared


async def _batch_request(request: Request) -> tuple[list[NewItem], SummaryOptions]:
    content_type = request.headers.get("content-type", "")
    media = _require_media(
        content_type, ("application/json", "", *_JSONL_TYPES, "multipart/form-data")
    )
    query_options = _query_values(request, SummaryOptions.model_fields)
    options = _query_model(SummaryOptions, query_options)
    if media == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise InputError("the multipart upload needs a file in the field 'file'")
        raw = await upload.read()
        return _jsonl_items(raw), options
    raw = await request.body()
    if not raw.strip():
        raise EmptyInputError("the request body is empty: send JSONL or a JSON list of articles")
    if media in _JSONL_TYPES:
        return _jsonl_items(raw), options
    value = _json_body(raw)
    if isinstance(value, list):
        value = {"items": value, "options": options.model_dump(exclude_none=True)}
    else:
        _refuse_query(request, SummaryOptions.model_fields)
    body = _parse_json_model(BatchRequest, json.dumps(value).encode())
    return _items(body.items), body.options


def _jsonl_items(raw: bytes) -> list[NewItem]:
    """The items of a JSONL body; a record the schema refuses is the same 422 as in a JSON list,
    located by its line."""
    records: list[BatchItem] = []
    places: list[str] = []
    for where, record in jsonl_records(raw):
        try:
            records.append(BatchItem.model_validate(record))
        except ValidationError as error:
            located = [{**detail, "loc": (where, *detail["loc"])} for detail in error.errors()]
            raise RequestValidationError(located) from None
        places.append(where)
    if not records:
        raise EmptyInputError("the JSONL body has no records")
    return _items(records, places)


def _items(records: list[BatchItem], places: list[str] | None = None) -> list[NewItem]:
    """New items of ``records``; ``places`` names each in messages (default ``item N``)."""
    seen: set[str] = set()
    items: list[NewItem] = []
    for number, record in enumerate(records, start=1):
        where = places[number - 1] if places else f"item {number}"
        identifier = str(record.id)
        if not identifier:
            raise MissingIdError(f"{where}: the id is empty")
        if identifier in seen:
            raise DuplicateIdError(f"{where}: duplicate id {identifier[:80]!r}")
        if not record.text.strip():
            raise RecordError(f"{where} ({identifier[:80]!r}): the text is empty")
        seen.add(identifier)
        metadata = dict(record.model_extra or {})
        items.append(NewItem(identifier, record.text, metadata=metadata))
    return items


def _takes_query(*names: str) -> list[Any]:
    """The ``dependencies`` of a route that takes only the query parameters ``names``: any other is
    a 422 naming it, as an unknown field of a JSON body is (ignored, a typo such as
    ``?status=error`` on the results would look like a filter that matched everything). One named
    like a credential (``?api_key=``) is a 401, whatever the headers: keys are read only there."""
    taken = frozenset(names)
    listed = ", ".join(sorted(taken)) if taken else "none"

    def check(request: Request) -> None:
        unknown = [name for name in dict.fromkeys(request.query_params.keys()) if name not in taken]
        if any(is_credential_name(name) for name in unknown):
            raise AuthRequiredError(
                "a key in the URL is not read (URLs are logged): send 'Authorization: Bearer <key>'"
            )
        if unknown:
            raise RequestValidationError(
                [
                    {
                        "loc": ("query", name[:40]),
                        "msg": f"unknown query parameter (this operation takes {listed})",
                        "type": "value_error",
                    }
                    for name in unknown
                ]
            )

    return [Depends(check)]


def _query_values(request: Request, names: Iterable[str]) -> dict[str, str]:
    """The query parameters among ``names``; one given twice is a 422 (which would win?)."""
    found: dict[str, str] = {}
    for name in names:
        values = request.query_params.getlist(name)
        if len(values) > 1:
            raise RequestValidationError(
                [{"loc": ("query", name), "msg": "given more than once", "type": "value_error"}]
            )
        if values:
            found[name] = values[0]
    return found


def _query_model(model: type[Any], values: dict[str, str]) -> Any:
    """``model`` from query strings, each parsed as its field's type (``?deadline=30`` is the
    number 30, ``?few_shot=false`` false) and checked as the JSON body's value would be."""
    try:
        return model.model_validate_strings(values)
    except ValidationError as error:
        located = [{**detail, "loc": ("query", *detail["loc"])} for detail in error.errors()]
        raise RequestValidationError(located) from None


def _refuse_query(request: Request, names: Iterable[str]) -> None:
    """A 422 for options in the query of a request whose JSON object holds them: the query
    would otherwise be ignored without a word."""
    given = [name for name in names if name in request.query_params]
    if given:
        raise RequestValidationError(
            [
                {
                    "loc": ("query", name),
                    "msg": "not taken with a JSON object body: give it in the JSON",
                    "type": "value_error",
                }
                for name in given
            ]
        )


def _json_body(raw: bytes) -> Any:
    """The value of a JSON body, read as every JSON from outside is (``load_json``: nesting and
    unpaired surrogate escapes bounded), or the ``BadJSONError`` (400) saying why not."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadJSONError(f"the body is not UTF-8 (byte {error.start}); JSON must be") from None
    try:
        return load_json(text)
    except InvalidJSONError as error:
        raise BadJSONError(f"the body: {error.problem}") from None


def _parse_json_model(model: type[Any], raw: bytes) -> Any:
    try:
        return model.model_validate_json(raw)
    except ValidationError as error:
        if any(detail["type"] == "json_invalid" for detail in error.errors()):
            _json_body(raw)  # says why in the words every JSON reader uses (400)
        raise RequestValidationError(error.errors()) from None


def _checked_options(pool: WorkerPool, options: SummaryOptions) -> dict[str, Any]:
    """The job's engine options, refused now (422) rather than failing every item later."""
    engine_options = options.engine_options()
    try:
        pool.engine_for(engine_options)
    except ConfigError:
        raise
    except TypeError as error:
        raise ConfigError(f"invalid engine options ({error})") from None
    return engine_options


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"')
    return None


def _validation_message(errors: Any, *, prefix: str = "invalid request: ") -> str:
    parts = []
    for error in list(errors)[:5]:
        where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
        parts.append(f"{where or 'body'}: {error.get('msg', 'invalid')}")
    return prefix + "; ".join(parts)


def _is_loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# --- responses


async def _job(store: Store, job_id: str, kind: str, who: Principal) -> JobRecord:
    job = await store.get_job(job_id)
    if job is None:
        raise NotFoundError(f"no {kind} with id {job_id[:80]!r}")
    _check_access(job, who, kind)
    return job


def _check_access(job: JobRecord, who: Principal, kind: str) -> None:
    """404 (not 403: a job's existence is not told) unless ``who`` may see this job."""
    if job.kind != kind or not may_see(who, job.key_id):
        raise NotFoundError(f"no {kind} with id {job.job_id[:80]!r}")


def _accepted(
    job_id: str, reason: Literal["asked", "deadline_predicted", "deadline_reached"]
) -> JSONResponse:
    job = SummaryJob(
        id=job_id, status="queued", url=f"/v1/summaries/{job_id}", accepted_because=reason
    )
    return JSONResponse(job.model_dump(mode="json"), 202, {"Location": job.url})


@dataclass
class _Waiter:
    """A ``POST /v1/summaries`` waiting for its item; an in-process worker hands it the outcome.

    A bare future, awaited directly: the worker's ``set_result`` wakes the request on the very
    next turn of the event loop (``asyncio.wait_for`` on an ``Event`` takes three turns in
    Python 3.11, each one behind whatever else is ready). Its result is None when the stored
    outcome is not this worker's (a redelivery's duplicate): the store then has it.
    """

    ended: asyncio.Future[Outcome | None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


async def _wait_for(
    store: Store, job_id: str, article_id: str, waiter: _Waiter, seconds: float
) -> Outcome | ResultRecord | None:
    """The item's outcome, or None after ``seconds``.

    An in-process worker hands the outcome over directly (no store read, no JSON decoding of a
    100+ KB summary and re-encoding it); polling the store covers workers elsewhere.
    """
    deadline = time.monotonic() + seconds
    while True:
        if waiter.ended.done() and waiter.ended.result() is not None:
            return waiter.ended.result()
        record = await store.get_result(job_id, article_id)
        if record is not None:
            return record
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        if waiter.ended.done():  # handed None (a duplicate): poll the store for the stored one
            waiter.ended = asyncio.get_running_loop().create_future()
        try:
            async with asyncio.timeout(min(left, 0.5)):
                await waiter.ended
        except TimeoutError:
            # The timeout cancelled the future; a fresh one for the worker to complete.
            waiter.ended = asyncio.get_running_loop().create_future()


def _summary_outcome(job_id: str, ended: Outcome | ResultRecord) -> Response:
    headers = {"Location": f"/v1/summaries/{job_id}"}
    if isinstance(ended, Outcome) and ended.status == "ok" and ended.result_json is not None:
        return Response(ended.result_json, 200, headers, media_type="application/json")
    if ended.status == "ok" and ended.result is not None:
        return JSONResponse(ended.result, 200, headers)
    if ended.status == "ok":  # ok without a result: should not happen, but never a bare 200
        detail = ErrorDetail(kind="internal", message="no result")
    else:
        detail = ErrorDetail(kind=ended.error_kind or "error", message=ended.error_message or "")
    return error_response(detail.kind, detail.message, status_for_kind(detail.kind), **headers)


def _summary(result: dict[str, Any] | None) -> ArticleSummary | None:
    return None if result is None else ArticleSummary.model_validate(result)


def _error_detail(record: ResultRecord) -> ErrorDetail | None:
    if record.status == "ok":
        return None
    return ErrorDetail(kind=record.error_kind or "error", message=record.error_message or "")


def _result_line(record: ResultRecord) -> str:
    line: dict[str, Any] = {"id": record.article_id, "status": record.status}
    if record.metadata:
        line["metadata"] = record.metadata
    if record.status == "ok":
        line["result"] = record.result
    else:
        detail = _error_detail(record)
        line["error"] = None if detail is None else detail.model_dump()
    return json.dumps(line, ensure_ascii=False)


async def _batch_status(store: Store, job: JobRecord, pool: WorkerPool) -> BatchStatus:
    counts = await store.job_counts(job.job_id)
    waiting = counts.by_status.get("queued", 0) + counts.by_status.get("running", 0)
    state: Literal["queued", "running", "done", "cancelled"]
    if waiting == 0:
        state = "cancelled" if counts.by_status.get("cancelled") else "done"
    elif job.cancelled or counts.by_status.get("running") or len(counts.by_status) > 1:
        state = "running"  # a cancelled batch's running items are finishing
    else:
        state = "queued"
    eta = None
    if waiting == 0:
        eta = 0.0
    elif counts.mean_item_seconds is not None:
        eta = waiting * counts.mean_item_seconds / pool.articles_at_once
    return BatchStatus(
        id=job.job_id,
        state=state,
        total=job.total,
        counts=counts.by_status,
        prompt_tokens=counts.prompt_tokens,
        completion_tokens=counts.completion_tokens,
        cost_usd=counts.cost_usd,
        eta_seconds=eta,
        created_at=job.created_at,
        finished_at=counts.finished_at,
    )


def _body_doc(model: type[Any], *, raw: tuple[str, ...], note: str) -> dict[str, Any]:
    """An OpenAPI request body built from ``model`` plus the raw media types a route accepts."""
    content: dict[str, Any] = {
        "application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}
    }
    for media in raw:
        content[media] = {"schema": {"type": "string", "format": "binary"}}
    return {"requestBody": {"required": True, "description": note, "content": content}}


def _document_extra_models(app: FastAPI, *models: type[Any]) -> None:
    """Add the models that routes reference by hand (raw-body routes, JSONL lines) to OpenAPI."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in models:
            definition = model.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, nested in definition.pop("$defs", {}).items():
                components.setdefault(name, nested)
            components[model.__name__] = definition
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


async def _model_check(engines: EngineSettings, cache: dict[str, tuple[float, str]]) -> str:
    """``ok`` when the configured endpoint answers ``GET /models``; cached for 5 seconds."""
    cached = cache.get("model")
    if cached is not None and time.monotonic() - cached[0] < 5:
        return cached[1]
    if engines.engine == "offline":
        return "offline engine (no model)"
    try:
        config = ModelConfig.resolve(
            model=engines.model, base_url=engines.base_url, api_key=engines.api_key
        )
    except ConfigError as error:  # half an endpoint (the environment changed since start-up)
        verdict = f"failing ({error})"
    else:
        if config is None:
            verdict = "offline engine (no model configured)"
        else:
            verdict = await asyncio.to_thread(_probe, config)
    cache["model"] = (time.monotonic(), verdict)
    return verdict


def _probe(config: ModelConfig) -> str:
    """GET ``<base>/models`` as the engine's HTTP stack (httpx2) would send it: credentials in the
    URL become Basic auth, and a query string stays a query (the path is added before it)."""
    parts = urlsplit(config.base_url or "https://api.openai.com/v1")
    url = urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/models", fragment=""))
    try:
        response = httpx2.get(
            url, headers={"Authorization": f"Bearer {config.api_key.reveal()}"}, timeout=3
        )
    except (httpx2.HTTPError, OSError, ValueError) as error:
        return f"unreachable ({type(error).__name__} for {config.endpoint_host})"
    if response.status_code < 400 or response.status_code == 404:
        return "ok"  # 404: reachable; some servers have no /models
    return f"failing (HTTP {response.status_code} from {config.endpoint_host})"
