"""Confusion matrices and class statistics without a reference library: unparsed answers, errors that name the row,
values that are undefined are NaN, never 0 (parity: tests/parity/test_confusion.py)."""

from __future__ import annotations

import numpy as np
import pytest

from u2fast.scoring import class_statistics, cohen_kappa, confusion_matrix, wilson_interval


def test_unparsed_answers_leave_an_ordinal_kappa_and_count_as_misses() -> None:
    truth = ["1", "2", "3", "4", "2"]
    answers = ["1", "2", "3", None, "refused"]
    assert cohen_kappa(truth, answers, labels=["1", "2", "3", "4"], weights="quadratic") == pytest.approx(1.0)
    cm = confusion_matrix(truth, answers, labels=["1", "2", "3", "4"])
    assert cm.unparsed.tolist() == [0, 1, 0, 1]
    s = class_statistics(cm)
    assert s.sensitivity.tolist()[1] == 0.5 and s.fp.sum() == 0


def test_bad_inputs_name_the_row() -> None:
    with pytest.raises(ValueError, match=r"y_true\[1\] = 'x' is not one of the labels"):
        confusion_matrix(["a", "x"], ["a", "a"], labels=["a", "b"])
    with pytest.raises(ValueError, match="differ|but y_pred"):
        confusion_matrix(["a"], [], labels=["a"])
    with pytest.raises(ValueError, match="weights"):
        cohen_kappa(["a"], ["a"], weights="cubic")
    with pytest.raises(ValueError, match="between 0 and nobs"):
        wilson_interval(5, 3)


def test_undefined_values_are_nan_not_zero() -> None:
    s = class_statistics(confusion_matrix(["a"], [None], labels=["a", "b"]))
    assert np.isnan(s.ppv).all() and s.sensitivity[0] == 0.0 and np.isnan(s.sensitivity[1])
    assert s.kappa == 0.0  # one disagreement against an expected one: no better than chance
    # everyone says "a" and the truth is "a": the expected disagreement is 0, κ undefined
    assert np.isnan(class_statistics(confusion_matrix(["a", "a"], ["a", "a"], labels=["a", "b"])).kappa)
    low, high = wilson_interval(0, 0)
    assert np.isnan(low) and np.isnan(high)
