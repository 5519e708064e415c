"""The clinical summary's statistics against scipy and scikit-learn: quadratic-weighted κ for ordinal scenarios,
heterogeneity (Cochran's Q) and subgroups."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from u2fast.scoring.clinical import classification_summary, heterogeneity, subgroup


def test_ordinal_scenarios_get_a_quadratic_kappa() -> None:
    scale = ["1", "2", "3", "4"]
    s = classification_summary(["1", "2", "3", "4"], ["1", "2", "4", None], scale, ordinal=scale)
    assert s.ordinal_labels == scale
    # the unparsed answer leaves the weighted κ; the rest: one off-by-one among three
    t, a = [1, 2, 3], [1, 2, 4]
    from sklearn.metrics import cohen_kappa_score

    assert s.quadratic_kappa == pytest.approx(cohen_kappa_score(t, a, labels=[1, 2, 3, 4], weights="quadratic"))


def test_heterogeneity_and_subgroups() -> None:
    est = [0.2, 0.5, 0.8]
    var = [0.01, 0.02, 0.015]
    h = heterogeneity(est, var, "binomial")
    w = 1 / np.array(var)
    pooled = (w * est).sum() / w.sum()
    q = (w * (np.array(est) - pooled) ** 2).sum()
    assert h.q == pytest.approx(q) and h.pvalue == pytest.approx(stats.chi2.sf(q, 2)) and h.k == 3
    g = subgroup("DD", "breast", [True, False, True, True])
    assert g.value.value == 0.75 and g.n == 4 and g.value.low is not None and g.value.low < 0.75
