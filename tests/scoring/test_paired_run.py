"""The paired run bootstrap (``u2fast.scoring.paired_run_bootstrap``): the same resampled cases for both
models (its intervals against scipy: tests/parity/test_paired_run.py)."""

from __future__ import annotations

import numpy as np
import pytest

from u2fast.scoring import aggregate_cases, paired_run_bootstrap


def _run(rng: np.random.Generator, n: int, p_right: float, error_sd: float) -> tuple[np.ndarray, ...]:
    """Per-case statistics of one model on three data sets: DD (0/1), CVE (errors), RG (BLEU counts)."""
    correct = np.where(np.arange(n) % 3 == 0, (rng.random(n) < p_right).astype(float), np.nan)
    error = np.where(np.arange(n) % 3 == 1, rng.normal(0.0, error_sd, n), np.nan)
    length = rng.integers(5, 12, n)
    matches = np.minimum(length[:, None], rng.integers(0, 9, (n, 4)))
    bleu = np.column_stack([length, length + 1, matches, np.repeat(length[:, None], 4, axis=1)])
    bleu[np.arange(n) % 3 != 2] = 0
    return correct, error, bleu.astype(np.int64)


LAYOUT = (np.arange(150, dtype=np.int32) % 3, np.array([0, 5, 6], np.int8), np.array([True, True, True]))


def test_paired_resamples_are_each_runs_own_bootstrap_with_that_seed() -> None:
    rng = np.random.default_rng(5)
    a, b = _run(rng, 150, 0.7, 0.1), _run(rng, 150, 0.5, 0.3)
    paired = paired_run_bootstrap(*LAYOUT, a, b, n_resamples=500, seed=9, return_distribution=True)
    alone_a = aggregate_cases(*LAYOUT, *a, n_resamples=500, seed=9, return_distribution=True)
    alone_b = aggregate_cases(*LAYOUT, *b, n_resamples=500, seed=9, return_distribution=True)
    assert alone_a.intervals is not None and alone_b.intervals is not None
    assert alone_a.intervals.distribution is not None and alone_b.intervals.distribution is not None
    np.testing.assert_array_equal(
        paired.intervals.distribution, alone_a.intervals.distribution - alone_b.intervals.distribution
    )
    assert paired.u2_difference == alone_a.u2 - alone_b.u2
    np.testing.assert_array_equal(paired.a.dataset_metric, alone_a.dataset_metric)
    np.testing.assert_array_equal(paired.task_difference, alone_a.task_metric - alone_b.task_metric)


def test_identical_models_give_a_zero_interval_and_p_one() -> None:
    a = _run(np.random.default_rng(2), 150, 0.6, 0.2)
    same = paired_run_bootstrap(*LAYOUT, a, a, n_resamples=200, seed=1)
    assert same.u2_difference == 0.0 and same.u2_pvalue == 1.0
    assert same.intervals.u2_percentile == (0.0, 0.0)
    np.testing.assert_array_equal(same.dataset_pvalue, [1.0, 1.0, 1.0])


@pytest.mark.parametrize("tolerance", [float("nan"), float("inf"), -0.1])
def test_both_entry_points_reject_a_tolerance_that_is_not_finite_and_non_negative(tolerance: float) -> None:
    a = _run(np.random.default_rng(3), 150, 0.6, 0.2)
    with pytest.raises(ValueError, match="tolerance must be a finite non-negative number"):
        aggregate_cases(*LAYOUT, *a, tolerance=tolerance)
    with pytest.raises(ValueError, match="tolerance must be a finite non-negative number"):
        paired_run_bootstrap(*LAYOUT, a, a, tolerance=tolerance, n_resamples=10)
