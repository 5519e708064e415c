"""Subgroup forest plot of one model: for each classification and sector task, accuracy with its
interval for every anatomy (Wilson) and every data set (the report's bootstrap interval); below, the
CVE data sets' RMSE of normalized errors on an axis of their own. Each task's headline value is a
dashed line through its block, and the worst anatomy and data set of each task are marked."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ...scoring.estimate import Estimate
from ...u2bench.tasks import CLASSIFICATION_TASKS
from ..schema import DatasetEntry, ModelEntry
from .axes import finite, fmt, nice_ticks, short, svg_open, x_axis

__all__ = ["forest_svg"]

_LEFT, _PLOT, _RIGHT, _ROW = 230, 360, 170, 18

#: (task, by, group, value, n)
Row = tuple[str, str, str, Estimate, int]


def _rows(model: ModelEntry, datasets: Sequence[DatasetEntry], tasks: Sequence[str], metric: str) -> list[Row]:
    """Rows in task order: anatomies first (classification tasks), then data sets."""
    clinical = model.clinical
    rows: list[Row] = []
    for task in tasks:
        if clinical is not None and metric == "accuracy":
            rows += [(task, "anatomy", s.group, s.value, s.n) for s in clinical.subgroups
                     if s.task == task and s.by == "anatomy"]
        rows += [(task, "data set", d.dataset_id + ("" if d.in_u2 else " (not in U2)"), d.value, d.counted)
                 for d in datasets if d.label == model.label and d.task == task and d.metric == metric]
    return rows


def _panel(model: ModelEntry, rows: list[Row], worst: set[tuple[str, str, str]], axis: str, high: float,
           y: float) -> tuple[list[str], float]:
    """One metric's rows from height ``y`` down to its axis; returns the markup and the next free y."""
    out: list[str] = []

    def px(v: float) -> float:
        return _LEFT + max(0.0, min(high, v)) / high * _PLOT

    for task in dict.fromkeys(r[0] for r in rows):
        out.append(f'<text x="0" y="{y + 13:.1f}" class="task-head">{escape(task)}</text>')
        top = y = y + _ROW
        for _, by, group, value, n in (r for r in rows if r[0] == task):
            cy = y + _ROW / 2
            bad = (task, by, group) in worst
            label = f"{by} {group}"
            out.append(f'<text x="{_LEFT - 8}" y="{cy + 4:.1f}" text-anchor="end" class="forest-row'
                       f'{" worst" if bad else ""}"><title>{escape(label)}</title>{escape(short(label, 34))}'
                       f"{' (worst)' if bad else ''}</text>")
            y += _ROW
            if not finite(value.value):
                out.append(f'<text x="{_LEFT + 6}" y="{cy + 4:.1f}" class="na">n/a</text>')
                continue
            ci = ""
            if value.low is not None and value.high is not None and finite(value.low) and finite(value.high):
                ci = f" [{fmt(value.low)}, {fmt(value.high)}]"
                out.append(f'<line x1="{px(value.low):.1f}" y1="{cy:.1f}" x2="{px(value.high):.1f}" y2="{cy:.1f}" '
                           'class="forest-ci"/>')
            out.append(f'<rect x="{px(value.value) - 4:.1f}" y="{cy - 4:.1f}" width="8" height="8" '
                       f'class="forest-dot{" worst" if bad else ""}">'
                       f"<title>{escape(f'{task} {label}: {fmt(value.value, 4)}{ci}, n {n}')}</title></rect>"
                       f'<text x="{_LEFT + _PLOT + 8}" y="{cy + 4:.1f}" class="val">{fmt(value.value)}{ci} n={n}</text>')
        headline = model.tasks[task].value.value if task in model.tasks else None
        if headline is not None and finite(headline):
            out.append(f'<line x1="{px(headline):.1f}" y1="{top:.1f}" x2="{px(headline):.1f}" y2="{y:.1f}" '
                       'class="task-line"/>')
    ticks = nice_ticks(0.0, high)
    out.append(x_axis(_LEFT, _LEFT + _PLOT, y + 4, 0.0, high, axis, ticks))
    return out, y + 52


def forest_svg(model: ModelEntry, datasets: Sequence[DatasetEntry], element_id: str = "") -> str:
    accuracy = _rows(model, datasets, CLASSIFICATION_TASKS, "accuracy")
    rmse = _rows(model, datasets, ("CVE",), "rmse")
    if not accuracy and not rmse:
        return f'<p class="empty">{escape(model.label)}: no classification, sector or measurement cases.</p>'
    worst = {(w.task, "data set" if w.by == "dataset" else w.by, w.group)
             for w in (model.clinical.worst_groups if model.clinical else [])}
    parts: list[str] = []
    y = 44.0
    if accuracy:
        panel, y = _panel(model, accuracy, worst, "accuracy", 1.0, y)
        parts += panel
    if rmse:
        ends = [v for *_, e, _ in rmse for v in (e.value, e.high) if v is not None and finite(v)]
        top = max([1.0, *ends]) if ends else 1.0
        panel, y = _panel(model, rmse, worst, "RMSE of normalized errors (lower is better)", top, y)
        parts += panel
    head = [
        svg_open(_LEFT + _PLOT + _RIGHT, y, f"subgroups of {model.label}", "forest", element_id),
        f'<text x="0" y="14" class="ptitle">{escape(short(model.label, 60))}: by anatomy and data set</text>',
        ('<text x="0" y="30" class="meta-text">dots: the metric; bars: its interval; dashed: the task\'s value; '
        "red: the task's worst anatomy and data set</text>"),
    ]
    return "".join([*head, *parts, "</svg>"])
