"""Two-stage (data sets, then cases) bootstrap and the joint rank bootstrap of several models."""

from __future__ import annotations

import numpy as np
import pytest

from u2fast.scoring import aggregate_cases, rank_bootstrap, two_stage_bootstrap


def _run(rng: np.random.Generator, skill: float) -> dict[str, np.ndarray]:
    """Six data sets (DD ×3, OD ×2, CVE ×1) of uneven difficulty and size."""
    sizes = [40, 80, 120, 60, 90, 50]
    tasks = np.array([0, 0, 0, 3, 3, 5], np.int8)
    difficulty = [0.2, 0.6, 0.9, 0.3, 0.7, 0.0]
    index = np.repeat(np.arange(6, dtype=np.int32), sizes)
    p = np.clip(np.array(difficulty)[index] * skill, 0, 1)
    correct = (rng.random(len(index)) < p).astype(float)
    error = np.where(tasks[index] == 5, rng.normal(0, 0.3 / skill, len(index)), 0.0)
    return {"index": index, "tasks": tasks, "in_u2": np.ones(6, bool), "correct": correct, "error": error,
            "bleu": np.zeros((len(index), 10), np.int64)}


def test_two_stage_interval_covers_the_point_and_is_wider_than_stratified() -> None:
    r = _run(np.random.default_rng(0), 1.0)
    args = (r["index"], r["tasks"], r["in_u2"], r["correct"], r["error"], r["bleu"])
    strat = aggregate_cases(*args, n_resamples=2000, seed=1)
    two = two_stage_bootstrap(*args, n_resamples=2000, seed=1)
    assert strat.intervals is not None
    low, high = two.u2_percentile
    assert low < strat.u2 < high
    s_low, s_high = strat.intervals.u2_percentile
    assert high - low > 1.5 * (s_high - s_low)  # the DD data sets differ widely in difficulty
    assert np.isnan(two.task_percentile[1]).all()  # VRA has no data set
    again = two_stage_bootstrap(*args, n_resamples=2000, seed=1)
    assert again.u2_percentile == two.u2_percentile
    assert np.array_equal(again.task_percentile, two.task_percentile, equal_nan=True)


def test_rank_bootstrap_scores_every_model_as_aggregate_does() -> None:
    rng = np.random.default_rng(3)
    runs = [_run(rng, s) for s in (1.0, 0.95, 0.6)]
    base = runs[0]
    correct = np.stack([r["correct"] for r in runs])
    error = np.stack([r["error"] for r in runs])
    counted = np.ones_like(correct, bool)
    counted[2, :5] = False  # model 2 has five cases left out of its denominators
    bleu = np.zeros((3, len(base["index"]), 10), np.int64)
    ranks = rank_bootstrap(base["index"], base["tasks"], base["in_u2"], correct, error, bleu, counted,
                           n_resamples=1000, seed=7)
    for j, r in enumerate(runs):
        keep = counted[j]
        point = aggregate_cases(r["index"][keep], r["tasks"], r["in_u2"], r["correct"][keep], r["error"][keep],
                                r["bleu"][keep])
        assert ranks.u2[j] == pytest.approx(point.u2, rel=1e-12)
    assert ranks.rank.tolist() == [1, 2, 3]
    assert ranks.rank_interval[2].tolist() == [3, 3] and ranks.p_first[2] == 0.0
    assert ranks.p_first.sum() == pytest.approx(1.0)
    assert ranks.p_first[0] > ranks.p_first[1]
    two = rank_bootstrap(base["index"], base["tasks"], base["in_u2"], correct, error, bleu, counted,
                         n_resamples=1000, seed=7, two_stage=True)
    assert two.two_stage and two.rank.tolist() == [1, 2, 3]


def test_identical_models_share_ranks() -> None:
    r = _run(np.random.default_rng(5), 1.0)
    correct = np.stack([r["correct"], r["correct"]])
    error = np.stack([r["error"], r["error"]])
    ranks = rank_bootstrap(r["index"], r["tasks"], r["in_u2"], correct, error,
                           np.zeros((2, len(r["index"]), 10), np.int64), np.ones((2, len(r["index"])), bool),
                           n_resamples=200)
    assert ranks.rank.tolist() == [1, 1] and ranks.p_first.tolist() == [1.0, 1.0]


def test_bad_shapes_are_reported() -> None:
    r = _run(np.random.default_rng(6), 1.0)
    n = len(r["index"])
    with pytest.raises(ValueError, match=rf"\(models, {n}\)"):
        rank_bootstrap(r["index"], r["tasks"], r["in_u2"], np.zeros((2, n)), np.zeros((2, n - 1)),
                       np.zeros((2, n, 10), np.int64), np.ones((2, n), bool))
    with pytest.raises(ValueError, match="n_resamples"):
        two_stage_bootstrap(r["index"], r["tasks"], r["in_u2"], r["correct"], r["error"], r["bleu"], n_resamples=1)


def test_a_fractional_dataset_index_or_a_negative_seed_is_refused() -> None:
    r = _run(np.random.default_rng(6), 1.0)
    n = len(r["index"])
    per_model = (np.zeros((1, n)), np.zeros((1, n)), np.zeros((1, n, 10), np.int64), np.ones((1, n), bool))
    index = r["index"].astype(np.float64)
    index[3] += 0.5
    with pytest.raises(ValueError, match=r"dataset_index\[3\] is not a whole number"):
        rank_bootstrap(index, r["tasks"], r["in_u2"], *per_model)
    with pytest.raises(ValueError, match="seed must be a non-negative 64-bit integer"):
        rank_bootstrap(r["index"], r["tasks"], r["in_u2"], *per_model, seed=-1)


def test_two_stage_from_the_stratified_resamples_matches_the_direct_one() -> None:
    r = _run(np.random.default_rng(9), 1.0)
    args = (r["index"], r["tasks"], r["in_u2"], r["correct"], r["error"], r["bleu"])
    strat = aggregate_cases(*args, n_resamples=3000, seed=2, return_distribution=True)
    fast = two_stage_bootstrap(*args, n_resamples=3000, seed=2, stratified=strat)
    direct = two_stage_bootstrap(*args, n_resamples=3000, seed=2)
    assert fast.u2_percentile[0] < strat.u2 < fast.u2_percentile[1]
    assert fast.u2_standard_error == pytest.approx(direct.u2_standard_error, rel=0.15)
    assert fast.u2_percentile == pytest.approx(direct.u2_percentile, abs=0.02)
