"""Measurement agreement against pingouin (ICC), scipy (t and F arithmetic) and direct formulas."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats

from u2fast.scoring import bland_altman, ccc, icc3, measurement_errors


def _generated(n_sets: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n_sets):
        n = 2 if i % 19 == 0 else int(rng.integers(3, 120))
        reference = rng.normal(rng.uniform(5, 80), rng.uniform(0.5, 20), n)
        measured = reference * rng.uniform(0.7, 1.3) + rng.normal(rng.uniform(-5, 5), rng.uniform(0.01, 10), n)
        if i % 29 == 1:
            measured = np.round(measured)  # ties
        out.append((measured, reference))
    return out


CASES = _generated(2000, 21)


def _icc3_direct(m: np.ndarray, r: np.ndarray, confidence: float) -> tuple[float, float, float, float, float]:
    x = np.c_[m, r]
    n, k = x.shape
    grand = x.mean()
    ss_rows = k * ((x.mean(axis=1) - grand) ** 2).sum()
    ss_cols = n * ((x.mean(axis=0) - grand) ** 2).sum()
    ss_err = ((x - grand) ** 2).sum() - ss_rows - ss_cols
    msr, mse = ss_rows / (n - 1), ss_err / ((n - 1) * (k - 1))
    f = msr / mse
    df1, df2 = n - 1, (n - 1) * (k - 1)
    q = 0.5 + confidence / 2
    fl, fu = f / stats.f.ppf(q, df1, df2), f * stats.f.ppf(q, df2, df1)
    return (msr - mse) / (msr + (k - 1) * mse), f, stats.f.sf(f, df1, df2), (fl - 1) / (fl + k - 1), (fu - 1) / (fu + k - 1)


def test_icc3_equals_pingouin() -> None:
    warnings.simplefilter("ignore")
    for m, r in CASES[:120]:  # pingouin's ANOVA takes ~0.1 s a call; the direct test below covers thousands
        n = len(m)
        if n < 3:
            continue  # pingouin's ANOVA refuses fewer than 5 values
        long = pd.DataFrame({"case": np.r_[np.arange(n), np.arange(n)], "rater": ["model"] * n + ["truth"] * n,
                             "value": np.r_[m, r]})
        ref = pg.intraclass_corr(long, "case", "rater", "value").set_index("Type").loc["ICC(C,1)"]
        mine = icc3(m, r)
        assert mine.icc == pytest.approx(ref["ICC"], rel=1e-11, abs=1e-12)
        assert mine.f == pytest.approx(ref["F"], rel=1e-11)
        assert mine.pvalue == pytest.approx(ref["pval"], rel=1e-9, abs=1e-300)
        assert (mine.df1, mine.df2) == (ref["df1"], ref["df2"])
        # pingouin prints its interval rounded to two decimals
        assert np.allclose(np.round(mine.interval, 2), ref["CI95"], atol=0.0100001)


def test_icc3_and_its_interval_equal_the_direct_formula() -> None:
    for confidence in (0.95, 0.9):
        for m, r in CASES:
            icc, _f, p, low, high = _icc3_direct(m, r, confidence)
            mine = icc3(m, r, confidence=confidence)
            assert mine.icc == pytest.approx(icc, rel=1e-11, abs=1e-12)
            assert mine.pvalue == pytest.approx(p, rel=1e-9, abs=1e-300)
            assert mine.interval == pytest.approx((low, high), rel=1e-10, abs=1e-12)


def test_ccc_equals_lins_formula() -> None:
    for m, r in CASES:
        sxy = np.mean((m - m.mean()) * (r - r.mean()))
        expected = 2 * sxy / (m.var() + r.var() + (m.mean() - r.mean()) ** 2)
        assert ccc(m, r) == pytest.approx(expected, rel=1e-12, abs=1e-13)


def test_bland_altman_and_errors_equal_scipy() -> None:
    for m, r in CASES:
        d = m - r
        n = len(d)
        sd = d.std(ddof=1)
        ba = bland_altman(m, r)
        assert ba.bias == pytest.approx(d.mean(), rel=1e-12, abs=1e-13)
        assert ba.sd == pytest.approx(sd, rel=1e-12)
        assert (ba.lower, ba.upper) == pytest.approx((d.mean() - 1.96 * sd, d.mean() + 1.96 * sd), rel=1e-12, abs=1e-12)
        bias_ci = stats.t.interval(0.95, n - 1, loc=d.mean(), scale=sd / np.sqrt(n))
        assert ba.bias_interval == pytest.approx(bias_ci, rel=1e-12, abs=1e-12)
        upper_ci = stats.t.interval(0.95, n - 1, loc=ba.upper, scale=sd * np.sqrt(3 / n))
        assert ba.upper_interval == pytest.approx(upper_ci, rel=1e-12, abs=1e-12)
        e = measurement_errors(m, r)
        assert (e.mae, e.rmse, e.bias) == pytest.approx(
            (np.abs(d).mean(), np.sqrt((d**2).mean()), d.mean()), rel=1e-12, abs=1e-13)
