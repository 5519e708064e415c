"""McNemar's own rules, without a reference library: what is not a count or a 2x2 table is refused, naming the table
(parity: tests/parity/test_mcnemar.py)."""

from __future__ import annotations

import numpy as np
import pytest

from u2fast.scoring import mcnemar


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="2x2"):
        mcnemar([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(ValueError, match="non-negative"):
        mcnemar(-1, 3)
    with pytest.raises(ValueError, match="differ in shape"):
        mcnemar([1, 2], [1, 2, 3])


def test_mcnemar_rejects_what_is_not_a_count() -> None:
    for b in (np.nan, np.inf, -1.0):
        with pytest.raises(ValueError, match="non-negative"):
            mcnemar(b, 2)
    with pytest.raises(ValueError, match="table 1"):  # the offending table is named
        mcnemar([3, -1], [2, 2])
