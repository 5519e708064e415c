"""Agreement statistics without a reference library: constant and tiny inputs give NaN, bad input is named
(parity: tests/parity/test_agreement.py)."""

from __future__ import annotations

import numpy as np
import pytest

from u2fast.scoring import bland_altman, ccc, icc3, measurement_errors


def test_constant_and_tiny_inputs_give_nan_not_numbers() -> None:
    same = np.full(5, 40.0)
    assert np.isnan(icc3(same, same).icc) and np.isnan(ccc(same, same))
    one = bland_altman([41.0], [40.0])
    assert one.bias == 1.0 and np.isnan(one.sd) and np.isnan(one.upper) and np.isnan(one.bias_interval[0])
    assert np.isnan(icc3([1.0], [2.0]).icc)
    e = measurement_errors([], [])
    assert e.n == 0 and np.isnan(e.mae)
    with pytest.raises(ValueError, match=r"measured\[1\] = nan"):
        ccc([1.0, float("nan")], [1.0, 2.0])
    with pytest.raises(ValueError, match="one length"):
        icc3([1.0, 2.0], [1.0])
