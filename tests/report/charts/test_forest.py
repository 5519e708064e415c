"""The subgroup forest plot: a row per anatomy and data set of each classification task, intervals
as bars, the task's accuracy as a reference line, the worst groups marked."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from u2fast.report.charts import forest_svg
from u2fast.report.schema import DatasetEntry, ModelEntry, TaskEntry
from u2fast.scoring.clinical import ClinicalSummary, SubgroupEntry
from u2fast.scoring.estimate import Estimate

SVG = "{http://www.w3.org/2000/svg}"


def _dataset(ds: str, value: Estimate, task: str = "DD", metric: str = "accuracy") -> DatasetEntry:
    return DatasetEntry(label="m", task=task, dataset_id=ds, anatomy="breast", metric=metric, value=value, n=10,
                        counted=10, parsed=10, errors=0, in_u2=True, extra={})


def test_rows_bars_reference_line_and_worst_groups() -> None:
    worst_anatomy = SubgroupEntry("DD", "anatomy", "liver", "accuracy", Estimate(0.2, 0.05, 0.5), 10)
    clinical = ClinicalSummary(
        subgroups=[SubgroupEntry("DD", "anatomy", "breast", "accuracy", Estimate(0.7, 0.5, 0.85), 20), worst_anatomy],
        worst_groups=[worst_anatomy, SubgroupEntry("DD", "dataset", "21", "accuracy", Estimate(0.3, 0.1, 0.6), 10)],
    )
    task = TaskEntry(metric="accuracy", value=Estimate(0.5), u2_term=0.5, n=30, datasets=2, parse_rate=1.0,
                     error_rate=0.0, extra={})
    model = ModelEntry(label="m", run="r", model="m", rank=1, n=30, u2=Estimate(0.5), parse_rate=1.0, error_rate=0.0,
                       errors_by_kind={}, tasks={"DD": task}, clinical=clinical)
    datasets = [_dataset("21", Estimate(0.3, 0.1, 0.6)), _dataset("23", Estimate(0.9)),
                _dataset("27", Estimate(0.1), task="CVE", metric="rmse")]
    root = ET.fromstring(forest_svg(model, datasets))
    rows = ["".join(t.itertext()) for t in root.iter(SVG + "text") if "forest-row" in (t.get("class") or "")]
    # each row: its tooltip (the full name), then the label shown
    assert rows == ["anatomy breastanatomy breast", "anatomy liveranatomy liver (worst)",
                    "data set 21data set 21 (worst)", "data set 23data set 23", "data set 27data set 27"]
    dots = [e for e in root.iter(SVG + "rect") if "forest-dot" in (e.get("class") or "")]
    assert [d.get("class") for d in dots] == ["forest-dot", "forest-dot worst", "forest-dot worst", "forest-dot",
                                              "forest-dot"]
    bars = [e for e in root.iter(SVG + "line") if e.get("class") == "forest-ci"]
    assert len(bars) == 3  # data set 23 has no interval
    assert len([e for e in root.iter(SVG + "line") if e.get("class") == "task-line"]) == 1
    axes = ["".join(t.itertext()) for t in root.iter(SVG + "text") if t.get("class") == "axis-title"]
    assert axes == ["accuracy", "RMSE of normalized errors (lower is better)"]  # CVE on an axis of its own
    assert "CVE" in ["".join(t.itertext()) for t in root.iter(SVG + "text") if t.get("class") == "task-head"]
