"""report.build: the anatomy groups' accuracy intervals drawn from the binomial distribution of a case resample."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binom

from u2fast.folder_scoring import ScoringOptions
from u2fast.report.build import _accuracy_interval
from u2fast.scoring import bootstrap_ci


@pytest.mark.parametrize(("right", "n"), [(140, 200), (3, 10), (1, 2), (3000, 4000), (61, 97), (0, 12), (12, 12)])
def test_accuracy_interval_is_the_case_bootstraps_percentile_interval(right: int, n: int) -> None:
    options = ScoringOptions(n_resamples=20_000, confidence=0.95, seed=4)
    low, high = _accuracy_interval(right, n, options)
    # the ideal bootstrap's quantiles (Binomial(n, right/n) / n) and a case-by-case bootstrap agree
    exact = binom.ppf([0.025, 0.975], n, right / n) / n
    cases = np.r_[np.ones(right), np.zeros(n - right)]
    resampled = bootstrap_ci(cases, statistic="accuracy", method="percentile", n_resamples=20_000, seed=4)
    step = 1 / n  # quantiles of a discrete distribution may land on either neighbouring count
    assert exact[0] - step - 1e-12 <= low <= exact[0] + step + 1e-12
    assert exact[1] - step - 1e-12 <= high <= exact[1] + step + 1e-12
    assert abs(low - resampled.low) <= step + 0.01 and abs(high - resampled.high) <= step + 0.01
    assert low <= right / n <= high


def test_accuracy_interval_follows_the_seed_and_the_confidence() -> None:
    wide = _accuracy_interval(50, 100, ScoringOptions(n_resamples=5000, confidence=0.99))
    narrow = _accuracy_interval(50, 100, ScoringOptions(n_resamples=5000, confidence=0.8))
    assert wide[0] < narrow[0] and narrow[1] < wide[1]
    assert _accuracy_interval(50, 100, ScoringOptions(n_resamples=5000, seed=1)) == _accuracy_interval(
        50, 100, ScoringOptions(n_resamples=5000, seed=1)
    )
