"""aggregate_cases against a plain numpy + pycocoevalcap re-computation of docs/u2bench.md 4 and 6."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from pycocoevalcap.bleu.bleu import Bleu

from u2fast.scoring import aggregate_cases, bleu_stats

WEIGHTS = np.array([0.20, 0.20, 0.07, 0.27, 0.07, 0.07, 0.08, 0.04])


def _reference_u2(task_metric: np.ndarray, missing_cve_is_perfect: bool) -> float:
    s = task_metric.copy()
    s[5] = (0.0 if missing_cve_is_perfect else 1.0) if np.isnan(s[5]) else s[5]
    s[5] = 1 - s[5]
    s[6:] = s[6:] / 100
    s = np.where(np.isnan(s), 0.0, np.clip(s, 0, 1))
    return float((WEIGHTS * s).sum())


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


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("missing_cve_is_perfect", [True, False])
def test_aggregate_equals_reference(seed: int, missing_cve_is_perfect: bool, pair_generator: Gen) -> None:
    run = _make_run(seed, pair_generator)
    idx, tasks, in_u2 = run["idx"], run["tasks"], run["in_u2"]
    assert isinstance(idx, np.ndarray) and isinstance(tasks, np.ndarray) and isinstance(in_u2, np.ndarray)
    correct, error, texts = run["correct"], run["error"], run["texts"]
    assert isinstance(correct, np.ndarray) and isinstance(error, np.ndarray) and isinstance(texts, list)
    got = aggregate_cases(idx, tasks, in_u2, correct, error, run["bleu"],
                          missing_cve_is_perfect=missing_cve_is_perfect)
    metric = np.full(len(tasks), np.nan)
    for d, t in enumerate(tasks):
        rows = np.flatnonzero(idx == d)
        assert got.dataset_n[d] == len(rows)
        if len(rows) == 0:
            assert np.isnan(got.dataset_metric[d])
            continue
        if t < 5:
            metric[d] = correct[rows].mean()
        elif t == 5:
            e = error[rows]
            metric[d] = np.sqrt(np.mean(e**2))
            assert got.dataset_mae[d] == pytest.approx(np.mean(np.abs(e)), rel=1e-12)
            assert got.dataset_std[d] == pytest.approx(np.std(e), rel=1e-12)
            assert got.dataset_within_tolerance[d] == pytest.approx(100 * np.mean(np.abs(e) <= 0.1), rel=1e-12)
        else:
            gts = {int(i): [texts[i][1]] for i in rows}
            res = {int(i): [texts[i][0]] for i in rows}
            score, _ = Bleu(4).compute_score(gts, res, verbose=0)
            np.testing.assert_allclose(got.dataset_bleu_n[d], 100 * np.array(score), rtol=0, atol=1e-9)
            metric[d] = 100 * score[3]
        if t != 5:
            assert np.isnan(got.dataset_mae[d])
    np.testing.assert_allclose(got.dataset_metric, metric, rtol=1e-12, atol=1e-12)
    task_metric = np.array([
        np.nanmean(np.where(in_u2 & (tasks == t), metric, np.nan)) if np.any(
            in_u2 & (tasks == t) & ~np.isnan(metric)) else np.nan
        for t in range(8)
    ])
    np.testing.assert_allclose(got.task_metric, task_metric, rtol=1e-12, atol=1e-12)
    assert got.u2 == pytest.approx(_reference_u2(task_metric, missing_cve_is_perfect), abs=1e-12)


def test_missing_cve_quirk() -> None:
    # One DD dataset only: CVE has no value, which earns full CVE credit in compat mode only.
    args = (np.zeros(4, np.int32), np.array([0], np.int8), np.array([True]), np.array([1.0, 1, 0, 0]), None, None)
    assert aggregate_cases(*args, missing_cve_is_perfect=True).u2 == pytest.approx(0.2 * 0.5 + 0.07)
    assert aggregate_cases(*args, missing_cve_is_perfect=False).u2 == pytest.approx(0.2 * 0.5)


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


def test_random_order_of_cases_does_not_matter(pair_generator: Gen) -> None:
    run = _make_run(5, pair_generator)
    idx = run["idx"]
    assert isinstance(idx, np.ndarray)
    perm = np.random.default_rng(1).permutation(len(idx))
    a = aggregate_cases(idx, run["tasks"], run["in_u2"], run["correct"], run["error"], run["bleu"])
    b = aggregate_cases(idx[perm], run["tasks"], run["in_u2"], np.asarray(run["correct"])[perm],
                        np.asarray(run["error"])[perm], np.asarray(run["bleu"])[perm])
    np.testing.assert_allclose(a.task_metric, b.task_metric, rtol=1e-12)
