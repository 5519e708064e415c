"""Inline SVG charts for the HTML report: per-task bars with interval whiskers, an anatomy heat map.

Plain strings, no plotting library: the report must open offline and stay one file. Every label is
XML-escaped (model names and anatomy words come from user data).
"""

from __future__ import annotations

import math
from html import escape

from ..scoring.estimate import Estimate
from ..types import TASKS
from .schema import LOWER_IS_BETTER, TASK_LABELS, Report

__all__ = ["PALETTE", "anatomy_heatmap_svg", "task_bars_svg"]

#: Colour per model (cycled): distinguishable, and readable on white.
PALETTE = ("#3b6fb6", "#d9822b", "#3a9a5b", "#b8465f", "#7b5ea7", "#8c6d31", "#2a9d9f", "#c05fa8")

_BAR_H = 16
_GAP = 6
_LABEL_W = 150
_PLOT_W = 210
_PANEL_W = _LABEL_W + _PLOT_W + 60


def _finite(x: float | None) -> bool:
    return x is not None and not math.isnan(x) and not math.isinf(x)


def _fmt(x: float | None, digits: int = 3) -> str:
    return f"{x:.{digits}f}" if _finite(x) else "n/a"


def _short(label: str, limit: int = 22) -> str:
    """A label cut in the middle: model labels share prefixes (run/adapter:...) and differ at the
    end, so both ends stay visible; the full label is in the element's tooltip."""
    if len(label) <= limit:
        return label
    head = (limit - 1) // 2
    return label[:head] + "…" + label[len(label) - (limit - 1 - head) :]


def _panel(
    title: str, metric: str, rows: list[tuple[str, Estimate | None]], x0: int, y0: int
) -> tuple[str, int]:
    values = [
        v for _, e in rows if e is not None for v in (e.value, e.low, e.high) if v is not None and _finite(v)
    ]
    top = 1.0 if metric in ("accuracy", "u2") else max([1e-9, *values]) * 1.1
    if metric == "rmse":
        top = max(1.0, top)
    height = 26 + len(rows) * (_BAR_H + _GAP) + 6
    lower = " (lower is better)" if metric in LOWER_IS_BETTER else ""
    out = [
        f'<g class="panel" transform="translate({x0},{y0})">',
        f'<text x="0" y="14" class="ptitle">{escape(title)}{escape(lower)}</text>',
        f'<line x1="{_LABEL_W}" y1="20" x2="{_LABEL_W}" y2="{height - 4}" class="axis"/>',
    ]
    for i, (label, est) in enumerate(rows):
        y = 24 + i * (_BAR_H + _GAP)
        colour = PALETTE[i % len(PALETTE)]
        short = _short(label)
        out.append(
            f'<text x="{_LABEL_W - 6}" y="{y + _BAR_H - 4}" text-anchor="end" class="lbl">'
            f"<title>{escape(label)}</title>{escape(short)}</text>"
        )
        if est is None or not _finite(est.value):
            out.append(f'<text x="{_LABEL_W + 6}" y="{y + _BAR_H - 4}" class="na">n/a</text>')
            continue

        def sx(v: float) -> float:
            return _LABEL_W + max(0.0, min(v, top)) / top * _PLOT_W

        w = sx(est.value) - _LABEL_W
        ci = f" [{_fmt(est.low)}, {_fmt(est.high)}]" if _finite(est.low) and _finite(est.high) else ""
        out.append(
            f'<rect x="{_LABEL_W}" y="{y}" width="{w:.1f}" height="{_BAR_H}" fill="{colour}" class="bar">'
            f"<title>{escape(label)}: {_fmt(est.value, 4)}{escape(ci)}</title></rect>"
        )
        if _finite(est.low) and _finite(est.high):
            lo, hi, mid = sx(est.low), sx(est.high), y + _BAR_H / 2  # type: ignore[arg-type]
            out.append(
                f'<path d="M{lo:.1f},{mid}H{hi:.1f}M{lo:.1f},{y + 3}V{y + _BAR_H - 3}'
                f'M{hi:.1f},{y + 3}V{y + _BAR_H - 3}" class="whisker"/>'
            )
        out.append(
            f'<text x="{_LABEL_W + _PLOT_W + 4}" y="{y + _BAR_H - 4}" class="val">{_fmt(est.value)}</text>'
        )
    out.append("</g>")
    return "".join(out), height


