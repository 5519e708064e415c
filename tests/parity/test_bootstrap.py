"""Bootstrap intervals against scipy.stats.bootstrap: exact interval arithmetic on the same resampled values (sizes
2..1000, confidence 0.9/0.95/0.99, strata, mean/accuracy/RMSE/ratio/BLEU, paired differences), agreement of
independent resampling within sampling error, and sacreBLEU's corpus score as the estimate."""

from __future__ import annotations

import warnings
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from scipy import stats

from u2fast.scoring import bleu_stats, bootstrap_ci, paired_bootstrap


def _scipy_ci(data: tuple[np.ndarray, ...], statistic: Any, dist: np.ndarray, method: str, confidence: float) -> Any:
    prior = SimpleNamespace(bootstrap_distribution=dist)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # DegenerateDataWarning on the NaN cases we compare
        return stats.bootstrap(data, statistic, n_resamples=0, bootstrap_result=prior, method=method,
                               confidence_level=confidence, paired=len(data) > 1, vectorized=True).confidence_interval


def _mean(x: np.ndarray, axis: int = -1) -> np.ndarray:
    return x.mean(axis=axis)


def _rms(x: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.sqrt((x * x).mean(axis=axis))


def _ratio(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    return x.sum(axis=axis) / y.sum(axis=axis)


def _sample(rng: np.random.Generator, kind: str, n: int) -> tuple[np.ndarray, ...]:
    if kind == "accuracy":
        return ((rng.random(n) < rng.random()).astype(float),)
    x = rng.standard_normal(n) * float(rng.choice([1e-6, 1.0, 1e6])) + float(rng.choice([0.0, 5.0]))
    return (x, rng.random(n) + 0.5) if kind == "ratio" else (x,)


STATISTIC_OF = {"mean": _mean, "accuracy": _mean, "rmse": _rms, "ratio": _ratio}


def _coco_bleu4(*cols: np.ndarray, axis: int = -1) -> np.ndarray:
    s = [c.sum(axis=axis) for c in cols]
    bleu = np.ones_like(s[0], dtype=np.float64)
    for k in range(4):
        bleu = bleu * (s[2 + k] + 1e-15) / (s[6 + k] + 1e-9)
    out = bleu ** (1.0 / 4)
    ratio = (s[0] + 1e-15) / (s[1] + 1e-9)
    return 100 * np.where(ratio < 1, out * np.exp(1 - 1 / ratio), out)


@pytest.mark.parametrize("trial", range(48))
def test_intervals_equal_scipy_on_the_same_resamples(trial: int) -> None:
    """Sizes 2..1000, confidence 0.9/0.95/0.99, strata, four statistics: percentile bit for bit, BCa to 1e-12."""
    rng = np.random.default_rng(1000 + trial)
    kind = ("mean", "accuracy", "rmse", "ratio")[trial % 4]
    n = int(rng.choice([2, 3, 5, 17, 100, 1000]))
    confidence = (0.9, 0.95, 0.99)[trial % 3]
    data = _sample(rng, kind, n)
    strata = rng.integers(0, 3, n) if trial % 5 == 0 and n >= 6 else None
    extra: dict[str, Any] = {"denominator": data[1]} if kind == "ratio" else {}
    ours = bootstrap_ci(data[0], statistic=kind, confidence=confidence, n_resamples=int(rng.choice([99, 1000, 2000])),
                        seed=trial, strata=strata, return_distribution=True, **extra)
    assert ours.distribution is not None
    statistic = STATISTIC_OF[kind]
    scale = max(abs(float(statistic(*data))), float(np.std(data[0])), 1e-300)
    assert ours.estimate == pytest.approx(float(statistic(*data)), rel=1e-12)
    assert ours.standard_error == pytest.approx(float(np.std(ours.distribution, ddof=1)), rel=1e-9, abs=1e-300)
    pct = _scipy_ci(data, statistic, ours.distribution, "percentile", confidence)
    assert ours.percentile == (pct.low, pct.high)
    bca = _scipy_ci(data, statistic, ours.distribution, "BCa", confidence)
    if np.isnan(bca.low):
        assert np.isnan(ours.bca).all()
    else:
        np.testing.assert_allclose(ours.bca, (bca.low, bca.high), rtol=0, atol=1e-12 * scale)


def test_an_infinite_resampled_ratio_gives_scipys_interval() -> None:
    # Resamples that draw only zero denominators are +inf: scipy's upper bound is inf, not NaN.
    x, y = np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 0.0])
    ours = bootstrap_ci(x, statistic="ratio", denominator=y, n_resamples=1000, return_distribution=True)
    assert ours.distribution is not None and np.isinf(ours.distribution).any()
    pct = _scipy_ci((x, y), _ratio, ours.distribution, "percentile", 0.95)
    assert ours.percentile == (pct.low, pct.high) == (1.0, np.inf)
    assert np.isnan(ours.bca).all()


