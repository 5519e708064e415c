"""Multiplicity and heterogeneity without a reference library: groups without variance are left out
(parity: tests/parity/test_multiplicity.py)."""

from __future__ import annotations

import numpy as np

from u2fast.scoring import cochran_q


def test_cochran_q_leaves_out_groups_without_variance() -> None:
    h = cochran_q([0.5, 1.0, 0.2, np.nan], [0.01, 0.0, 0.02, 0.01])
    assert h.k == 2
    assert np.isnan(cochran_q([0.5], [0.01]).q)
