"""Means with bootstrap confidence intervals, and paired comparison of two runs.

Both use the percentile bootstrap with a fixed seed (reproducible reports) and numpy (10,000
resamples of a few hundred examples take milliseconds). The paired comparison resamples examples,
not runs: each resample draws example ids with replacement and takes the mean of the per-example
differences, so that the variance between examples (some articles are just harder) cancels out.

One decision rule, read off one bootstrap distribution: a difference is significant when its 95%
CI excludes 0, and the two-sided p-value is ``2 * min(P(Δ* <= 0), P(Δ* >= 0))`` over the same
resampled mean differences Δ*. The CI bounds are the k-th smallest and k-th largest resampled
means with ``k = ceil(0.025 * resamples)``, so "the CI excludes 0" and "p < 0.05" are the same
statement (a skewed difference cannot be "worse" with p = 0.11). A bound of exactly 0 does not
exclude 0; resampled means within ``ZERO_TOLERANCE`` of the largest |difference| of 0 count as 0
(float32 resampling turns a resample whose differences cancel into -9e-10, not 0).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any, Literal

import numpy as np

DEFAULT_RESAMPLES = 10_000
DEFAULT_SEED = 12345
CONFIDENCE = 0.95
#: ``1 - CONFIDENCE`` as an exact fraction (percent), so the CI's order statistic is an integer.
_ALPHA_PERCENT = 5
#: Resampled mean differences this close to 0 (relative to the largest |difference|) are 0.
ZERO_TOLERANCE = 1e-5
#: The comparison's one decision rule, as reports state it.
DECISION_RULE = (
    "better/worse when the 95% CI excludes 0, which is the same as p < 0.05 "
    "(p = 2·min(P(Δ* ≤ 0), P(Δ* ≥ 0)) over the same bootstrap resamples Δ*); "
    "a bound of 0 does not exclude 0"
)
#: Fewer paired examples than this get no verdict and never fail a gate: with a handful of
#: examples the bootstrap CI collapses onto the observed difference (``[x, x]`` at n=1).
MIN_PAIRED_N = 10

Verdict = Literal["better", "worse", "no significant difference", "too few examples", "n/a"]


@dataclass(frozen=True)
class Estimate:
    mean: float | None
    low: float | None
    high: float | None
    n: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Comparison:
    metric: str
    mean_a: float | None
    mean_b: float | None
    #: Mean of (B - A) over examples scored in both runs.
    difference: float | None
    low: float | None
    high: float | None
    p_value: float | None
    n: int
    verdict: Verdict
    higher_is_better: bool | None
    #: The gate's view: True when the run B is worse beyond the tolerance (CI entirely past it).
    regression: bool = False
    tolerance: float = 0.0
    #: Whether the gate looks at this metric (quality metrics, or cost metrics given a tolerance).
    gated: bool = True

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def mean_ci(
    values: Sequence[float],
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    min_n: int = MIN_PAIRED_N,
) -> Estimate:
    """Mean with a percentile bootstrap 95% CI; no bounds (None) with fewer than ``min_n`` values.

    A bootstrap of a handful of values is far narrower than the truth (``[0.533, 0.667]`` for
    0.5, 0.6, 0.7; ``[x, x]`` for one value), so, as for comparisons, below ``min_n`` the
    report shows the mean and n but no interval.
    """
    data = np.asarray(values, dtype=float)
    if data.size == 0:
        return Estimate(None, None, None, 0)
    mean = float(data.mean())
    if data.size < min_n:
        return Estimate(mean, None, None, int(data.size))
    if np.all(data == data[0]):
        return Estimate(mean, mean, mean, int(data.size))
    means = _resampled_means(data, resamples, seed)
    low, high = np.quantile(means, [(1 - CONFIDENCE) / 2, (1 + CONFIDENCE) / 2])
    return Estimate(mean, float(low), float(high), int(data.size))


def _resampled_means(data: np.ndarray, resamples: int, seed: int) -> np.ndarray:
    """Means of ``resamples`` bootstrap resamples of ``data`` (same draws for the same n and seed,
    so every metric of a run is resampled over the same example draws)."""
    n = int(data.size)
    if n * resamples <= _MAX_WEIGHT_CELLS:
        weights = _weights(n, resamples, seed)
        return np.asarray(weights @ data.astype(np.float32), dtype=float)
    rng = _rng(seed)  # large sets: draw indices in chunks instead of holding a weight matrix
    chunk = max(1, _MAX_WEIGHT_CELLS // n)
    out = np.empty(resamples)
    for done in range(0, resamples, chunk):
        size = min(chunk, resamples - done)
        out[done : done + size] = data[rng.integers(0, n, size=(size, n))].mean(axis=1)
    return out


#: Largest weight matrix kept (cells; float32, so 80 MB).
_MAX_WEIGHT_CELLS = 20_000_000


#: Resamples drawn and counted at a time: small enough to stay in cache, and the generator
#: yields the same stream whether the draws are made at once or row block by row block.
_WEIGHT_ROWS = 500


@lru_cache(maxsize=4)
def _weights(n: int, resamples: int, seed: int) -> np.ndarray:
    """Resample weights: row r holds how often each example is drawn in resample r, divided by n.

    Counting the drawn indices once turns every resampled mean (of every metric with the same n)
    into one matrix-vector product. Counted block by block (the same draws as one
    ``integers(0, n, size=(resamples, n))`` call, without an 80 MB index matrix), and divided in
    float32 directly: the same values as dividing in float64 and rounding to float32 (double
    rounding is innocuous for division when 53 >= 2 * 24 + 2).
    """
    rng = _rng(seed)
    weights = np.empty((resamples, n), dtype=np.float32)
    offsets = np.arange(0, _WEIGHT_ROWS * n, n)[:, None]
    for start in range(0, resamples, _WEIGHT_ROWS):
        rows = min(_WEIGHT_ROWS, resamples - start)
        indices = rng.integers(0, n, size=(rows, n))
        indices += offsets[:rows]
        counts = np.bincount(indices.ravel(), minlength=rows * n).reshape(rows, n)
        np.divide(counts, np.float32(n), out=weights[start : start + rows], dtype=np.float32)
    return weights


def bootstrap_interval(
    means: np.ndarray, *, zero_within: float = 0.0
) -> tuple[float, float, float]:
    """The 95% CI and two-sided p-value of one bootstrap distribution, consistent by construction.

    ``low``/``high`` are the k-th smallest/largest of ``means`` with ``k = ceil(0.025 * R)``;
    ``p = 2 * min(#(means <= 0), #(means >= 0)) / R``, capped at 1. For integer counts
    ``#(means <= 0) < k`` exactly when ``2 * #(means <= 0) / R < 0.05``, so ``low > 0`` iff
    ``P(Δ* <= 0) < 0.025`` (and likewise for ``high < 0``): the CI excludes 0 iff ``p < 0.05``.
    Means within ``zero_within`` of 0 are taken as exactly 0, so are bounds there.
    """
    values = np.where(np.abs(means) <= zero_within, 0.0, np.asarray(means, dtype=float))
    count = int(values.size)
    k = -(-count * _ALPHA_PERCENT // 200)  # ceil(count * 0.025), in integers
    ordered = np.sort(values)
    low, high = float(ordered[k - 1]), float(ordered[count - k])
    at_most_zero, at_least_zero = int(np.sum(values <= 0)), int(np.sum(values >= 0))
    p_value = min(1.0, 2 * min(at_most_zero, at_least_zero) / count)
    return low + 0.0, high + 0.0, p_value  # + 0.0: no "-0.000" bound


def paired_compare(
    metric: str,
    a: Sequence[float],
    b: Sequence[float],
    *,
    higher_is_better: bool | None = True,
    tolerance: float = 0.0,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    gated: bool = True,
    min_n: int = MIN_PAIRED_N,
) -> Comparison:
    """Paired bootstrap of mean(B - A) with a 95% CI, p-value, verdict and regression gate.

    The verdict is "better"/"worse" exactly when the CI excludes 0, which is exactly when the
    p-value (from the same resamples, :func:`bootstrap_interval`) is below 0.05.

    ``tolerance`` is the drop (in the metric's units, always >= 0) that is acceptable: the gate
    reports a regression only when the whole CI of the change lies beyond it on the bad side, the
    metric is ``gated`` and there are at least ``min_n`` pairs (fewer: verdict "too few examples").
    """
    first = np.asarray(a, dtype=float)
    second = np.asarray(b, dtype=float)
    if first.size != second.size:
        raise ValueError("paired comparison needs the same examples in both runs")
    n = int(first.size)
    if n == 0:
        return Comparison(
            metric, None, None, None, None, None, None, 0, "n/a", higher_is_better, False,
            tolerance, gated,
        )  # fmt: skip
    diffs = second - first
    observed = float(diffs.mean())
    if n < 2 or np.all(diffs == diffs[0]):
        low = high = observed
        p_value = 1.0 if observed == 0 else 0.0
    else:
        scale = float(np.abs(diffs).max())
        low, high, p_value = bootstrap_interval(
            _resampled_means(diffs, resamples, seed), zero_within=ZERO_TOLERANCE * scale
        )
    significant = low > 0 or high < 0  # same as p_value < 0.05 (see bootstrap_interval)
    verdict: Verdict
    if higher_is_better is None:
        verdict = "n/a"  # a descriptive metric (e.g. length ratio): no better or worse
    elif n < min_n:
        verdict = "too few examples"
    elif not significant:
        verdict = "no significant difference"
    else:
        improved = (low > 0) if higher_is_better else (high < 0)
        verdict = "better" if improved else "worse"
    if higher_is_better is None or not gated or n < min_n:
        regression = False
    elif higher_is_better:
        regression = high < -abs(tolerance)
    else:
        regression = low > abs(tolerance)
    # Below ``min_n`` the resamples say little (at n=1 the "CI" is [Δ, Δ] and p is 0): no
    # interval or p-value is reported, only the observed difference.
    shown = n >= min_n
    return Comparison(
        metric,
        float(first.mean()),
        float(second.mean()),
        observed,
        low if shown else None,
        high if shown else None,
        p_value if shown else None,
        n,
        verdict,
        higher_is_better,
        regression,
        abs(tolerance),
        gated,
    )
