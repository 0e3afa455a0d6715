"""The one place a finished record becomes a result line and its usage becomes cost.

Both ways of summarizing many articles, the online runner (``runner``) and the Batch API ingest
(``batch_api``), hand every outcome to a ``ResultWriter``, which builds the line, counts it in the
run's ``BatchStats`` and sends it to the journal (or keeps it in memory), and every summary's
usage to a ``CostAccountant``, which prices it (at the Batch API discount when it came that way).

A result line is ``{"id", "status": "ok", ["metadata"], "cached", ["via"], "result"}`` or
``{"id", "status": "error", ["record"], ["metadata"], "error": {"kind", "message"}}``; ``record``
("line 12") appears only when the record had no usable id, and messages are redacted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from summarizer.batch.journal import OutputJournal
from summarizer.batch.pricing import PriceTable
from summarizer.batch.records import Article
from summarizer.batch.stats import BatchStats, ProgressCallback
from summarizer.config import redact
from summarizer.errors import SummarizerError
from summarizer.schema import ArticleSummary, AttemptRecord, TokenUsage

#: Called with every result line as it is written (in completion order).
ResultCallback = Callable[[dict[str, Any]], None]


def ok_line(
    article: Article, result: Mapping[str, Any], *, cached: bool, via: str | None = None
) -> dict[str, Any]:
    line: dict[str, Any] = {"id": article.id, "status": "ok"}
    if article.metadata:
        line["metadata"] = dict(article.metadata)
    line["cached"] = cached
    if via is not None:
        line["via"] = via
    line["result"] = dict(result)
    return line


def error_line(
    identifier: str | None, record: str, error: SummarizerError, metadata: Mapping[str, Any]
) -> dict[str, Any]:
    line: dict[str, Any] = {"id": identifier, "status": "error"}
    if identifier is None:
        line["record"] = record
    if metadata:
        line["metadata"] = dict(metadata)
    line["error"] = error_detail(error)
    return line


def error_detail(error: SummarizerError) -> dict[str, Any]:
    """The ``error`` object of a failed line: what the CLI, the eval reports and the service show.

    ``kind`` and the redacted ``message`` always; ``problems`` (validation problems after the last
    re-ask) and ``attempts`` (the ledger: one ``AttemptRecord`` per call) when the error has them.
    """
    detail: dict[str, Any] = {"kind": error.kind, "message": redact(str(error))}
    problems = getattr(error, "problems", None)
    if problems:
        detail["problems"] = [redact(str(problem)) for problem in problems]
    if error.attempts:
        detail["attempts"] = [attempt.model_dump(mode="json") for attempt in error.attempts]
    if error.call_ids:
        detail["call_ids"] = list(error.call_ids)
    return detail


class ResultWriter:
    """Writes result lines to the journal (or keeps them in ``results``) and counts them."""

    def __init__(
        self,
        stats: BatchStats,
        *,
        journal: OutputJournal | None = None,
        on_result: ResultCallback | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        self.stats = stats
        self.journal = journal
        self.on_result = on_result
        self.on_progress = on_progress
        #: The lines written, when there is no journal to hold them.
        self.results: list[dict[str, Any]] = []

    def ok(
        self,
        article: Article,
        result: Mapping[str, Any],
        *,
        cached: bool,
        via: str | None = None,
    ) -> None:
        self.stats.ok += 1
        self.stats.cached += cached
        self._emit(ok_line(article, result, cached=cached, via=via))

    def error(
        self,
        identifier: str | None,
        record: str,
        error: SummarizerError,
        metadata: Mapping[str, Any],
    ) -> None:
        self.stats.failed += 1
        self.stats.errors_by_kind[error.kind] += 1
        self._emit(error_line(identifier, record, error, metadata))

    def _emit(self, line: dict[str, Any]) -> None:
        if self.journal is not None:
            self.journal.write(line)
        else:
            self.results.append(line)
        if self.on_result is not None:
            self.on_result(line)
        if self.on_progress is not None:
            self.on_progress(self.stats)


class CostAccountant:
    """Adds each summary's token usage and its price to the run's stats."""

    def __init__(self, prices: PriceTable, stats: BatchStats) -> None:
        self.prices = prices
        self.stats = stats

    def add(self, summary: ArticleSummary, *, batch_api: bool = False) -> None:
        usage = summary.meta.usage
        self.stats.usage = self.stats.usage + usage
        if not usage.total_tokens:
            return  # nothing was spent (offline engine, cached answer): nothing to price
        self._price(summary.meta.model, usage, batch_api=batch_api)

    def add_failed(self, attempts: list[AttemptRecord], model: str | None) -> None:
        """A failed article's spend: its attempts' usage (a truncated or invalid answer was
        generated, and billed, all the same), priced as ``model`` (the engine's)."""
        usage = sum((attempt.usage for attempt in attempts), TokenUsage())
        if not usage.total_tokens:
            return
        self.stats.usage = self.stats.usage + usage
        self._price(model, usage, batch_api=False)

    def _price(self, model: str | None, usage: TokenUsage, *, batch_api: bool) -> None:
        cost = self.prices.cost(model, usage, batch_api=batch_api)
        if cost is None:
            self.stats.unpriced_models.add(model or "(unknown model)")
        else:
            self.stats.cost_usd += cost


__all__ = [
    "CostAccountant",
    "ResultCallback",
    "ResultWriter",
    "error_detail",
    "error_line",
    "ok_line",
]