def test_bleu_interval_arithmetic_equals_scipy(pair_generator: Any) -> None:
    pairs = pair_generator(4, 150)
    st = bleu_stats([h for h, _ in pairs], [r for _, r in pairs], flavor="coco")
    ours = bootstrap_ci(st, statistic="bleu", n_resamples=2000, seed=2, return_distribution=True)
    assert ours.distribution is not None
    cols = tuple(st[:, j].astype(np.float64) for j in range(10))
    ci = _scipy_ci(cols, _coco_bleu4, ours.distribution, "BCa", 0.95)
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


@pytest.mark.parametrize("confidence", [0.9, 0.99])
def test_agrees_with_scipys_own_resampling(confidence: float) -> None:
    rng = np.random.default_rng(21)
    x = rng.lognormal(0.0, 1.0, 400)
    ref = stats.bootstrap((x,), _mean, method="BCa", confidence_level=confidence, n_resamples=20_000, rng=1,
                          vectorized=True)
    ours = bootstrap_ci(x, confidence=confidence, n_resamples=20_000, seed=1)
    se = ref.standard_error
    # Independent resamples: the endpoints differ by Monte Carlo noise only. The SD of a tail quantile
    # of B draws is about sqrt(a(1 - a)/B)/φ(z_a)·SE; allow 4.5 SDs of the difference of two of them.
    tail = (1 - confidence) / 2
    noise = np.sqrt(2 * tail * (1 - tail) / 20_000) / stats.norm.pdf(stats.norm.ppf(tail)) * se
    assert abs(ours.low - ref.confidence_interval.low) < 4.5 * noise
    assert abs(ours.high - ref.confidence_interval.high) < 4.5 * noise
    assert ours.standard_error == pytest.approx(se, rel=0.05)


def test_paired_bootstrap_accuracy_difference() -> None:
    rng = np.random.default_rng(8)
    a = (rng.random(600) < 0.55).astype(float)
    b = np.where(rng.random(600) < 0.8, a, 1 - a)
    r = paired_bootstrap(a, b, statistic="accuracy", n_resamples=4000, seed=3, return_distribution=True)
    assert r.difference == pytest.approx(a.mean() - b.mean(), rel=1e-12)
    assert r.distribution is not None
    ci = _scipy_ci((a, b), lambda x, y, axis=-1: x.mean(axis=axis) - y.mean(axis=axis), r.distribution, "BCa", 0.95)
    assert (r.low, r.high) == pytest.approx((ci.low, ci.high), rel=1e-9, abs=1e-12)
    same = paired_bootstrap(a, a, n_resamples=200)
    assert same.difference == 0.0 and same.pvalue == 1.0
    clear = paired_bootstrap(np.ones(300), np.r_[np.ones(150), np.zeros(150)], method="percentile",
                             n_resamples=999)
    assert clear.pvalue == pytest.approx(1 / 1000)


def test_paired_intervals_equal_scipy_on_the_same_resamples(single_ref_pairs: list[tuple[str, list[str]]]) -> None:
    """The jackknife of a difference (whole cases left out of both systems) for coco BLEU and RMSE."""
    pairs = single_ref_pairs[:150]
    refs = [r[0] for _, r in pairs]
    better = [r if i % 3 else h for i, ((h, _), r) in enumerate(zip(pairs, refs))]
    a = bleu_stats([h for h, _ in pairs], refs, flavor="coco")
    b = bleu_stats(better, refs, flavor="coco")
    e1 = np.random.default_rng(1).normal(0, 0.2, 200)
    e2 = e1 + np.random.default_rng(2).normal(0, 0.05, 200)
    cases: list[tuple[Any, Any, str, tuple[np.ndarray, ...], Any]] = [
        (a, b, "bleu", tuple(a[:, k].astype(float) for k in range(10)) + tuple(b[:, k].astype(float) for k in range(10)),
         lambda *c, axis=-1: _coco_bleu4(*c[:10], axis=axis) - _coco_bleu4(*c[10:], axis=axis)),
        (e1, e2, "rmse", (e1, e2), lambda x, y, axis=-1: _rms(x, axis) - _rms(y, axis)),
    ]
    for first, second, name, data, statistic in cases:
        r = paired_bootstrap(first, second, statistic=name, n_resamples=2000, seed=6, return_distribution=True)
        assert r.distribution is not None
        assert r.difference == pytest.approx(float(statistic(*data)), rel=1e-12)
        pct = _scipy_ci(data, statistic, r.distribution, "percentile", 0.95)
        assert r.percentile == (pct.low, pct.high)
        bca = _scipy_ci(data, statistic, r.distribution, "BCa", 0.95)
        np.testing.assert_allclose(r.bca, (bca.low, bca.high), rtol=1e-12)
