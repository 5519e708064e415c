"""What every chart of the HTML report shares: number checks and formats, tick positions, axes with
titles, and the ``<svg>`` element itself.

Charts are plain SVG strings (no plotting library, no script): the report opens offline as one file.
Every piece of user text (model names, labels, anatomy words) goes through :func:`html.escape`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

__all__ = [
    "PALETTE",
    "finite",
    "fmt",
    "nice_ticks",
    "short",
    "svg_open",
    "x_axis",
    "y_axis",
]

#: Colour per model (cycled): distinguishable, and readable on white.
PALETTE = ("#3b6fb6", "#d9822b", "#3a9a5b", "#b8465f", "#7b5ea7", "#8c6d31", "#2a9d9f", "#c05fa8")


def finite(x: float | None) -> bool:
    return x is not None and not math.isnan(x) and not math.isinf(x)


def fmt(x: float | None, digits: int = 3) -> str:
    return f"{x:.{digits}f}" if x is not None and finite(x) else "n/a"


def short(label: str, limit: int = 22) -> str:
    """A label cut in the middle: model labels share prefixes (run/adapter:...) and differ at the
    end, so both ends stay visible; the full label goes in the element's tooltip."""
    if len(label) <= limit:
        return label
    head = (limit - 1) // 2
    return label[:head] + "…" + label[len(label) - (limit - 1 - head) :]


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (steps of 1, 2 or 5 times a power of ten)."""
    if not (finite(low) and finite(high)) or high <= low:
        return [low] if finite(low) else []
    raw = (high - low) / max(1, count)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9) * step
    ticks = []
    k = 0
    while first + k * step <= high + step * 1e-9:
        ticks.append(round(first + k * step, 12))
        k += 1
    return ticks


def _tick_text(v: float, ticks: Sequence[float]) -> str:
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    digits = max(0, -math.floor(math.log10(step))) if step > 0 else 0
    return f"{v:.{digits}f}"


def x_axis(x0: float, x1: float, y: float, low: float, high: float, title: str, ticks: Sequence[float]) -> str:
    """A horizontal axis at height ``y`` from pixel ``x0`` (value ``low``) to ``x1`` (``high``)."""
    out = [f'<line x1="{x0:.1f}" y1="{y:.1f}" x2="{x1:.1f}" y2="{y:.1f}" class="axis"/>']
    for v in ticks:
        px = x0 + (v - low) / (high - low) * (x1 - x0) if high > low else x0
        out.append(f'<line x1="{px:.1f}" y1="{y:.1f}" x2="{px:.1f}" y2="{y + 4:.1f}" class="axis"/>'
                   f'<text x="{px:.1f}" y="{y + 16:.1f}" text-anchor="middle" class="tick">{_tick_text(v, ticks)}</text>')
    out.append(f'<text x="{(x0 + x1) / 2:.1f}" y="{y + 32:.1f}" text-anchor="middle" class="axis-title">'
               f"{escape(title)}</text>")
    return "".join(out)


def y_axis(x: float, y0: float, y1: float, low: float, high: float, title: str, ticks: Sequence[float]) -> str:
    """A vertical axis at ``x`` from pixel ``y0`` (value ``low``, bottom) to ``y1`` (``high``, top)."""
    out = [f'<line x1="{x:.1f}" y1="{y0:.1f}" x2="{x:.1f}" y2="{y1:.1f}" class="axis"/>']
    for v in ticks:
        py = y0 - (v - low) / (high - low) * (y0 - y1) if high > low else y0
        out.append(f'<line x1="{x - 4:.1f}" y1="{py:.1f}" x2="{x:.1f}" y2="{py:.1f}" class="axis"/>'
                   f'<text x="{x - 6:.1f}" y="{py + 4:.1f}" text-anchor="end" class="tick">{_tick_text(v, ticks)}</text>')
    mid = (y0 + y1) / 2
    out.append(f'<text transform="translate({x - 44:.1f},{mid:.1f}) rotate(-90)" text-anchor="middle" '
               f'class="axis-title">{escape(title)}</text>')
    return "".join(out)


def svg_open(width: float, height: float, label: str, cls: str, element_id: str = "") -> str:
    """The opening ``<svg>`` tag of a chart: fixed pixel size, an accessible name."""
    ident = f' id="{escape(element_id)}"' if element_id else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg"{ident} class="chart {cls}" role="img" '
            f'aria-label="{escape(label)}" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}">')
