"""Bootstrap rules without a reference library: strata, degenerate samples, the paired p-value, determinism across
thread counts and concurrent callers, coverage by simulation, and errors (parity: tests/parity/test_bootstrap.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from typing import Any

import numpy as np
import pytest

from u2fast.scoring import bleu_stats, bootstrap_ci, corpus_bleu, paired_bootstrap


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


def test_paired_sacrebleu_difference_is_the_corpus_difference(single_ref_pairs: list[tuple[str, list[str]]]) -> None:
    pairs = single_ref_pairs[:300]
    refs = [r for _, r in pairs]
    hyp_a = [h for h, _ in pairs]
    hyp_b = [r[0] for r in refs]
    sa, sb = bleu_stats(hyp_a, refs), bleu_stats(hyp_b, refs)
    r = paired_bootstrap(sa, sb, statistic="sacrebleu", n_resamples=500)
    assert r.difference == pytest.approx(corpus_bleu(hyp_a, refs).score - corpus_bleu(hyp_b, refs).score, abs=1e-9)
    same = paired_bootstrap(sa, sa, statistic="sacrebleu", n_resamples=300, method="percentile")
    assert same.pvalue == 1.0 and same.percentile == (0.0, 0.0)


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


@pytest.mark.parametrize("method", ["percentile", "bca"])
def test_coverage_of_95_percent_intervals(method: str) -> None:
    rng = np.random.default_rng(2024)
    sims, covered = 1500, 0
    for k in range(sims):
        x = rng.normal(1.0, 2.0, 200)
        r = bootstrap_ci(x, method=method, n_resamples=1000, seed=k)
        covered += r.low <= 1.0 <= r.high
    assert 0.935 <= covered / sims <= 0.965, covered / sims


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
        for threads in ("1", "2", "5")
    }
    assert len(outs) == 1, outs
    a = bootstrap_ci(np.arange(50.0), seed=1, n_resamples=300)
    b = bootstrap_ci(np.arange(50.0), seed=2, n_resamples=300)
    assert a.low != b.low or a.high != b.high


def test_python_threads_calling_at_once_get_the_sequential_results(multi_ref_pairs: list[tuple[str, list[str]]]) -> None:
    # Every entry point releases the GIL and shares rayon's pool; concurrent callers must not interfere.
    from concurrent.futures import ThreadPoolExecutor

    from u2fast.scoring import rouge

    hyps, refs = [h for h, _ in multi_ref_pairs[:800]], [r for _, r in multi_ref_pairs[:800]]
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
