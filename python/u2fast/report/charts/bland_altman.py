"""Bland–Altman plot of one measurement data set (CVE): for each parsed estimate, the mean of
estimate and truth against their difference (estimate − truth), with the bias and the 95% limits of
agreement as lines and each of their confidence intervals as a shaded band (Bland & Altman 1999).

Axes are in the scenario's native unit; a difference of percentages is in percentage points.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ...scoring.clinical import MeasurementSummary
from ...scoring.estimate import Estimate
from .axes import finite, fmt, nice_ticks, svg_open, x_axis, y_axis

__all__ = ["bland_altman_svg"]

_W, _H = 480, 330
_LEFT, _RIGHT, _TOP, _BOTTOM = 66, 112, 40, 52


def _units(unit: str) -> tuple[str, str]:
    """Axis suffixes for the mean and for the difference."""
    if not unit:
        return "", ""
    if unit == "%":
        return " (%)", " (percentage points)"
    return f" ({unit})", f" ({unit})"


def _span(values: Sequence[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    pad = (high - low) * 0.06 or max(1.0, abs(high)) * 0.1
    return low - pad, high + pad


def bland_altman_svg(
    pairs: Sequence[tuple[float, float]], summary: MeasurementSummary, title: str, element_id: str = ""
) -> str:
    """``pairs``: (estimate, truth) of each parsed answer, in native units."""
    if not pairs:
        return f'<p class="empty">{escape(title)}: no parsed estimate to plot.</p>'
    means = [(e + t) / 2 for e, t in pairs]
    diffs = [e - t for e, t in pairs]
    lines: list[tuple[str, str, Estimate]] = [
        ("bias", "bias-line", summary.bland_altman_bias),
        ("upper LoA", "loa-line", summary.upper_limit),
        ("lower LoA", "loa-line", summary.lower_limit),
    ]
    drawn = [(name, cls, e) for name, cls, e in lines if finite(e.value)]
    y_values = [*diffs, 0.0, *(v for _, _, e in drawn for v in (e.value, e.low, e.high) if v is not None and finite(v))]
    x_low, x_high = _span(means)
    y_low, y_high = _span(y_values)
    x0, x1, y0, y1 = _LEFT, _W - _RIGHT, _H - _BOTTOM, _TOP

    def px(v: float) -> float:
        return x0 + (v - x_low) / (x_high - x_low) * (x1 - x0)

    def py(v: float) -> float:
        return y0 - (v - y_low) / (y_high - y_low) * (y0 - y1)

    mean_unit, diff_unit = _units(summary.unit)
    out = [
        svg_open(_W, _H, f"Bland–Altman plot, {title}", "bland-altman", element_id),
        f'<text x="0" y="14" class="ptitle">{escape(title)}</text>',
        (f'<text x="0" y="29" class="meta-text">{summary.n} parsed estimates; bands: '
        f"{'intervals of bias and limits' if drawn else 'no limits (fewer than 2 estimates)'}</text>"),
    ]
    for _, cls, e in drawn:
        if e.low is not None and e.high is not None and finite(e.low) and finite(e.high):
            top, bottom = py(max(e.low, e.high)), py(min(e.low, e.high))
            band = "band bias-band" if cls == "bias-line" else "band loa-band"
            out.append(f'<rect x="{x0}" y="{top:.1f}" width="{x1 - x0}" height="{max(1.0, bottom - top):.1f}" '
                       f'class="{band}"><title>interval {fmt(e.low)} to {fmt(e.high)}</title></rect>')
    out.append(f'<line x1="{x0}" y1="{py(0):.1f}" x2="{x1}" y2="{py(0):.1f}" class="zero-line"/>')
    for name, cls, e in drawn:
        y = py(e.value)
        out.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x1}" y2="{y:.1f}" class="{cls}"/>'
                   f'<text x="{x1 + 6}" y="{y + 4:.1f}" class="line-label">{name} {fmt(e.value, 2)}</text>')
    for (estimate, truth), m, d in zip(pairs, means, diffs, strict=True):
        out.append(f'<circle cx="{px(m):.1f}" cy="{py(d):.1f}" r="2.6" class="pt">'
                   f"<title>estimate {estimate:g}, truth {truth:g}, difference {d:+.3g}</title></circle>")
    out.append(x_axis(x0, x1, y0, x_low, x_high, f"mean of estimate and truth{mean_unit}", nice_ticks(x_low, x_high)))
    out.append(y_axis(x0, y0, y1, y_low, y_high, f"estimate − truth{diff_unit}", nice_ticks(y_low, y_high)))
    out.append("</svg>")
    return "".join(out)
