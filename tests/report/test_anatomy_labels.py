"""A scenario without one anatomy (anatomy identification) reads "mixed" in the tables, the heat map
and the clinical subgroups alike (``u2fast report --format json``: ``datasets`` feed the tables, ``anatomy`` the map)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from u2fast.report.build import anatomy_of
from u2fast.types import Case, ImageRef, LabelTarget
from u2fast.u2bench.scenarios import reported_anatomy


def _cli(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "u2fast.cli", *argv], capture_output=True, text=True, check=False)


def test_mixed_scenario_reads_mixed_in_tables_and_heat_map(tmp_path: Path) -> None:
    ran = _cli("eval", "--quiet", "--runs-dir", str(tmp_path), "--name", "a", "--tasks", "VRA,DD",
               "--datasets", "anatomy,21", "--bootstrap", "0")
    assert ran.returncode == 0, ran.stderr
    out = _cli("report", str(tmp_path / "a"), "--format", "json", "--bootstrap", "0")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    tables = {(d["task"], d["dataset_id"]): d["anatomy"] for d in report["datasets"]}
    heat = {a["anatomy"] for a in report["anatomy"] if a["task"] == "VRA"}
    assert tables[("VRA", "anatomy")] == "mixed"
    assert heat == {"mixed"}
    subgroups = {g["group"] for m in report["models"] for g in m["clinical"]["subgroups"]
                 if g["task"] == "VRA" and g["by"] == "anatomy"}
    assert subgroups == {"mixed"}, subgroups  # the clinical statistics use the same word
    assert tables[("DD", "21")] in {a["anatomy"] for a in report["anatomy"] if a["task"] == "DD"}


def test_a_case_of_an_unknown_dataset_keeps_its_own_anatomy() -> None:
    case = Case(case_id="DD/zz/1", dataset_id="zz", task="DD", target=LabelTarget("a", ("a", "b")),
                image=ImageRef(sha256="0" * 64, mime="image/png", data=b""), anatomy="kidney")
    assert anatomy_of(case) == "kidney"
    assert reported_anatomy("DD", "zz") == "unknown"
