"""The call log: every model call, with prompt, raw answer, usage, latency and error, in SQLite.

Like ``llm logs``: on by default, so that when a summary looks wrong the exact request and answer
are one ``summarizer logs show ID`` away. Results carry the ids of the calls that made them
(``meta.call_ids``), so reports and batch output can point at them.

* **Where**: ``$SUMMARIZER_LOG_PATH``, else ``calls.db`` in the user data directory (platformdirs).
* **Off switch**: ``SUMMARIZER_LOG=0`` (or ``off``/``false``/``no``), ``summarizer --no-log ...``,
  or ``summarizer.calllog.configure(enabled=False)``.
* **Never stored**: API keys or auth headers. Only the endpoint's host is kept (a base URL may carry
  credentials), and every text is passed through ``redact`` with the call's key before writing.
* **Cheap**: the model client hands a finished call to ``record`` (a lock-free append; the
  messages come as the JSON text that was sent, so they are not encoded twice); a background
  thread wakes about every ``WRITE_LINGER`` seconds while calls come in (not once per call, which
  would take the GIL from the event loop every few milliseconds), turns them into rows and writes
  them in batched transactions, so a batch run never waits on SQLite. ``flush`` waits until
  everything recorded before it is written; the interpreter flushes at exit.
"""

from __future__ import annotations

import asyncio
import atexit
import collections
import contextlib
import functools
import json
import os
import secrets
import sqlite3
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from platformdirs import user_data_dir

from summarizer.config import ModelConfig, Secret, env_switch, redact
from summarizer.errors import ConfigError, InputError, SummarizerError

__all__ = [
    "CallLog",
    "CallQuery",
    "CallRecord",
    "call_context",
    "configure",
    "default_log_path",
    "flush",
    "log_enabled",
    "log_path",
    "logged_call",
    "mark_invalid",
    "new_call_id",
    "record",
]

ENV_SWITCH = "SUMMARIZER_LOG"
ENV_PATH = "SUMMARIZER_LOG_PATH"

#: The status (and error kind) of a call whose answer came back but failed validation.
INVALID_STATUS = "invalid"
INVALID_KIND = "model_output.invalid"

