"""The library's front door: ``summarize``, ``asummarize`` and engine selection.

One implementation, written async; the sync call wraps it. Input goes through text handling
(decode, repair, normalize, analyze) exactly once, then to an engine.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, Literal, TypeVar

from summarizer.config import ModelConfig
from summarizer.engines.base import Engine
from summarizer.errors import ConfigError, NoModelConfiguredError
from summarizer.schema import ArticleSummary
from summarizer.text import analyze, prepare
from summarizer.text.document import Analysis, Document

EngineChoice = Literal["auto", "offline", "openai"]
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
    """
    if engine is not None and not isinstance(engine, str):
        return engine
    choice = engine or "auto"
    if choice == "offline":
        return _offline_engine()
    config = ModelConfig.resolve(model=model, base_url=base_url, api_key=api_key, **options)
    if choice == "openai" or (choice == "auto" and config is not None):
        if config is None:
            config = ModelConfig.require(model=model, base_url=base_url, api_key=api_key, **options)
        from summarizer.engines.openai import OpenAIEngine

        return OpenAIEngine(config)
    if choice == "auto":
        return _offline_engine()
    raise ConfigError(f"unknown engine {choice!r}; use auto, offline or openai")


def _offline_engine() -> Engine:
    from summarizer.engines.offline import OfflineEngine

    return OfflineEngine()


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
    document, analysis = prepare_article(text, thorough=chosen.thorough_analysis)
    return await chosen.summarize(document, analysis)


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
    says in ``meta.status`` what it could not do. ``options`` are ``ModelConfig`` fields
    (``capability``, ``max_reasks``, ``deadline``, ...).
    """
    return run_sync(
        asummarize(text, engine=engine, model=model, base_url=base_url, api_key=api_key, **options)
    )


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine from sync code; inside a running event loop, say to use the async form."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    coroutine.close()
    raise RuntimeError(
        "summarize() was called inside a running event loop; await asummarize() instead"
    )


__all__ = [
    "NoModelConfiguredError",
    "asummarize",
    "get_engine",
    "prepare_article",
    "run_sync",
    "summarize",
]
