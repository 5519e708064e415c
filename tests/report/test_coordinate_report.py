"""``u2fast report`` of a sector run and a box run of the same model: spatial metrics per dataset,
the sector-named vs sector-from-coordinates rows, and box overlays in the HTML case browser."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def _cli(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "u2fast.cli", *argv], capture_output=True, text=True, check=False,
                          env={**os.environ, "COLUMNS": "200"})


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("coords")
    for name, fmt in (("s", "sector"), ("b", "box")):
        done = _cli("eval", "--quiet", "--runs-dir", str(root), "--name", name, "--tasks", "LL,OD,KD",
                    "--limit", "2", "--answer-format", fmt, "--bootstrap", "0")
        assert done.returncode == 0, done.stderr
    return root / "s", root / "b"


def test_json_carries_the_format_and_the_spatial_metrics(two_runs: tuple[Path, Path]) -> None:
    out = _cli("report", *map(str, two_runs), "--format", "json", "--bootstrap", "50")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert [r.get("answer_format", "sector") for r in report["runs"]] == ["sector", "box"]
    box_label = next(m["label"] for m in report["models"] if m["run"] == "b")
    box = [d for d in report["datasets"] if d["label"] == box_label]
    assert {"iou", "hit@0.5", "centre_in_box", "centre_distance"} <= set(box[0]["spatial"])
    assert any("pck@0.1" in d["spatial"] for d in box if d["task"] == "KD")
    assert all(d["spatial"] == {} for d in report["datasets"] if d["label"] != box_label)


def test_terminal_and_html_compare_named_and_derived_sectors(two_runs: tuple[Path, Path], tmp_path: Path) -> None:
    html = tmp_path / "r.html"
    out = _cli("report", *map(str, two_runs), "--bootstrap", "0", "--html", str(html))
    assert out.returncode == 0, out.stderr
    assert "Sector named vs sector from coordinates" in out.stdout
    report = json.loads(_cli("report", *map(str, two_runs), "--format", "json", "--bootstrap", "0").stdout)
    by_run = {m["run"]: m for m in report["models"]}
    rows = [line for line in out.stdout.splitlines() if "random:uniform" in line and " LL " in f" {line} "]
    named, derived = by_run["s"]["tasks"]["LL"]["value"]["value"], by_run["b"]["tasks"]["LL"]["value"]["value"]
    assert rows and f"{named:.3f}" in rows[-1] and f"{derived:.3f}" in rows[-1]
    page = html.read_text(encoding="utf-8")
    assert 'id="localisation"' in page and "function overlay" in page
    assert '"truth_geometry":[0.' in page and '"answer_geometry":[' in page
