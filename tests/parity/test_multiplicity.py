"""Adjusted p-values against statsmodels; Cochran's Q, I² and the detectable difference against scipy."""

from __future__ import annotations

import gc

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests as sm_multipletests

from u2fast.scoring import cochran_q, minimal_detectable_difference, multipletests


@pytest.mark.parametrize("method", ["holm", "fdr_bh"])
def test_adjusted_pvalues_equal_statsmodels(method: str) -> None:
    rng = np.random.default_rng(1)
    gc.freeze()  # statsmodels' Holm runs gc.collect() on every call; frozen objects make that cheap
    try:
        _compare_adjustments(rng, method)
    finally:
        gc.unfreeze()


def _compare_adjustments(rng: np.random.Generator, method: str) -> None:
    for i in range(3000):
        m = 1 if i % 40 == 0 else int(rng.integers(2, 60))
        p = rng.random(m) ** rng.uniform(0.5, 4)
        if i % 7 == 0:
            p[: m // 2] = p[0]  # ties
        if i % 11 == 0:
            p[0], p[-1] = 0.0, 1.0
        ours = multipletests(p, method)
        np.testing.assert_allclose(ours, sm_multipletests(p, method=method)[1], rtol=1e-12, atol=1e-15)


def test_nan_pvalues_stay_nan_and_are_not_counted() -> None:
    p = np.array([0.01, np.nan, 0.04])
    ours = multipletests(p, "holm")
    assert np.isnan(ours[1])
    np.testing.assert_allclose(ours[[0, 2]], sm_multipletests([0.01, 0.04], method="holm")[1])
    with pytest.raises(ValueError, match="holm"):
        multipletests(p, "bonferroni-ish")
    with pytest.raises(ValueError, match=r"pvalues\[0\] = 1.5"):
        multipletests([1.5], "holm")


def test_cochran_q_equals_the_direct_computation() -> None:
    rng = np.random.default_rng(2)
    for _i in range(3000):
        k = int(rng.integers(2, 15))
        est = rng.uniform(0, 1, k)
        var = rng.uniform(1e-4, 0.05, k)
        w = 1 / var
        pooled = (w * est).sum() / w.sum()
        q = (w * (est - pooled) ** 2).sum()
        h = cochran_q(est, var)
        assert h.k == k and h.df == k - 1
        assert h.q == pytest.approx(q, rel=1e-12)
        assert h.pooled == pytest.approx(pooled, rel=1e-12)
        assert h.pvalue == pytest.approx(stats.chi2.sf(q, k - 1), rel=1e-10, abs=1e-300)
        assert h.i_squared == pytest.approx(max(0.0, (q - (k - 1)) / q), rel=1e-12, abs=1e-15)


def test_minimal_detectable_difference_equals_the_normal_formula() -> None:
    rng = np.random.default_rng(4)
    for _ in range(2000):
        n = int(rng.integers(2, 3000))
        d = rng.choice([-1.0, 0.0, 1.0], n, p=rng.dirichlet([1, 3, 1]))
        for alpha, power in ((0.05, 0.8), (0.01, 0.9)):
            expected = (stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)) * d.std(ddof=1) / np.sqrt(n)
            got = minimal_detectable_difference(d, alpha=alpha, power=power)
            assert got == pytest.approx(expected, rel=1e-12, abs=1e-15)
    assert np.isnan(minimal_detectable_difference([1.0]))
