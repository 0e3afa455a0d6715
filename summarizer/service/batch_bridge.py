"""The service's only imports from batch internals (prices, JSONL records); one place to fix.

The batch package is still settling (issue 8); everything the service needs from it passes
through here, so that a moved module changes this file and nothing else.
"""

from __future__ import annotations

import io
from typing import Any

from summarizer.batch.pricing import PriceTable, load_prices
from summarizer.batch.records import (
    OPTIONS_KEY,
    BadRecord,
    per_record_options_message,
    read_jsonl,
)
from summarizer.schema import TokenUsage

__all__ = ["OPTIONS_KEY", "CostAccountant", "jsonl_records", "per_record_options_message"]


class CostAccountant:
    """Estimated USD cost of one result's token usage (None when the model has no known price)."""

    def __init__(self, prices: PriceTable | None = None) -> None:
        self._prices = prices or load_prices()

    def cost(self, model: str | None, usage: TokenUsage) -> float | None:
        return self._prices.cost(model, usage)


def jsonl_records(raw: bytes) -> list[tuple[str, dict[str, Any]]]:
    """The ``{id, text, ...metadata}`` records of a JSONL body with where each is (``line N``),
    read as ``summarizer batch`` reads its input; the first bad line raises its ``RecordError``
    (the whole upload is refused)."""
    records: list[tuple[str, dict[str, Any]]] = []
    for record in read_jsonl(io.BytesIO(raw)):
        if isinstance(record, BadRecord):
            raise record.error
        records.append((record.record, {**record.metadata, "id": record.id, "text": record.text}))
    return records