#: Rows written per transaction at most; this many queued also wake the writer early.
WRITE_BATCH = 256
#: How long the writer lets calls gather after the first one before writing them (seconds).
WRITE_LINGER = 0.2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS calls (
    id TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    status TEXT NOT NULL,
    model TEXT,
    served_model TEXT,
    endpoint_host TEXT,
    engine TEXT,
    prompt_template TEXT,
    prompt_version TEXT,
    schema_name TEXT,
    capability TEXT,
    options TEXT NOT NULL DEFAULT '{}',
    messages TEXT NOT NULL DEFAULT '[]',
    request TEXT NOT NULL DEFAULT '{}',
    answer TEXT,
    finish_reason TEXT,
    error_kind TEXT,
    error_message TEXT,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    total_tokens INTEGER NOT NULL DEFAULT 0,
    latency_ms REAL NOT NULL DEFAULT 0,
    attempts TEXT NOT NULL DEFAULT '[]',
    library_version TEXT
);
CREATE INDEX IF NOT EXISTS calls_started_at ON calls (started_at);
CREATE INDEX IF NOT EXISTS calls_model ON calls (model);
"""

_COLUMNS = (
    "id",
    "started_at",
    "status",
    "model",
    "served_model",
    "endpoint_host",
    "engine",
    "prompt_template",
    "prompt_version",
    "schema_name",
    "capability",
    "options",
    "messages",
    "request",
    "answer",
    "finish_reason",
    "error_kind",
    "error_message",
    "prompt_tokens",
    "completion_tokens",
    "total_tokens",
    "latency_ms",
    "attempts",
    "library_version",
)
_JSON_COLUMNS = frozenset({"options", "messages", "request", "attempts"})


def new_call_id() -> str:
    """A time-ordered id (sorts by start time, like a ULID): 13 hex digits of ms + 8 random."""
    return f"{time.time_ns() // 1_000_000:013x}{secrets.token_hex(4)}"


@dataclass
class CallRecord:
    """One finished model call as the client reports it; turned into a row off the hot path.

    ``messages`` may be a callable returning the messages: rendering them is then left to the
    writer thread too. ``messages_json``, when given, is their JSON text as sent (used instead of
    encoding ``messages`` again).
    """

    id: str
    started_at: float
    status: str
    model: str | None
    endpoint_host: str | None
    messages: list[dict[str, Any]] | Callable[[], list[dict[str, Any]]]
    request: dict[str, Any] = field(default_factory=dict)
    served_model: str | None = None
    schema_name: str | None = None
    capability: str | None = None
    answer: str | None = None
    finish_reason: str | None = None
    error_kind: str | None = None
    error_message: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    latency_ms: float = 0.0
    #: ``AttemptRecord``s (dumped by the writer) or plain dicts.
    attempts: list[Any] = field(default_factory=list)
    #: Never written: only used to scrub the key from every stored text.
    secret: Secret | None = None
    messages_json: str | None = None

    def row(self, context: Mapping[str, Any]) -> tuple[Any, ...]:
        def scrub(text: str | None) -> str | None:
            return None if text is None else redact(text, self.secret)

        def as_json(value: Any) -> str:
            return scrub(json.dumps(value, ensure_ascii=False, default=str)) or ""

        if self.messages_json is not None:
            messages_text = scrub(self.messages_json) or ""
        else:
            messages_text = as_json(self.messages() if callable(self.messages) else self.messages)
        options = context.get("options") or {}

        values: dict[str, Any] = {
            "id": self.id,
            "started_at": datetime.fromtimestamp(self.started_at, UTC).isoformat(
                timespec="milliseconds"
            ),
            "status": self.status,
            "model": self.model,
            "served_model": self.served_model,
            "endpoint_host": self.endpoint_host,
            "engine": context.get("engine"),
            "prompt_template": context.get("prompt_template"),
            "prompt_version": context.get("prompt_version"),
            "schema_name": self.schema_name,
            "capability": self.capability,
            "options": _options_json(options, self.secret)
            if isinstance(options, dict)
            else as_json(options),
            "messages": messages_text,
            "request": as_json(self.request),
            "answer": scrub(self.answer),
            "finish_reason": self.finish_reason,
            "error_kind": self.error_kind,
            "error_message": scrub(self.error_message),
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.total_tokens,
            "latency_ms": round(self.latency_ms, 3),
            "attempts": as_json(
                [a.model_dump() if hasattr(a, "model_dump") else a for a in self.attempts]
            ),
            "library_version": context.get("library_version"),
        }
        return tuple(values[name] for name in _COLUMNS)


#: The last options mapping written and its (redacted) JSON: an engine passes the same mapping
#: for every call it makes, so it is encoded once (touched by the writer thread only).
_last_options: tuple[dict[str, Any], Secret | None, str] | None = None


def _options_json(options: dict[str, Any], secret: Secret | None) -> str:
    global _last_options
    last = _last_options
    if last is not None and last[0] is options and last[1] is secret:
        return last[2]
    text = redact(json.dumps(options, ensure_ascii=False, default=str), secret)
    _last_options = (options, secret, text)
    return text


# --- what the engine tells the log about the calls made inside it ------------------------------


@dataclass
class _CallContext:
    """Set by an engine around one article: what the client cannot know, and where ids go."""

    details: dict[str, Any]
    call_ids: list[str] = field(default_factory=list)


_CONTEXT: ContextVar[_CallContext | None] = ContextVar("summarizer_call_context", default=None)


@contextlib.contextmanager
def call_context(**details: Any) -> Iterator[list[str]]:
    """Calls made inside this block are logged with ``details`` (engine, prompt_template,
    prompt_version, options, library_version); yields the list their ids are appended to.

    Tasks started inside the block share the list, so concurrent chunk calls are all collected.
    """
    context = _CallContext(details=details)
    token = _CONTEXT.set(context)
    try:
        yield context.call_ids
    finally:
        _CONTEXT.reset(token)


# --- the hook in the model client ------------------------------------------------------------


class _Client(Protocol):
    """What ``logged_call`` reads from the client whose ``complete`` it wraps."""

    config: ModelConfig
    capability: str


F = TypeVar("F", bound=Callable[..., Awaitable[Any]])


def logged_call(complete: F) -> F:
    """Log every call of ``ChatClient.complete`` (success or failure) and set its ``call_id``.

    The wrapped method is ``complete(self, build_messages, *, schema_name, schema,
    max_output_tokens=None)``, returning a ``Completion`` (``content``, ``raw_content``,
    ``capability``, ``usage``, ``latency_ms``, ``attempts``, ``model``, ``finish_reason``,
    ``messages``, ``call_id``) or raising. A failed call's messages are rendered again (the
    builder is pure) by the writer thread, never on the caller's path.
    """

    @functools.wraps(complete)
    async def wrapper(
        client: _Client, build_messages: Callable[[str], Any], /, **kwargs: Any
    ) -> Any:
        if not log_enabled():
            return await complete(client, build_messages, **kwargs)
        config = client.config
        call_id = new_call_id()
        started = time.time()
        clock = time.perf_counter()
        limit = kwargs.get("max_output_tokens") or config.max_output_tokens
        base: dict[str, Any] = {
            "id": call_id,
            "started_at": started,
            "model": config.model,
            "endpoint_host": endpoint_host(config),
            "schema_name": kwargs.get("schema_name"),
            "secret": config.api_key,
        }
        try:
            completion = await complete(client, build_messages, **kwargs)
        except BaseException as error:
            capability = client.capability
            attempts = list(getattr(error, "attempts", None) or [])
            usage = [getattr(attempt, "usage", None) for attempt in attempts]
            prompt = sum(getattr(u, "prompt_tokens", 0) for u in usage)
            completion_tokens = sum(getattr(u, "completion_tokens", 0) for u in usage)
            record(
                CallRecord(
                    **base,
                    status="error",
                    messages=functools.partial(build_messages, capability),
                    request=_request_summary(config, capability, limit),
                    capability=capability,
                    error_kind=getattr(error, "kind", None) or _kind_of(error),
                    error_message=str(error) or type(error).__name__,
                    prompt_tokens=prompt,
                    completion_tokens=completion_tokens,
                    total_tokens=prompt + completion_tokens,
                    latency_ms=(time.perf_counter() - clock) * 1000.0,
                    attempts=attempts,
                )
            )
            if isinstance(error, SummarizerError):
                error.call_ids.append(call_id)
            raise
        capability = completion.capability
        record(
            CallRecord(
                **base,
                status="ok",
                messages=completion.messages or functools.partial(build_messages, capability),
                messages_json=getattr(completion, "messages_json", None),
                request=_request_summary(config, capability, limit),
                served_model=completion.model,
                capability=capability,
                answer=completion.raw_content,
                finish_reason=completion.finish_reason,
                prompt_tokens=completion.usage.prompt_tokens,
                completion_tokens=completion.usage.completion_tokens,
                total_tokens=completion.usage.total_tokens,
                latency_ms=completion.latency_ms,
                attempts=list(completion.attempts),
            )
        )
        completion.call_id = call_id
        return completion

    return cast("F", wrapper)


#: ``endpoint_host`` of the configs seen lately, by identity (a config is frozen).
_HOSTS: dict[int, tuple[ModelConfig, str]] = {}


def endpoint_host(config: ModelConfig) -> str:
    """``config.endpoint_host``, parsed from the URL once per config instead of once per call."""
    known = _HOSTS.get(id(config))
    if known is not None and known[0] is config:
        return known[1]
    if len(_HOSTS) >= 64:
        _HOSTS.clear()
    host = config.endpoint_host
    _HOSTS[id(config)] = (config, host)
    return host


def _request_summary(config: ModelConfig, capability: str, limit: int | None) -> dict[str, Any]:
    """The request's settings besides its messages (the schema itself is named, not copied)."""
    return {
        "response_format": capability,
        "temperature": config.temperature,
        "max_output_tokens": limit,
        "request_timeout": config.request_timeout,
        "deadline": config.deadline,
        "max_transport_attempts": config.max_transport_attempts,
    }


