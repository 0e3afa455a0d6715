"""Token prices and cost estimates.

Prices are package data (``summarizer/batch/prices.toml``, USD per million tokens) that a user can
extend or override with a file of the same shape (``--prices FILE`` or ``SUMMARIZER_PRICES``).
A cost is only ever an estimate: providers change prices, and an unknown model has no cost rather
than a made-up one.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from summarizer.errors import ConfigError
from summarizer.schema import TokenUsage

PRICES_ENV = "SUMMARIZER_PRICES"


@dataclass(frozen=True)
class Price:
    """USD per million tokens."""

    input: float
    output: float
    cached_input: float | None = None

    def cost(self, usage: TokenUsage, *, discount: float = 1.0) -> float:
        return (
            discount
            * (usage.prompt_tokens * self.input + usage.completion_tokens * self.output)
            / 1_000_000
        )


@dataclass(frozen=True)
class PriceTable:
    prices: dict[str, Price]
    batch_discount: float = 0.5

    def price_for(self, model: str | None) -> Price | None:
        """The exact model's price, else the longest key the model name starts with, else None."""
        if not model:
            return None
        if model in self.prices:
            return self.prices[model]
        prefixes = [key for key in self.prices if model.startswith(key)]
        return self.prices[max(prefixes, key=len)] if prefixes else None

    def cost(
        self, model: str | None, usage: TokenUsage, *, batch_api: bool = False
    ) -> float | None:
        """Estimated USD cost of ``usage`` on ``model``; None when the model has no known price."""
        price = self.price_for(model)
        if price is None:
            return None
        return price.cost(usage, discount=self.batch_discount if batch_api else 1.0)


def load_prices(
    extra: str | Path | None = None, *, environ: dict[str, str] | None = None
) -> PriceTable:
    """The shipped table, updated by ``extra`` (or the file named by ``SUMMARIZER_PRICES``)."""
    env = os.environ if environ is None else environ
    shipped = resources.files("summarizer.batch").joinpath("prices.toml").read_text("utf-8")
    table = _parse(tomllib.loads(shipped), "the shipped price table")
    override = extra or env.get(PRICES_ENV)
    if not override:
        return table
    path = Path(override)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except OSError as error:
        raise ConfigError(f"cannot read the price file {path}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"the price file {path} is not valid TOML: {error}") from None
    extra_table = _parse(data, str(path))
    return PriceTable(
        prices={**table.prices, **extra_table.prices},
        batch_discount=(
            extra_table.batch_discount
            if "batch_discount" in data.get("defaults", {})
            else table.batch_discount
        ),
    )


def _parse(data: dict[str, Any], where: str) -> PriceTable:
    prices: dict[str, Price] = {}
    models = data.get("models", {})
    if not isinstance(models, dict):
        raise ConfigError(f"{where}: [models] must be a table of model names")
    for name, entry in models.items():
        try:
            prices[name] = Price(
                input=float(entry["input"]),
                output=float(entry["output"]),
                cached_input=(
                    float(entry["cached_input"]) if entry.get("cached_input") is not None else None
                ),
            )
        except (KeyError, TypeError, ValueError):
            raise ConfigError(
                f'{where}: model {name!r} needs numeric "input" and "output" prices '
                "(USD per million tokens)"
            ) from None
    discount = float(data.get("defaults", {}).get("batch_discount", 0.5))
    return PriceTable(prices=prices, batch_discount=discount)
