"""Bootstrap confidence intervals (percentile and BCa) and paired bootstrap comparisons.

Resampling runs in Rust from per-case sufficient statistics, in fixed chunks with one RNG stream
each: the same ``seed`` gives the same interval whatever the number of threads. Intervals follow
scipy.stats.bootstrap's arithmetic (docs/reference-metrics.md 5): linear quantiles with scipy.stats.quantile's
rounding, ``z0`` with ties counted half, the acceleration from the jackknife; a NaN among the
resampled values gives a NaN interval and a constant statistic a NaN BCa interval, as in scipy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from u2fast import _core

from ._options import options_as_keywords

__all__ = ["STATISTICS", "BootstrapResult", "PairedBootstrapResult", "bootstrap_ci", "paired_bootstrap"]

#: Built-in statistics and the per-case data each expects.
STATISTICS: dict[str, str] = {
    "mean": "1-D values",
    "accuracy": "1-D 0/1 values (the mean)",
    "ratio": "1-D numerators with `denominator`, or (n, 2) rows; Σx / Σy",
    "rmse": "1-D errors; sqrt(mean(e²))",
    "bleu": "(n, 10) pycocoevalcap statistics from bleu_stats(flavor='coco'); corpus BLEU-4 × 100",
    "sacrebleu": "(n, 2 + 2·order) statistics from bleu_stats(); corpus sacreBLEU",
}


@dataclass(frozen=True)
class BootstrapResult:
    estimate: float
    low: float
    high: float
    method: str
    confidence: float
    n_resamples: int
    standard_error: float
    percentile: tuple[float, float]
    bca: tuple[float, float]
    acceleration: float
    distribution: npt.NDArray[np.float64] | None = None


@dataclass(frozen=True)
class PairedBootstrapResult:
    """``difference`` = statistic(a) − statistic(b) on the same cases, with its interval and a
    two-sided p-value (shift method: ``(#{|d*−d̂| ≥ |d̂|} + 1)/(B + 1)``)."""

    difference: float
    low: float
    high: float
    pvalue: float
    method: str
    confidence: float
    n_resamples: int
    standard_error: float
    percentile: tuple[float, float]
    bca: tuple[float, float]
    distribution: npt.NDArray[np.float64] | None = None


def _rows(data: npt.ArrayLike, statistic: str, denominator: npt.ArrayLike | None) -> tuple[npt.NDArray[Any], str]:
    arr = np.asarray(data, dtype=np.float64)
    if statistic in ("mean", "accuracy", "rmse"):
        if arr.ndim != 1:
            raise ValueError(f"statistic {statistic!r} needs 1-D data, got shape {arr.shape}")
        if statistic == "rmse":
            return np.ascontiguousarray((arr * arr)[:, None]), "rms"
        return np.ascontiguousarray(arr[:, None]), "mean"
    if statistic == "ratio":
        if denominator is not None:
            den = np.asarray(denominator, dtype=np.float64)
            if arr.ndim != 1 or den.shape != arr.shape:
                raise ValueError("ratio needs 1-D numerators and denominators of the same length")
            arr = np.stack([arr, den], axis=1)
        elif arr.ndim != 2 or arr.shape[1] != 2:
            raise ValueError(f"ratio needs (n, 2) rows or 1-D numerators with `denominator`, got shape {arr.shape}")
        return np.ascontiguousarray(arr), "ratio"
    if statistic in ("bleu", "sacrebleu"):
        if arr.ndim != 2:
            raise ValueError(f"statistic {statistic!r} needs (n, columns) rows from bleu_stats, got shape {arr.shape}")
        return np.ascontiguousarray(arr), "coco_bleu" if statistic == "bleu" else "sacrebleu"
    raise ValueError(f"unknown statistic {statistic!r}; built-ins: {', '.join(STATISTICS)}")


def _strata(strata: npt.ArrayLike | None, n: int) -> npt.NDArray[np.uint32] | None:
    if strata is None:
        return None
    labels = np.asarray(strata)
    if labels.shape != (n,):
        raise ValueError(f"strata must have one label per case ({n}), got shape {labels.shape}")
    _, inverse = np.unique(labels, return_inverse=True)
    return np.ascontiguousarray(inverse, dtype=np.uint32)


@dataclass(frozen=True, kw_only=True)
class Resampled:
    """The keywords of :func:`bootstrap_ci` and :func:`paired_bootstrap` that say how to resample and which
    interval to report, and the core call both make with them."""

    method: str = "bca"
    confidence: float = 0.95
    n_resamples: int = 10_000
    seed: int = 0
    strata: npt.ArrayLike | None = None
    smooth: str = "exp"
    smooth_value: float | None = None
    return_distribution: bool = False

    def __post_init__(self) -> None:  # before the data are read, as a written-out signature's first line did
        if self.method not in ("percentile", "bca"):
            raise ValueError(f"method must be 'percentile' or 'bca', got {self.method!r}")

    def sums(self, rows: npt.NDArray[Any], name: str, baseline: npt.NDArray[Any] | None = None) -> dict[str, Any]:
        """``_core.bootstrap_sums`` of ``rows`` (minus ``baseline``'s, paired), with ``low``/``high`` added."""
        resampling = _core.Resampling(self.n_resamples, self.seed, self.confidence, self.return_distribution)
        out = _core.bootstrap_sums(
            rows, name, resampling, baseline=baseline, strata=_strata(self.strata, rows.shape[0]),
            smooth_method=self.smooth, smooth_value=self.smooth_value,
        )
        out["low"], out["high"] = out[self.method]
        return out


@dataclass(frozen=True, kw_only=True)
class OneSample(Resampled):
    """:func:`bootstrap_ci`'s keywords."""

    statistic: str = "mean"
    denominator: npt.ArrayLike | None = None


@dataclass(frozen=True, kw_only=True)
class Paired(Resampled):
    """:func:`paired_bootstrap`'s keywords."""

    statistic: str = "accuracy"


@options_as_keywords(OneSample)
def bootstrap_ci(data: npt.ArrayLike, options: OneSample) -> BootstrapResult:
    """Case-level bootstrap interval of a built-in statistic (see :data:`STATISTICS`).

    ``strata`` (one label per case) resamples within each label, e.g. within each dataset; the BCa
    acceleration comes from the jackknife over all cases either way (O(n), from the sums).
    ``low``/``high`` are the ``method`` interval; both intervals are in ``percentile`` and ``bca``.
    """
    rows, name = _rows(data, options.statistic, options.denominator)
    out = options.sums(rows, name)
    return BootstrapResult(
        estimate=out["estimate"], low=out["low"], high=out["high"], method=options.method,
        confidence=options.confidence, n_resamples=options.n_resamples, standard_error=out["standard_error"],
        percentile=out["percentile"], bca=out["bca"], acceleration=out["acceleration"],
        distribution=out.get("distribution"),
    )


@options_as_keywords(Paired)
def paired_bootstrap(a: npt.ArrayLike, b: npt.ArrayLike, options: Paired) -> PairedBootstrapResult:
    """Compare two systems on the same cases: interval and p-value of statistic(a) − statistic(b).

    ``statistic`` is "accuracy" (0/1 per case), "rmse" (errors), "bleu" (coco statistics),
    "sacrebleu" or "mean"; both systems' rows are resampled with the same indices.
    """
    if options.statistic == "ratio":
        raise ValueError("paired_bootstrap supports mean, accuracy, rmse, bleu and sacrebleu")
    rows_a, name = _rows(a, options.statistic, None)
    rows_b, _ = _rows(b, options.statistic, None)
    out = options.sums(rows_a, name, baseline=rows_b)
    return PairedBootstrapResult(
        difference=out["estimate"], low=out["low"], high=out["high"], pvalue=out["pvalue"], method=options.method,
        confidence=options.confidence, n_resamples=options.n_resamples, standard_error=out["standard_error"],
        percentile=out["percentile"], bca=out["bca"], distribution=out.get("distribution"),
    )