def _kind_of(error: BaseException) -> str:
    if isinstance(error, asyncio.CancelledError | KeyboardInterrupt):
        return "cancelled"
    return "internal." + type(error).__name__


# --- configuration -----------------------------------------------------------------------------

_override_enabled: bool | None = None
_override_path: Path | None = None


def configure(*, enabled: bool | None = None, path: str | Path | None = None) -> None:
    """Turn the log on or off, or move it, for this process (``None`` leaves a setting as is).

    Takes precedence over ``SUMMARIZER_LOG`` and ``SUMMARIZER_LOG_PATH``.
    """
    global _override_enabled, _override_path
    if enabled is not None:
        _override_enabled = enabled
    if path is not None:
        _override_path = Path(path).expanduser()


def reset_configuration() -> None:
    """Back to the environment's settings (for tests and long-lived embedders)."""
    global _override_enabled, _override_path
    _override_enabled = None
    _override_path = None


def log_enabled() -> bool:
    """Whether calls are logged: ``configure(enabled=)``, else ``SUMMARIZER_LOG``.

    A value that is neither an on nor an off word is a ``ConfigError``: a misspelt off switch
    (``SUMMARIZER_LOG=offf``) must not leave prompts and answers being written.
    """
    if _override_enabled is not None:
        return _override_enabled
    return env_switch(ENV_SWITCH, default=True)


