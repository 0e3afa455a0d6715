"""The ``Engine`` protocol: the seam between the library's front (API, batch, eval) and models.

An engine turns a prepared ``Document`` (+ its ``Analysis``) into an ``ArticleSummary``. The offline
engine does it by extraction; the OpenAI-compatible engine by calling a model. Third parties can
implement the same two methods and pass their engine anywhere an engine is accepted.
"""

from __future__ import annotations

from typing import Literal, Protocol, get_args, runtime_checkable

from summarizer.schema import ArticleSummary
from summarizer.text.document import Analysis, Document

#: The engine names ``get_engine`` (and every CLI ``--engine``) accepts; spelled here only.
#: ``auto`` means the OpenAI-compatible engine when an endpoint is configured, else offline.
EngineChoice = Literal["auto", "offline", "openai"]
ENGINE_CHOICES: tuple[str, ...] = get_args(EngineChoice)


@runtime_checkable
class Engine(Protocol):
    #: Short name recorded in ``meta.engine`` ("offline", "openai", ...).
    name: str
    #: Whether the engine needs the thorough analysis (jieba POS tagging: slower, finds untitled
    #: names) or only the fast hints (glossary terms, titled people, dates) a model reads.
    thorough_analysis: bool

    async def summarize(self, document: Document, analysis: Analysis) -> ArticleSummary:
        """Summarize one prepared article. Raises ``SummarizerError`` subclasses on failure."""
        ...

    def fingerprint(self) -> dict[str, str]:
        """Everything that determines this engine's output for a given input (cache key parts).

        Must contain no secrets: it is stored in caches and reports.
        """
        ...
