"""The JSON that ``u2fast report --format json`` and ``u2fast compare --json`` print has exactly the
fields docs/reports.md documents, with the documented types: the tables there are parsed and the
emitted objects walked against them (a field added, dropped or renamed on either side fails)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from report_support import Runs

from u2fast.cli import main

DOCS = Path(__file__).resolve().parents[2] / "docs" / "reports.md"

#: one documented object: field -> (type text, optional?)
Schema = dict[str, tuple[str, bool]]


def documented_objects(section_heading: str) -> dict[str, Schema]:
    """The ``#### name`` tables of one ``### JSON: ...`` section of docs/reports.md."""
    text = DOCS.read_text(encoding="utf-8")
    start = text.index(section_heading)
    end = text.find("\n### ", start + len(section_heading))
    section = text[start : end if end != -1 else len(text)]
    objects: dict[str, Schema] = {}
    current: Schema | None = None
    for line in section.splitlines():
        heading = re.match(r"#### (\w+)", line)
        if heading:
            current = objects.setdefault(heading.group(1), {})
            continue
        row = re.match(r"\| `(\w+)` \| ([^|]+) \| (.*) \|$", line)
        if row and current is not None:
            # a field the table calls "absent when ..." may be left out of an object
            current[row.group(1)] = (row.group(2).strip(), "absent" in row.group(3))
    assert objects, f"no field tables under {section_heading!r} in {DOCS}"
    return objects


def _check_value(value: Any, type_text: str, objects: dict[str, Schema], where: str, seen: set[str]) -> None:
    alternatives = [t.strip() for t in type_text.split(" or ")]
    if value is None:
        assert "null" in alternatives, f"{where}: null but documented as {type_text!r}"
        return
    kinds = [t for t in alternatives if t != "null"]
    assert len(kinds) == 1, f"{where}: cannot read the documented type {type_text!r}"
    kind = kinds[0]
    if kind.startswith("list of "):
        assert isinstance(value, list), f"{where}: expected a list"
        for i, item in enumerate(value):
            _check_value(item, kind.removeprefix("list of "), objects, f"{where}[{i}]", seen)
    elif kind.startswith("map of "):
        assert isinstance(value, dict), f"{where}: expected an object"
        for key, item in value.items():
            _check_value(item, kind.removeprefix("map of "), objects, f"{where}.{key}", seen)
    elif kind in objects:
        check_object(value, kind, objects, where, seen)
    elif kind == "string":
        assert isinstance(value, str), f"{where}: expected a string, got {value!r}"
    elif kind == "integer":
        assert isinstance(value, int) and not isinstance(value, bool), f"{where}: expected an integer"
    elif kind == "number":
        assert isinstance(value, (int, float)) and not isinstance(value, bool), f"{where}: expected a number"
    elif kind == "boolean":
        assert isinstance(value, bool), f"{where}: expected a boolean"
    else:
        raise AssertionError(f"{where}: unknown documented type {kind!r}")


def check_object(obj: Any, name: str, objects: dict[str, Schema], where: str, seen: set[str]) -> None:
    assert isinstance(obj, dict), f"{where}: expected a {name} object"
    seen.add(name)
    schema = objects[name]
    required = {f for f, (_, optional) in schema.items() if not optional}
    assert set(obj) - set(schema) == set(), f"{where}: undocumented fields {sorted(set(obj) - set(schema))}"
    assert required - set(obj) == set(), f"{where}: documented fields missing {sorted(required - set(obj))}"
    for field, value in obj.items():
        _check_value(value, schema[field][0], objects, f"{where}.{field}", seen)


def _stdout_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_report_json_matches_the_documented_schema(runs: Runs, capsys: pytest.CaptureFixture[str]) -> None:
    objects = documented_objects("### JSON: `u2fast.report/1`")
    # intervals, a task-less run (nulls), API errors by kind, a model name shared by two runs
    out = _stdout_json(
        capsys,
        "report",
        str(runs.default_run),
        str(runs.errors_run),
        str(runs.partial_run),
        "--bootstrap",
        "50",
        "--format",
        "json",
    )
    seen: set[str] = set()
    check_object(out, "report", objects, "report", seen)
    assert seen == set(objects), f"documented but never emitted: {set(objects) - seen}"
    assert out["schema"] == "u2fast.report/1"
    # the variants the walk must have met: absent interval ends, null task values, error kinds
    assert any("low" not in a["value"] for a in out["anatomy"])
    partial = next(m for m in out["models"] if m["run"] == "partial")
    assert partial["tasks"]["VRA"]["value"]["value"] is None
    errors = next(m for m in out["models"] if m["run"] == "errors")
    assert set(errors["errors_by_kind"]) == {"replayed_error", "missing_answer"}


def test_report_json_without_intervals_leaves_interval_ends_out(runs: Runs, capsys: pytest.CaptureFixture[str]) -> None:
    objects = documented_objects("### JSON: `u2fast.report/1`")
    out = _stdout_json(capsys, "report", str(runs.random_run), "--bootstrap", "0", "--format", "json")
    check_object(out, "report", objects, "report", set())
    assert all(set(m["u2"]) == {"value"} for m in out["models"])


def test_compare_json_matches_the_documented_schema(runs: Runs, capsys: pytest.CaptureFixture[str]) -> None:
    objects = documented_objects("### JSON: `u2fast.compare/1`")
    seen: set[str] = set()
    ablation = _stdout_json(capsys, "compare", *runs.ablation, "--bootstrap", "50", "--json")
    check_object(ablation, "comparison", objects, "compare", seen)
    assert ablation["ablation"] is not None
    # the same answers in two runs: b = c = 0, statsmodels' infinite and NaN statistics print as null
    same = _stdout_json(
        capsys,
        "compare",
        str(runs.default_run),
        str(runs.partial_run),
        "--model-a",
        runs.model_a,
        "--bootstrap",
        "0",
        "--json",
    )
    check_object(same, "comparison", objects, "compare", seen)
    assert same["ablation"] is None
    pooled = next(m for m in same["mcnemar"] if m["task"] == "all")
    assert pooled["b"] == pooled["c"] == 0 and pooled["chi2_corrected"] is None
    assert seen == set(objects), f"documented but never emitted: {set(objects) - seen}"
