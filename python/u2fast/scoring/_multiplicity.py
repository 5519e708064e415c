"""Many comparisons at once: adjusted p-values, heterogeneity across data sets, detectable differences."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from u2fast import _core

__all__ = ["Heterogeneity", "cochran_q", "minimal_detectable_difference", "multipletests"]


def multipletests(pvalues: npt.ArrayLike, method: str = "holm") -> npt.NDArray[np.float64]:
    """Adjusted p-values, equal to statsmodels' ``multipletests(pvalues, method=...)[1]``.

    ``method`` "holm" (Holm 1979, family-wise error) or "fdr_bh" (Benjamini & Hochberg 1995, false
    discovery rate). NaN entries stay NaN and are not counted among the tests.
    """
    p = np.ascontiguousarray(pvalues, np.float64)
    if p.ndim != 1:
        raise ValueError(f"pvalues must be 1-D, got shape {p.shape}")
    return _core.adjust_pvalues(p, method)


@dataclass(frozen=True)
class Heterogeneity:
    """Cochran's Q across ``k`` groups, its χ² p-value on ``df`` = k − 1, I² (a fraction) and the
    inverse-variance pooled estimate; NaN when fewer than two groups have a positive variance."""

    k: int
    q: float
    df: float
    pvalue: float
    i_squared: float
    pooled: float


def cochran_q(estimates: npt.ArrayLike, variances: npt.ArrayLike) -> Heterogeneity:
    """Cochran's Q test (Cochran 1954) with Higgins & Thompson's I² (2002).

    Groups whose estimate is not finite or whose variance is not a positive finite number are
    left out (a data set answered all right or all wrong has a binomial variance of 0).
    """
    e = np.ascontiguousarray(estimates, np.float64)
    v = np.ascontiguousarray(variances, np.float64)
    k, q, df, p, i2, pooled = _core.cochran_q(e, v)
    return Heterogeneity(k, q, df, p, i2, pooled)


def minimal_detectable_difference(differences: npt.ArrayLike, *, alpha: float = 0.05, power: float = 0.8) -> float:
    """Smallest true mean paired difference a two-sided test at ``alpha`` detects with ``power``:
    ``(z_{1−α/2} + z_power) · sd(d) / √n`` from the observed per-case differences ``d`` (for
    accuracy, d = correct_A − correct_B in {−1, 0, 1}). NaN for fewer than two cases."""
    d = np.ascontiguousarray(differences, np.float64)
    if d.ndim != 1:
        raise ValueError(f"differences must be 1-D, got shape {d.shape}")
    bad = np.flatnonzero(~np.isfinite(d))
    if len(bad):
        raise ValueError(f"differences[{bad[0]}] = {d[bad[0]]} is not a finite number")
    return float(_core.minimal_detectable_difference(d, alpha, power))
