"""McNemar's test on two aligned 0/1 outcome vectors: the discordant counts and all three forms.

The statistics come from the scoring core's :func:`u2fast.scoring.mcnemar` (statsmodels'
``mcnemar(table, exact, correction)`` semantics: the corrected statistic is not clamped). One quirk
is not passed on to a reader of ``compare``: with no discordant pair (b = c = 0) statsmodels gives an
infinite corrected statistic with p = 0 and NaN without correction, which reads as "certainly
different" for two systems that agree on every case. Here both chi-square statistics are then
absent (``None``) and both p-values 1, as the exact test already gives.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..scoring import mcnemar as core_mcnemar

__all__ = ["McNemarResult", "discordant_counts", "mcnemar"]


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
    #: chi-square, df = 1, with Edwards' continuity correction (statsmodels' default correction=True);
    #: None when there is no discordant pair
    chi2_corrected: float | None
    pvalue_corrected: float
    #: chi-square, df = 1, without correction; None when there is no discordant pair
    chi2_uncorrected: float | None
    pvalue_uncorrected: float


def discordant_counts(a_correct: npt.ArrayLike, b_correct: npt.ArrayLike) -> tuple[int, int, int, int]:
    """(both right, A only, B only, both wrong) of two aligned 0/1 vectors."""
    a = np.asarray(a_correct, dtype=bool)
    b = np.asarray(b_correct, dtype=bool)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(
            f"paired outcomes must be two 1-D vectors of one length, got {a.shape} and {b.shape}"
        )
    return int(np.sum(a & b)), int(np.sum(a & ~b)), int(np.sum(~a & b)), int(np.sum(~a & ~b))


def mcnemar(a_correct: npt.ArrayLike, b_correct: npt.ArrayLike) -> McNemarResult:
    """McNemar's test on paired correctness of systems A and B over the same cases."""
    n11, b, c, n22 = discordant_counts(a_correct, b_correct)
    exact = core_mcnemar(b, c, exact=True)
    if b + c == 0:
        return McNemarResult(n11 + n22, n11, 0, 0, n22, 0, float(exact.pvalue), None, 1.0, None, 1.0)
    corrected = core_mcnemar(b, c, exact=False, correction=True)
    plain = core_mcnemar(b, c, exact=False, correction=False)
    return McNemarResult(
        n=n11 + b + c + n22,
        both_right=n11,
        b=b,
        c=c,
        both_wrong=n22,
        exact_statistic=min(b, c),
        exact_pvalue=float(exact.pvalue),
        chi2_corrected=float(corrected.statistic),
        pvalue_corrected=float(corrected.pvalue),
        chi2_uncorrected=float(plain.statistic),
        pvalue_uncorrected=float(plain.pvalue),
    )