def default_log_path() -> Path:
    return Path(user_data_dir("summarizer", appauthor=False)) / "calls.db"


def log_path() -> Path:
    """Where calls are logged now: ``configure(path=)``, ``$SUMMARIZER_LOG_PATH``, the default."""
    if _override_path is not None:
        return _override_path
    return _path_from_environment(os.environ.get(ENV_PATH, ""))


@functools.lru_cache(maxsize=8)
def _path_from_environment(configured: str) -> Path:
    """The path ``$SUMMARIZER_LOG_PATH`` names (asked for every call: made once per value)."""
    configured = configured.strip()
    return Path(configured).expanduser() if configured else default_log_path()


# --- the writer --------------------------------------------------------------------------------

_STOP = object()

#: What the writer's queue holds: a call to write (with its path and context), ``_STOP``, or a
#: ``threading.Event`` that ``flush`` waits on (set once everything queued before it is written).
_Item = Any


@dataclass(frozen=True)
class _InvalidAnswer:
    """A queued note that the answer of call ``call_id`` failed validation."""

    path: Path
    call_id: str
    reason: str


class _Writer:
    """One daemon thread per process that writes recorded calls in batched transactions.

    ``put`` only appends to a deque (atomic, no lock) and sets an event when the writer is
    asleep; the writer then lets calls gather for ``WRITE_LINGER`` seconds (less when
    ``WRITE_BATCH`` are queued, or on ``flush``/``stop``) and writes all of them. So under load
    the thread wakes a few times a second, not once per call. Items carry their database path, so
    tests and embedders may move the log at any time.
    """

    def __init__(self) -> None:
        self._items: collections.deque[_Item] = collections.deque()
        #: Set when something is queued; cleared by the writer just before it drains the queue.
        self._wake = threading.Event()
        #: Set to cut the gathering short (a full batch, a flush, stopping).
        self._hurry = threading.Event()
        #: The first write problem (the log never breaks a run: rows that cannot be written are
        #: dropped and this says why).
        self.failed: str | None = None
        #: Paths already warned about on stderr (once each: a broken log must not flood it).
        self._warned: set[Path] = set()
        self._connections: dict[Path, sqlite3.Connection] = {}
        self._thread = threading.Thread(target=self._run, name="summarizer-calllog", daemon=True)
        self._thread.start()

    def put(self, path: Path, call: CallRecord, details: dict[str, Any]) -> None:
        self._enqueue((path, call, details))

    def _enqueue(self, item: _Item) -> None:
        items = self._items
        items.append(item)
        # Any item appended before the writer clears ``_wake`` is drained after that clear; one
        # appended later finds ``_wake`` clear and sets it. So no item waits for a later call.
        if not self._wake.is_set():
            self._wake.set()
        if len(items) >= WRITE_BATCH and not self._hurry.is_set():
            self._hurry.set()

    def flush(self, timeout: float) -> None:
        written = threading.Event()
        self._enqueue(written)
        self._hurry.set()
        written.wait(timeout)

    def stop(self, timeout: float) -> None:
        self._enqueue(_STOP)
        self._hurry.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        try:
            while self._drain_once():
                pass
        finally:
            for connection in self._connections.values():
                connection.close()

    def _drain_once(self) -> bool:
        """Wait for calls, let more gather, write every queued one; ``False`` once stopped."""
        self._wake.wait()
        self._hurry.wait(WRITE_LINGER)
        self._wake.clear()
        self._hurry.clear()
        batch: list[tuple[Path, CallRecord, dict[str, Any]]] = []
        items = self._items
        while items:
            item = items.popleft()
            if isinstance(item, tuple):
                batch.append(item)
                if len(batch) >= WRITE_BATCH:
                    self._write(batch)
                    batch = []
                continue
            if isinstance(item, _InvalidAnswer):  # after its call's row, which came first
                self._write(batch)
                batch = []
                self._mark(item)
                continue
            self._write(batch)
            batch = []
            if item is _STOP:
                return False
            item.set()  # a flush: everything queued before it is written
        self._write(batch)
        return True

    def _write(self, batch: list[tuple[Path, CallRecord, dict[str, Any]]]) -> None:
        if not batch:
            return
        by_path: dict[Path, list[tuple[Any, ...]]] = {}
        for path, call, details in batch:
            try:
                by_path.setdefault(path, []).append(call.row(details))
            except Exception as error:  # a row we cannot build must not stop the others
                self._problem(path, f"{type(error).__name__}: {error}")
        for path, rows in by_path.items():
            try:
                connection = self._connections.get(path)
                if connection is None:
                    connection = self._connections[path] = open_database(path)
                with connection:
                    connection.executemany(_INSERT, rows)
            except (sqlite3.Error, OSError, ConfigError) as error:
                self._problem(path, f"{type(error).__name__}: {error}")
                stale = self._connections.pop(path, None)
                if stale is not None:
                    stale.close()

    def mark(self, path: Path, call_id: str, reason: str) -> None:
        self._enqueue(_InvalidAnswer(path, call_id, reason))

    def _mark(self, item: _InvalidAnswer) -> None:
        try:
            connection = self._connections.get(item.path)
            if connection is None:
                connection = self._connections[item.path] = open_database(item.path)
            with connection:
                connection.execute(
                    "UPDATE calls SET status = ?, error_kind = ?, error_message = ? WHERE id = ?",
                    (INVALID_STATUS, INVALID_KIND, redact(item.reason), item.call_id),
                )
        except (sqlite3.Error, OSError, ConfigError) as error:
            self._problem(item.path, f"{type(error).__name__}: {error}")

    def _problem(self, path: Path, reason: str) -> None:
        """Remember the first problem (``write_problem``) and say it once per path on stderr:
        the log never stops a run, but a user who counts on it must learn that it is not kept."""
        self.failed = self.failed or reason
        if path in self._warned:
            return
        self._warned.add(path)
        line = " ".join(
            f"summarizer: warning: cannot write the call log {path} ({redact(reason)}); model "
            "calls are not being logged (choose another --log-path or SUMMARIZER_LOG_PATH, or "
            f"turn the log off with {ENV_SWITCH}=0)".split()
        )
        with contextlib.suppress(Exception):  # no stderr (closed, detached): nothing to tell
            sys.stderr.write(line + "\n")
            sys.stderr.flush()


