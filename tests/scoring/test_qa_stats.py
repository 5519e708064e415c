"""QA: McNemar against statsmodels on a grid of tables, and bootstrap intervals against scipy on a grid of
samples, confidences, strata and statistics (exact CI arithmetic on our resamples), degenerate samples,
thread counts and the paired bootstrap's p-value."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import warnings
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar

from u2fast.scoring import bleu_stats, bootstrap_ci, corpus_bleu, mcnemar, paired_bootstrap

# ---------------------------------------------------------------------------------------------- McNemar

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
    for b, c in [(1.5, 2.0), (0.1, 0.0), (2.5, 7.25)]:
        with pytest.raises(ValueError, match="integer"):
            mcnemar(b, c)
        ref = sm_mcnemar(np.array([[0, b], [c, 0]]), exact=False)
        got = mcnemar(b, c, exact=False)
        assert got.statistic == pytest.approx(ref.statistic, rel=1e-15)
        assert got.pvalue == pytest.approx(ref.pvalue, rel=1e-12)


def test_mcnemar_rejects_what_is_not_a_count() -> None:
    for b in (np.nan, np.inf, -1.0):
        with pytest.raises(ValueError, match="non-negative"):
            mcnemar(b, 2)
    with pytest.raises(ValueError, match="table 1"):  # the offending table is named
        mcnemar([3, -1], [2, 2])


# ----------------------------------------------------------------------------------------- bootstrap_ci


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


def test_degenerate_samples() -> None:
    for n in (0, 1):
        with pytest.raises(ValueError, match="at least 2"):
            bootstrap_ci(np.ones(n))
    for method in ("percentile", "bca"):
        r = bootstrap_ci([2.5] * 7, method=method, n_resamples=300)
        assert r.estimate == 2.5 and r.percentile == (2.5, 2.5) and np.isnan(r.bca).all()
        assert r.standard_error == 0.0
    two = bootstrap_ci([1.0, 3.0], n_resamples=500, return_distribution=True)
    assert two.distribution is not None and set(np.unique(two.distribution)) <= {1.0, 2.0, 3.0}
    with pytest.raises(ValueError, match=r"\(n, 2\) rows"):
        bootstrap_ci([1.0, 2.0], statistic="ratio")
    with pytest.raises(ValueError, match="rows from bleu_stats"):
        bootstrap_ci([1.0, 2.0], statistic="bleu")


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


def test_identical_systems_and_the_p_value() -> None:
    rng = np.random.default_rng(5)
    a = (rng.random(500) < 0.6).astype(float)
    same = paired_bootstrap(a, a, n_resamples=999, method="percentile")
    assert same.difference == 0.0 and same.pvalue == 1.0 and same.low <= 0.0 <= same.high
    b = np.where(rng.random(500) < 0.9, a, 1 - a)
    r = paired_bootstrap(a, b, n_resamples=2000, seed=4, return_distribution=True)
    assert r.distribution is not None
    d = r.distribution
    expect = (np.count_nonzero(np.abs(d - r.difference) >= abs(r.difference)) + 1) / (len(d) + 1)
    assert r.pvalue == pytest.approx(expect, rel=1e-12)
    flipped = paired_bootstrap(b, a, n_resamples=2000, seed=4, return_distribution=True)
    assert flipped.distribution is not None
    np.testing.assert_array_equal(flipped.distribution, -d)  # same seed, same resamples
    assert flipped.pvalue == r.pvalue and flipped.difference == -r.difference


def test_paired_sacrebleu_difference_is_the_corpus_difference(qa_single: list[tuple[str, list[str]]]) -> None:
    pairs = qa_single[:300]
    refs = [r for _, r in pairs]
    hyp_a = [h for h, _ in pairs]
    hyp_b = [r[0] for r in refs]
    sa, sb = bleu_stats(hyp_a, refs), bleu_stats(hyp_b, refs)
    r = paired_bootstrap(sa, sb, statistic="sacrebleu", n_resamples=500)
    assert r.difference == pytest.approx(corpus_bleu(hyp_a, refs).score - corpus_bleu(hyp_b, refs).score, abs=1e-9)
    same = paired_bootstrap(sa, sa, statistic="sacrebleu", n_resamples=300, method="percentile")
    assert same.pvalue == 1.0 and same.percentile == (0.0, 0.0)


def test_thread_count_does_not_change_any_interval() -> None:
    code = textwrap.dedent("""
        import numpy as np
        from u2fast.scoring import bleu_stats, bootstrap_ci, paired_bootstrap
        rng = np.random.default_rng(2)
        x = rng.random(2500)
        labels = rng.integers(0, 7, 2500)
        out = []
        for method in ("percentile", "bca"):
            r = bootstrap_ci(x, method=method, strata=labels, n_resamples=3001, seed=9, confidence=0.9)
            out.append((r.low, r.high, r.standard_error))
            r = bootstrap_ci(x, statistic="ratio", denominator=x + 1, method=method, n_resamples=777, seed=2**64 - 1)
            out.append((r.low, r.high))
        y = (rng.random(2500) < 0.5).astype(float)
        p = paired_bootstrap(y, 1 - y, strata=labels, n_resamples=1234, seed=5)
        out.append((p.low, p.high, p.pvalue))
        s = bleu_stats(["a b c d e"] * 40 + ["a b x"] * 40, ["a b c d"] * 80, flavor="coco")
        b = bootstrap_ci(s, statistic="bleu", n_resamples=999)
        out.append((b.low, b.high))
        print(repr(out))
    """)
    outs = {
        subprocess.run([sys.executable, "-c", code], env={**os.environ, "RAYON_NUM_THREADS": threads},
                       capture_output=True, text=True, check=True).stdout
        for threads in ("1", "2")
    }
    assert len(outs) == 1, outs


def test_python_threads_calling_at_once_get_the_sequential_results(qa_multi: list[tuple[str, list[str]]]) -> None:
    # Every entry point releases the GIL and shares rayon's pool; concurrent callers must not interfere.
    from concurrent.futures import ThreadPoolExecutor

    from u2fast.scoring import rouge

    hyps, refs = [h for h, _ in qa_multi[:800]], [r for _, r in qa_multi[:800]]
    coco = bleu_stats(hyps, refs, flavor="coco")

    def job(k: int) -> Any:
        if k % 3 == 0:
            return corpus_bleu(hyps, refs, lowercase=bool(k % 2)).score
        if k % 3 == 1:
            return rouge(hyps, refs, stemmer=True)["rougeLsum"].fmeasure
        return bootstrap_ci(coco, statistic="bleu", n_resamples=300, seed=k).bca

    sequential = [job(k) for k in range(9)]
    with ThreadPoolExecutor(4) as pool:
        concurrent = list(pool.map(job, range(9)))
    for one, other in zip(sequential, concurrent):
        np.testing.assert_array_equal(one, other)


def _coco_bleu4(cols: tuple[np.ndarray, ...], axis: int) -> np.ndarray:
    s = [c.sum(axis=axis) for c in cols]
    bleu = np.ones_like(s[0], dtype=float)
    for k in range(4):
        bleu = bleu * (s[2 + k] + 1e-15) / (s[6 + k] + 1e-9)
    ratio = (s[0] + 1e-15) / (s[1] + 1e-9)
    return 100 * np.where(ratio < 1, bleu**0.25 * np.exp(1 - 1 / ratio), bleu**0.25)


def test_paired_intervals_equal_scipy_on_the_same_resamples(qa_single: list[tuple[str, list[str]]]) -> None:
    """The jackknife of a difference (whole cases left out of both systems) for coco BLEU and RMSE."""
    pairs = qa_single[:150]
    refs = [r[0] for _, r in pairs]
    better = [r if i % 3 else h for i, ((h, _), r) in enumerate(zip(pairs, refs))]
    a = bleu_stats([h for h, _ in pairs], refs, flavor="coco")
    b = bleu_stats(better, refs, flavor="coco")
    e1 = np.random.default_rng(1).normal(0, 0.2, 200)
    e2 = e1 + np.random.default_rng(2).normal(0, 0.05, 200)
    cases: list[tuple[Any, Any, str, tuple[np.ndarray, ...], Any]] = [
        (a, b, "bleu", tuple(a[:, k].astype(float) for k in range(10)) + tuple(b[:, k].astype(float) for k in range(10)),
         lambda *c, axis=-1: _coco_bleu4(c[:10], axis) - _coco_bleu4(c[10:], axis)),
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
