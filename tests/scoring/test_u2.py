"""u2_score from a mapping: the published worked examples and the missing-task rules."""

from __future__ import annotations

import math

import pytest

from u2fast.scoring import U2_WEIGHTS, u2_score

GPT4O = {"DD": 0.4928, "VRA": 0.1504, "LL": 0.1161, "OD": 0.0850, "KD": 0.0840, "CVE": 0.3712, "RG": 2.68,
         "CG": 33.77}


def test_worked_examples_from_the_spec() -> None:
    assert u2_score(GPT4O) == pytest.approx(0.225265, abs=1e-12)
    assert round(u2_score(GPT4O), 4) == 0.2253
    random_baseline = {"DD": 0.4143, "VRA": 0.3195, "LL": 0.1118, "OD": 0.0680, "KD": 0.1120, "CVE": 0.5472}
    assert round(u2_score(random_baseline), 4) == 0.2125


def test_missing_and_clipped_tasks() -> None:
    assert u2_score({}) == pytest.approx(U2_WEIGHTS["CVE"])
    assert u2_score({}, missing_cve_is_perfect=False) == 0.0
    assert u2_score({"CVE": math.nan}, missing_cve_is_perfect=False) == 0.0
    assert u2_score({"CVE": 1.7, "RG": 250.0}) == pytest.approx(0.08)
    assert u2_score({"DD": 1.0}, weights={"DD": 1.0}) == pytest.approx(1.0 + 0.0)
    assert u2_score({"DD": 0.5}, weights=[1, 0, 0, 0, 0, 0, 0, 0]) == 0.5


def test_bad_keys() -> None:
    with pytest.raises(ValueError, match="unknown task"):
        u2_score({"XX": 0.3})
    with pytest.raises(ValueError, match="8 values"):
        u2_score(GPT4O, weights=[0.5, 0.5])
