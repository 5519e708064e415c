"""robust parsers: honest extraction of options, sectors, numbers and text, with the known traps."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from u2fast.tasks.parsers import parse_cla_robust, parse_cve_robust, parse_seg_robust, parse_text_robust
from u2fast.types import SECTOR_LABELS, Case, LabelTarget
from u2fast.u2bench.scenarios import SCENARIOS

MakeCase = Callable[..., Case]


@pytest.mark.parametrize(
    ("ds", "task", "text", "value"),
    [
        # cleaning: case, whitespace, markdown, quotes, trailing period, prefixes, JSON
        ("21", "DD", "  Malignant.\n", "malignant"),
        ("21", "DD", "**Benign**", "benign"),
        ("21", "DD", '"benign"', "benign"),
        ("21", "DD", "Answer: malignant", "malignant"),
        ("21", "DD", '```json\n{"answer": "Malignant"}\n```', "malignant"),
        # substring and negation traps
        ("21", "DD", "non-malignant", "benign"),
        ("21", "DD", "The lesion is not benign", "malignant"),
        ("21", "DD", "Not benign, malignant", "malignant"),
        ("21", "DD", "This is not malignant but benign", "benign"),
        ("21", "DD", "more likely benign than malignant", "benign"),
        ("21", "DD", "Options: benign, malignant. Answer: malignant", "malignant"),
        ("23", "DD", "no lesion", "normal"),
        ("42", "DD", "no pancreatic cancer", "non-pancreas cancer"),
        ("42", "DD", "Pancreatic cancer is present", "pancreas cancer"),
        ("42", "DD", "non-pancreas cancer", "non-pancreas cancer"),
        ("74is_normal", "DD", "The ovary appears abnormal", "Appears abnormal"),
        ("74is_normal", "DD", "not normal", "Appears abnormal"),
        ("75", "DD", "non-infected", "noninfected"),
        ("75", "DD", "infected", "infected"),
        ("75", "DD", "not infected", "noninfected"),
        ("50", "VRA", "sub-optimal", "suboptimal"),
        ("50", "VRA", "Optimal", "optimal"),
        ("74is_visible", "VRA", "not visible", "Not-visible"),
        ("74is_visible", "VRA", "The polycystic ovary cannot be seen", "Not-visible"),
        # synonyms and codes
        ("40", "DD", "4a", "4A"),
        ("40", "DD", "BI-RADS 4B", "4B"),
        ("40", "DD", "3 cm lesion, BI-RADS 4C", "4C"),
        ("18", "VRA", "Apical two-chamber view", "2CH"),
        ("18", "VRA", "four chamber", "4CH"),
        ("28", "DD", "KL grade 3", "Moderate OA"),
        ("28", "DD", "no oa", "No OA"),
        ("53", "VRA", "Both structures", "SymphysisPubis+FetalHead"),
        ("53", "VRA", "Symphysis Pubis + Fetal Head", "SymphysisPubis+FetalHead"),
        ("53", "VRA", "only the fetal head is visible", "OnlyFetalHead"),
        ("37", "VRA", "transverse", "Axial/Transverse Plane"),
        (
            "28_class",
            "VRA",
            "Left anterior suprapatellar longitudinal with power Doppler",
            "left anterior suprapatellar longitudinal with power Doppler",
        ),
        (
            "28_class",
            "VRA",
            "right anterior suprapatellar longitudinal",
            "right anterior suprapatellar longitudinal",
        ),
        ("anatomy", "VRA", "This is a fetal ultrasound", "fetal"),
        ("44", "DD", "Score: 3", "3"),
        ("44", "DD", "1.", "1"),
        ("44", "DD", "two", "2"),
        # what int() accepts in compat parses in robust too
        ("44", "DD", "03", "3"),
        ("57", "DD", " +1\n", "1"),
        ("57", "DD", "No fatty liver", "0"),
    ],
)
def test_option_extraction(ds: str, task: str, text: str, value: str, make_case: MakeCase) -> None:
    pred = parse_cla_robust(text, make_case(task, ds))
    assert (pred.value, pred.parsed) == (value, True), pred.reason


@pytest.mark.parametrize(
    ("ds", "text", "reason"),
    [
        ("21", "", "empty"),
        ("21", "cancer", "no option"),
        ("21", "benign or malignant", "ambiguous"),
        ("21", "benign/malignant", "ambiguous"),
        ("23", "not malignant", "negated"),  # three options: "not malignant" does not pick one
        ("40", "BI-RADS 4", "no option"),
        ("50", "optimality unclear", "no option"),
    ],
)
def test_option_extraction_failures(ds: str, text: str, reason: str, make_case: MakeCase) -> None:
    pred = parse_cla_robust(text, make_case("DD" if ds != "50" else "VRA", ds))
    assert pred.parsed is False and pred.value is None
    assert reason in (pred.reason or "")


@pytest.mark.parametrize("sc", [s for s in SCENARIOS if s.task in ("DD", "VRA")], ids=lambda s: s.key)
def test_every_option_parses_to_itself(sc: object, make_case: MakeCase) -> None:
    case = make_case(sc.task, sc.dataset_id)  # type: ignore[attr-defined]
    for option in sc.options:  # type: ignore[attr-defined]
        for text in (option, option.upper(), f" {option}.\n", f"The answer is {option}"):
            assert parse_cla_robust(text, case).value == option, text


def test_options_come_from_the_target_when_present(make_case: MakeCase) -> None:
    case = make_case("DD", "21", target=LabelTarget("benign", ("benign", "malignant", "uncertain")))
    assert parse_cla_robust("uncertain", case).value == "uncertain"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("upper left", "upper left"),
        ("Top-left", "upper left"),
        ("upper-left.", "upper left"),
        ("left upper", "upper left"),
        ("bottom right corner", "lower right"),
        ("lower center", "lower center"),  # the intern kit maps this to "center"
        ("Lower centre", "lower center"),
        ("upper middle", "upper center"),
        ("centre", "center"),
        ("middle", "center"),
        ("It is located centrally", "center"),
        ("not visible", "not visible"),
        ("None", "not visible"),
        ("No lesion is seen", "not visible"),
        ("The lesion is in the upper right quadrant", "upper right"),
        ("not in the upper left but lower right", "lower right"),
        ("The left ventricle is not visible", "not visible"),
        ("The left ventricle lies in the lower right", "lower right"),
        ("left", "middle left"),
        ("**Middle Right**", "middle right"),
        # sectors inside sentences (issue 9 item 13): "in the middle" must not swallow "middle left"
        ("The structure is located in the middle left region of the image.", "middle left"),
        ("The structure is located in the middle right region of the image.", "middle right"),
        ("It lies in the middle-left region, not the center.", "middle left"),
        ("The lesion is in the **upper-left** part of the image.", "upper left"),
        ("Found at the top left.", "upper left"),
        ("It occupies the left upper part of the image.", "upper left"),
        ("in the middle of the left side", "middle left"),
        ("the lower part of the right side", "lower right"),
        ("It is in the middle of the image.", "center"),
    ],
)
def test_sector_extraction(text: str, value: str, make_case: MakeCase) -> None:
    pred = parse_seg_robust(text, make_case("OD", "18"))
    assert (pred.value, pred.parsed) == (value, True)


def test_every_sector_label_parses_to_itself(make_case: MakeCase) -> None:
    case = make_case("LL", "04")
    for label in SECTOR_LABELS:
        assert parse_seg_robust(label.upper(), case).value == label
        assert parse_seg_robust(f"Location: {label}.", case).value == label


@pytest.mark.parametrize("text", ["", "somewhere", "I cannot tell"])
def test_sector_failures(text: str, make_case: MakeCase) -> None:
    pred = parse_seg_robust(text, make_case("LL", "04"))
    assert pred.parsed is False and pred.value is None and pred.reason


@pytest.mark.parametrize(
    ("ds", "text", "value"),
    [
        ("18", "55", 55.0),
        ("18", " 55 ", 55.0),
        ("18", "55%", 55.0),
        ("18", "EF: 55 %", 55.0),
        ("18", "4.5e1", 45.0),
        ("18", "45-50", 47.5),
        ("18", "between 45 and 50 percent", 47.5),
        ("18", "The EF is 55% (normal range 50-70)", 55.0),
        ("18", "2CH view, EF 60", 60.0),
        ("27", "0,65 mm", 0.65),
        ("27", "approximately 0.8mm", 0.8),
        ("50", "about 4.2 cm", 42.0),
        ("50", "**250**", 250.0),
        ("57", "-3", -3.0),
        ("57", "−2", -2.0),
    ],
)
def test_number_extraction(ds: str, text: str, value: float, make_case: MakeCase) -> None:
    pred = parse_cve_robust(text, make_case("CVE", ds))
    assert pred.parsed and pred.value == pytest.approx(value)


@pytest.mark.parametrize("text", ["null", "", "N/A", "cannot be measured", "normal", "2CH"])
def test_number_failures(text: str, make_case: MakeCase) -> None:
    pred = parse_cve_robust(text, make_case("CVE", "27"))
    assert pred.parsed is False and pred.value is None and pred.reason


def test_text_is_stripped_and_empty_is_unparsed(make_case: MakeCase) -> None:
    case = make_case("CG", "10")
    assert parse_text_robust("  Fetal abdomen plane.\n", case).value == "Fetal abdomen plane."
    empty = parse_text_robust(" \n", case)
    assert (empty.value, empty.parsed) == ("", False)


def test_idioms_are_not_negations(make_case: MakeCase) -> None:
    case = make_case("DD", "21")
    assert parse_cla_robust("No doubt benign", case).value == "benign"
    assert parse_cla_robust("Without a doubt, malignant", case).value == "malignant"
