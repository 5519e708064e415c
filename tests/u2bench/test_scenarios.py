"""Scenario facts the clinical statistics read: ordinal label sets and clinical tolerances."""

from __future__ import annotations

from u2fast.u2bench import ORDINAL_SCENARIOS, SCENARIOS, scenario


def test_ordinal_label_sets_are_grades_drawn_from_the_options() -> None:
    assert [s.key for s in ORDINAL_SCENARIOS] == ["DD/28", "DD/40", "DD/44"]
    for s in ORDINAL_SCENARIOS:
        assert set(s.ordinal) <= set(s.options) and len(set(s.ordinal)) == len(s.ordinal) >= 3
    kl = scenario("DD", "28")
    assert kl is not None and kl.ordinal[0] == "No OA" and kl.ordinal[-1] == "Severe OA"
    assert "Total joint replacement" not in kl.ordinal  # not a KL grade


def test_tolerances_exist_only_where_a_source_is_cited() -> None:
    for s in SCENARIOS:
        if s.task != "CVE":
            assert s.tolerance is None
        assert (s.tolerance is None) == (s.tolerance_source == ""), s.key
    ef = scenario("CVE", "18")
    assert ef is not None and ef.tolerance == 10.0 and "Plana" in ef.tolerance_source
    assert [s.key for s in SCENARIOS if s.tolerance is not None] == ["CVE/18"]
