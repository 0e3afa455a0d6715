"""The service's only imports from batch internals (prices, today); one place to fix on a move.

The batch package is being reorganised (issue 8); everything the service needs from it passes
through here, so that a moved module changes this file and nothing else.
"""

from __future__ import annotations

from summarizer.pricing import PriceTable, load_prices
from summarizer.schema import TokenUsage


class CostAccountant:
    """Estimated USD cost of one result's token usage (None when the model has no known price)."""

    def __init__(self, prices: PriceTable | None = None) -> None:
        self._prices = prices or load_prices()

    def cost(self, model: str | None, usage: TokenUsage) -> float | None:
        return self._prices.cost(model, usage)
