"""Run the OpenAI engine once on an article, as the library does, for tests that script answers."""

from __future__ import annotations

import asyncio

from summarizer.config import ModelConfig
from summarizer.engines.openai import OpenAIEngine
from summarizer.schema import ArticleSummary
from summarizer.text import analyze, prepare


def run(config: ModelConfig, text: str, year_hint: int | None = None) -> ArticleSummary:
    """Prepare and analyze ``text``, then summarize it with a fresh engine that is closed after."""
    engine = OpenAIEngine(config, year_hint=year_hint)
    document = prepare(text)

    async def go() -> ArticleSummary:
        try:
            return await engine.summarize(document, analyze(document, thorough=False))
        finally:
            await engine.aclose()

    return asyncio.run(go())
