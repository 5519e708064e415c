"""Subgroup forest plot of one model: accuracy with its interval for every anatomy (Wilson) and
every data set (the report's bootstrap interval) of each classification and sector task, the task's
headline accuracy as a dashed line through its block, and the worst group of each kind marked."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ...scoring.estimate import Estimate
from ...u2bench.tasks import CLASSIFICATION_TASKS
from ..schema import DatasetEntry, ModelEntry
from .axes import finite, fmt, nice_ticks, short, svg_open, x_axis

__all__ = ["forest_svg"]

_LEFT, _PLOT, _RIGHT, _ROW = 230, 360, 170, 18


def _rows(model: ModelEntry, datasets: Sequence[DatasetEntry]) -> list[tuple[str, str, str, Estimate, int]]:
    """(task, by, group, value, n) in task order: anatomies first, then data sets."""
    clinical = model.clinical
    rows: list[tuple[str, str, str, Estimate, int]] = []
    for task in CLASSIFICATION_TASKS:
        if clinical is not None:
            rows += [(task, "anatomy", s.group, s.value, s.n) for s in clinical.subgroups
                     if s.task == task and s.by == "anatomy"]
        rows += [(task, "data set", d.dataset_id, d.value, d.counted) for d in datasets
                 if d.label == model.label and d.task == task and d.metric == "accuracy"]
    return rows


def forest_svg(model: ModelEntry, datasets: Sequence[DatasetEntry], element_id: str = "") -> str:
    rows = _rows(model, datasets)
    if not rows:
        return f'<p class="empty">{escape(model.label)}: no classification or sector cases to break down.</p>'
    worst = {(w.task, "data set" if w.by == "dataset" else w.by, w.group)
             for w in (model.clinical.worst_groups if model.clinical else [])}
    tasks = list(dict.fromkeys(r[0] for r in rows))
    height = 44 + (len(rows) + len(tasks)) * _ROW + 48
    width = _LEFT + _PLOT + _RIGHT

    def px(v: float) -> float:
        return _LEFT + max(0.0, min(1.0, v)) * _PLOT

    out = [
        svg_open(width, height, f"subgroup accuracy of {model.label}", "forest", element_id),
        (f'<text x="0" y="14" class="ptitle">{escape(short(model.label, 60))}: accuracy by anatomy and data set'
        "</text>"),
        ('<text x="0" y="30" class="meta-text">dots: accuracy; bars: interval; dashed: the task\'s accuracy; '
        "red: the worst anatomy and data set of the task</text>"),
    ]
    y = 44.0
    for task in tasks:
        block = [r for r in rows if r[0] == task]
        out.append(f'<text x="0" y="{y + 13:.1f}" class="task-head">{escape(task)}</text>')
        top = y
        y += _ROW
        for _, by, group, value, n in block:
            cy = y + _ROW / 2
            bad = (task, by, group) in worst
            cls = "forest-row worst" if bad else "forest-row"
            label = f"{by} {group}"
            out.append(f'<text x="{_LEFT - 8}" y="{cy + 4:.1f}" text-anchor="end" class="{cls}">'
                       f"<title>{escape(label)}</title>{escape(short(label, 34))}"
                       f"{' (worst)' if bad else ''}</text>")
            if not finite(value.value):
                out.append(f'<text x="{_LEFT + 6}" y="{cy + 4:.1f}" class="na">n/a</text>')
                y += _ROW
                continue
            ci = ""
            if value.low is not None and value.high is not None and finite(value.low) and finite(value.high):
                ci = f" [{fmt(value.low)}, {fmt(value.high)}]"
                out.append(f'<line x1="{px(value.low):.1f}" y1="{cy:.1f}" x2="{px(value.high):.1f}" y2="{cy:.1f}" '
                           'class="forest-ci"/>')
            mark = "forest-dot worst" if bad else "forest-dot"
            out.append(f'<rect x="{px(value.value) - 4:.1f}" y="{cy - 4:.1f}" width="8" height="8" class="{mark}">'
                       f"<title>{escape(f'{task} {label}: {fmt(value.value, 4)}{ci}, n {n}')}</title></rect>"
                       f'<text x="{_LEFT + _PLOT + 8}" y="{cy + 4:.1f}" class="val">{fmt(value.value)}{ci} n={n}</text>')
            y += _ROW
        headline = model.tasks[task].value.value if task in model.tasks else None
        if headline is not None and finite(headline):
            out.append(f'<line x1="{px(headline):.1f}" y1="{top + _ROW:.1f}" x2="{px(headline):.1f}" y2="{y:.1f}" '
                       'class="task-line"/>')
    out.append(x_axis(_LEFT, _LEFT + _PLOT, y + 4, 0.0, 1.0, "accuracy", nice_ticks(0.0, 1.0)))
    out.append("</svg>")
    return "".join(out)
