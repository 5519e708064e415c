"""The clinical view of one model's run: per-data-set confusion and class statistics, agreement of
measurements, subgroups by anatomy, the worst group and heterogeneity across a task's data sets.

Pure numbers, as ``scoring.scores``: the caller hands over labels, answers and measurements already
judged. Every value that cannot be computed is NaN, written as ``null`` in JSON.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import msgspec
import numpy as np

from ._agreement import bland_altman, ccc, icc3, measurement_errors
from ._confusion import class_statistics, cohen_kappa, confusion_matrix, wilson_interval
from ._multiplicity import cochran_q
from .estimate import Estimate

__all__ = [
    "UNPARSED_COLUMN",
    "ClassMeans",
    "ClassRow",
    "ClassificationSummary",
    "ClinicalSummary",
    "HeterogeneityEntry",
    "MeasurementSummary",
    "SubgroupEntry",
    "classification_summary",
    "heterogeneity",
    "measurement_summary",
    "subgroup",
]

#: Heading of the confusion matrix column that holds answers naming no label.
UNPARSED_COLUMN = "unparsed/refused"


class ClassRow(msgspec.Struct):
    """One class against the rest, with Wilson intervals."""

    label: str
    support: int
    sensitivity: Estimate
    specificity: Estimate
    ppv: Estimate
    npv: Estimate
    f1: float


class ClassMeans(msgspec.Struct):
    """One mean of each class statistic over the classes where it is defined."""

    sensitivity: float
    specificity: float
    ppv: float
    npv: float
    f1: float


class ClassificationSummary(msgspec.Struct, omit_defaults=True):
    """A classification data set: ``counts[i][j]`` cases of truth ``labels[i]`` answered ``labels[j]``;
    the last column (:data:`UNPARSED_COLUMN`) holds answers that named no label."""

    labels: list[str]
    counts: list[list[int]]
    classes: list[ClassRow]
    #: means over the classes where each statistic is defined: plain (macro) or weighted by support
    macro: ClassMeans
    weighted: ClassMeans
    accuracy: Estimate
    balanced_accuracy: float
    #: Cohen's κ with unparsed answers as a category of their own
    kappa: float
    #: ordinal data sets: the scale (lowest first) and the quadratic-weighted κ over answers on it
    ordinal_labels: list[str] = []
    quadratic_kappa: float | None = None


def _estimate(value: float, low: float, high: float) -> Estimate:
    return Estimate(float(value), float(low), float(high))


def classification_summary(
    truth: Sequence[str],
    answers: Sequence[str | None],
    labels: Sequence[str],
    *,
    ordinal: Sequence[str] = (),
    confidence: float = 0.95,
) -> ClassificationSummary:
    """Confusion and class statistics of one data set. A truth outside ``labels`` joins the label
    list (the data are reported as they are); an answer outside it is unparsed/refused."""
    names = list(labels) + sorted({t for t in truth if t not in set(labels)})
    cm = confusion_matrix(truth, answers, labels=names)
    s = class_statistics(cm, confidence=confidence)
    classes = [
        ClassRow(
            label=name, support=int(s.support[i]),
            sensitivity=_estimate(s.sensitivity[i], *s.sensitivity_interval[i]),
            specificity=_estimate(s.specificity[i], *s.specificity_interval[i]),
            ppv=_estimate(s.ppv[i], *s.ppv_interval[i]),
            npv=_estimate(s.npv[i], *s.npv_interval[i]),
            f1=float(s.f1[i]),
        )
        for i, name in enumerate(names)
    ]
    out = ClassificationSummary(
        labels=names, counts=cm.counts.tolist(), classes=classes, macro=ClassMeans(**s.macro), weighted=ClassMeans(**s.weighted),
        accuracy=_estimate(s.accuracy, *s.accuracy_interval), balanced_accuracy=s.balanced_accuracy, kappa=s.kappa,
    )
    if ordinal:
        out.ordinal_labels = list(ordinal)
        out.quadratic_kappa = cohen_kappa(truth, [a or "" for a in answers], labels=list(ordinal), weights="quadratic")
    return out


class MeasurementSummary(msgspec.Struct, omit_defaults=True):
    """Agreement of a CVE data set's parsed estimates with the truth, in native units
    (``d = estimate − truth``); unparsed answers are left out (``n`` counts the parsed ones)."""

    unit: str
    n: int
    mae: float
    rmse: float
    bias: float
    #: Bland–Altman: bias and 95% limits of agreement, each with its t interval
    bland_altman_bias: Estimate
    lower_limit: Estimate
    upper_limit: Estimate
    sd: float
    icc: Estimate
    ccc: float
    #: clinical tolerance (native units) and where it comes from ("user" when set on the command line)
    tolerance: float | None = None
    tolerance_source: str = ""
    #: share of parsed estimates with |d| ≤ tolerance, Wilson interval; absent without a tolerance
    within_tolerance: Estimate | None = None


def measurement_summary(
    estimates: Sequence[float],
    truth: Sequence[float],
    *,
    unit: str,
    tolerance: float | None,
    tolerance_source: str,
    confidence: float = 0.95,
) -> MeasurementSummary:
    e = measurement_errors(estimates, truth)
    ba = bland_altman(estimates, truth, confidence=confidence)
    icc = icc3(estimates, truth, confidence=confidence)
    out = MeasurementSummary(
        unit=unit, n=e.n, mae=e.mae, rmse=e.rmse, bias=e.bias,
        bland_altman_bias=_estimate(ba.bias, *ba.bias_interval),
        lower_limit=_estimate(ba.lower, *ba.lower_interval), upper_limit=_estimate(ba.upper, *ba.upper_interval),
        sd=ba.sd, icc=_estimate(icc.icc, *icc.interval), ccc=ccc(estimates, truth) if e.n else math.nan,
    )
    if tolerance is not None:
        within = int(np.sum(np.abs(np.asarray(estimates, float) - np.asarray(truth, float)) <= tolerance))
        low, high = wilson_interval(within, e.n, confidence=confidence)
        out.tolerance, out.tolerance_source = tolerance, tolerance_source
        out.within_tolerance = Estimate(within / e.n if e.n else math.nan, float(low), float(high))
    return out


class SubgroupEntry(msgspec.Struct):
    """A metric over one subgroup (``by`` "anatomy" or "dataset") of a task's cases."""

    task: str
    by: str
    group: str
    metric: str
    value: Estimate
    n: int


