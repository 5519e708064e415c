"""aggregate_cases' own rules, without a reference library: the missing-CVE quirk, order independence, values that do
not apply, errors that name the field, and the run-level intervals (stratified, reproducible, independent of the
thread count, paired across runs, covering by simulation) (parity: tests/parity/test_aggregate.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from score_layouts import interval_run

from u2fast.scoring import aggregate_cases, bleu_stats

Gen = Callable[[int, int], list[tuple[str, list[str]]]]


def _make_run(seed: int, generate_pairs: Gen) -> dict[str, object]:
    rng = np.random.default_rng(seed)
    tasks = np.array([0, 0, 1, 2, 3, 3, 4, 5, 5, 5, 6, 7, 7, 0], dtype=np.int8)
    in_u2 = np.ones(len(tasks), dtype=bool)
    in_u2[[1, 12]] = False
    sizes = rng.integers(0, 60, len(tasks))
    sizes[[0, 7, 10, 11]] = [50, 40, 30, 30]
    sizes[8] = 0  # an empty CVE dataset is NaN and skipped in the task mean
    idx = np.repeat(np.arange(len(tasks), dtype=np.int32), sizes)
    perm = rng.permutation(len(idx))
    idx = idx[perm]
    n = len(idx)
    correct = (rng.random(n) < 0.4).astype(np.float64)
    error = rng.normal(0.0, 0.3, n)
    pairs = generate_pairs(seed, n)
    texts = [(h, r[0]) for h, r in pairs]
    bleu = bleu_stats([h for h, _ in texts], [r for _, r in texts], flavor="coco")
    return {"idx": idx, "tasks": tasks, "in_u2": in_u2, "correct": correct, "error": error, "bleu": bleu, "texts": texts}


def test_missing_cve_quirk() -> None:
    # One DD dataset only: CVE has no value, which earns full CVE credit in compat mode only.
    args = (np.zeros(4, np.int32), np.array([0], np.int8), np.array([True]), np.array([1.0, 1, 0, 0]), None, None)
    assert aggregate_cases(*args, missing_cve_is_perfect=True).u2 == pytest.approx(0.2 * 0.5 + 0.07)
    assert aggregate_cases(*args, missing_cve_is_perfect=False).u2 == pytest.approx(0.2 * 0.5)


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


def test_random_order_of_cases_does_not_matter(pair_generator: Gen) -> None:
    run = _make_run(5, pair_generator)
    idx = run["idx"]
    assert isinstance(idx, np.ndarray)
    perm = np.random.default_rng(1).permutation(len(idx))
    a = aggregate_cases(idx, run["tasks"], run["in_u2"], run["correct"], run["error"], run["bleu"])
    b = aggregate_cases(idx[perm], run["tasks"], run["in_u2"], np.asarray(run["correct"])[perm],
                        np.asarray(run["error"])[perm], np.asarray(run["bleu"])[perm])
    np.testing.assert_allclose(a.task_metric, b.task_metric, rtol=1e-12)


def test_bad_input_names_the_field() -> None:
    tasks, in_u2 = np.array([0, 5], np.int8), np.array([True, True])
    with pytest.raises(ValueError, match=r"dataset_index\[1\] = 2"):
        aggregate_cases([0, 2], tasks, in_u2, [1.0, 1.0], [0.0, 0.0], None)
    with pytest.raises(ValueError, match=r"error\[1\] is not finite"):
        aggregate_cases([0, 1], tasks, in_u2, [1.0, 1.0], [0.0, np.nan], None)
    with pytest.raises(ValueError, match=r"correct\[0\]"):
        aggregate_cases([0, 1], tasks, in_u2, None, [0.0, 0.1], None)
    with pytest.raises(ValueError, match="task code"):
        aggregate_cases([0], np.array([9], np.int8), [True], [1.0], [0.0], None)
    with pytest.raises(ValueError, match="differ in length"):
        aggregate_cases([0, 1], tasks, in_u2, [1.0], [0.0, 0.0], None)


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


def test_intervals_are_reproducible_and_stratified() -> None:
    run = interval_run(seed=1)
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
