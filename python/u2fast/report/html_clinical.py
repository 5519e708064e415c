"""The HTML report's sections on usage, ranks and clinical statistics: the usage table, the
rank-interval plot, per-scenario classification statistics with confusion heat maps, measurement
agreement with Bland–Altman plots, and each model's subgroup forest plot with heterogeneity.

Every string from the data (labels, model names, anatomy words, tolerance sources) is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import TypeVar

from ..folder_clinical import measurement_pairs
from ..runfolder import records_of
from ..scoring.clinical import ClassificationSummary, MeasurementSummary
from ..scoring.estimate import Estimate
from ..u2bench.scenarios import scenario
from .build import ScoredModel
from .charts import bland_altman_svg, confusion_svg, forest_svg, rank_intervals_svg
from .html_assets import scroll_table
from .schema import ModelEntry, Report
from .text import parse_warning
from .text_clinical import by_scenario
from .usage import latency_cell

__all__ = ["MeasurementPoints", "clinical_sections", "measurement_points", "usage_section"]

#: label -> scenario key -> (estimate, truth) of each parsed CVE answer, for the Bland–Altman plots
MeasurementPoints = Mapping[str, Mapping[str, Sequence[tuple[float, float]]]]
T = TypeVar("T")


def measurement_points(scored: Sequence[ScoredModel]) -> dict[str, dict[str, list[tuple[float, float]]]]:
    """The pairs each model's agreement statistics were computed from (the same selection)."""
    return {sm.label: dict(measurement_pairs(records_of(sm.run.records, sm.model), sm.judged)) for sm in scored}


def _num(x: float | None, digits: int = 3) -> str:
    return "-" if x is None or math.isnan(x) or math.isinf(x) else f"{x:.{digits}f}"


def _est(e: Estimate | None, digits: int = 3) -> str:
    if e is None or math.isnan(e.value):
        return "-"
    ci = (f'<span class="ci">[{_num(e.low, digits)}, {_num(e.high, digits)}]</span>'
          if e.low is not None and e.high is not None and not (math.isnan(e.low) or math.isnan(e.high)) else "")
    return f"{e.value:.{digits}f}{ci}"


def _table(element_id: str, head: Sequence[str], rows: Sequence[Sequence[str]], left: int = 1) -> str:
    ths = "".join(f'<th scope="col"{" class=t" if i < left else ""}>{escape(h)}</th>' for i, h in enumerate(head))
    body = "".join("<tr>" + "".join(f'<td{" class=t" if i < left else ""}>{c}</td>' for i, c in enumerate(r)) + "</tr>"
                   for r in rows)
    return scroll_table(element_id, ths, body)


def usage_section(report: Report) -> str:
    """Per model: joint rank interval, requests, tokens, cost, latency, errors by class, parse rate
    (warned under the threshold) and cases per task; then the rank-interval plot."""
    rows = []
    for m in report.models:
        u, r = m.usage, m.ranking
        parsed = "-" if math.isnan(m.parse_rate) else f"{100 * m.parse_rate:.1f}%"
        if m.parse_warning:
            parsed = f'<span class="warn-text" title="few answers parsed">{parsed} (low)</span>'
        errors = ", ".join(f"{escape(k)} {n}" for k, n in sorted(m.errors_by_kind.items())) or "none"
        rows.append([
            escape(m.label),
            "-" if r is None else f"{r.rank} [{r.low}–{r.high}]",
            "-" if r is None else f"{r.p_first:.2f}",
            "-" if m.u2_two_stage is None else _est(m.u2_two_stage, 4),
            "-" if u is None else str(u.requests),
            "-" if u is None else f"{u.input_tokens:,}",
            "-" if u is None else f"{u.output_tokens:,}",
            "-" if u is None or u.cost_usd is None else f"${u.cost_usd:.4f}",
            "-" if u is None else latency_cell(u, 2),
            errors,
            parsed,
            "-" if u is None else ", ".join(f"{escape(t)} {n}" for t, n in u.cases_per_task.items()) or "-",
        ])
    head = ["model", "rank [interval]", "P(rank = 1)", "U2 two-stage", "requests", "input tokens", "output tokens",
            "cost (as recorded)", "latency median / p95 (s)", "errors by class", "parsed", "cases per task"]
    warning = parse_warning(report)
    note = f'<p class="warn" id="parse-warning">{escape(warning)}</p>' if warning else ""
    return (f"{_table('usage', head, rows)}{note}"
            '<p class="meta">Cost uses the prices recorded in each run\'s manifest (none recorded: "-"). Ranks: '
            "a joint bootstrap of the models on the same data; a dot is the rank, the bar its interval, the number "
            "the share of resamples ranking the model first.</p>"
            f'<div class="scroll">{rank_intervals_svg(report.models, report.confidence)}</div>')


def _subject(key: str) -> str:
    task, dataset = key.split("/", 1)
    facts = scenario(task, dataset)
    return f"{key} {facts.subject}" if facts is not None and facts.subject else key


