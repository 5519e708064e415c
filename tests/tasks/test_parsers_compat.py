"""compat parsers reproduce the official kit: lower-case, no strip, int()/float() semantics."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from u2fast.tasks.parsers import (
    PANDAS_NA_TEXT,
    parse_cla_compat,
    parse_cve_compat,
    parse_seg_compat,
    parse_text_compat,
    parser_for,
)
from u2fast.types import Case, LabelTarget
from u2fast.u2bench.scenarios import scenario

SCENARIO_53 = scenario("VRA", "53")
assert SCENARIO_53 is not None
MakeCase = Callable[..., Case]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Malignant", "malignant"),
        (" malignant", " malignant"),
        ("malignant\n", "malignant\n"),
        ("MALIGNANT.", "malignant."),
        ("", ""),
        ("Error: 429 rate limited", "error: 429 rate limited"),
    ],
)
def test_string_labels_are_lower_cased_not_stripped(text: str, value: str, make_case: MakeCase) -> None:
    pred = parse_cla_compat(text, make_case("DD", "21"))
    assert pred.parsed and pred.value == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", "1"),
        (" 1\n", "1"),
        ("+2", "2"),
        ("03", "3"),
        ("1.", None),
        ("one", None),
        ("1 (mild)", None),
        ("", None),
    ],
)
def test_integer_labels_use_int_semantics(text: str, value: str | None, make_case: MakeCase) -> None:
    for ds in ("44", "57"):
        pred = parse_cla_compat(text, make_case("DD", ds))
        assert pred.value == value
        assert pred.parsed is (value is not None)
        if value is None:
            assert pred.reason


def test_seg_is_lower_cased_not_stripped(make_case: MakeCase) -> None:
    case = make_case("LL", "04")
    assert parse_seg_compat("Upper Left", case).value == "upper left"
    assert parse_seg_compat("upper left ", case).value == "upper left "
    assert parse_seg_compat("top left", case).value == "top left"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("45", 45.0),
        (" 45 ", 45.0),
        ("4.5e1", 45.0),
        ("-3", -3.0),
        ("0.75\n", 0.75),
        ("45%", None),
        ("null", None),
        ("EF: 45", None),
        ("45 mm", None),
        ("", None),
        ("inf", math.inf),  # float() accepts it, as in the kit
        ("-Infinity", -math.inf),
    ],
)
def test_cve_uses_float_semantics(text: str, value: float | None, make_case: MakeCase) -> None:
    pred = parse_cve_compat(text, make_case("CVE", "18"))
    assert pred.value == value
    assert pred.parsed is (value is not None)


def test_cve_nan_passes_float_as_in_the_kit(make_case: MakeCase) -> None:
    pred = parse_cve_compat("nan", make_case("CVE", "18"))
    assert pred.parsed and isinstance(pred.value, float) and math.isnan(pred.value)


def test_pandas_na_text_is_the_installed_pandas_default() -> None:
    from pandas._libs.parsers import STR_NA_VALUES

    assert frozenset(STR_NA_VALUES) == PANDAS_NA_TEXT


@pytest.mark.parametrize(
    ("label", "text", "value"),
    [
        ("None", "None", "nan"),  # pandas reads both as missing: equal in the kit
        ("None", "nan", "nan"),
        ("None", "", "nan"),
        ("None", "none", "none"),  # not missing to pandas: kept raw, wrong
        ("None", "OnlyFetalHead", "OnlyFetalHead"),  # raw, not lower-cased: a class of its own in F1
        ("OnlyFetalHead", "OnlyFetalHead", "onlyfetalhead"),
    ],
)
def test_a_label_pandas_reads_as_missing_compares_the_raw_answer(
    label: str, text: str, value: str, make_case: MakeCase
) -> None:
    case = make_case("VRA", "53", target=LabelTarget(label, SCENARIO_53.options))
    assert parse_cla_compat(text, case).value == value


def test_text_is_kept_raw(make_case: MakeCase) -> None:
    raw = "  The liver is normal.\n"
    assert parse_text_compat(raw, make_case("RG", "39")).value == raw


def test_parser_for_maps_every_task() -> None:
    assert parser_for("DD", "compat") is parse_cla_compat
    assert parser_for("KD", "compat") is parse_seg_compat
    assert parser_for("CVE", "compat") is parse_cve_compat
    assert parser_for("CG", "compat") is parse_text_compat
