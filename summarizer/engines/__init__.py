"""Engines turn a prepared article into an ``ArticleSummary``: ``offline`` (extraction, no network)
and ``openai`` (any OpenAI-compatible endpoint). See ``base.Engine`` for the protocol."""

from summarizer.engines.base import Engine

__all__ = ["Engine"]
