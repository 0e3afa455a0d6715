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
import threading
import weakref
from collections.abc import Coroutine
from typing import Any, TypeVar

from summarizer.config import ModelConfig
from summarizer.engines.base import ENGINE_CHOICES, Engine, EngineChoice
from summarizer.errors import ConfigError, NoModelConfiguredError
from summarizer.schema import ArticleSummary
from summarizer.text import analyze, prepare
from summarizer.text.document import Analysis, Document

T = TypeVar("T")


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
        OfflineEngine.Options.parse(options)
        return OfflineEngine()
    checked = OpenAIEngine.Options.parse(options)
    config = ModelConfig.resolve(model=model, base_url=base_url, api_key=api_key)
    if config is None and choice == "auto":
        return OfflineEngine()
    if config is None:
        config = ModelConfig.require(model=model, base_url=base_url, api_key=api_key)
    return OpenAIEngine.from_options(config, checked)


def prepare_article(
    text: str | bytes, *, thorough: bool = True, source_name: str | None = None
) -> tuple[Document, Analysis]:
    """Decode, repair, normalize and analyze one article (raises ``InputError`` when unusable).

    ``thorough=False`` gives the fast hints analysis that model engines need (see
    ``Engine.thorough_analysis``).
    """
    document = prepare(text, source_name=source_name)
    return document, analyze(document, thorough=thorough)


async def asummarize(
    text: str | bytes,
    *,
    engine: Engine | EngineChoice | None = "auto",
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    **options: Any,
) -> ArticleSummary:
    """Summarize and translate one article. See ``summarize``."""
    chosen = get_engine(engine, model=model, base_url=base_url, api_key=api_key, **options)
    try:
        document, analysis = prepare_article(text, thorough=chosen.thorough_analysis)
        return await chosen.summarize(document, analysis)
    finally:
        if chosen is not engine:  # made for this call: release its connections now
            close = getattr(chosen, "aclose", None)
            if close is not None:
                await close()


def summarize(
    text: str | bytes,
    *,
    engine: Engine | EngineChoice | None = "auto",
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    **options: Any,
) -> ArticleSummary:
    """Summarize and translate one article into a validated ``ArticleSummary``.

    ``text`` may be a ``str`` or raw ``bytes`` (UTF-8, GB18030/GBK, Big5, with or without BOM, plain
    text or HTML). The model comes from the arguments, else from ``SUMMARIZER_MODEL``,
    ``OPENAI_BASE_URL`` and ``OPENAI_API_KEY``; with none configured, the offline engine runs and
    says in ``meta.status`` what it could not do. ``options`` tune the engine (``prompt_version``,
    ``few_shot``, ``capability``, ``max_reasks``, ``deadline``, ...; see ``get_engine``).
    """
    return run_sync(
        asummarize(text, engine=engine, model=model, base_url=base_url, api_key=api_key, **options)
    )


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine from sync code on this thread's event loop.

    Inside a running event loop this is an error (a sync call there would block the loop): the
    message says to use the async form.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _thread_runner().run(coroutine)
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
    "asummarize",
    "get_engine",
    "prepare_article",
    "run_sync",
    "summarize",
]
