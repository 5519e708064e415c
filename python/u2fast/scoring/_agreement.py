"""Agreement of a measurement with its reference in native units (the CVE task's clinical view).

Differences are ``measured − reference``: a positive bias means the model reads high. Values that
cannot be computed (too few cases, no variance) are NaN.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from u2fast import _core

__all__ = ["BlandAltman", "Icc", "MeasurementErrors", "bland_altman", "ccc", "icc3", "measurement_errors"]


def _pair(measured: npt.ArrayLike, reference: npt.ArrayLike) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    m = np.ascontiguousarray(measured, np.float64)
    r = np.ascontiguousarray(reference, np.float64)
    if m.ndim != 1 or r.ndim != 1 or m.shape != r.shape:
        raise ValueError(f"measured and reference must be 1-D of one length, got {m.shape} and {r.shape}")
    for name, a in (("measured", m), ("reference", r)):
        bad = np.flatnonzero(~np.isfinite(a))
        if len(bad):
            raise ValueError(f"{name}[{bad[0]}] = {a[bad[0]]} is not a finite number")
    return m, r


@dataclass(frozen=True)
class MeasurementErrors:
    """Mean absolute error, root mean square error and bias (mean signed error), native units."""

    n: int
    mae: float
    rmse: float
    bias: float


def measurement_errors(measured: npt.ArrayLike, reference: npt.ArrayLike) -> MeasurementErrors:
    """MAE, RMSE and bias of ``measured − reference``."""
    n, mae, rmse, bias = _core.measurement_errors(*_pair(measured, reference))
    return MeasurementErrors(n, mae, rmse, bias)


@dataclass(frozen=True)
class BlandAltman:
    """Bias, 95% limits of agreement (``bias ± agreement · sd``) and the t intervals of all three."""

    n: int
    bias: float
    sd: float
    lower: float
    upper: float
    bias_interval: tuple[float, float]
    lower_interval: tuple[float, float]
    upper_interval: tuple[float, float]
    agreement: float
    confidence: float


def bland_altman(
    measured: npt.ArrayLike, reference: npt.ArrayLike, *, agreement: float = 1.96, confidence: float = 0.95
) -> BlandAltman:
    """Bland–Altman analysis (Bland & Altman 1986; intervals of the limits from their 1999 paper)."""
    out = _core.bland_altman(*_pair(measured, reference), agreement, confidence)
    return BlandAltman(
        n=out["n"], bias=out["bias"], sd=out["sd"], lower=out["lower"], upper=out["upper"],
        bias_interval=out["bias_interval"], lower_interval=out["lower_interval"],
        upper_interval=out["upper_interval"], agreement=agreement, confidence=confidence,
    )


@dataclass(frozen=True)
class Icc:
    """ICC(3,1) with its F test (``f`` on ``df1``, ``df2`` degrees of freedom) and F-based interval."""

    icc: float
    f: float
    df1: float
    df2: float
    pvalue: float
    interval: tuple[float, float]


def icc3(measured: npt.ArrayLike, reference: npt.ArrayLike, *, confidence: float = 0.95) -> Icc:
    """ICC(3,1): two-way mixed effects, consistency, single measurement (Shrout & Fleiss 1979),
    with the model and the reference as the two raters; equal to pingouin's ``intraclass_corr``
    row ``ICC3`` (whose printed interval is rounded to two decimals; this one is not)."""
    icc, f, df1, df2, p, interval = _core.icc3(*_pair(measured, reference), confidence)
    return Icc(icc, f, df1, df2, p, interval)


def ccc(measured: npt.ArrayLike, reference: npt.ArrayLike) -> float:
    """Lin's concordance correlation coefficient (Lin 1989), population moments."""
    return float(_core.ccc(*_pair(measured, reference)))
