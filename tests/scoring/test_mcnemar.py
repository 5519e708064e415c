"""McNemar parity with statsmodels on every small table, large and degenerate ones, vectorised."""

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


def test_non_integer_counts() -> None:
    r = mcnemar(2.5, 7.25, exact=False)
    assert r.pvalue == pytest.approx(_reference(2.5, 7.25, False, True)[1], rel=1e-12)
    with pytest.raises(ValueError, match="integer"):
        mcnemar(2.5, 7, exact=True)


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="2x2"):
        mcnemar([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(ValueError, match="non-negative"):
        mcnemar(-1, 3)
    with pytest.raises(ValueError, match="differ in shape"):
        mcnemar([1, 2], [1, 2, 3])
