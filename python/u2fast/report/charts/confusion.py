"""Confusion-matrix heat map of one classification data set: truth in rows, the answer in columns,
and a last column for answers that named no label (unparsed, refused, off the list).

Cells show counts and are shaded by their share of the row (the truth class), so a row reads as
where the cases of that class went. Large label sets get smaller cells; the report puts each chart
in a scroll box, so a 14-class set stays readable and an even larger one scrolls instead of shrinking
to nothing.
"""

from __future__ import annotations

from html import escape

from ...scoring.clinical import UNPARSED_COLUMN, ClassificationSummary
from .axes import fmt, short, svg_open

__all__ = ["confusion_svg"]

_LEFT = 170
_TOP = 144


def _cell_size(n_labels: int) -> int:
    if n_labels <= 10:
        return 34
    return 28 if n_labels <= 16 else 24


def _shade(share: float, unparsed: bool) -> str:
    # white (0) to the report blue (1); the unparsed column in orange so it never reads as a class
    target = (217, 130, 43) if unparsed else (59, 111, 182)
    s = max(0.0, min(1.0, share))
    r, g, b = (round(255 + (t - 255) * s) for t in target)
    return f"rgb({r},{g},{b})"


def confusion_svg(summary: ClassificationSummary, title: str, element_id: str = "") -> str:
    """One data set's confusion matrix as an SVG heat map (``title``: scenario and model)."""
    labels = summary.labels
    columns = [*labels, UNPARSED_COLUMN]
    cell = _cell_size(len(labels))
    # room on the right for the slanted column names, and for the title lines
    width = max(_LEFT + cell * len(columns) + 84, 340)
    height = _TOP + cell * len(labels) + 14
    total = sum(map(sum, summary.counts))
    out = [
        svg_open(width, height, f"confusion matrix, {title}", "confusion", element_id),
        f'<text x="0" y="14" class="ptitle">{escape(title)}</text>',
        (f'<text x="0" y="30" class="meta-text">{total} cases, accuracy {fmt(summary.accuracy.value)}, '
        f"κ {fmt(summary.kappa)}</text>"),
        f'<text x="{_LEFT}" y="48" class="axis-title">predicted (the answer) →</text>',
        (f'<text transform="translate(14,{_TOP + cell * len(labels) / 2:.1f}) rotate(-90)" text-anchor="middle" '
        'class="axis-title">truth</text>'),
    ]
    for j, name in enumerate(columns):
        x = _LEFT + j * cell + cell / 2
        cls = "col unparsed" if j == len(labels) else "col"
        out.append(f'<text transform="translate({x + 4:.1f},{_TOP - 6}) rotate(-50)" class="{cls}">'
                   f"<title>{escape(name)}</title>{escape(short(name, 18))}</text>")
    size, mid_x, mid_y = cell - 2, (cell - 2) / 2, cell / 2 + 3
    for i, (name, row) in enumerate(zip(labels, summary.counts, strict=True)):
        row_total = sum(row)
        # a row is a group moved into place: its cells then need only x (reports hold hundreds of these)
        out.append(f'<g transform="translate(0,{_TOP + i * cell})"><text x="{_LEFT - 6}" y="{cell / 2 + 4:.1f}" '
                   f'text-anchor="end" class="row"><title>{escape(name)}</title>{escape(short(name, 24))}</text>')
        for j, count in enumerate(row):
            x = _LEFT + j * cell
            unparsed = j == len(labels)
            kind = "diag" if i == j else ("unparsed" if unparsed else "off")
            if count == 0:  # white, no tooltip: the 0 in it says all
                out.append(f'<rect x="{x}" width="{size}" height="{size}" class="cell {kind} zero"/>'
                           f'<text x="{x + mid_x:.1f}" y="{mid_y:.1f}" class="cval ink-faint">0</text>')
                continue
            share = count / row_total
            tip = f"truth {name} → {columns[j]}: {count} ({100 * share:.0f}% of the row)"
            ink = " ink-light" if share > 0.55 else ""
            out.append(
                f'<rect x="{x}" width="{size}" height="{size}" fill="{_shade(share, unparsed)}" class="cell {kind}">'
                f'<title>{escape(tip)}</title></rect><text x="{x + mid_x:.1f}" y="{mid_y:.1f}" class="cval{ink}">'
                f"{count}</text>"
            )
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)
