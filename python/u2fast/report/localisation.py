"""Sector named vs sector from coordinates: do models localise better than they can name a sector?

Given the runs of one report, every model that appears in a run asking LL/OD/KD for sectors and in
a run asking for boxes or points (``u2fast report RUN_SECTOR RUN_BOX``, matched by model) gets one
row per task: the sector accuracy of the sector answers beside the accuracy of the sectors derived
from its coordinates (the 0.45/0.55 rule), with their intervals and the mean IoU (boxes) or PCK@0.1
(points) of the coordinate run.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from rich.table import Table

from ..scoring.estimate import Estimate
from ..u2bench.tasks import SECTOR_TASKS
from .html_assets import scroll_table
from .schema import ModelEntry, Report

__all__ = ["LocalisationRow", "localisation_rows", "localisation_table", "localisation_html"]


@dataclass(frozen=True)
class LocalisationRow:
    model: str
    task: str
    sector_run: str
    coordinate_run: str
    answer_format: str
    named: Estimate
    derived: Estimate
    #: mean over the task's datasets of IoU (box answers) or PCK@0.1 (points); NaN when undefined
    spatial_name: str
    spatial: float


def _format_of(report: Report, entry: ModelEntry) -> str:
    return next((r.answer_format for r in report.runs if r.name == entry.run), "sector")


def localisation_rows(report: Report) -> list[LocalisationRow]:
    rows = []
    by_model: dict[str, list[ModelEntry]] = {}
    for entry in report.models:
        by_model.setdefault(entry.model, []).append(entry)
    for model, entries in sorted(by_model.items()):
        sector = next((e for e in entries if _format_of(report, e) == "sector"), None)
        coord = next((e for e in entries if _format_of(report, e) != "sector"), None)
        if sector is None or coord is None:
            continue
        fmt = _format_of(report, coord)
        for task in SECTOR_TASKS:
            if task not in sector.tasks or task not in coord.tasks:
                continue
            spatial = [
                d.spatial.get("iou", d.spatial.get("pck@0.1"))
                for d in report.datasets
                if d.label == coord.label and d.task == task and d.in_u2
            ]
            values = [s.value for s in spatial if s is not None and s.value == s.value]
            name = "pck@0.1" if task == "KD" or fmt == "point" else "iou"
            rows.append(
                LocalisationRow(
                    model=model, task=task, sector_run=sector.run, coordinate_run=coord.run, answer_format=fmt,
                    named=sector.tasks[task].value, derived=coord.tasks[task].value, spatial_name=name,
                    spatial=sum(values) / len(values) if values else float("nan"),
                )
            )
    return rows


def _estimate(e: Estimate) -> str:
    if e.value != e.value:
        return "-"
    if e.low is None or e.high is None:
        return f"{e.value:.3f}"
    return f"{e.value:.3f} [{e.low:.3f}, {e.high:.3f}]"


def _diff(row: LocalisationRow) -> str:
    d = row.derived.value - row.named.value
    return "-" if d != d else f"{d:+.3f}"


def localisation_table(rows: list[LocalisationRow]) -> Table:
    table = Table(title="Sector named vs sector from coordinates (accuracy; the difference is derived - named)")
    for col in ("model", "task", "named (sector run)", "from coordinates", "difference", "IoU / PCK@0.1"):
        table.add_column(col, justify="left" if col in ("model", "task") else "right")
    for r in rows:
        spatial = "-" if r.spatial != r.spatial else f"{r.spatial:.3f} ({r.spatial_name})"
        table.add_row(r.model, r.task, _estimate(r.named), _estimate(r.derived), _diff(r), spatial)
    return table


def localisation_html(rows: list[LocalisationRow]) -> str:
    if not rows:
        return ""
    head = "".join(f"<th>{h}</th>" for h in ("model", "task", "named (sector run)", "from coordinates",
                                              "difference", "IoU / PCK@0.1"))
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(v)}</td>" for v in (
            r.model, r.task, _estimate(r.named), _estimate(r.derived), _diff(r),
            "-" if r.spatial != r.spatial else f"{r.spatial:.3f} ({r.spatial_name})",
        )) + "</tr>"
        for r in rows
    )
    return (
        '<h2>Sector named vs sector from coordinates</h2><p class="meta">The same models asked for a sector '
        "name and for coordinates; the coordinates' sector follows the 0.45/0.55 rule.</p>"
        + scroll_table("localisation", head, body)
    )
