"""The library's front door: ``summarize``, ``asummarize`` and engine selection.

One implementation, written async; the sync call wraps it. Input goes through text handling
(decode, repair, normalize, analyze) exactly once, then to an engine.

Sync calls run on one ``asyncio.Runner`` per thread (``run_sync``), not a new ``asyncio.run`` each:
an engine's connections then belong to one loop for the thread's life and are reused from call to
call, so nothing has to track loops or close connections when a loop ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import os
import threading
import time
import warnings
import weakref
from collections.abc import Coroutine
from typing import Any, TypeVar

from summarizer.config import HOW_TO_CONFIGURE, ModelConfig
from summarizer.engines.base import ENGINE_CHOICES, Engine, EngineChoice
from summarizer.errors import (
    ConfigError,
    InputError,
    InputTooLargeError,
    NoModelConfiguredError,
    OfflineFallbackWarning,
)
from summarizer.schema import ArticleSummary
from summarizer.text import analyze, prepare
from summarizer.text.document import Analysis, Checkpoint, Document, run_to_end
from summarizer.text.warmup import text_tools_warm, warm_up_text_tools

T = TypeVar("T")

#: Articles longer than this (characters) are refused unless the caller raises the limit: text
#: handling is linear, but a model call over megabytes of text is almost never what was meant.
DEFAULT_MAX_INPUT_CHARS = 2_000_000


def get_engine(
    engine: Engine | EngineChoice | None = "auto",
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    **options: Any,
) -> Engine:
    """The engine to use: the one given, or resolved from arguments and environment.

    ``"auto"`` picks the OpenAI-compatible engine when an endpoint is configured, else offline.
    ``"openai"`` without a configuration raises ``NoModelConfiguredError`` saying how to set one.
    ``options`` are checked against the chosen engine's ``Options`` (``OpenAIEngine.Options``:
    ``prompt_version``, ``few_shot``, ``max_reasks``, ``capability``, ``deadline``, ...): an unknown
    or invalid one is a ``ConfigError`` naming the valid options, whether or not an endpoint is
    configured. The offline engine accepts the same names and has no use for them.
    """
    from summarizer.engines.offline import OfflineEngine
    from summarizer.engines.openai import OpenAIEngine

    if engine is not None and not isinstance(engine, str):
        if options:
            raise ConfigError(
                f"options ({', '.join(sorted(options))}) cannot be applied to an engine instance; "
                "pass them when constructing the engine"
            )
        return engine
    choice = engine or "auto"
    if choice not in ENGINE_CHOICES:
        raise ConfigError(f"unknown engine {choice!r}; use one of {', '.join(ENGINE_CHOICES)}")
    if choice == "offline":
        return OfflineEngine.from_options(OfflineEngine.Options.parse(options))
    checked = OpenAIEngine.Options.parse(options)
    config = ModelConfig.resolve(model=model, base_url=base_url, api_key=api_key)
    if config is None and choice == "auto":
        return OfflineEngine.from_options(checked)
    if config is None:
        config = ModelConfig.require(model=model, base_url=base_url, api_key=api_key)
    return OpenAIEngine.from_options(config, checked)


def prepare_article(
    text: str | bytes,
    *,
    thorough: bool = True,
    source_name: str | None = None,
    max_input_chars: int | None = None,
    year_hint: int | None = None,
    checkpoint: Checkpoint = run_to_end,
) -> tuple[Document, Analysis]:
    """Decode, repair, normalize and analyze one article (raises ``InputError`` when unusable).

    ``thorough=False`` gives the fast hints analysis that model engines need (see
    ``Engine.thorough_analysis``). An article longer than ``max_input_chars`` (default
    ``$SUMMARIZER_MAX_INPUT_CHARS``, else ``DEFAULT_MAX_INPUT_CHARS``) is refused at once with an
    ``InputTooLargeError``, before any text handling. ``year_hint`` (the publication year) gives
    dates written without a year (12月13日, 明年) their year; a ``ConfigError`` unless it is a
    four-digit year. ``checkpoint`` is called all along the text handling with what it is doing
    (per paragraph and per repaired run, at most a few milliseconds apart); whatever it raises
    stops the work, e.g. ``summarizer.engines.deadline.deadline_checkpoint(engine)``, which
    raises ``DeadlineExceededError`` once the article's deadline has passed.
    """
    hint = checked_year_hint(year_hint)
    check_input_size(text, max_input_chars)
    document = prepare(text, source_name=source_name, checkpoint=checkpoint)
    return document, analyze(document, thorough=thorough, year_hint=hint, checkpoint=checkpoint)


def checked_year_hint(year_hint: object) -> int | None:
    """``year_hint`` checked as the engines' ``year_hint`` option is (a ``ConfigError`` if not),
    in words that fit every engine (the offline one too)."""
    from summarizer.engines.options import MAX_YEAR_HINT, MIN_YEAR_HINT

    return _whole_number(
        "year_hint", year_hint, MIN_YEAR_HINT, MAX_YEAR_HINT, "a four-digit year such as 2024"
    )


def checked_max_input_chars(max_input_chars: object) -> int | None:
    """``max_input_chars`` as given (None: the default applies), or a ``ConfigError``: ``True``
    or ``2.5`` is not a length, however Python would compare it."""
    return _whole_number(
        "max_input_chars", max_input_chars, 1, None, "a positive whole number of characters"
    )


def _whole_number(name: str, value: object, low: int, high: int | None, what: str) -> int | None:
    if value is None:
        return None
    if (
        type(value) is not int  # a bool (or an int subclass) is no count
        or value < low
        or (high is not None and value > high)
    ):
        raise ConfigError(f"{name} must be {what} (got {value!r:.40})")
    return value


def check_input_size(text: str | bytes, max_input_chars: int | None = None) -> None:
    """Refuse an article longer than the limit, cheaply (bytes are not decoded to count).

    Also the first check of every entry point: anything but ``str``/``bytes`` is an ``InputError``.
    """
    if not isinstance(text, str | bytes):
        hint = ""
        if isinstance(text, os.PathLike):
            hint = ": pass the file's contents, e.g. path.read_bytes()"
        elif isinstance(text, bytearray | memoryview):
            hint = ": pass bytes(text)"
        raise InputError(f"text must be str or bytes, got {type(text).__name__}{hint}")
    limit = checked_max_input_chars(max_input_chars)
    if limit is None:
        configured = os.environ.get("SUMMARIZER_MAX_INPUT_CHARS", "").strip()
        try:
            limit = int(configured) if configured else DEFAULT_MAX_INPUT_CHARS
        except ValueError:
            limit = 0
        if limit < 1:
            raise ConfigError(
                "SUMMARIZER_MAX_INPUT_CHARS must be a positive whole number "
                f"(got {configured[:20]!r})"
            )
    if len(text) <= limit:  # bytes: never fewer than characters
        return
    if isinstance(text, bytes):
        # At most 4 bytes a character in UTF-8 and GB18030: far over the limit needs no decoding;
        # near it, UTF-8 text is counted exactly.
        if len(text) > 4 * limit:
            size = len(text) // 3  # UTF-8 CJK: three bytes a character
        else:
            try:
                size = len(text.decode("utf-8"))
            except UnicodeDecodeError:
                size = len(text) // 2  # GBK/Big5: two bytes a Han character
        if size <= limit:
            return
    else:
        size = len(text)
    raise InputTooLargeError(
        f"the article has about {size:,} characters, more than max_input_chars={limit:,}; "
        "split it, or raise the limit with --max-input-chars (SUMMARIZER_MAX_INPUT_CHARS, "
        "or max_input_chars= in summarize())"
    )


async def asummarize(
    text: str | bytes,
    *,
    engine: Engine | EngineChoice | None = "auto",
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    max_input_chars: int | None = None,
    year_hint: int | None = None,
    **options: Any,
) -> ArticleSummary:
    """Summarize and translate one article. See ``summarize``."""
    hint = checked_year_hint(year_hint)
    check_input_size(text, max_input_chars)
    chosen = _engine_for_call(engine, model=model, base_url=base_url, api_key=api_key, **options)
    if not text_tools_warm():  # seconds once per process: off the event loop
        await asyncio.to_thread(warm_up_text_tools)
    started = _article_starts()
    return await _summarize_with(
        text,
        chosen,
        owned=chosen is not engine,
        max_input_chars=max_input_chars,
        started=started,
        year_hint=hint,
    )


def summarize(
    text: str | bytes,
    *,
    engine: Engine | EngineChoice | None = "auto",
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    max_input_chars: int | None = None,
    year_hint: int | None = None,
    **options: Any,
) -> ArticleSummary:
    """Summarize and translate one article into a validated ``ArticleSummary``.

    ``text`` may be a ``str`` or raw ``bytes`` (UTF-8, GB18030/GBK, Big5, with or without BOM, plain
    text or HTML). The model comes from the arguments, else from ``SUMMARIZER_MODEL``,
    ``OPENAI_BASE_URL`` and ``OPENAI_API_KEY``; with none configured, the offline engine runs, an
    ``OfflineFallbackWarning`` says so, and ``meta.status`` says what it could not do (e.g. no
    translation: ``result.translation`` is ``None``). ``options`` tune the engine
    (``prompt_version``, ``few_shot``, ``capability``, ``max_reasks``, ``deadline``, ...; see
    ``get_engine``). The ``deadline`` covers the whole call, text preparation included.
    ``year_hint`` (the publication year, e.g. 2024) dates what the article writes without a year
    (12月13日, 明年); without it the year comes from nearby full dates in the text, else those
    dates stay null with a ``date_year_unknown`` warning.
    """
    hint = checked_year_hint(year_hint)
    check_input_size(text, max_input_chars)
    chosen = _engine_for_call(engine, model=model, base_url=base_url, api_key=api_key, **options)
    started = _article_starts()
    return run_sync(
        _summarize_with(
            text,
            chosen,
            owned=chosen is not engine,
            max_input_chars=max_input_chars,
            started=started,
            year_hint=hint,
        )
    )


def _article_starts() -> float:
    """The moment the article's deadline starts: after the process's one-time loading (the
    engine's modules, the text tools), which is no work on this article."""
    warm_up_text_tools()
    return time.monotonic()


def _engine_for_call(
    engine: Engine | EngineChoice | None, *, model: str | None, **arguments: Any
) -> Engine:
    """``get_engine``, plus an ``OfflineFallbackWarning`` (pointing at the caller's line) when
    ``auto`` found no model and fell back to the offline engine."""
    chosen = get_engine(engine, model=model, **arguments)
    if engine in (None, "auto") and chosen.name == "offline":
        warnings.warn(
            "no model is configured, so the offline engine ran: it extracts but does not write a "
            "headline, abstract or translation (result.translation is None). To use a model, "
            f"{HOW_TO_CONFIGURE.replace('--model/--base-url', 'model=/base_url=')}; to silence "
            "this, pass engine='offline' or filter summarizer.OfflineFallbackWarning",
            OfflineFallbackWarning,
            stacklevel=3,
        )
    return chosen


async def _summarize_with(
    text: str | bytes,
    chosen: Engine,
    *,
    owned: bool,
    max_input_chars: int | None = None,
    started: float | None = None,
    year_hint: int | None = None,
) -> ArticleSummary:
    """Prepare and summarize; the article's deadline runs from ``started`` (the call's entry)."""
    from summarizer.engines.deadline import article_clock, deadline_checkpoint

    try:
        with article_clock(started):
            document, analysis = prepare_article(
                text,
                thorough=chosen.thorough_analysis,
                max_input_chars=max_input_chars,
                year_hint=year_hint,
                checkpoint=deadline_checkpoint(chosen),
            )
            return await chosen.summarize(document, analysis)
    finally:
        if owned:  # made for this call: release its connections now
            close = getattr(chosen, "aclose", None)
            if close is not None:
                await close()


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine from sync code on this thread's event loop.

    Inside a running event loop this is an error (a sync call there would block the loop): the
    message says to use the async form. Each call runs in a copy of the caller's context, so
    context variables (an article's deadline clock) neither miss the call nor outlive it: the
    thread's runner would otherwise keep the context of its first call.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _thread_runner().run(coroutine, context=contextvars.copy_context())
    coroutine.close()
    raise RuntimeError(
        "summarize() was called inside a running event loop; await asummarize() instead"
    )


class _RunnerHolder:
    """This thread's runner; closed when the thread ends (or at interpreter exit)."""

    def __init__(self) -> None:
        self.runner = asyncio.Runner()
        weakref.finalize(self, _close_runner, self.runner)


def _close_runner(runner: asyncio.Runner) -> None:
    with contextlib.suppress(Exception):
        runner.close()


_thread_state = threading.local()


def _thread_runner() -> asyncio.Runner:
    holder: _RunnerHolder | None = getattr(_thread_state, "holder", None)
    if holder is None:
        holder = _thread_state.holder = _RunnerHolder()
    return holder.runner


__all__ = [
    "NoModelConfiguredError",
    "OfflineFallbackWarning",
    "asummarize",
    "get_engine",
    "prepare_article",
    "run_sync",
    "summarize",
]
