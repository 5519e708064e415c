"""Inline SVG charts for the HTML report: per-task bars with interval whiskers, an anatomy heat map.

Plain strings, no plotting library: the report must open offline and stay one file. Every label is
XML-escaped (model names and anatomy words come from user data).
"""

from __future__ import annotations

from html import escape

from ..scoring.estimate import Estimate
from ..types import TASKS
from .charts.axes import PALETTE, finite, fmt, short
from .schema import LOWER_IS_BETTER, TASK_LABELS, Report

__all__ = ["PALETTE", "anatomy_heatmap_svg", "task_bars_svg"]

_BAR_H = 16
_GAP = 6
_LABEL_W = 150
_PLOT_W = 210
_PANEL_W = _LABEL_W + _PLOT_W + 60



def _panel(
    title: str, metric: str, rows: list[tuple[str, Estimate | None]], x0: int, y0: int
) -> tuple[str, int]:
    values = [
        v for _, e in rows if e is not None for v in (e.value, e.low, e.high) if v is not None and finite(v)
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
        cut = short(label)
        out.append(
            f'<text x="{_LABEL_W - 6}" y="{y + _BAR_H - 4}" text-anchor="end" class="lbl">'
            f"<title>{escape(label)}</title>{escape(cut)}</text>"
        )
        if est is None or not finite(est.value):
            out.append(f'<text x="{_LABEL_W + 6}" y="{y + _BAR_H - 4}" class="na">n/a</text>')
            continue

        def sx(v: float) -> float:
            return _LABEL_W + max(0.0, min(v, top)) / top * _PLOT_W

        w = sx(est.value) - _LABEL_W
        ci = f" [{fmt(est.low)}, {fmt(est.high)}]" if finite(est.low) and finite(est.high) else ""
        out.append(
            f'<rect x="{_LABEL_W}" y="{y}" width="{w:.1f}" height="{_BAR_H}" fill="{colour}" class="bar">'
            f"<title>{escape(label)}: {fmt(est.value, 4)}{escape(ci)}</title></rect>"
        )
        if finite(est.low) and finite(est.high):
            lo, hi, mid = sx(est.low), sx(est.high), y + _BAR_H / 2  # type: ignore[arg-type]
            out.append(
                f'<path d="M{lo:.1f},{mid}H{hi:.1f}M{lo:.1f},{y + 3}V{y + _BAR_H - 3}'
                f'M{hi:.1f},{y + 3}V{y + _BAR_H - 3}" class="whisker"/>'
            )
        out.append(
            f'<text x="{_LABEL_W + _PLOT_W + 4}" y="{y + _BAR_H - 4}" class="val">{fmt(est.value)}</text>'
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
    """Anatomy (rows) × model (columns), coloured by accuracy on the classification and sector cases.

    Anatomies are the long dimension (22 in the benchmark) and go down the page, models across: the
    chart then fits a 1,400-px window for up to about 15 models, and scrolls in its box beyond."""
    cells = {(a.label, a.anatomy): a for a in report.anatomy if a.task == task}
    anatomies = sorted({a for _, a in cells})
    labels = [m.label for m in report.models]
    if not anatomies:
        return '<p class="empty" id="anatomy-heatmap">No classification or sector cases to break down by anatomy.</p>'
    cw, ch, left, top = 64, 24, 150, 120
    width, height = left + cw * len(labels) + 40, top + ch * len(anatomies) + 10
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" id="anatomy-heatmap" class="chart" role="img" '
            f'aria-label="accuracy by anatomy" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        ),
        f'<text x="{left + cw * len(labels) / 2:.1f}" y="12" text-anchor="middle" class="axis-title">model</text>',
        f'<text x="0" y="{top - 8}" class="axis-title">anatomy</text>',
    ]
    for j, label in enumerate(labels):
        x = left + j * cw + cw / 2
        out.append(
            f'<text transform="translate({x - 4:.1f},{top - 8}) rotate(-40)" class="lbl col">'
            f"<title>{escape(label)}</title>{escape(short(label, 18))}</text>"
        )
    for i, anatomy in enumerate(anatomies):
        y = top + i * ch
        out.append(
            f'<text x="{left - 6}" y="{y + ch / 2 + 4:.1f}" text-anchor="end" class="lbl row">'
            f"<title>{escape(anatomy)}</title>{escape(short(anatomy, 22))}</text>"
        )
        for j, label in enumerate(labels):
            x = left + j * cw
            entry = cells.get((label, anatomy))
            if entry is None or not finite(entry.value.value):
                out.append(f'<rect x="{x}" y="{y}" width="{cw - 2}" height="{ch - 2}" class="nocell"/>')
                continue
            v = entry.value.value
            ci = (
                f" [{fmt(entry.value.low)}, {fmt(entry.value.high)}]"
                if finite(entry.value.low) and finite(entry.value.high)
                else ""
            )
            tip = f"{label} · {anatomy}: accuracy {fmt(v)}{ci}, {entry.counted} cases"
            ink = " ink-light" if v > 0.55 else ""
            out.append(
                f'<rect x="{x}" y="{y}" width="{cw - 2}" height="{ch - 2}" fill="{_cell_colour(v)}" class="cell">'
                f"<title>{escape(tip)}</title></rect>"
                f'<text x="{x + (cw - 2) / 2:.1f}" y="{y + ch / 2 + 3:.1f}" text-anchor="middle" '
                f'class="cval{ink}">{v:.2f}</text>'
            )
    out.append("</svg>")
    return "".join(out)
