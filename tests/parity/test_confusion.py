"""Confusion matrices, class statistics, κ and Wilson intervals against scikit-learn and statsmodels.

Generated data sets (500 full comparisons, 3,000 for κ, 3,000 Wilson intervals), edge cases included: a class never predicted, a class absent
from the truth, all correct, all unparsed, one case. Equal to 1e-12."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.metrics import (
    balanced_accuracy_score,
    cohen_kappa_score,
    multilabel_confusion_matrix,
    precision_recall_fscore_support,
)
from sklearn.metrics import confusion_matrix as sk_confusion_matrix
from statsmodels.stats.proportion import proportion_confint

from u2fast.scoring import class_statistics, cohen_kappa, confusion_matrix, wilson_interval

TOL = 1e-12


def _generated(n_sets: int, seed: int) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """(k, truth codes, prediction codes with k = unparsed) for random and edge-case data sets."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n_sets):
        k = int(rng.integers(2, 11))
        n = 1 if i % 17 == 0 else int(rng.integers(2, 150))
        truth = rng.integers(0, k, n)
        if i % 5 == 1:  # a class absent from the truth
            truth[truth == 0] = 1
        pred = np.where(rng.random(n) < rng.random(), truth, rng.integers(0, k + 1, n))
        if i % 5 == 2:  # a class never predicted
            pred[pred == 1] = 0
        if i % 23 == 3:
            pred = truth.copy()  # all correct
        if i % 23 == 4:
            pred = np.full(n, k)  # all unparsed
        out.append((k, truth, pred))
    return out


CASES = _generated(500, 11)


def _same(a: object, b: object) -> None:
    np.testing.assert_allclose(np.asarray(a, float), np.asarray(b, float), rtol=TOL, atol=TOL, equal_nan=True)


def test_matrix_and_per_class_statistics_equal_scikit_learn() -> None:
    warnings.simplefilter("ignore")
    for k, truth, pred in CASES:
        labels = [f"c{j}" for j in range(k)]
        cm = confusion_matrix([labels[t] for t in truth], [labels[p] if p < k else None for p in pred], labels=labels)
        np.testing.assert_array_equal(cm.counts, sk_confusion_matrix(truth, pred, labels=list(range(k + 1)))[:k])
        s = class_statistics(cm)
        p, r, f, support = precision_recall_fscore_support(truth, pred, labels=list(range(k)), zero_division=np.nan)
        _same(s.ppv, p)
        _same(s.sensitivity, r)
        _same(s.f1, f)
        np.testing.assert_array_equal(s.support, support)
        mcm = multilabel_confusion_matrix(truth, pred, labels=list(range(k)))
        np.testing.assert_array_equal(np.c_[s.tn, s.fp, s.fn, s.tp], mcm.reshape(k, 4))
        with np.errstate(invalid="ignore", divide="ignore"):
            _same(s.specificity, mcm[:, 0, 0] / (mcm[:, 0, 0] + mcm[:, 0, 1]))
            _same(s.npv, mcm[:, 0, 0] / (mcm[:, 0, 0] + mcm[:, 1, 0]))
        for average in ("macro", "weighted"):
            ap, ar, af, _ = precision_recall_fscore_support(
                truth, pred, labels=list(range(k)), zero_division=np.nan, average=average
            )
            means = s.macro if average == "macro" else s.weighted
            _same([means["ppv"], means["sensitivity"], means["f1"]], [ap, ar, af])
        _same(s.balanced_accuracy, balanced_accuracy_score(truth, pred))
        _same(s.kappa, cohen_kappa_score(truth, pred))
        _same(s.accuracy, np.mean(truth == pred))


def test_wilson_intervals_equal_statsmodels() -> None:
    for k, truth, pred in CASES[:300]:
        labels = [str(j) for j in range(k)]
        s = class_statistics(confusion_matrix([str(t) for t in truth], [str(p) for p in pred], labels=labels))
        for name, num, den in (("sensitivity", s.tp, s.tp + s.fn), ("specificity", s.tn, s.tn + s.fp),
                               ("ppv", s.tp, s.tp + s.fp), ("npv", s.tn, s.tn + s.fn)):
            iv = getattr(s, f"{name}_interval")
            ok = den > 0
            low, high = proportion_confint(num[ok], den[ok], alpha=0.05, method="wilson")
            _same(iv[ok, 0], low)
            _same(iv[ok, 1], high)
            assert np.isnan(iv[~ok]).all(), name
    rng = np.random.default_rng(3)
    nobs = rng.integers(1, 5000, 3000)
    count = (rng.random(3000) * (nobs + 1)).astype(int)
    count[:50] = 0
    count[50:100] = nobs[50:100]
    for confidence in (0.9, 0.95, 0.99):
        low, high = wilson_interval(count, nobs, confidence=confidence)
        ref = proportion_confint(count, nobs, alpha=1 - confidence, method="wilson")
        _same(low, ref[0])
        _same(high, ref[1])


@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
def test_weighted_kappa_equals_scikit_learn(weights: str | None) -> None:
    warnings.simplefilter("ignore")
    rng = np.random.default_rng(5)
    for i in range(1000):
        k = int(rng.integers(2, 8))
        n = 1 if i % 50 == 0 else int(rng.integers(2, 120))
        truth = rng.integers(0, k, n)
        noise = rng.integers(-1, 2, n) if i % 2 else rng.integers(0, k, n) - truth
        pred = np.clip(truth + noise, 0, k - 1)
        if i % 31 == 0:
            pred = truth.copy()
        if i % 2:
            mine = cohen_kappa(list(truth), list(pred), labels=list(range(k)), weights=weights)
            _same(mine, cohen_kappa_score(truth, pred, labels=list(range(k)), weights=weights))
        else:  # without labels: the sorted union of both sides, as scikit-learn
            mine = cohen_kappa(list(truth), list(pred), weights=weights)
            _same(mine, cohen_kappa_score(truth, pred, weights=weights))
