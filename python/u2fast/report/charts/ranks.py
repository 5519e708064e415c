"""Rank-interval plot of the leaderboard: for each model, its rank among the models ranked on the
same data (a dot), the 95% interval of its rank over the joint bootstrap resamples (a bar), and the
share of resamples in which it ranks first. Overlapping bars are gaps the data do not resolve."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ..schema import ModelEntry
from .axes import PALETTE, short, svg_open, x_axis

__all__ = ["rank_intervals_svg"]

_LEFT, _RIGHT, _ROW = 180, 130, 24


def rank_intervals_svg(models: Sequence[ModelEntry], confidence: float) -> str:
    """One panel per group of models ranked together; models without a ranking are left out (the
    report says why next to the chart)."""
    groups: dict[str, list[ModelEntry]] = {}
    for m in models:
        if m.ranking is not None:
            groups.setdefault(m.ranking.group, []).append(m)
    if not groups:
        return ('<p class="empty" id="rank-intervals">No rank intervals: they need two or more models on the same '
                "data and bootstrap resamples (--bootstrap &gt; 0).</p>")
    k_max = max(len(ms) for ms in groups.values())
    plot_w = max(240, 48 * k_max)
    width = _LEFT + plot_w + _RIGHT
    parts, y = [], 0
    level = round(confidence * 100)
    for group, members in groups.items():
        members.sort(key=lambda m: (m.ranking.rank if m.ranking else 0, m.label))
        k = members[0].ranking.models if members[0].ranking else len(members)
        cases = members[0].ranking.cases if members[0].ranking else 0
        parts.append(f'<text x="0" y="{y + 14}" class="ptitle">{len(members)} models ranked on data {escape(group)}'
                     f'</text><text x="0" y="{y + 30}" class="meta-text">{cases} common cases; dot: rank, bar: its '
                     f"{level}% interval</text>")
        parts.append(f'<text x="{_LEFT + plot_w + 8}" y="{y + 48}" class="axis-title">P(rank = 1)</text>')
        top = y + 56

        def px(rank: float, k: int = k) -> float:
            return _LEFT + (rank - 0.5) / k * plot_w

        for i, m in enumerate(members):
            r = m.ranking
            assert r is not None
            cy = top + i * _ROW + _ROW / 2
            colour = PALETTE[i % len(PALETTE)]
            tip = f"{m.label}: rank {r.rank}, {level}% interval {r.low}–{r.high}, P(rank = 1) {r.p_first:.3f}, mean rank {r.mean_rank:.2f}"
            parts.append(
                f'<text x="{_LEFT - 8}" y="{cy + 4:.1f}" text-anchor="end" class="row"><title>{escape(m.label)}</title>'
                f"{escape(short(m.label, 26))}</text>"
                f'<line x1="{px(r.low) - 6:.1f}" y1="{cy:.1f}" x2="{px(r.high) + 6:.1f}" y2="{cy:.1f}" '
                f'class="rank-interval" stroke="{colour}"><title>{escape(tip)}</title></line>'
                f'<circle cx="{px(r.rank):.1f}" cy="{cy:.1f}" r="5" class="rank-point" fill="{colour}">'
                f"<title>{escape(tip)}</title></circle>"
                f'<text x="{_LEFT + plot_w + 8}" y="{cy + 4:.1f}" class="p-first">{r.p_first:.2f}</text>'
            )
        axis_y = top + len(members) * _ROW + 4
        parts.append(x_axis(_LEFT, _LEFT + plot_w, axis_y, 0.5, k + 0.5, "rank (1 = highest U2)",
                            [float(v) for v in range(1, k + 1)]))
        y = axis_y + 48
    return svg_open(width, y, f"rank intervals ({level}%) and P(rank = 1)", "ranks", "rank-intervals") + "".join(parts) + "</svg>"
