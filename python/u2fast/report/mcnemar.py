"""McNemar's test on paired 0/1 outcomes, with statsmodels' semantics (METRICS.md section 7).

TO BE REPLACED by ``u2fast.scoring.mcnemar`` once the scoring core exports it: this small exact
version exists so that ``u2fast compare`` works before that lands. It copies statsmodels'
``mcnemar(table, exact, correction)`` behaviour, quirks included (the corrected statistic is not
clamped; b = c = 0 gives an infinite corrected statistic and p = 0, NaN without correction), and
says so in its output rather than silently fixing them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

__all__ = ["McNemarResult", "binom_two_sided_half", "chi2_sf_df1", "discordant_counts", "mcnemar"]


@dataclass(frozen=True)
class McNemarResult:
    """Discordant counts and both forms of the test.

    ``b``: A right and B wrong; ``c``: A wrong and B right (table ``[[n11, b], [c, n22]]``).
    """

    n: int
    both_right: int
    b: int
    c: int
    both_wrong: int
    #: exact binomial test: statistic min(b, c), two-sided p = min(1, 2·BinomCDF(min(b,c); b+c, ½))
    exact_statistic: int
    exact_pvalue: float
    #: chi-square, df = 1, with Edwards' continuity correction (statsmodels' default correction=True)
    chi2_corrected: float
    pvalue_corrected: float
    #: chi-square, df = 1, without correction
    chi2_uncorrected: float
    pvalue_uncorrected: float


def chi2_sf_df1(statistic: float) -> float:
    """Survival function of chi-square with one degree of freedom: erfc(sqrt(x/2))."""
    if math.isnan(statistic):
        return float("nan")
    if statistic <= 0:
        return 1.0
    return math.erfc(math.sqrt(statistic / 2.0))


def binom_two_sided_half(k: int, n: int) -> float:
    """min(1, 2·P[X ≤ k]) for X ~ Binomial(n, ½), computed exactly with integers."""
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(k + 1))
    return float(min(Fraction(1), Fraction(2 * tail, 2**n)))


def discordant_counts(a_correct: npt.ArrayLike, b_correct: npt.ArrayLike) -> tuple[int, int, int, int]:
    """(both right, A only, B only, both wrong) of two aligned 0/1 vectors."""
    a = np.asarray(a_correct, dtype=bool)
    b = np.asarray(b_correct, dtype=bool)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(
            f"paired outcomes must be two 1-D vectors of one length, got {a.shape} and {b.shape}"
        )
    return int(np.sum(a & b)), int(np.sum(a & ~b)), int(np.sum(~a & b)), int(np.sum(~a & ~b))


def _chi2(b: int, c: int, correction: bool) -> float:
    k = 1 if correction else 0
    num = float((abs(b - c) - k) ** 2)
    den = b + c
    if den == 0:
        return float("inf") if num > 0 else float("nan")  # statsmodels: 1/0 = inf, 0/0 = nan
    return num / den


def mcnemar(a_correct: npt.ArrayLike, b_correct: npt.ArrayLike) -> McNemarResult:
    """McNemar's test on paired correctness of systems A and B over the same cases."""
    n11, b, c, n22 = discordant_counts(a_correct, b_correct)
    corrected = _chi2(b, c, True)
    uncorrected = _chi2(b, c, False)
    return McNemarResult(
        n=n11 + b + c + n22,
        both_right=n11,
        b=b,
        c=c,
        both_wrong=n22,
        exact_statistic=min(b, c),
        exact_pvalue=binom_two_sided_half(min(b, c), b + c),
        chi2_corrected=corrected,
        pvalue_corrected=chi2_sf_df1(corrected) if corrected != math.inf else 0.0,
        chi2_uncorrected=uncorrected,
        pvalue_uncorrected=chi2_sf_df1(uncorrected),
    )
