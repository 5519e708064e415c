"""Run-level aggregation of case scores (u2fast.scoring.scores.score_model)."""

from __future__ import annotations

import math

import pytest

from u2fast.scoring.scores import score_model
from u2fast.types import CaseScore


def _cls(task: str, ds: str, correct: list[bool]) -> list[CaseScore]:
    return [CaseScore(case_id=f"{task}/{ds}/{i}", dataset_id=ds, task=task, correct=c, truth="a",  # type: ignore[arg-type]
                      answer="a" if c else "b") for i, c in enumerate(correct)]


def test_task_metric_is_the_unweighted_mean_over_datasets() -> None:
    scores = _cls("DD", "21", [True] * 9 + [False]) + _cls("DD", "25", [True, False])
    m = score_model("m", scores, in_u2={}, compat=False)
    assert m.datasets["DD/21"].value.value == pytest.approx(0.9)
    assert m.datasets["DD/25"].value.value == pytest.approx(0.5)
    assert m.tasks["DD"].value.value == pytest.approx(0.7)  # not the pooled 10/12
    assert m.tasks["DD"].u2_term == pytest.approx(0.7)
    assert m.u2.value == pytest.approx(0.2 * 0.7)


def test_datasets_outside_u2_are_reported_but_not_averaged() -> None:
    scores = [CaseScore(case_id=f"CVE/{ds}/{i}", dataset_id=ds, task="CVE", error=e)
              for ds, e in (("18", 0.1), ("31", 0.9)) for i in range(3)]
    m = score_model("m", scores, in_u2={"CVE/31": False}, compat=False)
    assert m.datasets["CVE/31"].in_u2 is False
    assert m.datasets["CVE/31"].value.value == pytest.approx(0.9)
    assert m.tasks["CVE"].value.value == pytest.approx(0.1)


def test_missing_cve_depends_on_mode() -> None:
    scores = _cls("DD", "21", [True, False])
    assert score_model("m", scores, in_u2={}, compat=True).tasks["CVE"].u2_term == 1.0
    assert score_model("m", scores, in_u2={}, compat=False).tasks["CVE"].u2_term == 0.0


def test_intervals_cover_the_estimate_and_fall_back_when_bca_is_undefined() -> None:
    scores = _cls("DD", "21", [True] * 30) + _cls("DD", "25", [i % 3 == 0 for i in range(60)])
    m = score_model("m", scores, in_u2={}, compat=False, n_resamples=500, seed=1)
    perfect = m.datasets["DD/21"].value
    assert (perfect.low, perfect.high) == (1.0, 1.0)  # constant: BCa is NaN, percentile is (1, 1)
    mixed = m.datasets["DD/25"].value
    assert mixed.low is not None and mixed.high is not None
    assert mixed.low < mixed.value < mixed.high
    assert m.u2.low is not None and not math.isnan(m.u2.low) and m.u2.low <= m.u2.value <= (m.u2.high or 0)
    again = score_model("m", scores, in_u2={}, compat=False, n_resamples=500, seed=1)
    assert again.u2 == m.u2  # seeded


def test_api_errors_and_parse_rates() -> None:
    scores = _cls("DD", "21", [True, False]) + [
        CaseScore(case_id="DD/21/9", dataset_id="21", task="DD", counted=False, parsed=False, api_error=True),
        CaseScore(case_id="DD/21/8", dataset_id="21", task="DD", parsed=False, correct=False, truth="a", answer=""),
    ]
    m = score_model("m", scores, in_u2={}, compat=False)
    d = m.datasets["DD/21"]
    assert (d.n, d.counted, d.parsed, d.errors) == (4, 3, 2, 1)
    assert d.value.value == pytest.approx(1 / 3)
    assert m.error_rate == pytest.approx(0.25)
    assert m.parse_rate == pytest.approx(2 / 3)
    assert d.extra["f1"] == pytest.approx(_sk_macro_f1(["a", "a", "a"], ["a", "b", ""]))


def _sk_macro_f1(truth: list[str], pred: list[str]) -> float:
    labels = sorted(set(truth) | set(pred))
    f1s = []
    for label in labels:
        tp = sum(t == p == label for t, p in zip(truth, pred))
        n_true, n_pred = truth.count(label), pred.count(label)
        f1s.append(0.0 if n_true + n_pred == 0 else 2 * tp / (n_true + n_pred))
    return sum(f1s) / len(f1s)


def test_nothing_answered_is_null_not_zero_and_unsent_cases_are_not_errors() -> None:
    failed = [CaseScore(case_id=f"DD/21/{i}", dataset_id="21", task="DD", counted=False, parsed=False, api_error=True)
              for i in range(3)]
    unsent = [CaseScore(case_id=f"DD/21/u{i}", dataset_id="21", task="DD", counted=False, parsed=False, sent=False)
              for i in range(2)]
    m = score_model("m", failed + unsent, in_u2={}, compat=True, n_resamples=20)
    assert math.isnan(m.u2.value) and m.u2.low is None
    assert all(math.isnan(t.value.value) for t in m.tasks.values())
    assert (m.answered, m.not_sent, m.error_rate) == (0, 2, 1.0)


def test_nothing_answered_in_compat_leaves_the_side_metrics_null_too() -> None:
    # compat counts an API error as a wrong answer: with no answer at all the F1 and BLEU-n beside the
    # null accuracy/BLEU-4 must not read 0
    failed = [CaseScore(case_id=f"DD/21/{i}", dataset_id="21", task="DD", counted=True, parsed=False, api_error=True,
                        truth="benign", correct=False) for i in range(3)]
    failed += [CaseScore(case_id=f"RG/9/{i}", dataset_id="9", task="RG", counted=True, parsed=False, api_error=True,
                         bleu=(0,) * 10) for i in range(2)]
    m = score_model("m", failed, in_u2={}, compat=True)
    extras = [*m.datasets["DD/21"].extra.values(), *m.datasets["RG/9"].extra.values(), *m.tasks["DD"].extra.values(),
              *m.tasks["RG"].extra.values()]
    assert "f1" in m.datasets["DD/21"].extra and "bleu1" in m.datasets["RG/9"].extra
    assert extras and all(math.isnan(v) for v in extras)