def subgroup(task: str, anatomy: str, correct: Sequence[bool], confidence: float = 0.95) -> SubgroupEntry:
    """Pooled accuracy of a task's counted cases of one anatomy, with its Wilson interval."""
    n = len(correct)
    right = int(sum(correct))
    low, high = wilson_interval(right, n, confidence=confidence)
    return SubgroupEntry(task, "anatomy", anatomy, "accuracy",
                         Estimate(right / n if n else math.nan, float(low), float(high)), n)


class HeterogeneityEntry(msgspec.Struct):
    """Cochran's Q across the data sets of one task (``k`` with a usable variance) with I²."""

    k: int
    q: float
    df: float
    pvalue: float
    i_squared: float
    #: how each data set's variance was obtained: "binomial" p(1 − p)/n or "bootstrap" SE²
    variance: str


def heterogeneity(estimates: Sequence[float], variances: Sequence[float], variance: str) -> HeterogeneityEntry:
    h = cochran_q(estimates, variances)
    return HeterogeneityEntry(h.k, h.q, h.df, h.pvalue, h.i_squared, variance)


class ClinicalSummary(msgspec.Struct, omit_defaults=True):
    """Everything clinical about one model's run, keyed by scenario (``TASK/dataset``) or task."""

    classification: dict[str, ClassificationSummary] = {}
    measurements: dict[str, MeasurementSummary] = {}
    #: by anatomy, for the classification and sector tasks
    subgroups: list[SubgroupEntry] = []
    #: per task, the anatomy and the data set with the lowest accuracy (highest error for CVE)
    worst_groups: list[SubgroupEntry] = []
    #: per task, across its U2 data sets
    heterogeneity: dict[str, HeterogeneityEntry] = {}
