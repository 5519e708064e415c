"""u2_score from a mapping: the published worked examples and the missing-task rules."""

from __future__ import annotations

import math

import numpy as np
import pytest

from u2fast.scoring import TASK_CODES, U2_WEIGHTS, u2_score

GPT4O = {"DD": 0.4928, "VRA": 0.1504, "LL": 0.1161, "OD": 0.0850, "KD": 0.0840, "CVE": 0.3712, "RG": 2.68,
         "CG": 33.77}
RANDOM = {"DD": 0.4143, "VRA": 0.3195, "LL": 0.1118, "OD": 0.0680, "KD": 0.1120, "CVE": 0.5472}
WEIGHTS = np.array([0.20, 0.20, 0.07, 0.27, 0.07, 0.07, 0.08, 0.04])


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


def test_published_rows() -> None:
    # docs/u2bench.md 6.3 and 8: the two rows whose inputs are written out; the script rounds to 4 decimals.
    assert u2_score(GPT4O) == pytest.approx(0.225265, abs=1e-12) and round(u2_score(GPT4O), 4) == 0.2253
    assert u2_score(RANDOM) == pytest.approx(0.21248, abs=5e-6) and round(u2_score(RANDOM), 4) == 0.2125


def test_weights_override_and_missing_tasks() -> None:
    assert dict(zip(TASK_CODES, WEIGHTS.tolist())) == U2_WEIGHTS
    as_list = [U2_WEIGHTS[t] for t in TASK_CODES]
    assert u2_score(GPT4O, weights=as_list) == u2_score(GPT4O) == u2_score(GPT4O, weights=U2_WEIGHTS)
    equal = dict.fromkeys(TASK_CODES, 1 / 8)
    assert u2_score(GPT4O, weights=equal) == pytest.approx(
        np.mean([0.4928, 0.1504, 0.1161, 0.0850, 0.0840, 1 - 0.3712, 0.0268, 0.3377]), abs=1e-12)
    # A mapping of weights gives 0 to the tasks it leaves out.
    assert u2_score(GPT4O, weights={"CG": 1.0}) == pytest.approx(0.3377)
    no_text = {k: v for k, v in GPT4O.items() if k not in ("RG", "CG")}
    assert u2_score(no_text) == pytest.approx(0.225265 - 0.002144 - 0.013508, abs=1e-12)
    assert u2_score({**GPT4O, "RG": float("nan")}) == u2_score({k: v for k, v in GPT4O.items() if k != "RG"})
    # Clipping: accuracy above 1, RMSE above 1, BLEU above 100, negative values.
    assert u2_score({"DD": 1.5, "CVE": 1.3, "RG": 140.0, "VRA": -0.2}) == pytest.approx(0.2 + 0.0 + 0.08)
    with pytest.raises(ValueError, match="unknown task"):
        u2_score({"dd": 0.5})
    with pytest.raises(ValueError, match="unknown task"):
        u2_score(GPT4O, weights={"XX": 1.0})
