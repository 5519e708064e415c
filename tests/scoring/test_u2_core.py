"""The U2 aggregation in the Rust core: published weights, clipping, the worked examples of docs/u2bench.md 6.3."""

from __future__ import annotations

import math

import numpy as np
import pytest

from u2fast import _core

GPT4O = [0.4928, 0.1504, 0.1161, 0.0850, 0.0840, 0.3712, 2.68, 33.77]


def test_weights_are_the_published_ones() -> None:
    assert list(_core.U2_TASKS) == ["DD", "VRA", "LL", "OD", "KD", "CVE", "RG", "CG"]
    assert list(_core.U2_WEIGHTS) == [0.20, 0.20, 0.07, 0.27, 0.07, 0.07, 0.08, 0.04]
    assert math.isclose(sum(_core.U2_WEIGHTS), 1.0)


def test_gpt4o_worked_example_reproduces_0_2253() -> None:
    u2 = _core.u2_score(GPT4O, _core.U2_WEIGHTS)
    assert u2 == pytest.approx(0.225265, abs=1e-9)
    assert round(u2, 4) == 0.2253


def test_random_baseline_row() -> None:
    metrics = [0.4143, 0.3195, 0.1118, 0.0680, 0.1120, 0.5472, math.nan, math.nan]
    assert round(_core.u2_score(metrics, _core.U2_WEIGHTS), 4) == 0.2125


def test_terms_are_clipped_and_missing_cve_depends_on_mode() -> None:
    assert _core.u2_task_score(5, 1.8) == 0.0  # RMSE above 1 floors the CVE term at 0
    assert _core.u2_task_score(0, 1.3) == 1.0
    assert _core.u2_task_score(5, math.nan, True) == 1.0  # official quirk: nothing parsed = full credit
    assert _core.u2_task_score(5, math.nan, False) == 0.0
    assert _core.u2_task_score(6, math.nan) == 0.0
    with pytest.raises(ValueError):
        _core.u2_task_score(8, 0.5)


def test_macro_f1_matches_sklearn_definition() -> None:
    # union of true and predicted labels; an invalid answer (3) adds a zero-F1 class
    t = np.array([0, 0, 1, 1, 2], np.uint32)
    p = np.array([0, 1, 1, 1, 3], np.uint32)
    assert _core.macro_f1(t, p) == pytest.approx((2 / 3 + 0.8) / 4)
    with pytest.raises(ValueError):
        _core.macro_f1(t, p[:3])


def test_regression_summary_unclipped() -> None:
    n, rmse, _mae, _std, tol = _core.regression_summary(np.array([40.0, 60.0]), np.array([40.0, 125.0]), 10.0, 75.0)
    assert n == 2
    assert rmse == pytest.approx(math.sqrt((1.0**2) / 2))  # (125-60)/65 = 1.0 on the normalized scale
    assert tol == pytest.approx(50.0)
    with pytest.raises(ValueError):
        _core.regression_summary(np.array([1.0]), np.array([1.0]), 5.0, 5.0)


def test_run_inputs_are_checked_where_they_are_built() -> None:
    idx, tasks, in_u2 = np.array([0, 1], np.int32), np.array([0, 5], np.int8), np.array([True, True])
    layout = _core.RunLayout(idx, tasks, in_u2, missing_cve_is_perfect=False, tolerance=0.2)
    assert (layout.n_cases, layout.n_datasets, layout.missing_cve_is_perfect, layout.tolerance) == (2, 2, False, 0.2)
    with pytest.raises(ValueError, match=r"dataset_task\[1\] = -3 is not a task code"):  # as given, not as u8
        _core.RunLayout(idx, np.array([0, -3], np.int8), in_u2)
    with pytest.raises(ValueError, match=r"dataset_index\[1\] = 2 is outside 0..2"):
        _core.RunLayout(np.array([0, 2], np.int32), tasks, in_u2)
    with pytest.raises(ValueError, match="tolerance must be a finite non-negative number"):
        _core.RunLayout(idx, tasks, in_u2, tolerance=-0.1)
    with pytest.raises(ValueError, match="bleu must have 10 columns"):
        _core.CaseColumns(np.ones(2), np.zeros(2), np.zeros((2, 4), np.int64))
    with pytest.raises(ValueError, match="per-case arrays differ in length: correct 2, error 3"):
        _core.CaseColumns(np.ones(2), np.zeros(3), np.zeros((2, 10), np.int64))
    refused = [((1, 0, 0.95, False), "n_resamples must be at least 2, got 1"), ((10, -1, 0.95, False), "seed"),
               ((10, 2**200, 0.95, False), "seed"), ((10, 0, 1.0, False), "confidence"),
               ((-5, 0, 0.95, False), "n_resamples must be a non-negative integer, got -5")]
    for args, message in refused:
        with pytest.raises(ValueError, match=message):
            _core.Resampling(*args)


def test_one_layout_serves_every_aggregation() -> None:
    layout = _core.RunLayout(np.array([0, 1], np.int32), np.array([0, 5], np.int8), np.array([True, True]))
    cases = _core.CaseColumns(np.array([1.0, np.nan]), np.array([np.nan, 0.1]), np.zeros((2, 10), np.int64))
    point_only = _core.Resampling(0, 0, 0.95, False)
    out = _core.aggregate_cases(layout, cases, point_only)
    assert out["dataset_metric"][0] == 1.0 and "interval_percentile" not in out
    with pytest.raises(ValueError, match="n_resamples must be at least 2, got 0"):
        _core.aggregate_cases(layout, cases, point_only, two_stage=True)
    short = _core.CaseColumns(np.ones(1), np.zeros(1), np.zeros((1, 10), np.int64))
    with pytest.raises(ValueError, match="B: per-case arrays differ in length"):
        _core.paired_aggregate_bootstrap(layout, cases, short, _core.Resampling(10, 0, 0.95, False))