def _scenario_block(key: str, charts: Sequence[str], first: bool) -> str:
    """One scenario's charts (a chart per model) in a <details>, the first scenario open."""
    return (f'<details class="scenario"{" open" if first else ""} data-scenario="{escape(key)}">'
            f'<summary>{escape(_subject(key))}</summary><div class="chart-row">{"".join(charts)}</div></details>')


def _scenario_section(
    scenarios: Sequence[tuple[str, Sequence[tuple[ModelEntry, T]]]],
    empty: str,
    element_id: str,
    head: Sequence[str],
    note: str,
    view: Callable[[str, ModelEntry, T], tuple[list[str], str]],
) -> str:
    """A statistics table (a row per scenario and model), a note, then each scenario's charts:
    ``view(key, model, summary)`` is one model's row and chart of one scenario."""
    if not scenarios:
        return f'<p class="empty">{empty}</p>'
    rows, blocks = [], []
    for n, (key, entries) in enumerate(scenarios):
        charts = []
        for m, summary in entries:
            row, chart = view(key, m, summary)
            rows.append(row)
            charts.append(f'<div class="scroll">{chart}</div>')
        blocks.append(_scenario_block(key, charts, first=n == 0))
    return _table(element_id, head, rows, left=2) + f'<p class="meta">{note}</p>' + "".join(blocks)


def _classification_view(key: str, m: ModelEntry, c: ClassificationSummary) -> tuple[list[str], str]:
    row = [escape(key), escape(m.label), str(sum(map(sum, c.counts))), _est(c.accuracy), _num(c.balanced_accuracy),
           _num(c.kappa), _num(c.quadratic_kappa) if c.ordinal_labels else "-", _num(c.macro.f1),
           str(sum(r[-1] for r in c.counts))]
    return row, confusion_svg(c, f"{key} · {m.label}")


def _classification(report: Report) -> str:
    head = ["scenario", "model", "n", "accuracy [Wilson]", "balanced accuracy", "κ", "quadratic κ", "macro F1",
            "unparsed/refused"]
    note = ("Confusion matrices: truth in rows, the answer in columns, the last (orange) column for answers naming "
            "no label; cells are shaded by their share of the row. Open a scenario to see it.")
    return _scenario_section(by_scenario(report, lambda c: c.classification), "No classification or sector cases.",
                             "classification-stats", head, note, _classification_view)


def _measurements(report: Report, points: MeasurementPoints) -> str:
    def view(key: str, m: ModelEntry, v: MeasurementSummary) -> tuple[list[str], str]:
        tol = "-"
        if v.within_tolerance is not None and v.tolerance is not None:
            tol = (f'{_est(v.within_tolerance)} <span class="ci">±{v.tolerance:g} {escape(v.unit)}, '
                   f"{escape(v.tolerance_source.split(':')[0])}</span>")
        row = [escape(key), escape(m.label), escape(v.unit) or "-", str(v.n), _num(v.mae), _num(v.rmse),
               _est(v.bland_altman_bias), _est(v.lower_limit), _est(v.upper_limit), _est(v.icc), _num(v.ccc), tol]
        pairs = points.get(m.label, {}).get(key, [])
        return row, bland_altman_svg(pairs, v, f"{_subject(key)} · {m.label}")

    head = ["scenario", "model", "unit", "n", "MAE", "RMSE", "bias [CI]", "lower LoA [CI]", "upper LoA [CI]",
            "ICC(3,1) [CI]", "CCC", "within tolerance"]
    note = ("Bland–Altman: each parsed estimate's mean with the truth against its difference (native units); "
            "lines: bias and 95% limits of agreement (LoA), bands: their intervals.")
    return _scenario_section(by_scenario(report, lambda c: c.measurements), "No measurement (CVE) cases.",
                             "measurement-stats", head, note, view)


def _subgroups(report: Report) -> str:
    blocks = []
    for n, m in enumerate(report.models):
        blocks.append(f'<details class="forest-model"{" open" if n == 0 else ""}><summary>{escape(m.label)}</summary>'
                      f'<div class="scroll">{forest_svg(m, report.datasets)}</div></details>')
    het = [[escape(m.label), escape(t), str(h.k), _num(h.q), _num(h.df, 0), _num(h.pvalue, 4), _num(h.i_squared)]
           for m in report.models if m.clinical for t, h in m.clinical.heterogeneity.items()]
    table = (_table("heterogeneity", ["model", "task", "data sets", "Cochran's Q", "df", "p", "I²"], het, left=2)
             if het else '<p class="empty">No task with two or more data sets to compare.</p>')
    return ("".join(blocks) + "<h3>Heterogeneity across data sets</h3>"
            '<p class="meta">Cochran\'s Q and I² across the U2 data sets of each classification and sector task '
            "(binomial variances); measurement and text tasks have none.</p>" + table)


def clinical_sections(report: Report, points: MeasurementPoints) -> str:
    return ("<h2>Classification: statistics and confusion matrices</h2>" + _classification(report)
            + "<h2>Measurements: agreement (Bland–Altman)</h2>" + _measurements(report, points)
            + "<h2>Subgroups</h2>" + _subgroups(report))
