"""Stratified run-level intervals from aggregate_cases: scipy's BCa arithmetic on the same resampled
values (checking the O(n) jackknife against scipy's brute-force one), coverage, and determinism."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from scipy import stats

from u2fast.scoring import aggregate_cases, bleu_stats


def _run(pair_generator: Any, seed: int = 0) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    tasks = np.array([0, 0, 1, 3, 3, 5, 5, 6, 7, 2], dtype=np.int8)
    in_u2 = np.array([True, False, True, True, True, True, True, True, True, True])
    sizes = np.array([40, 25, 30, 35, 20, 30, 25, 30, 25, 1])
    idx = rng.permutation(np.repeat(np.arange(len(tasks), dtype=np.int32), sizes))
    n = len(idx)
    pairs = pair_generator(seed + 100, n)
    return {
        "idx": idx, "tasks": tasks, "in_u2": in_u2,
        "correct": (rng.random(n) < 0.45).astype(np.float64),
        "error": rng.normal(0.05, 0.25, n),
        "bleu": bleu_stats([h for h, _ in pairs], [r for _, r in pairs], flavor="coco"),
    }


def _column_statistic(run: dict[str, Any], col: int) -> Callable[[np.ndarray], float]:
    def statistic(i: np.ndarray) -> float:
        r = aggregate_cases(run["idx"][i], run["tasks"], run["in_u2"], run["correct"][i], run["error"][i],
                            run["bleu"][i])
        return float(np.r_[r.dataset_metric, r.task_metric, r.u2][col])
    return statistic


def test_bca_equals_scipy_on_the_same_resamples(pair_generator: Any) -> None:
    run = _run(pair_generator)
    agg = aggregate_cases(run["idx"], run["tasks"], run["in_u2"], run["correct"], run["error"], run["bleu"],
                          n_resamples=2000, seed=5, return_distribution=True)
    iv = agg.intervals
    assert iv is not None and iv.distribution is not None
    nd = len(run["tasks"])
    assert iv.distribution.shape == (2000, nd + 9)
    bca = np.vstack([iv.dataset_bca, iv.task_bca, np.array(iv.u2_bca)[None]])
    pct = np.vstack([iv.dataset_percentile, iv.task_percentile, np.array(iv.u2_percentile)[None]])
    n = len(run["idx"])
    # DD dataset, not-in-U2 dataset, CVE dataset, RG dataset, one-case LL dataset, DD/OD/CVE/RG/LL tasks, U2.
    for col in [0, 1, 5, 7, 9, nd + 0, nd + 2, nd + 3, nd + 5, nd + 6, nd + 8]:
        dist = iv.distribution[:, col]
        prior = SimpleNamespace(bootstrap_distribution=dist)
        with warnings.catch_warnings():
            # The one-case dataset's jackknife is NaN: scipy warns and returns NaN, as we do.
            warnings.simplefilter("ignore", stats.DegenerateDataWarning)
            ref = stats.bootstrap((np.arange(n),), _column_statistic(run, col), n_resamples=0,
                                  bootstrap_result=prior, method="BCa", vectorized=False)
            ref_pct = stats.bootstrap((np.arange(n),), _column_statistic(run, col), n_resamples=0,
                                      bootstrap_result=prior, method="percentile", vectorized=False)
        np.testing.assert_allclose(bca[col], [ref.confidence_interval.low, ref.confidence_interval.high],
                                   rtol=1e-9, atol=1e-12, err_msg=f"column {col}")
        np.testing.assert_allclose(pct[col], [ref_pct.confidence_interval.low, ref_pct.confidence_interval.high],
                                   rtol=1e-12, atol=1e-12, err_msg=f"column {col}")


def test_intervals_are_reproducible_and_stratified(pair_generator: Any) -> None:
    run = _run(pair_generator, seed=1)
    args = (run["idx"], run["tasks"], run["in_u2"], run["correct"], run["error"], run["bleu"])
    a = aggregate_cases(*args, n_resamples=500, seed=9)
    b = aggregate_cases(*args, n_resamples=500, seed=9)
    assert a.intervals is not None and b.intervals is not None
    np.testing.assert_array_equal(a.intervals.task_bca, b.intervals.task_bca)
    assert a.intervals.u2_bca == b.intervals.u2_bca
    assert a.intervals.u2_percentile[0] < a.u2 < a.intervals.u2_percentile[1]
    # Tasks without datasets (KD here) have NaN intervals; the one-case dataset has a zero-width one.
    assert np.isnan(a.intervals.task_percentile[4]).all()
    assert a.intervals.dataset_percentile[9, 0] == a.intervals.dataset_percentile[9, 1]
    assert aggregate_cases(*args).intervals is None


def test_u2_interval_coverage() -> None:
    rng = np.random.default_rng(77)
    tasks = np.array([0, 0, 1, 3, 3, 5], dtype=np.int8)
    in_u2 = np.ones(6, dtype=bool)
    p = np.array([0.5, 0.3, 0.4, 0.2, 0.6, np.nan])
    sigma = 0.2
    sizes = np.array([80, 60, 80, 70, 60, 80])
    idx = np.repeat(np.arange(6, dtype=np.int32), sizes)
    truth_tasks = np.array([0.4, 0.4, np.nan, 0.4, np.nan, sigma, np.nan, np.nan])
    w = {0: 0.2, 1: 0.2, 3: 0.27, 5: 0.07}
    truth = sum(w[t] * (1 - truth_tasks[t] if t == 5 else truth_tasks[t]) for t in w)
    sims = 2000
    covered = {"percentile": 0, "bca": 0}
    for k in range(sims):
        correct = (rng.random(len(idx)) < np.nan_to_num(p[idx])).astype(np.float64)
        error = rng.normal(0.0, sigma, len(idx))
        r = aggregate_cases(idx, tasks, in_u2, correct, error, None, n_resamples=1000, seed=k,
                            missing_cve_is_perfect=False)
        assert r.intervals is not None
        covered["percentile"] += r.intervals.u2_percentile[0] <= truth <= r.intervals.u2_percentile[1]
        covered["bca"] += r.intervals.u2_bca[0] <= truth <= r.intervals.u2_bca[1]
    for method, c in covered.items():
        assert 0.935 <= c / sims <= 0.965, (method, c / sims)


def test_bad_interval_arguments() -> None:
    args: tuple[Any, ...] = (np.zeros(3, np.int32), np.array([0], np.int8), np.array([True]), np.ones(3), None, None)
    with pytest.raises(ValueError, match="confidence"):
        aggregate_cases(*args, n_resamples=10, confidence=1.5)
    with pytest.raises(ValueError, match="n_resamples"):
        aggregate_cases(*args, n_resamples=1)
    with pytest.raises(ValueError, match="seed"):
        aggregate_cases(*args, n_resamples=10, seed=-1)


def test_run_intervals_do_not_depend_on_the_thread_count() -> None:
    code = (
        "import numpy as np\n"
        "from u2fast.scoring import aggregate_cases\n"
        "rng = np.random.default_rng(0)\n"
        "idx = np.repeat(np.arange(4, dtype=np.int32), [300, 200, 250, 100])\n"
        "r = aggregate_cases(idx, np.array([0, 1, 3, 5], np.int8), np.ones(4, bool),\n"
        "                    (rng.random(850) < 0.4).astype(float), rng.normal(0, 0.2, 850), None,\n"
        "                    n_resamples=3000, seed=11)\n"
        "print(repr((r.intervals.u2_bca, r.intervals.task_bca.tolist())))\n"
    )
    outs = {
        subprocess.run([sys.executable, "-c", code], env={**os.environ, "RAYON_NUM_THREADS": threads},
                       capture_output=True, text=True, check=True).stdout
        for threads in ("1", "3")
    }
    assert len(outs) == 1


def test_same_seed_and_layout_draw_the_same_cases_so_runs_can_be_paired() -> None:
    # `u2fast compare` subtracts two runs' distributions: that is a paired bootstrap only if both
    # runs resample the same cases, which holds when seed, dataset layout and case order agree.
    rng = np.random.default_rng(4)
    idx = np.repeat(np.arange(3, dtype=np.int32), [120, 80, 60])
    tasks, in_u2 = np.array([0, 3, 5], np.int8), np.ones(3, bool)
    x = (rng.random(260) < 0.5).astype(float)
    err = rng.normal(0, 0.2, 260)
    a = aggregate_cases(idx, tasks, in_u2, x, err, None, n_resamples=500, seed=3, return_distribution=True)
    b = aggregate_cases(idx, tasks, in_u2, 1 - x, -err, None, n_resamples=500, seed=3, return_distribution=True)
    assert a.intervals is not None and b.intervals is not None
    da, db = a.intervals.distribution, b.intervals.distribution
    assert da is not None and db is not None
    np.testing.assert_allclose(da[:, 0] + db[:, 0], 1.0, rtol=0, atol=1e-12)  # mean(x*) + mean(1 − x*)
    np.testing.assert_array_equal(da[:, 2], db[:, 2])  # RMSE of e* and of −e*
