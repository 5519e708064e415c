"""QA: aggregate_cases against a plain numpy + pycocoevalcap re-implementation on random run layouts,
its resampled distribution against the same re-implementation column by column, u2_score against the
published numbers, and the typed stub of the extension checked by mypy's stubtest."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import numpy as np
import pytest
from pycocoevalcap.bleu.bleu import Bleu
from scipy import stats

from u2fast.scoring import TASK_CODES, U2_WEIGHTS, aggregate_cases, bleu_stats, u2_score

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
def test_random_runs_equal_a_plain_reimplementation(seed: int, qa_single: list[tuple[str, list[str]]]) -> None:
    run = _random_run(seed, qa_single)
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


def test_cve_without_any_value() -> None:
    # Two CVE datasets, both empty (e.g. the model never gave a number), one excluded from U2.
    tasks, in_u2 = np.array([0, 5, 5], np.int8), np.array([True, True, False])
    idx, correct = np.zeros(3, np.int32), np.array([1.0, 0.0, 1.0])
    compat = aggregate_cases(idx, tasks, in_u2, correct, None, None)
    robust = aggregate_cases(idx, tasks, in_u2, correct, None, None, missing_cve_is_perfect=False)
    assert np.isnan(compat.task_metric[5]) and np.isnan(compat.dataset_metric[1:]).all()
    assert compat.u2 == pytest.approx(0.2 * 2 / 3 + 0.07) and robust.u2 == pytest.approx(0.2 * 2 / 3)
    # A CVE dataset outside U2 has a metric but does not enter the task mean.
    out = aggregate_cases(np.array([0, 2, 2], np.int32), tasks, in_u2, correct, np.array([np.nan, 0.3, 0.4]), None)
    assert out.dataset_metric[2] == pytest.approx(np.sqrt((0.09 + 0.16) / 2)) and np.isnan(out.task_metric[5])


@pytest.mark.parametrize("seed", [3, 4])
def test_resampled_columns_are_consistent(seed: int, qa_single: list[tuple[str, list[str]]]) -> None:
    """Each resample's task columns are the mean of its in-U2 dataset columns, its U2 column the formula,
    and the reported intervals are scipy's quantiles of those columns."""
    run = _random_run(seed, qa_single)
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


def test_bad_values_are_named() -> None:
    tasks, in_u2 = np.array([0, 5, 6], np.int8), np.array([True, True, True])
    ok = {"correct": [1.0, np.nan, np.nan], "error": [np.nan, 0.2, np.nan], "bleu": np.zeros((3, 10), np.int64)}
    idx = np.array([0, 1, 2], np.int32)
    aggregate_cases(idx, tasks, in_u2, ok["correct"], ok["error"], ok["bleu"])  # NaN where a value does not apply
    with pytest.raises(ValueError, match=r"correct\[0\] = 2 is not in \[0, 1\]"):
        aggregate_cases(idx, tasks, in_u2, [2.0, np.nan, np.nan], ok["error"], ok["bleu"])
    with pytest.raises(ValueError, match=r"error\[1\] is not finite"):
        aggregate_cases(idx, tasks, in_u2, ok["correct"], [np.nan, np.inf, np.nan], ok["bleu"])
    with pytest.raises(ValueError, match=r"bleu\[2\] is not a whole number"):
        aggregate_cases(idx, tasks, in_u2, ok["correct"], ok["error"], np.r_[np.zeros((2, 10)), np.full((1, 10), 0.5)])
    with pytest.raises(ValueError, match=r"dataset_index\[1\] is not a whole number"):
        aggregate_cases([0, 1.5, 2], tasks, in_u2, ok["correct"], ok["error"], ok["bleu"])
    with pytest.raises(ValueError, match=r"dataset_task\[1\] = -1 is not a task code"):
        aggregate_cases(idx, np.array([0, -1, 6], np.int8), in_u2, ok["correct"], ok["error"], ok["bleu"])
    with pytest.raises(ValueError, match="tolerance"):
        aggregate_cases(idx, tasks, in_u2, ok["correct"], ok["error"], ok["bleu"], tolerance=float("nan"))


# ------------------------------------------------------------------------------------------ u2_score

GPT4O = {"DD": 0.4928, "VRA": 0.1504, "LL": 0.1161, "OD": 0.0850, "KD": 0.0840, "CVE": 0.3712, "RG": 2.68, "CG": 33.77}
RANDOM = {"DD": 0.4143, "VRA": 0.3195, "LL": 0.1118, "OD": 0.0680, "KD": 0.1120, "CVE": 0.5472}


def test_published_rows() -> None:
    # docs/u2bench.md 6.3 and 8: the two rows whose inputs are written out; the script rounds to 4 decimals.
    assert u2_score(GPT4O) == pytest.approx(0.225265, abs=1e-12) and round(u2_score(GPT4O), 4) == 0.2253
    assert u2_score(RANDOM) == pytest.approx(0.21248, abs=5e-6) and round(u2_score(RANDOM), 4) == 0.2125
    assert u2_score(RANDOM) == pytest.approx(_u2(np.array([RANDOM.get(t, np.nan) for t in TASK_CODES]), True))


def test_weights_override_and_missing_tasks() -> None:
    assert dict(zip(TASK_CODES, WEIGHTS.tolist())) == U2_WEIGHTS
    as_list = [U2_WEIGHTS[t] for t in TASK_CODES]
    assert u2_score(GPT4O, weights=as_list) == u2_score(GPT4O) == u2_score(GPT4O, weights=U2_WEIGHTS)
    equal = dict.fromkeys(TASK_CODES, 1 / 8)
    assert u2_score(GPT4O, weights=equal) == pytest.approx(
        np.mean([0.4928, 0.1504, 0.1161, 0.0850, 0.0840, 1 - 0.3712, 0.0268, 0.3377]), abs=1e-12)
    # A mapping of weights gives 0 to the tasks it leaves out.
    assert u2_score(GPT4O, weights={"CG": 1.0}) == pytest.approx(0.3377)
    no_text = {k: v for k, v in GPT4O.items() if k not in ("RG", "CG")}
    assert u2_score(no_text) == pytest.approx(0.225265 - 0.002144 - 0.013508, abs=1e-12)
    assert u2_score({**GPT4O, "RG": float("nan")}) == u2_score({k: v for k, v in GPT4O.items() if k != "RG"})
    # Clipping: accuracy above 1, RMSE above 1, BLEU above 100, negative values.
    assert u2_score({"DD": 1.5, "CVE": 1.3, "RG": 140.0, "VRA": -0.2}) == pytest.approx(0.2 + 0.0 + 0.08)
    with pytest.raises(ValueError, match="unknown task"):
        u2_score({"dd": 0.5})
    with pytest.raises(ValueError, match="unknown task"):
        u2_score(GPT4O, weights={"XX": 1.0})


def test_stub_passes_mypy_stubtest() -> None:
    out = subprocess.run([sys.executable, "-m", "mypy.stubtest", "u2fast._core"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