def task_bars_svg(report: Report, columns: int = 3) -> str:
    """U2 and the eight task metrics as small multiples, one bar per model with its interval."""
    panels: list[tuple[str, str, list[tuple[str, Estimate | None]]]] = [
        ("U2-Score", "u2", [(m.label, m.u2) for m in report.models])
    ]
    for task in TASKS:
        metric = next((m.tasks[task].metric for m in report.models if task in m.tasks), "accuracy")
        panels.append(
            (
                TASK_LABELS[task],
                metric,
                [(m.label, m.tasks[task].value if task in m.tasks else None) for m in report.models],
            )
        )
    parts, heights = [], []
    for k, (title, metric, rows) in enumerate(panels):
        col, row = k % columns, k // columns
        panel_h = 26 + len(rows) * (_BAR_H + _GAP) + 6
        y0 = row * (panel_h + 14)
        svg, h = _panel(title, metric, rows, col * _PANEL_W, y0)
        parts.append(svg)
        heights.append(y0 + h)
    width, height = columns * _PANEL_W, max(heights) + 4
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="task-bars" class="chart" role="img" '
        f'aria-label="per-task metrics with {round(report.confidence * 100)}% intervals" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">{"".join(parts)}</svg>'
    )


def _cell_colour(value: float) -> str:
    # white (0) to the report blue (1)
    v = max(0.0, min(1.0, value))
    r, g, b = (round(255 + (t - 255) * v) for t in (59, 111, 182))
    return f"rgb({r},{g},{b})"


def anatomy_heatmap_svg(report: Report, task: str = "all") -> str:
    """Models × anatomy, coloured by accuracy on the classification and sector cases."""
    cells = {(a.label, a.anatomy): a for a in report.anatomy if a.task == task}
    anatomies = sorted({a for _, a in cells})
    labels = [m.label for m in report.models]
    if not anatomies:
        return '<p class="empty" id="anatomy-heatmap">No classification or sector cases to break down by anatomy.</p>'
    cw, ch, left, top = 64, 26, 160, 110
    width, height = left + cw * len(anatomies) + 10, top + ch * len(labels) + 10
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" id="anatomy-heatmap" class="chart" role="img" '
            f'aria-label="accuracy by anatomy" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        )
    ]
    for j, anatomy in enumerate(anatomies):
        x = left + j * cw + cw / 2
        out.append(
            f'<text transform="translate({x:.1f},{top - 8}) rotate(-45)" class="lbl">{escape(anatomy)}</text>'
        )
    for i, label in enumerate(labels):
        y = top + i * ch
        short = _short(label)
        out.append(
            f'<text x="{left - 6}" y="{y + ch / 2 + 4:.1f}" text-anchor="end" class="lbl">'
            f"<title>{escape(label)}</title>{escape(short)}</text>"
        )
        for j, anatomy in enumerate(anatomies):
            x = left + j * cw
            entry = cells.get((label, anatomy))
            if entry is None or not _finite(entry.value.value):
                out.append(f'<rect x="{x}" y="{y}" width="{cw - 2}" height="{ch - 2}" class="nocell"/>')
                continue
            v = entry.value.value
            ci = (
                f" [{_fmt(entry.value.low)}, {_fmt(entry.value.high)}]"
                if _finite(entry.value.low) and _finite(entry.value.high)
                else ""
            )
            tip = f"{label} · {anatomy}: accuracy {_fmt(v)}{ci}, {entry.counted} cases"
            ink = "#fff" if v > 0.55 else "#222"
            out.append(
                f'<rect x="{x}" y="{y}" width="{cw - 2}" height="{ch - 2}" fill="{_cell_colour(v)}" class="cell">'
                f"<title>{escape(tip)}</title></rect>"
                f'<text x="{x + (cw - 2) / 2:.1f}" y="{y + ch / 2 + 3:.1f}" text-anchor="middle" '
                f'class="cval" fill="{ink}">{v:.2f}</text>'
            )
    out.append("</svg>")
    return "".join(out)
