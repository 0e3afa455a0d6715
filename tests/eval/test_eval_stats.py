"""Bootstrap CIs and paired comparison: reproducible, calibrated on clear cases, gate semantics."""

from __future__ import annotations

import random

import pytest

from summarizer.eval.stats import mean_ci, paired_compare


def test_mean_ci_contains_the_mean_and_is_reproducible() -> None:
    rng = random.Random(1)
    values = [rng.random() for _ in range(200)]
    first = mean_ci(values)
    assert first.low is not None and first.high is not None and first.mean is not None
    assert first.low < first.mean < first.high
    assert first.high - first.low < 0.2
    assert mean_ci(values) == first


def test_mean_ci_edge_cases() -> None:
    assert mean_ci([]).mean is None
    single = mean_ci([0.5])
    assert single.mean == 0.5 and single.low is None
    constant = mean_ci([1.0] * 10)
    assert constant.low == constant.high == 1.0


def test_a_mean_over_fewer_than_ten_values_has_no_interval() -> None:
    """The bootstrap of 0.5, 0.6, 0.7 is about [0.53, 0.67]: far narrower than the truth."""
    few = mean_ci([0.5, 0.6, 0.7])
    assert few.mean is not None and abs(few.mean - 0.6) < 1e-9 and few.n == 3
    assert few.low is None and few.high is None
    assert mean_ci([1.0] * 9).low is None
    enough = mean_ci([0.5, 0.6, 0.7, 0.4, 0.5, 0.6, 0.7, 0.4, 0.5, 0.6])
    assert enough.low is not None and enough.high is not None
    assert enough.low < 0.55 < enough.high


@pytest.mark.parametrize("n", [1, 3, 9])
def test_a_comparison_of_fewer_than_ten_pairs_states_no_interval_or_p_value(n: int) -> None:
    """One pair 0 → 65 used to read "[65.000, 65.000]" with p 0.0000 beside "too few examples"."""
    result = paired_compare("m", [0.0] * n, [65.0 + index for index in range(n)])
    assert result.verdict == "too few examples"
    assert result.difference is not None and result.difference >= 65.0
    assert (result.low, result.high, result.p_value) == (None, None, None)
    assert not result.regression


def test_a_clear_improvement_is_better_with_small_p() -> None:
    rng = random.Random(2)
    a = [rng.gauss(0.5, 0.1) for _ in range(100)]
    b = [x + 0.05 + rng.gauss(0, 0.01) for x in a]
    result = paired_compare("m", a, b)
    assert result.verdict == "better"
    assert result.low is not None and result.low > 0
    assert result.p_value is not None and result.p_value < 0.01
    assert not result.regression


def test_noise_is_no_significant_difference() -> None:
    rng = random.Random(3)
    a = [rng.gauss(0.5, 0.1) for _ in range(60)]
    b = [x + rng.gauss(0, 0.05) for x in a]
    result = paired_compare("m", a, b)
    assert result.verdict == "no significant difference"
    assert result.p_value is not None and result.p_value > 0.05


def test_lower_is_better_metrics_flip_the_verdict() -> None:
    a = [10.0 + i % 3 for i in range(50)]
    b = [x + 5 for x in a]
    result = paired_compare("cost.latency_ms", a, b, higher_is_better=False)
    assert result.verdict == "worse" and result.regression


def test_gate_fails_only_when_the_ci_lies_past_the_tolerance() -> None:
    rng = random.Random(4)
    a = [rng.gauss(0.6, 0.05) for _ in range(80)]
    b = [x - 0.02 + rng.gauss(0, 0.005) for x in a]  # a real but small drop
    strict = paired_compare("m", a, b, tolerance=0.0)
    lenient = paired_compare("m", a, b, tolerance=0.05)
    assert strict.verdict == "worse" and strict.regression
    assert lenient.verdict == "worse" and not lenient.regression


def test_unpaired_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="same examples"):
        paired_compare("m", [1.0], [1.0, 2.0])


@pytest.mark.parametrize(("n", "resamples"), [(37, 1234), (501, 1000), (3, 7)])
def test_mean_ci_is_the_percentile_bootstrap_of_one_block_of_draws(n: int, resamples: int) -> None:
    """Weights are counted block by block; the CI is that of drawing every resample at once."""
    import numpy as np

    generator = random.Random(n)
    values = [generator.gauss(50, 10) for _ in range(n)]
    estimate = mean_ci(values, resamples=resamples, seed=7, min_n=2)  # the draws, at any n
    draws = np.random.default_rng(7).integers(0, n, size=(resamples, n))
    counts = np.stack([np.bincount(row, minlength=n) for row in draws])
    weights = (counts / float(n)).astype(np.float32)
    means = np.asarray(weights @ np.asarray(values, dtype=np.float32), dtype=float)
    low, high = np.quantile(means, [0.025, 0.975])
    assert (estimate.low, estimate.high) == (float(low), float(high))
    direct = np.asarray(values)[draws].mean(axis=1)  # the textbook estimator, to float32 precision
    assert np.allclose(np.quantile(direct, [0.025, 0.975]), [low, high], rtol=1e-5)


@pytest.mark.parametrize("n", [20, 40, 60])
@pytest.mark.parametrize("dropped", range(1, 9))
def test_verdict_and_p_value_agree_on_skewed_differences(n: int, dropped: int) -> None:
    """Mostly unchanged examples and a few big drops: a skewed bootstrap distribution, where a
    percentile CI and a shifted-bootstrap p-value used to disagree ("worse" with p = 0.056)."""
    a = [0.5] * n
    b = [0.5] * (n - dropped) + [0.2] * dropped
    result = paired_compare("m", a, b)
    assert result.p_value is not None and result.low is not None and result.high is not None
    excludes_zero = result.low > 0 or result.high < 0
    assert excludes_zero == (result.p_value < 0.05)
    assert (result.verdict == "worse") == excludes_zero
    assert result.regression == excludes_zero
    if result.high == 0:
        assert result.verdict == "no significant difference" and result.p_value >= 0.05


def test_a_bound_of_float_noise_around_zero_does_not_exclude_zero() -> None:
    """Resamples whose differences cancel read -9.3e-10 in float32, not 0: that bound is 0."""
    import numpy as np

    from summarizer.eval.stats import bootstrap_interval

    means = np.array([-0.05] * 9_000 + [-9.313225746154785e-10] * 1_000)
    low, high, p_value = bootstrap_interval(means, zero_within=1e-6)
    assert low == -0.05 and high == 0.0 and str(high) == "0.0"  # not -0.0 ("-0.000")
    assert p_value == pytest.approx(0.2)
    low, high, p_value = bootstrap_interval(means)  # no tolerance: a real, tiny negative bound
    assert high < 0 and p_value == 0.0


def test_p_value_is_the_two_sided_share_of_resamples_across_zero() -> None:
    import numpy as np

    from summarizer.eval.stats import bootstrap_interval

    means = np.arange(-30, 970, dtype=float)  # 1000 resamples, 31 at or below 0
    low, high, p_value = bootstrap_interval(means)
    assert p_value == pytest.approx(2 * 31 / 1000)
    assert (low, high) == (-6.0, 945.0)  # 25th smallest, 25th largest
    assert not (low > 0) and p_value >= 0.05