_INSERT = (
    f"INSERT OR REPLACE INTO calls ({', '.join(_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _COLUMNS)})"
)

_writer_instance: _Writer | None = None
_writer_lock = threading.Lock()


def _writer() -> _Writer:
    global _writer_instance
    with _writer_lock:
        if _writer_instance is None:
            _writer_instance = _Writer()
        return _writer_instance


def _forget_writer_in_child() -> None:
    """A forked child has no writer thread: it starts its own on first use."""
    global _writer_instance
    _writer_instance = None


os.register_at_fork(after_in_child=_forget_writer_in_child)


def record(call: CallRecord) -> str | None:
    """Queue one finished call for writing; its id (also added to the ``call_context``), or
    ``None`` when the log is off."""
    if not log_enabled():
        return None
    context = _CONTEXT.get()
    if context is not None:
        context.call_ids.append(call.id)
    _writer().put(log_path(), call, context.details if context is not None else {})
    return call.id


def mark_invalid(call_id: str | None, reason: str) -> None:
    """The answer of the logged call ``call_id`` failed validation: its row gets the status
    ``"invalid"`` and ``error_kind`` ``"model_output.invalid"`` (the HTTP call itself succeeded,
    so it was logged ``"ok"``). ``CallQuery(status="error")`` finds such calls too."""
    if call_id is None or not log_enabled():
        return
    _writer().mark(log_path(), call_id, reason)


