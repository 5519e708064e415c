"""The HTML report: one self-contained file (inline CSS, JS, SVG and data-URL images; no network).

A Content-Security-Policy meta tag forbids every fetch except data: images, so even a model answer
that slipped through as markup could not load anything. Text is escaped with ``html.escape``; the
case data travels as JSON inside ``<script type="application/json">`` with ``<``, ``>`` and ``&``
written as ``\\u003c``/``\\u003e``/``\\u0026``, so neither ``</script>`` nor ``<!--`` can end or
change the script element.
"""

from __future__ import annotations

import math
from html import escape

import msgspec

from ..scoring.estimate import Estimate
from ..types import TASKS
from ..u2bench.tasks import task_spec
from .cases import browser_data
from .html_assets import SCRIPT, STYLE, scroll_table
from .html_clinical import MeasurementPoints, clinical_sections, usage_section
from .localisation import localisation_html, localisation_rows
from .schema import ERROR_RATE_WARNING, LOWER_IS_BETTER, TASK_LABELS, AnatomyEntry, DatasetEntry, Report
from .svg import anatomy_heatmap_svg, task_bars_svg
from .terminal import UNANSWERED
from .text import answered_text, error_warning, partial_warning

__all__ = ["render_html", "script_json"]

_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'"


def script_json(obj: object) -> str:
    """JSON safe to place inside a ``<script>`` element."""
    text = msgspec.json.encode(obj).decode("utf-8")
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _ok(x: float | None) -> bool:
    return x is not None and not math.isnan(x) and not math.isinf(x)


def _num_cell(e: Estimate | None, digits: int = 4, lower_better: bool = False) -> str:
    if e is None or not _ok(e.value):
        return '<td data-v="">-</td>'
    # sort key: higher is better everywhere, so a descending sort ranks best first
    key = -e.value if lower_better else e.value
    ci = (
        f'<span class="ci">[{e.low:.{digits}f}, {e.high:.{digits}f}]</span>'
        if _ok(e.low) and _ok(e.high)
        else ""
    )
    return f'<td data-v="{key!r}">{e.value:.{digits}f}{ci}</td>'


def _pct_cell(x: float, warn_from: float | None = None) -> str:
    if not _ok(x):
        return '<td data-v="">-</td>'
    warn = warn_from is not None and x >= warn_from
    attrs = ' class="warn" title="scores cover only the answered cases"' if warn else ""
    return f'<td data-v="{x!r}"{attrs}>{100 * x:.1f}%</td>'


def _th(text: str, left: bool = False) -> str:
    cls = ' class="t"' if left else ""
    return f'<th scope="col"{cls}>{escape(text)}</th>'


