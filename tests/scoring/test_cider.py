"""CIDEr-D's own rules: the length penalty's width checked (its equality with pycocoevalcap is
tests/parity/test_cider.py)."""

from __future__ import annotations

import pytest

from u2fast.scoring import cider


@pytest.mark.parametrize("sigma", [0, -6.0, float("nan"), float("inf"), "6"])
def test_a_length_penalty_width_that_is_not_positive_is_refused(sigma: object) -> None:
    # sigma = 0 once gave NaN scores beside real ones (pycocoevalcap divides by zero); a negative width
    # was silently squared into a positive one
    with pytest.raises(ValueError, match="sigma must be a finite number > 0, got"):
        cider(["a b", "c"], ["a b c", "c"], sigma=sigma)  # type: ignore[arg-type]
    assert cider(["a b", "c"], ["a b c", "c"], sigma=0.5).scores.shape == (2,)
