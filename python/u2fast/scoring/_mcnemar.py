"""McNemar's test, equal to statsmodels' ``mcnemar`` for every 2×2 table, and vectorised."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from u2fast import _core

__all__ = ["McNemarResult", "mcnemar"]


@dataclass(frozen=True)
class McNemarResult:
    """``statistic`` and ``pvalue``: floats for one table, arrays for many."""

    statistic: float | npt.NDArray[np.float64]
    pvalue: float | npt.NDArray[np.float64]


def mcnemar(
    table_or_b: npt.ArrayLike,
    c: npt.ArrayLike | None = None,
    *,
    exact: bool = True,
    correction: bool = True,
) -> McNemarResult:
    """McNemar's test of paired binary outcomes.

    Give a 2×2 table ``[[n11, b], [c, n22]]`` (or a stack of shape (k, 2, 2)), or the discordant
    counts ``b`` (A right, B wrong) and ``c`` (A wrong, B right) as numbers or arrays.
    ``exact=True`` is the binomial test (statistic min(b, c)); otherwise the chi-square test with
    Edwards' correction when ``correction``. Degenerate tables behave as in statsmodels: with
    b = c = 0 the corrected chi-square gives statistic inf and p = 0, the uncorrected one NaN.
    Negative counts raise ValueError (statsmodels does not check them).
    """
    if c is None:
        table = np.asarray(table_or_b, dtype=np.float64)
        if table.shape[-2:] != (2, 2):
            raise ValueError(f"McNemar needs a 2x2 table (or a stack of them), got shape {table.shape}")
        b_arr, c_arr = table[..., 0, 1], table[..., 1, 0]
    else:
        b_arr = np.asarray(table_or_b, dtype=np.float64)
        c_arr = np.asarray(c, dtype=np.float64)
        if b_arr.shape != c_arr.shape:
            raise ValueError(f"b and c differ in shape: {b_arr.shape} vs {c_arr.shape}")
    scalar = b_arr.ndim == 0
    stat, p = _core.mcnemar_many(
        np.ascontiguousarray(b_arr.reshape(-1)), np.ascontiguousarray(c_arr.reshape(-1)), exact, correction
    )
    if scalar:
        return McNemarResult(float(stat[0]), float(p[0]))
    return McNemarResult(stat.reshape(b_arr.shape), p.reshape(b_arr.shape))
