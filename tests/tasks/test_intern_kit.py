"""u2fast.tasks.intern_kit: the second kit's parsers reproduce that kit, its known bugs and traps included."""

from __future__ import annotations

from collections.abc import Callable

from u2fast.tasks.intern_kit import parse_cla_intern, parse_cve_intern, parse_seg_intern
from u2fast.tasks.parsers import parse_cla_robust
from u2fast.types import Case

MakeCase = Callable[..., Case]


def test_intern_parsers_reproduce_that_kit(make_case: MakeCase) -> None:
    case = make_case("LL", "04")
    assert parse_seg_intern(" Lower Center", case).value == "center"  # its known bug, kept on purpose
    assert parse_seg_intern("top, left", case).value == "top, left"  # no keyword: kept, scored wrong
    assert parse_seg_intern("it is upper and to the left", case).value == "upper left"
    cve = make_case("CVE", "18")
    assert parse_cve_intern("EF about 55.5%", cve).value == 55.5
    assert parse_cve_intern("-3", cve).value == -3.0  # float() accepts it before the regexes run
    assert parse_cve_intern("minus 3", cve).value == 3.0
    assert parse_cve_intern("null", cve).parsed is False


def test_intern_option_matcher_keeps_its_substring_trap(make_case: MakeCase) -> None:
    case = make_case("DD", "21")
    assert parse_cla_intern(" 'Malignant' ", case).value == "malignant"
    assert parse_cla_intern("non-malignant", case).value == "malignant"  # robust says benign
    assert parse_cla_robust("non-malignant", case).value == "benign"
    assert parse_cla_intern("no idea", case).parsed is False
    fetal = make_case("VRA", "03")
    assert parse_cla_intern("brain", fetal).value == "fetal brain"
    assert parse_cla_intern("fetal abdomen plane", fetal).value == "fetal abdomen"
    knee = make_case("VRA", "28_class")
    assert (
        parse_cla_intern("left anterior suprapatellar longitudinal with power doppler", knee).value
        == "left anterior suprapatellar longitudinal with power Doppler"
    )
