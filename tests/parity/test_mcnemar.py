"""McNemar against statsmodels: every table with b, c ≤ 40, large and degenerate ones, a grid of magnitudes up to
10^7 (with near-ties, where the continuity correction matters most), non-integer counts; vectorised, stacked and
scalar forms give the same numbers."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar

from u2fast.scoring import mcnemar

SMALL = [(b, c) for b in range(41) for c in range(41)]


LARGE = [(3, 4000), (500, 520), (1000, 1100), (12345, 12000), (147, 85), (64, 26), (0, 900), (5000, 5000)]


def _reference(b: float, c: float, exact: bool, correction: bool) -> tuple[float, float]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        r = sm_mcnemar([[10, b], [c, 7]], exact=exact, correction=correction)
    return float(r.statistic), float(r.pvalue)


@pytest.mark.parametrize(("exact", "correction"), [(True, True), (False, True), (False, False)])
def test_every_small_and_some_large_tables(exact: bool, correction: bool) -> None:
    tables = SMALL + LARGE
    b = np.array([t[0] for t in tables], dtype=np.float64)
    c = np.array([t[1] for t in tables], dtype=np.float64)
    got = mcnemar(b, c, exact=exact, correction=correction)
    assert isinstance(got.statistic, np.ndarray) and isinstance(got.pvalue, np.ndarray)
    expect = np.array([_reference(x, y, exact, correction) for x, y in tables])
    np.testing.assert_allclose(got.statistic, expect[:, 0], rtol=1e-12, equal_nan=True)
    np.testing.assert_allclose(got.pvalue, expect[:, 1], rtol=1e-9, atol=1e-300, equal_nan=True)


def test_scalar_table_and_stacks() -> None:
    r = mcnemar([[30, 12], [4, 50]])
    s, p = _reference(12, 4, True, True)
    assert r.statistic == s and r.pvalue == pytest.approx(p, rel=1e-12)
    assert isinstance(r.pvalue, float)
    stack = mcnemar(np.array([[[1, 2], [3, 4]], [[0, 0], [0, 0]]]), exact=False)
    assert isinstance(stack.pvalue, np.ndarray) and stack.pvalue.shape == (2,)
    assert np.isinf(stack.statistic[1]) and stack.pvalue[1] == 0.0  # statsmodels' b = c = 0 quirk
    none = mcnemar(0, 0, exact=False, correction=False)
    assert np.isnan(none.statistic) and np.isnan(none.pvalue)
    assert mcnemar(0, 0).pvalue == 1.0
    assert mcnemar(1, 1, exact=False).pvalue == pytest.approx(0.4795001221869535, rel=1e-12)


_COUNTS = [0, 1, 2, 3, 4, 5, 7, 10, 20, 25, 50, 100, 500, 1000, 4000, 10**4, 10**5, 10**6, 5 * 10**6, 10**7 - 1, 10**7]


def _grid() -> tuple[np.ndarray, np.ndarray]:
    b = [x for x in _COUNTS for y in _COUNTS if x + y <= 10**7]
    c = [y for x in _COUNTS for y in _COUNTS if x + y <= 10**7]
    rng = np.random.default_rng(0)
    for _ in range(200):  # random magnitudes, and near-ties b ≈ c where the correction matters most
        x = int(rng.integers(0, 10 ** int(rng.integers(1, 7))))
        b += [x, x]
        c += [int(rng.integers(0, 10 ** int(rng.integers(1, 7)))), max(x + int(rng.integers(-3, 4)), 0)]
    return np.array(b, dtype=float), np.array(c, dtype=float)


def _same(x: float, y: float) -> bool:
    if np.isnan(x) or np.isnan(y):
        return bool(np.isnan(x) and np.isnan(y))
    return x == y or abs(x - y) <= 1e-9 * abs(y)


@pytest.mark.parametrize(("exact", "correction"), [(True, True), (True, False), (False, True), (False, False)])
def test_mcnemar_grid_equals_statsmodels(exact: bool, correction: bool) -> None:
    b, c = _grid()
    many = mcnemar(b, c, exact=exact, correction=correction)
    stacked = mcnemar(np.stack([np.stack([np.full_like(b, 9), b], -1), np.stack([c, np.full_like(c, 4)], -1)], 1),
                      exact=exact, correction=correction)
    np.testing.assert_array_equal(stacked.statistic, many.statistic)
    np.testing.assert_array_equal(stacked.pvalue, many.pvalue)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # statsmodels' 0/0 on b = c = 0
        for i, (bi, ci) in enumerate(zip(b, c)):
            ref = sm_mcnemar(np.array([[9, bi], [ci, 4]]), exact=exact, correction=correction)
            assert _same(many.statistic[i], ref.statistic) and _same(many.pvalue[i], ref.pvalue), (bi, ci)
            if i % 37 == 0:  # the scalar form is the vectorised one
                one = mcnemar([[9, bi], [ci, 4]], exact=exact, correction=correction)
                assert isinstance(one.pvalue, float)
                assert _same(one.statistic, many.statistic[i]) and _same(one.pvalue, many.pvalue[i])


def test_mcnemar_non_integer_counts_follow_statsmodels() -> None:
    # statsmodels' exact test only needs b + c to be whole (the binomial's n).
    for b, c in [(0.5, 0.5), (1.5, 2.5), (2.25, 3.75), (0.5, 9.5)]:
        ref = sm_mcnemar(np.array([[0, b], [c, 0]]), exact=True)
        got = mcnemar(b, c)
        assert got.statistic == ref.statistic and got.pvalue == pytest.approx(ref.pvalue, rel=1e-14)
    for b, c in [(1.5, 2.0), (0.1, 0.0), (2.5, 7.25), (2.5, 7.0)]:
        with pytest.raises(ValueError, match="integer"):
            mcnemar(b, c)
        ref = sm_mcnemar(np.array([[0, b], [c, 0]]), exact=False)
        got = mcnemar(b, c, exact=False)
        assert got.statistic == pytest.approx(ref.statistic, rel=1e-15)
        assert got.pvalue == pytest.approx(ref.pvalue, rel=1e-12)