def flush(timeout: float = 10.0) -> None:
    """Wait until every queued call is written (reading right after calling, tests, exit)."""
    if _writer_instance is not None:
        _writer_instance.flush(timeout)


def write_problem() -> str | None:
    """Why some calls could not be written, if any could not (``None``: all written)."""
    return _writer_instance.failed if _writer_instance is not None else None


@atexit.register
def _flush_at_exit() -> None:
    if _writer_instance is not None:
        _writer_instance.stop(timeout=10.0)


def open_database(path: Path) -> sqlite3.Connection:
    """The log database at ``path``, created with its schema when missing."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, timeout=10.0, check_same_thread=False)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.executescript(_SCHEMA)
    except (sqlite3.Error, OSError) as error:
        raise ConfigError(f"cannot open the call log {path}: {error}") from None
    connection.row_factory = sqlite3.Row
    return connection


# --- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallQuery:
    """Which calls ``CallLog.calls`` returns (every filter optional; newest first)."""

    model: str | None = None
    status: str | None = None
    error_kind: str | None = None
    since: datetime | None = None
    search: str | None = None
    limit: int | None = 20


class CallLog:
    """Reads a call log database (``summarizer logs``)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or log_path()
        if not self.path.exists():
            raise ConfigError(
                f"no call log at {self.path} yet (calls are logged there unless "
                f"{ENV_SWITCH}=0; another file: --path or ${ENV_PATH})"
            )
        self._connection = open_database(self.path)

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> CallLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def count(self) -> int:
        return int(self._connection.execute("SELECT count(*) FROM calls").fetchone()[0])

    def calls(self, query: CallQuery | None = None) -> list[dict[str, Any]]:
        """Calls matching ``query``, newest first, as dicts (JSON columns decoded)."""
        query = query or CallQuery()
        where: list[str] = []
        args: list[Any] = []
        if query.model:
            where.append("(model = ? OR served_model = ?)")
            args += [query.model, query.model]
        if query.status == "error":  # an answer that failed validation is a failed call too
            where.append("status IN (?, ?)")
            args += ["error", INVALID_STATUS]
        elif query.status:
            where.append("status = ?")
            args.append(query.status)
        if query.error_kind:
            where.append("(error_kind = ? OR error_kind LIKE ?)")
            args += [query.error_kind, query.error_kind + ".%"]
        if query.since:
            since = query.since if query.since.tzinfo else query.since.replace(tzinfo=UTC)
            where.append("started_at >= ?")
            args.append(since.astimezone(UTC).isoformat(timespec="milliseconds"))
        if query.search:
            pattern = "%" + query.search.replace("\\", "\\\\").replace("%", "\\%") + "%"
            pattern = pattern.replace("_", "\\_")
            where.append(
                "(messages LIKE ? ESCAPE '\\' OR answer LIKE ? ESCAPE '\\' "
                "OR error_message LIKE ? ESCAPE '\\')"
            )
            args += [pattern, pattern, pattern]
        sql = "SELECT * FROM calls"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY started_at DESC, id DESC"
        if query.limit:
            sql += " LIMIT ?"
            args.append(query.limit)
        return [_decode(row) for row in self._connection.execute(sql, args)]

    def get(self, call_id: str) -> dict[str, Any]:
        """One call by id, unique id prefix, or ``last`` (an ``InputError``, exit 2, when none or
        several match: the id given is what is wrong)."""
        if call_id == "last":
            newest = self.calls(CallQuery(limit=1))
            if not newest:
                raise InputError(f"the call log {self.path} has no calls yet")
            return newest[0]
        pattern = call_id.replace("%", "").replace("_", "") + "%"
        rows = self._connection.execute(
            "SELECT * FROM calls WHERE id LIKE ? ORDER BY id LIMIT 2", (pattern,)
        ).fetchall()
        if not rows or not call_id:
            raise InputError(f"no call {call_id!r} in the call log {self.path}")
        if len(rows) > 1 and rows[0]["id"] != call_id:
            raise InputError(f"call id prefix {call_id!r} matches several calls; give more of it")
        return _decode(rows[0])


def _decode(row: sqlite3.Row) -> dict[str, Any]:
    values = dict(row)
    for name in _JSON_COLUMNS:
        text = values.get(name)
        values[name] = json.loads(text) if text else None
    return values