def _leaderboard(report: Report) -> str:
    head = ["#", "model", "run", "U2"] + [TASK_LABELS[t] for t in TASKS] + ["answered", "parsed", "API errors", "cases"]
    rows = []
    for m in report.models:
        cells = [
            f'<td data-v="{m.rank}">{m.rank}</td>',
            f'<td class="t">{escape(m.label)}</td>',
            f'<td class="t">{escape(m.run)}</td>',
            _num_cell(m.u2),
        ]
        for t in TASKS:
            ts = m.tasks.get(t)
            digits = task_spec(t).digits
            cells.append(
                _num_cell(ts.value if ts else None, digits, bool(ts and ts.metric in LOWER_IS_BETTER))
            )
        cells += [
            (f'<td data-v="{m.answered}" class="warn partial" title="partial run: requests with {UNANSWERED}">'
             f"{escape(answered_text(m))}</td>" if m.not_sent else f'<td data-v="{m.answered}">{escape(answered_text(m))}</td>'),
            _pct_cell(m.parse_rate),
            _pct_cell(m.error_rate, ERROR_RATE_WARNING),
            f'<td data-v="{m.n}">{m.n}</td>',
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    ths = "".join(_th(h, h in ("model", "run")) for h in head)
    warning = error_warning(report)
    note = f'<p class="warn" id="error-warning">{escape(warning)}</p>' if warning else ""
    partial = partial_warning(report)
    if partial:
        note += f'<p class="warn" id="partial-warning">{escape(partial)}</p>'
    return scroll_table("leaderboard", ths, "".join(rows), sortable=True) + note


def _datasets_table(report: Report) -> str:
    labels = [m.label for m in report.models]
    by_key: dict[tuple[str, str], dict[str, DatasetEntry]] = {}
    meta: dict[tuple[str, str], tuple[str, str, bool]] = {}
    for d in report.datasets:
        by_key.setdefault((d.task, d.dataset_id), {})[d.label] = d
        meta[(d.task, d.dataset_id)] = (d.anatomy, d.metric, d.in_u2)
    ths = "".join(_th(h, h in ("scenario", "anatomy", "metric")) for h in ["scenario", "anatomy", "metric", "cases"])
    ths += "".join(_th(label) for label in labels)
    rows = []
    for key, per_model in by_key.items():
        anatomy, metric, in_u2 = meta[key]
        n = max((d.n for d in per_model.values()), default=0)
        name = f"{key[0]}/{key[1]}" + ("" if in_u2 else " (not in U2)")
        cells = [
            f'<td class="t">{escape(name)}</td>',
            f'<td class="t">{escape(anatomy)}</td>',
            f'<td class="t">{escape(metric)}</td>',
            f'<td data-v="{n}">{n}</td>',
        ]
        for label in labels:
            entry = per_model.get(label)
            digits = 2 if metric == "bleu4" else 4
            cells.append(_num_cell(entry.value if entry else None, digits, metric in LOWER_IS_BETTER))
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return scroll_table("datasets", ths, "".join(rows), sortable=True)


def _anatomy_table(report: Report) -> str:
    labels = [m.label for m in report.models]
    grid: dict[tuple[str, str], dict[str, AnatomyEntry]] = {}
    for a in report.anatomy:
        grid.setdefault((a.anatomy, a.task), {})[a.label] = a
    ths = _th("anatomy", True) + _th("task", True) + "".join(_th(label) for label in labels)
    rows = []
    for (anatomy, task), per_model in grid.items():
        cells = [f'<td class="t">{escape(anatomy)}</td>', f'<td class="t">{escape(task)}</td>']
        for label in labels:
            cell_entry = per_model.get(label)
            cell = _num_cell(cell_entry.value if cell_entry else None, 3)
            if cell_entry is not None:
                cell = cell.replace("</td>", f'<span class="ci">{cell_entry.counted} cases</span></td>')
            cells.append(cell)
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return scroll_table("anatomy", ths, "".join(rows), sortable=True)


def _status(status: str) -> str:
    """A run's status; anything but finished is marked: its models' values cover only what was answered."""
    if status == "finished":
        return escape(status)
    return f'<span class="warn-text partial">{escape(status)} (partial)</span>'


def _runs(report: Report) -> str:
    items = []
    for r in report.runs:
        items.append(
            f"<li><b>{escape(r.name)}</b>: {r.n_cases} cases of {escape(r.data)}, models "
            f"{escape(', '.join(r.models))}; prompt variant <b>{escape(r.prompt_variant)}</b> "
            f"({escape(r.prompt_source)}), status {_status(r.status)}</li>"
        )
    return f'<ul class="meta">{"".join(items)}</ul>'


def _browser(report: Report, thumbnails: dict[str, str]) -> str:
    unreadable = len({c.image for c in report.cases if c.image} - set(thumbnails))
    note = (f'<p class="warn" id="image-warning">{unreadable} image(s) could not be read and show a placeholder '
            "(the data moved or changed since the run)</p>" if unreadable else "")
    selects = "".join(
        f'<label>{name} <select id="filter-{name}"><option value="">all</option></select></label>'
        for name in ("model", "task", "dataset", "outcome")
    )
    if len({c.label for c in report.cases}) > 1:
        selects += ('<label title="one card per case with every model\'s answer beside the others">'
                    '<input type="checkbox" id="side-by-side"> same case across models</label>')
    return note + (
        f'<section id="case-browser"><div class="filters">{selects}<span id="case-count" class="meta"></span>'
        f'</div><div id="case-list"></div><button id="case-more" type="button">show more</button></section>'
    )


def render_html(report: Report, thumbnails: dict[str, str], points: MeasurementPoints | None = None) -> str:
    """The whole report as one HTML document (``points``: the Bland–Altman plots' pairs)."""
    ci = (
        f"{round(report.confidence * 100)}% {report.interval_method} intervals from {report.n_resamples} "
        f"case-level bootstrap resamples (seed {report.seed})"
        if report.n_resamples
        else "no intervals"
    )
    payload = script_json(browser_data(report.cases, thumbnails))
    n_cases = len({(c.label, c.case_id) for c in report.cases})
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>u2fast report</title><style>{STYLE}</style></head>
<body>
<h1>U2-Bench report</h1>
<p class="meta">{escape(report.mode)} scoring; {escape(ci)}. Generated {escape(report.generated_at)} by u2fast
{escape(report.u2fast_version)} ({escape(report.schema)}). Click a column heading to sort.</p>
{_runs(report)}
<h2>Leaderboard</h2>
{_leaderboard(report)}
<h2>Ranks, usage and cost</h2>
{usage_section(report)}
<h2>Per task</h2>
<p class="meta">Bars are point estimates; whiskers are the intervals.</p>
<div class="scroll">{task_bars_svg(report)}</div>
<h2>By anatomy</h2>
<p class="meta">Accuracy on the classification and sector cases (DD, VRA, LL, OD, KD) of each anatomy.</p>
<div class="scroll">{anatomy_heatmap_svg(report)}</div>
<details><summary>Accuracy by anatomy and task, with intervals</summary>{_anatomy_table(report)}</details>
{localisation_html(localisation_rows(report))}
<h2>Per dataset</h2>
<details open><summary>Every scenario's metric with its interval</summary>{_datasets_table(report)}</details>
{clinical_sections(report, points or {})}
<h2>Cases</h2>
<p class="meta">{n_cases} answers. Filter by model, task, dataset and outcome.</p>
{_browser(report, thumbnails)}
<script type="application/json" id="u2-data">{payload}</script>
<script>{SCRIPT}</script>
</body></html>
"""
