"""Bootstrap intervals against scipy.stats.bootstrap: exact CI arithmetic on the same resampled values,
agreement of independent runs within sampling error, coverage, and thread-count independence."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from scipy import stats

from u2fast.scoring import bleu_stats, bootstrap_ci, paired_bootstrap


def _scipy_from_distribution(data: tuple[np.ndarray, ...], statistic: Any, dist: np.ndarray, method: str) -> Any:
    prior = SimpleNamespace(bootstrap_distribution=dist)
    return stats.bootstrap(data, statistic, n_resamples=0, bootstrap_result=prior, method=method,
                           paired=len(data) > 1, vectorized=True).confidence_interval


def _coco_bleu4(*cols: np.ndarray, axis: int = -1) -> np.ndarray:
    s = [c.sum(axis=axis) for c in cols]
    bleu = np.ones_like(s[0], dtype=np.float64)
    for k in range(4):
        bleu = bleu * (s[2 + k] + 1e-15) / (s[6 + k] + 1e-9)
    out = bleu ** (1.0 / 4)
    ratio = (s[0] + 1e-15) / (s[1] + 1e-9)
    return 100 * np.where(ratio < 1, out * np.exp(1 - 1 / ratio), out)


CASES = {
    "mean": lambda rng: ((rng.exponential(1.0, 300),), lambda x, axis=-1: x.mean(axis=axis)),
    "accuracy": lambda rng: (((rng.random(250) < 0.3).astype(float),), lambda x, axis=-1: x.mean(axis=axis)),
    "rmse": lambda rng: ((rng.normal(0.1, 0.3, 200),), lambda e, axis=-1: np.sqrt((e * e).mean(axis=axis))),
    "ratio": lambda rng: ((rng.poisson(3, 200).astype(float), rng.poisson(9, 200).astype(float) + 1),
                          lambda x, y, axis=-1: x.sum(axis=axis) / y.sum(axis=axis)),
}


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("method", ["percentile", "bca"])
def test_interval_arithmetic_equals_scipy_on_the_same_resamples(name: str, method: str) -> None:
    data, statistic = CASES[name](np.random.default_rng(3))
    kwargs: dict[str, Any] = {"denominator": data[1]} if name == "ratio" else {}
    ours = bootstrap_ci(data[0], statistic=name, method=method, n_resamples=4000, seed=11,
                        return_distribution=True, **kwargs)
    assert ours.distribution is not None
    ci = _scipy_from_distribution(data, statistic, ours.distribution, "BCa" if method == "bca" else method)
    assert ours.estimate == pytest.approx(float(statistic(*data)), rel=1e-12)
    assert ours.low == pytest.approx(ci.low, rel=1e-9, abs=1e-12)
    assert ours.high == pytest.approx(ci.high, rel=1e-9, abs=1e-12)


def test_bleu_interval_arithmetic_equals_scipy(pair_generator: Any) -> None:
    pairs = pair_generator(4, 150)
    st = bleu_stats([h for h, _ in pairs], [r for _, r in pairs], flavor="coco")
    ours = bootstrap_ci(st, statistic="bleu", n_resamples=2000, seed=2, return_distribution=True)
    assert ours.distribution is not None
    cols = tuple(st[:, j].astype(np.float64) for j in range(10))
    ci = _scipy_from_distribution(cols, _coco_bleu4, ours.distribution, "BCa")
    assert ours.estimate == pytest.approx(float(_coco_bleu4(*cols)), rel=1e-12)
    assert (ours.low, ours.high) == pytest.approx((ci.low, ci.high), rel=1e-9)


def test_sacrebleu_statistic_estimate_is_the_corpus_score(pair_generator: Any) -> None:
    import sacrebleu

    pairs = pair_generator(6, 300)
    hyps, refs = [h for h, _ in pairs], [r[0] for _, r in pairs]
    st = bleu_stats(hyps, refs)
    r = bootstrap_ci(st, statistic="sacrebleu", smooth="floor", n_resamples=300)
    assert r.estimate == pytest.approx(sacrebleu.corpus_bleu(hyps, [refs], smooth_method="floor").score, abs=1e-9)
    assert r.low <= r.estimate <= r.high


@pytest.mark.parametrize("method", ["percentile", "bca"])
def test_agrees_with_scipy_own_resampling_within_sampling_error(method: str) -> None:
    x = np.random.default_rng(5).gamma(2.0, 1.0, 400)
    ours = bootstrap_ci(x, method=method, n_resamples=10_000, seed=1)
    ref = stats.bootstrap((x,), np.mean, n_resamples=10_000, method="BCa" if method == "bca" else method,
                          rng=np.random.default_rng(1))
    se = ref.standard_error
    assert ours.standard_error == pytest.approx(se, rel=0.05)
    assert abs(ours.low - ref.confidence_interval.low) < 0.15 * se
    assert abs(ours.high - ref.confidence_interval.high) < 0.15 * se


@pytest.mark.parametrize("method", ["percentile", "bca"])
def test_coverage_of_95_percent_intervals(method: str) -> None:
    rng = np.random.default_rng(2024)
    sims, covered = 1500, 0
    for k in range(sims):
        x = rng.normal(1.0, 2.0, 200)
        r = bootstrap_ci(x, method=method, n_resamples=1000, seed=k)
        covered += r.low <= 1.0 <= r.high
    assert 0.935 <= covered / sims <= 0.965, covered / sims


def test_strata_resample_within_labels() -> None:
    x = np.r_[np.zeros(30), np.ones(10)]
    labels = np.array(["a"] * 30 + ["b"] * 10)
    r = bootstrap_ci(x, strata=labels, method="percentile", n_resamples=500, return_distribution=True)
    assert r.distribution is not None and np.all(r.distribution == 0.25)
    assert (r.low, r.high) == (0.25, 0.25)
    assert r.bca == (0.25, 0.25)
    constant = bootstrap_ci(np.full(20, 3.0), n_resamples=200)
    assert constant.percentile == (3.0, 3.0)
    assert np.isnan(constant.bca).all()  # acceleration 0/0, as in scipy


def test_same_seed_same_interval_whatever_the_thread_count() -> None:
    code = textwrap.dedent("""
        import numpy as np
        from u2fast.scoring import bootstrap_ci
        x = np.random.default_rng(0).random(3000)
        r = bootstrap_ci(x, n_resamples=5000, seed=42)
        print(repr((r.low, r.high, r.standard_error)))
    """)
    outs = set()
    for threads in ("1", "2", "5"):
        env = {**os.environ, "RAYON_NUM_THREADS": threads}
        outs.add(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                check=True).stdout)
    assert len(outs) == 1
    a = bootstrap_ci(np.arange(50.0), seed=1, n_resamples=300)
    b = bootstrap_ci(np.arange(50.0), seed=2, n_resamples=300)
    assert a.low != b.low or a.high != b.high


def test_paired_bootstrap_accuracy_difference() -> None:
    rng = np.random.default_rng(8)
    a = (rng.random(600) < 0.55).astype(float)
    b = np.where(rng.random(600) < 0.8, a, 1 - a)
    r = paired_bootstrap(a, b, statistic="accuracy", n_resamples=4000, seed=3, return_distribution=True)
    assert r.difference == pytest.approx(a.mean() - b.mean(), rel=1e-12)
    assert r.distribution is not None
    ci = _scipy_from_distribution((a, b), lambda x, y, axis=-1: x.mean(axis=axis) - y.mean(axis=axis),
                                  r.distribution, "BCa")
    assert (r.low, r.high) == pytest.approx((ci.low, ci.high), rel=1e-9, abs=1e-12)
    same = paired_bootstrap(a, a, n_resamples=200)
    assert same.difference == 0.0 and same.pvalue == 1.0
    clear = paired_bootstrap(np.ones(300), np.r_[np.ones(150), np.zeros(150)], method="percentile",
                             n_resamples=999)
    assert clear.pvalue == pytest.approx(1 / 1000)


def test_paired_bootstrap_rmse_and_bleu(pair_generator: Any) -> None:
    rng = np.random.default_rng(1)
    e1, e2 = rng.normal(0, 0.2, 300), rng.normal(0, 0.3, 300)
    r = paired_bootstrap(e1, e2, statistic="rmse", n_resamples=2000)
    assert r.difference == pytest.approx(np.sqrt(np.mean(e1**2)) - np.sqrt(np.mean(e2**2)), rel=1e-12)
    assert r.low < r.difference < r.high
    pairs = pair_generator(9, 200)
    refs = [p[1] for p in pairs]
    s1 = bleu_stats([h for h, _ in pairs], refs, flavor="coco")
    s2 = bleu_stats([r[0] for r in refs], refs, flavor="coco")  # a perfect system
    rb = paired_bootstrap(s1, s2, statistic="bleu", n_resamples=1000)
    assert rb.high < 0 and rb.pvalue < 0.01


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="at least 2 cases"):
        bootstrap_ci([1.0])
    with pytest.raises(ValueError, match="unknown statistic"):
        bootstrap_ci([1.0, 2.0], statistic="median")
    with pytest.raises(ValueError, match="method"):
        bootstrap_ci([1.0, 2.0], method="basic")
    with pytest.raises(ValueError, match="strata"):
        bootstrap_ci([1.0, 2.0], strata=[0])
    with pytest.raises(ValueError, match="differ in shape"):
        paired_bootstrap([1.0, 0.0], [1.0, 0.0, 1.0])
    with pytest.raises(ValueError, match="10 column"):
        bootstrap_ci(np.zeros((5, 4)), statistic="bleu")
