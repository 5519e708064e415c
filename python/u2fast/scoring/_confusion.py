"""Confusion matrices with an explicit unparsed/refused column, class statistics and Cohen's κ.

Names follow scikit-learn where it has one (``confusion_matrix``, ``cohen_kappa`` after
``cohen_kappa_score``). An answer that names none of the labels (unparsed, refused, an option
outside the list) is counted in its own column: a miss for the true class, a false positive for no
class. Undefined ratios are NaN, never 0.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from u2fast import _core

__all__ = [
    "ClassStatistics",
    "ConfusionMatrix",
    "class_statistics",
    "cohen_kappa",
    "confusion_matrix",
    "wilson_interval",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: The statistics :func:`class_statistics` gives per class, in output order.
CLASS_STATISTICS = ("sensitivity", "specificity", "ppv", "npv", "f1")


@dataclass(frozen=True)
class ConfusionMatrix:
    """``counts[i, j]``: cases of true class ``labels[i]`` answered ``labels[j]``; the last column
    (``j = k``) holds the answers that named no label (unparsed or refused)."""

    labels: tuple[str, ...]
    counts: IntArray

    @property
    def unparsed(self) -> IntArray:
        """Unparsed/refused answers per true class."""
        return self.counts[:, -1]


def confusion_matrix(
    y_true: Sequence[Hashable], y_pred: Sequence[Hashable | None], *, labels: Sequence[Hashable]
) -> ConfusionMatrix:
    """Count true against predicted labels over the label list ``labels`` (order kept).

    Every truth must be one of ``labels`` (ValueError naming the row otherwise); a prediction that
    is None or not in ``labels`` goes to the unparsed/refused column.
    """
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} labels but y_pred has {len(y_pred)}")
    names = list(labels)
    code = {label: i for i, label in enumerate(names)}
    if len(code) != len(names):
        raise ValueError("labels has duplicates")
    k = len(names)
    truth = np.empty(len(y_true), np.uint32)
    for i, t in enumerate(y_true):
        c = code.get(t)
        if c is None:
            raise ValueError(f"y_true[{i}] = {t!r} is not one of the labels")
        truth[i] = c
    pred = np.fromiter((code.get(p, k) if p is not None else k for p in y_pred), np.uint32, len(y_pred))
    counts = _core.confusion_counts(truth, pred, k)
    return ConfusionMatrix(tuple(str(x) for x in names), counts)


@dataclass(frozen=True)
class ClassStatistics:
    """One-vs-rest statistics of each class of a :class:`ConfusionMatrix`.

    Per-class arrays have one entry per label; ``*_interval`` arrays are ``(k, 2)`` Wilson score
    intervals at ``confidence``. ``macro`` and ``weighted`` map each statistic name of
    :data:`CLASS_STATISTICS` to the mean over classes where it is defined (weighted: by support).
    ``kappa`` is Cohen's κ with the unparsed answers as a category of their own.
    """

    labels: tuple[str, ...]
    confidence: float
    support: IntArray
    tp: IntArray
    fp: IntArray
    fn: IntArray
    tn: IntArray
    sensitivity: FloatArray
    specificity: FloatArray
    ppv: FloatArray
    npv: FloatArray
    f1: FloatArray
    sensitivity_interval: FloatArray
    specificity_interval: FloatArray
    ppv_interval: FloatArray
    npv_interval: FloatArray
    macro: dict[str, float]
    weighted: dict[str, float]
    accuracy: float
    accuracy_interval: tuple[float, float]
    balanced_accuracy: float
    kappa: float


def class_statistics(matrix: ConfusionMatrix, *, confidence: float = 0.95) -> ClassStatistics:
    """Sensitivity (recall), specificity, PPV (precision), NPV and F1 per class with Wilson
    intervals, their macro and support-weighted means, accuracy, balanced accuracy and κ."""
    out = _core.class_statistics(np.ascontiguousarray(matrix.counts, np.int64), confidence)
    means: dict[str, tuple[float, float]] = out["means"]
    return ClassStatistics(
        labels=matrix.labels,
        confidence=confidence,
        support=out["tp"] + out["fn"],
        tp=out["tp"], fp=out["fp"], fn=out["fn"], tn=out["tn"],
        sensitivity=out["sensitivity"], specificity=out["specificity"], ppv=out["ppv"], npv=out["npv"],
        f1=out["f1"],
        sensitivity_interval=out["sensitivity_interval"], specificity_interval=out["specificity_interval"],
        ppv_interval=out["ppv_interval"], npv_interval=out["npv_interval"],
        macro={name: float(means[name][0]) for name in CLASS_STATISTICS},
        weighted={name: float(means[name][1]) for name in CLASS_STATISTICS},
        accuracy=float(out["accuracy"]),
        accuracy_interval=(float(out["accuracy_interval"][0]), float(out["accuracy_interval"][1])),
        balanced_accuracy=float(out["balanced_accuracy"]),
        kappa=float(out["kappa"]),
    )


def cohen_kappa(
    y_true: Sequence[Hashable],
    y_pred: Sequence[Hashable],
    *,
    labels: Sequence[Hashable] | None = None,
    weights: str | None = None,
) -> float:
    """Cohen's κ as scikit-learn's ``cohen_kappa_score`` computes it.

    ``weights`` None, "linear" or "quadratic" (for ordinal labels, which ``labels`` must then list
    in order). Without ``labels`` the categories are the sorted union of both sides; with it, pairs
    where either side is not in ``labels`` are left out (so unparsed answers drop out of an ordinal
    κ). NaN when no pair is left or the expected disagreement is 0.
    """
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} labels but y_pred has {len(y_pred)}")
    names = sorted(set(y_true) | set(y_pred)) if labels is None else list(labels)  # type: ignore[type-var]
    code = {label: i for i, label in enumerate(names)}
    m = len(names)
    table = np.zeros((m, m), np.int64)
    for t, p in zip(y_true, y_pred, strict=True):
        i, j = code.get(t), code.get(p)
        if i is not None and j is not None:
            table[i, j] += 1
    return float(_core.kappa_of_table(table, "none" if weights is None else weights))


def wilson_interval(
    count: npt.ArrayLike, nobs: npt.ArrayLike, *, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Wilson score interval of ``count / nobs`` (Wilson 1927), equal to statsmodels'
    ``proportion_confint(count, nobs, alpha=1 - confidence, method="wilson")``; NaN where
    ``nobs`` is 0. Arrays broadcast; returns ``(low, high)`` arrays of the broadcast shape."""
    c, n = np.broadcast_arrays(np.asarray(count, np.float64), np.asarray(nobs, np.float64))
    if np.any(c < 0) or np.any(c > n):
        raise ValueError("count must be between 0 and nobs")
    low, high = _core.wilson_many(np.ascontiguousarray(c.ravel()), np.ascontiguousarray(n.ravel()), confidence)
    return low.reshape(c.shape), high.reshape(c.shape)
