"""aggregate_cases against a plain numpy + pycocoevalcap re-implementation of docs/u2bench.md 4 and 6 on random run
layouts (empty data sets, data sets outside U2, tolerance edges, answers outside the range), its resampled
distribution column by column with scipy's quantiles and BCa arithmetic on the same resamples, and u2_score against
the published rows."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from pycocoevalcap.bleu.bleu import Bleu
from scipy import stats
from score_layouts import interval_run

from u2fast.scoring import TASK_CODES, aggregate_cases, bleu_stats, u2_score

WEIGHTS = np.array([0.20, 0.20, 0.07, 0.27, 0.07, 0.07, 0.08, 0.04])


def _u2(task_metric: np.ndarray, missing_cve_is_perfect: bool) -> float:
    """docs/u2bench.md 6.1/6.2 written out: clip each task score, a missing one counts 0 (CVE: RMSE 0 in compat)."""
    s = np.array(task_metric, dtype=float)
    if np.isnan(s[5]):
        s[5] = 0.0 if missing_cve_is_perfect else 1.0
    s[5] = 1.0 - s[5]
    s[6:] /= 100.0
    return float(np.sum(WEIGHTS * np.where(np.isnan(s), 0.0, np.clip(s, 0.0, 1.0))))


def _task_means(dataset_metric: np.ndarray, tasks: np.ndarray, in_u2: np.ndarray) -> np.ndarray:
    out = np.full(8, np.nan)
    for t in range(8):
        vals = dataset_metric[(tasks == t) & in_u2]
        vals = vals[~np.isnan(vals)]
        if len(vals):
            out[t] = vals.mean()
    return out


def _random_run(seed: int, qa: list[tuple[str, list[str]]]) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    d = int(rng.integers(1, 16))
    tasks = rng.integers(0, 8, d).astype(np.int8)
    in_u2 = rng.random(d) < 0.8
    sizes = rng.integers(0, 40, d) * (rng.random(d) < 0.85)  # some datasets have no case at all
    idx = rng.permutation(np.repeat(np.arange(d, dtype=np.int32), sizes))
    n = len(idx)
    case_task = tasks[idx]
    correct = np.where(case_task < 5, (rng.random(n) < rng.random()).astype(float), np.nan)
    # Errors on the tolerance boundary (±0.1 exactly) and beyond 1 (an answer outside the range).
    error = rng.choice([0.1, -0.1, 0.0, 1.7], n) * (rng.random(n) < 0.3) + rng.normal(0, 0.3, n) * (rng.random(n) < 0.7)
    error = np.where(case_task == 5, error, np.nan)
    start = int(rng.integers(0, len(qa) - n)) if n < len(qa) else 0
    texts = [(qa[start + i][0], qa[start + i][1][0]) for i in range(n)]
    bleu = bleu_stats([h for h, _ in texts], [r for _, r in texts], flavor="coco")
    return {"idx": idx, "tasks": tasks, "in_u2": in_u2, "correct": correct, "error": error, "bleu": bleu,
            "texts": texts}


def _reference(run: dict[str, Any], tolerance: float) -> dict[str, np.ndarray]:
    idx, tasks, texts = run["idx"], run["tasks"], run["texts"]
    d = len(tasks)
    out = {k: np.full(d, np.nan) for k in ("metric", "mae", "std", "tol")}
    out["bleu_n"] = np.full((d, 4), np.nan)
    out["n"] = np.array([np.count_nonzero(idx == k) for k in range(d)])
    for k, t in enumerate(tasks):
        rows = np.flatnonzero(idx == k)
        if len(rows) == 0:
            continue
        if t < 5:
            out["metric"][k] = run["correct"][rows].mean()
        elif t == 5:
            e = run["error"][rows]
            out["metric"][k] = np.sqrt(np.mean(e * e))
            out["mae"][k], out["std"][k] = np.mean(np.abs(e)), np.std(e)
            out["tol"][k] = 100.0 * np.mean(np.abs(e) <= tolerance)
        else:
            score, _ = Bleu(4).compute_score({int(i): [texts[i][1]] for i in rows},
                                             {int(i): [texts[i][0]] for i in rows}, verbose=0)
            out["bleu_n"][k] = 100.0 * np.array(score)
            out["metric"][k] = 100.0 * score[3]
    return out


@pytest.mark.parametrize("seed", range(12))
def test_random_runs_equal_a_plain_reimplementation(seed: int, single_ref_pairs: list[tuple[str, list[str]]]) -> None:
    run = _random_run(seed, single_ref_pairs)
    tolerance = (0.1, 0.05, 0.0)[seed % 3]
    ref = _reference(run, tolerance)
    for compat in (True, False):
        got = aggregate_cases(run["idx"], run["tasks"], run["in_u2"], run["correct"], run["error"], run["bleu"],
                              missing_cve_is_perfect=compat, tolerance=tolerance)
        np.testing.assert_array_equal(got.dataset_n, ref["n"])
        np.testing.assert_allclose(got.dataset_metric, ref["metric"], rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(got.dataset_mae, ref["mae"], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(got.dataset_std, ref["std"], rtol=1e-9, atol=1e-15)
        np.testing.assert_allclose(got.dataset_within_tolerance, ref["tol"], rtol=1e-12)  # ±tolerance counts
        np.testing.assert_allclose(got.dataset_bleu_n, ref["bleu_n"], rtol=0, atol=1e-9)
        task = _task_means(ref["metric"], run["tasks"], run["in_u2"])
        np.testing.assert_allclose(got.task_metric, task, rtol=1e-12, atol=1e-12)
        assert got.u2 == pytest.approx(_u2(task, compat), abs=1e-12)
        assert got.u2 == pytest.approx(u2_score({c: float(v) for c, v in zip(TASK_CODES, got.task_metric)},
                                                missing_cve_is_perfect=compat), abs=1e-15)


@pytest.mark.parametrize("seed", [3, 4])
def test_resampled_columns_are_consistent(seed: int, single_ref_pairs: list[tuple[str, list[str]]]) -> None:
    """Each resample's task columns are the mean of its in-U2 dataset columns, its U2 column the formula,
    and the reported intervals are scipy's quantiles of those columns."""
    run = _random_run(seed, single_ref_pairs)
    got = aggregate_cases(run["idx"], run["tasks"], run["in_u2"], run["correct"], run["error"], run["bleu"],
                          n_resamples=1500, seed=seed, confidence=0.9, return_distribution=True)
    iv = got.intervals
    assert iv is not None and iv.distribution is not None
    d = len(run["tasks"])
    dist = iv.distribution
    assert dist.shape == (1500, d + 9)
    for b in range(0, 1500, 97):
        task = _task_means(dist[b, :d], run["tasks"], run["in_u2"])
        np.testing.assert_allclose(dist[b, d:d + 8], task, rtol=1e-12, atol=1e-12)
        assert dist[b, d + 8] == pytest.approx(_u2(task, True), abs=1e-12)
    for col in range(d + 9):
        values = dist[:, col]
        expect = (np.nan, np.nan) if np.isnan(values).any() else tuple(stats.quantile(values, [(1 - 0.9) / 2, 1 - (1 - 0.9) / 2]))
        got_pct = np.concatenate([iv.dataset_percentile, iv.task_percentile, [iv.u2_percentile]])[col]
        np.testing.assert_array_equal(got_pct, expect)
    # Stratified: every resample keeps each dataset's size, so empty datasets stay NaN and others never are.
    empty = got.dataset_n == 0
    assert np.isnan(dist[:, :d][:, empty]).all() and not np.isnan(dist[:, :d][:, ~empty]).any()


def _column_statistic(run: dict[str, Any], col: int) -> Callable[[np.ndarray], float]:
    def statistic(i: np.ndarray) -> float:
        r = aggregate_cases(run["idx"][i], run["tasks"], run["in_u2"], run["correct"][i], run["error"][i],
                            run["bleu"][i])
        return float(np.r_[r.dataset_metric, r.task_metric, r.u2][col])
    return statistic


def test_bca_equals_scipy_on_the_same_resamples() -> None:
    run = interval_run()
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


RANDOM = {"DD": 0.4143, "VRA": 0.3195, "LL": 0.1118, "OD": 0.0680, "KD": 0.1120, "CVE": 0.5472}


def test_u2_score_of_the_published_random_row_equals_the_reimplementation() -> None:
    assert u2_score(RANDOM) == pytest.approx(_u2(np.array([RANDOM.get(t, np.nan) for t in TASK_CODES]), True))
