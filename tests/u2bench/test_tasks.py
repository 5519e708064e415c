"""The task table is the one home of the eight tasks' facts; every other layer reads it."""

from __future__ import annotations

import pytest

from u2fast import _core
from u2fast.plugins import get_registry
from u2fast.report.schema import TASK_LABELS
from u2fast.scoring import U2_WEIGHTS
from u2fast.u2bench import (
    CLASSIFICATION_TASKS,
    SCENARIOS,
    SECTOR_TASKS,
    TASK_SPECS,
    TASKS,
    TEXT_TASKS,
    scoring_mode,
    task_spec,
)


def test_task_order_is_the_cores():
    assert tuple(_core.U2_TASKS) == TASKS
    assert list(U2_WEIGHTS) == list(TASKS)


def test_derived_groups():
    assert CLASSIFICATION_TASKS == ("DD", "VRA", "LL", "OD", "KD")
    assert SECTOR_TASKS == ("LL", "OD", "KD")
    assert TEXT_TASKS == ("RG", "CG")
    assert [s.code for s in TASK_SPECS if s.lower_is_better] == ["CVE"]


def test_registry_definitions_read_the_table():
    registry = get_registry()
    for spec in TASK_SPECS:
        definition = registry.tasks[spec.code]
        assert (definition.title, definition.family, definition.metric) == (spec.title, spec.family, spec.metric)
    assert {s.code: s.heading for s in TASK_SPECS} == TASK_LABELS


def test_every_scenario_names_a_known_task():
    assert {s.task for s in SCENARIOS} == set(TASKS)


def test_unknown_task_and_mode_name_the_valid_ones():
    with pytest.raises(KeyError, match="DD, VRA"):
        task_spec("DX")
    with pytest.raises(ValueError, match="compat, robust"):
        scoring_mode("strict")
    assert scoring_mode("compat") == "compat"
