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
