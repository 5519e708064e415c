"""judge(): per-mode rules for API errors, missing answers, parse failures and CVE errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from u2fast.errors import ConfigError
from u2fast.tasks.judge import judge
from u2fast.types import ApiError, Case, Completion, LabelTarget, Prediction, SectorTarget, ValueTarget
from u2fast.u2bench.scenarios import scenario

MakeCase = Callable[..., Case]


def done(text: str) -> Completion:
    return Completion(key="k", case_id="7", model="m:x", text=text)


FAILED = Completion(
    key="k", case_id="7", model="m:x", error=ApiError(kind="server", message="503", status=503)
)


def bm(make_case: MakeCase, label: str = "malignant") -> Case:
    return make_case("DD", "21", target=LabelTarget(label, ("benign", "malignant")))


# ---------------------------------------------------------------------------- classification


def test_compat_string_labels_exact_match_after_lower_casing(make_case: MakeCase) -> None:
    case = bm(make_case)
    _, right = judge(case, done("Malignant"), "compat")
    assert (right.correct, right.counted, right.truth, right.answer) == (True, True, "malignant", "malignant")
    _, spaced = judge(case, done("malignant\n"), "compat")
    assert (spaced.correct, spaced.counted, spaced.answer) == (False, True, "malignant\n")
    _, verbose = judge(case, done("It is malignant"), "compat")
    assert (verbose.correct, verbose.counted) == (False, True)


def test_compat_cleans_list_shaped_ground_truth(make_case: MakeCase) -> None:
    case = make_case("DD", "40", target=LabelTarget("['4A']", ("2", "3", "4A", "4B", "4C", "5")))
    _, score = judge(case, done("4A"), "compat")
    assert (score.correct, score.truth) == (True, "4a")


def test_compat_integer_labels_exclude_what_int_rejects(make_case: MakeCase) -> None:
    case = make_case("DD", "44", target=LabelTarget("2", ("0", "1", "2", "3")))
    _, ok = judge(case, done(" 2\n"), "compat")
    assert (ok.correct, ok.counted) == (True, True)
    pred, bad = judge(case, done("2."), "compat")
    assert (bad.counted, bad.parsed, bad.correct, pred.parsed) == (False, False, None, False)
    _, err = judge(case, FAILED, "compat")
    assert (err.counted, err.api_error) == (False, True)


def test_compat_unusable_answers_follow_the_kit(make_case: MakeCase) -> None:
    pred, err = judge(bm(make_case), FAILED, "compat")
    assert (err.counted, err.correct, err.api_error, err.answer) == (True, False, True, "")
    assert pred.parsed is False and "server" in (pred.reason or "")
    # No answer row at all (the kit dropped the question): in no denominator, as in the kit.
    _, missing = judge(bm(make_case), None, "compat")
    assert (missing.counted, missing.correct) == (False, None)
    dropped = Completion(
        key="k", case_id="7", model="m:x", error=ApiError(kind="missing_answer", message="no row")
    )
    _, absent = judge(bm(make_case), dropped, "compat")
    assert (absent.counted, absent.api_error) == (False, True)


def test_robust_keeps_api_errors_out_and_counts_parse_failures_wrong(make_case: MakeCase) -> None:
    case = bm(make_case)
    pred, score = judge(case, FAILED, "robust")
    assert (score.counted, score.api_error, score.sent, score.correct, pred.parsed) == (False, True, True, None, False)
    # a request never sent is neither an answer nor an API error
    pred, unsent = judge(case, None, "robust")
    assert (unsent.counted, unsent.api_error, unsent.sent, pred.parsed, pred.reason) == (False, False, False, False, "not sent")
    pred, unparsed = judge(case, done("I am not sure"), "robust")
    assert (unparsed.counted, unparsed.parsed, unparsed.correct, unparsed.answer) == (True, False, False, "")
    _, right = judge(case, done("  **Malignant**."), "robust")
    assert (right.correct, right.truth, right.answer) == (True, "malignant", "malignant")


def test_robust_ground_truth_is_the_canonical_option(make_case: MakeCase) -> None:
    case = make_case("DD", "40", target=LabelTarget("4a", ("2", "3", "4A", "4B", "4C", "5")))
    _, score = judge(case, done("BI-RADS 4A"), "robust")
    assert (score.correct, score.truth, score.answer) == (True, "4A", "4A")


def test_robust_integer_labels_parse_failure_is_wrong_not_excluded(make_case: MakeCase) -> None:
    case = make_case("DD", "57", target=LabelTarget("1", ("0", "1")))
    _, score = judge(case, done("hard to say"), "robust")
    assert (score.counted, score.correct) == (True, False)


# ---------------------------------------------------------------------------- sectors


def test_compat_sectors(make_case: MakeCase) -> None:
    case = make_case("LL", "04", target=SectorTarget("upper left", cx=0.1, cy=0.1))
    assert judge(case, done("Upper Left"), "compat")[1].correct is True
    assert judge(case, done("upper left "), "compat")[1].correct is False
    _, err = judge(case, FAILED, "compat")  # the kit stores the error text: a wrong string answer
    assert (err.counted, err.correct) == (True, False)
    _, missing = judge(case, None, "compat")  # no string at all: excluded
    assert missing.counted is False


def test_robust_sectors(make_case: MakeCase) -> None:
    case = make_case(
        "OD", "18", target=SectorTarget("lower center", structure="left ventricle", cx=0.5, cy=0.7)
    )
    _, score = judge(case, done("Lower centre"), "robust")
    assert (score.correct, score.truth, score.answer) == (True, "lower center", "lower center")
    _, vague = judge(case, done("can't tell"), "robust")
    assert (vague.counted, vague.correct, vague.parsed) == (True, False, False)


# ---------------------------------------------------------------------------- CVE


def ef(make_case: MakeCase, value: float) -> Case:
    return make_case("CVE", "18", target=ValueTarget(value, 10.0, 75.0, "%"))


def test_cve_error_is_normalized_truth_minus_prediction(make_case: MakeCase) -> None:
    _, score = judge(ef(make_case, 62.0), done("49"), "compat")
    assert score.error == pytest.approx((62 - 10) / 65 - (49 - 10) / 65)
    _, far = judge(ef(make_case, 62.0), done("400"), "compat")  # not clipped
    assert far.error == pytest.approx((62 - 10) / 65 - (400 - 10) / 65)
    assert far.error < -1


def test_cve_compat_excludes_unparsed_and_errors(make_case: MakeCase) -> None:
    for completion in (done("55%"), done("null"), FAILED, None):
        _, score = judge(ef(make_case, 62.0), completion, "compat")
        assert score.counted is False and score.error is None


@pytest.mark.parametrize(
    ("truth", "expected"), [(62.0, (62 - 10) / 65), (20.0, (20 - 10) / 65 - 1), (42.5, 0.5)]
)
def test_cve_robust_parse_failure_gets_the_worst_in_range_error(
    truth: float, expected: float, make_case: MakeCase
) -> None:
    _, score = judge(ef(make_case, truth), done("not measurable"), "robust")
    assert (score.counted, score.parsed) == (True, False)
    assert score.error == pytest.approx(expected)
    y = (truth - 10) / 65
    assert abs(score.error or 0) == pytest.approx(max(y, 1 - y))


def test_cve_robust_parses_and_keeps_api_errors_out(make_case: MakeCase) -> None:
    _, score = judge(ef(make_case, 62.0), done("EF about 55%"), "robust")
    assert score.error == pytest.approx((62 - 55) / 65)
    _, err = judge(ef(make_case, 62.0), FAILED, "robust")
    assert (err.counted, err.api_error, err.error) == (False, True, None)


# ---------------------------------------------------------------------------- RG / CG


def test_text_tasks_put_the_hypothesis_in_the_prediction(make_case: MakeCase) -> None:
    case = make_case("RG", "39", anatomy="Liver")
    pred, score = judge(case, done(" The liver is normal. "), "compat")
    assert pred.value == " The liver is normal. " and score.bleu is None and score.counted
    pred, score = judge(case, done(" The liver is normal. "), "robust")
    assert pred.value == "The liver is normal."
    pred, score = judge(case, FAILED, "compat")  # an empty hypothesis, still counted
    assert (pred.value, score.counted, score.api_error) == ("", True, True)
    pred, score = judge(case, FAILED, "robust")
    assert (pred.value, score.counted) == (None, False)
    pred, score = judge(case, done("   "), "robust")
    assert (pred.value, score.counted, score.parsed) == ("", True, False)


# ---------------------------------------------------------------------------- plumbing


def test_a_custom_parser_overrides_the_mode_default(make_case: MakeCase) -> None:
    def always_benign(text: str, case: Case) -> Prediction:
        return Prediction(case.case_id, "benign")

    _, score = judge(bm(make_case, "benign"), done("gibberish"), "robust", always_benign)
    assert score.correct is True


def test_unknown_mode_is_a_config_error(make_case: MakeCase) -> None:
    with pytest.raises(ConfigError, match="lenient"):
        judge(bm(make_case), done("benign"), "lenient")


def test_scores_carry_case_identity(make_case: MakeCase) -> None:
    _, score = judge(make_case("VRA", "18", case_id="c-9"), done("2CH"), "robust")
    assert (score.case_id, score.dataset_id, score.task) == ("c-9", "18", "VRA")


def test_dict_shaped_anatomy_label(make_case: MakeCase) -> None:
    # The raw release label of the anatomy set (its options as the benchmark facts list them); compat
    # keeps the kit's defect (never matches).
    anatomy_set = scenario("VRA", "anatomy")
    assert anatomy_set is not None
    case = make_case("VRA", "anatomy", target=LabelTarget("{'Anatomy': 'liver'}", anatomy_set.options))
    _, robust = judge(case, done("Liver"), "robust")
    assert (robust.correct, robust.truth) == (True, "liver")
    _, compat = judge(case, done("liver"), "compat")
    assert (compat.correct, compat.truth) == (False, "{anatomy: liver}")
