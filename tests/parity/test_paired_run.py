"""The paired run bootstrap's intervals and p-value against scipy.stats.bootstrap's arithmetic (percentile
and BCa) on the same resampled values (unit tests: tests/scoring/test_paired_run.py)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from scipy import stats

from u2fast.scoring import paired_run_bootstrap


def _scipy_interval(data: tuple[np.ndarray, ...], statistic: Any, dist: np.ndarray, method: str) -> Any:
    prior = SimpleNamespace(bootstrap_distribution=dist)
    return stats.bootstrap(data, statistic, n_resamples=0, bootstrap_result=prior, method=method, paired=True,
                           vectorized=True).confidence_interval


@pytest.mark.parametrize("method", ["percentile", "BCa"])
def test_intervals_and_pvalue_follow_scipy_bootstrap_on_the_same_resamples(method: str) -> None:
    # One DD data set: its column is mean(a) - mean(b), and U2 is 0.2 x that (robust: no CVE credit).
    rng = np.random.default_rng(8)
    right_a, right_b = (rng.random(300) < 0.65).astype(float), (rng.random(300) < 0.55).astype(float)
    layout = (np.zeros(300, np.int32), np.array([0], np.int8), np.array([True]))
    r = paired_run_bootstrap(*layout, (right_a, None, None), (right_b, None, None), missing_cve_is_perfect=False,
                             n_resamples=3000, seed=4, return_distribution=True)
    assert r.intervals.distribution is not None
    dist = r.intervals.distribution
    ours = {"percentile": r.intervals.dataset_percentile[0], "BCa": r.intervals.dataset_bca[0]}[method]
    ci = _scipy_interval((right_a, right_b), lambda x, y, axis=-1: x.mean(axis=axis) - y.mean(axis=axis),
                         dist[:, 0], method)
    np.testing.assert_allclose(ours, (ci.low, ci.high), rtol=1e-9, atol=1e-12)
    u2 = {"percentile": r.intervals.u2_percentile, "BCa": r.intervals.u2_bca}[method]
    # written as the core adds it up: the BCa bias counts resamples tied with the estimate
    ci = _scipy_interval((right_a, right_b), lambda x, y, axis=-1: 0.2 * x.mean(axis=axis) - 0.2 * y.mean(axis=axis),
                         dist[:, -1], method)
    np.testing.assert_allclose(u2, (ci.low, ci.high), rtol=1e-9, atol=1e-12)
    d = r.dataset_difference[0]
    expected_p = (np.sum(np.abs(dist[:, 0] - d) >= abs(d)) + 1) / (dist.shape[0] + 1)
    assert r.dataset_pvalue[0] == pytest.approx(expected_p, rel=1e-15)
