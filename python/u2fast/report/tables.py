"""Rich tables for ``u2fast report`` (breakdowns) and ``u2fast compare``."""

from __future__ import annotations

import math

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ..controls import strip_controls
from ..scoring.estimate import Estimate
from .compare_schema import Comparison
from .schema import Report
from .terminal import format_estimate
from .usage import latency_cell

__all__ = ["anatomy_table", "datasets_table", "print_breakdowns", "print_comparison"]


def datasets_table(report: Report) -> Table:
    labels = [m.label for m in report.models]
    table = Table(title="Per dataset")
    for col in ("scenario", "anatomy", "metric", "n"):
        table.add_column(col, justify="right" if col == "n" else "left")
    for lb in labels:
        table.add_column(Text(strip_controls(lb)), justify="right", overflow="fold")  # names are not markup
    grid: dict[tuple[str, str], dict[str, Estimate]] = {}
    meta: dict[tuple[str, str], tuple[str, str, int, bool]] = {}
    for d in report.datasets:
        grid.setdefault((d.task, d.dataset_id), {})[d.label] = d.value
        meta[(d.task, d.dataset_id)] = (d.anatomy, d.metric, d.n, d.in_u2)
    for key, per in grid.items():
        anatomy, metric, n, in_u2 = meta[key]
        digits = 2 if metric == "bleu4" else 3
        table.add_row(
            Text(f"{key[0]}/{key[1]}" + ("" if in_u2 else "*")),
            Text(strip_controls(anatomy)),
            metric,
            str(n),
            *(format_estimate(per[lb], digits) if lb in per else "-" for lb in labels),
        )
    table.caption = "* not in U2 (as in the official scoring)"
    return table


def anatomy_table(report: Report) -> Table:
    labels = [m.label for m in report.models]
    table = Table(title="Accuracy by anatomy (DD, VRA, LL, OD, KD pooled)")
    table.add_column("anatomy")
    for lb in labels:
        table.add_column(Text(strip_controls(lb)), justify="right", overflow="fold")  # names are not markup
    grid: dict[str, dict[str, tuple[Estimate, int]]] = {}
    for a in report.anatomy:
        if a.task == "all":
            grid.setdefault(a.anatomy, {})[a.label] = (a.value, a.counted)
    for anatomy, per in grid.items():
        table.add_row(
            Text(strip_controls(anatomy)),
            *(f"{format_estimate(per[lb][0], 3)} n={per[lb][1]}" if lb in per else "-" for lb in labels),
        )
    return table


def usage_table(report: Report) -> Table:
    """Joint rank intervals, P(rank = 1), the two-stage U2 interval and each model's usage."""
    table = Table(title="Ranks (joint bootstrap on common cases), usage and cost")
    for col in ("model", "rank", "P(rank=1)", "U2 two-stage CI", "requests", "tokens in", "tokens out",
                "cost USD", "latency p50 / p95 s", "parsed"):
        table.add_column(col, justify="left" if col == "model" else "right")
    for m in report.models:
        r, u, two = m.ranking, m.usage, m.u2_two_stage
        table.add_row(
            shown(m.label),
            "-" if r is None else f"{r.rank} [{r.low}, {r.high}]",
            "-" if r is None else f"{r.p_first:.2f}",
            "-" if two is None or two.low is None or two.high is None else f"[{_g(two.low)}, {_g(two.high)}]",
            "-" if u is None else str(u.requests),
            "-" if u is None else str(u.input_tokens),
            "-" if u is None else str(u.output_tokens),
            "-" if u is None or u.cost_usd is None else f"{u.cost_usd:.4f}",
            "-" if u is None else latency_cell(u, 3),
            ("-" if math.isnan(m.parse_rate) else f"{100 * m.parse_rate:.1f}%") + (" (low)" if m.parse_warning else ""),
        )
    return table


def print_breakdowns(report: Report, console: Console) -> None:
    console.print(usage_table(report))
    console.print(datasets_table(report))
    console.print(anatomy_table(report))
    from .localisation import localisation_rows, localisation_table

    rows = localisation_rows(report)
    if rows:
        console.print(localisation_table(rows))


def _g(x: float | None, digits: int = 4) -> str:
    if x is None or math.isnan(x):
        return "-"
    return f"{x:.{digits}g}" if (x != 0 and abs(x) < 1e-3) else f"{x:.{digits}f}"


def shown(text: str) -> str:
    """Outside text (a model or run name) for console markup: no escape sequences, no markup."""
    return escape(strip_controls(text))


def print_comparison(c: Comparison, console: Console) -> None:
    a, b = c.a, c.b
    console.print(
        f"[bold]A[/bold] = {shown(a.model)} in {shown(a.run)} (prompt {shown(a.prompt_variant)});  "
        f"[bold]B[/bold] = {shown(b.model)} in {shown(b.run)} (prompt {shown(b.prompt_variant)})",
        markup=True,
        highlight=False,
    )
    console.print(
        f"{c.joined} cases joined by id ({c.only_a} only in A, {c.only_b} only in B); "
        f"{c.paired} paired cases counted for both; {c.mode} scoring",
        highlight=False,
    )
    boot = Table(
        title=f"Paired bootstrap, A − B ({c.n_resamples} resamples within datasets, "
        f"{round(c.confidence * 100)}% percentile CI)"
    )
    for col in ("", "metric", "n", "A", "B", "A − B", "CI", "p", "p Holm", "p BH", "MDD"):
        boot.add_column(col, justify="left" if col in ("", "metric") else "right")
    for d in c.bootstrap:
        ci = f"[{_g(d.low)}, {_g(d.high)}]" if d.low is not None and d.high is not None else "-"
        boot.add_row(
            d.name,
            d.metric + (" (lower better)" if d.lower_is_better else ""),
            str(d.n),
            _g(d.a),
            _g(d.b),
            _g(d.difference),
            ci,
            _g(d.pvalue, 3) if d.pvalue is not None else "-",
            _g(d.pvalue_holm, 3) if d.pvalue_holm is not None else "-",
            _g(d.pvalue_bh, 3) if d.pvalue_bh is not None else "-",
            _g(d.mdd) if d.mdd is not None else "-",
        )
    console.print(boot)
    console.print("p Holm, p BH: adjusted within the task rows and within the data-set rows; MDD: the smallest "
                  "true difference this paired design detects (α 0.05, power 0.8)", highlight=False)
    if c.mcnemar:
        mt = Table(title="McNemar (b: A right, B wrong; c: A wrong, B right)")
        for col in (
            "task",
            "n",
            "acc A",
            "acc B",
            "b",
            "c",
            "exact p",
            "χ² (corr.)",
            "p",
            "χ² (uncorr.)",
            "p ",
            "p Holm",
            "p BH",
            "MDD",
        ):
            mt.add_column(col, justify="left" if col == "task" else "right")
        for m in c.mcnemar:
            mt.add_row(
                m.task,
                str(m.n),
                _g(m.accuracy_a, 3),
                _g(m.accuracy_b, 3),
                str(m.b),
                str(m.c),
                _g(m.exact_pvalue, 3),
                _g(m.chi2_corrected, 4),
                _g(m.pvalue_corrected, 3),
                _g(m.chi2_uncorrected, 4),
                _g(m.pvalue_uncorrected, 3),
                _g(m.pvalue_holm, 3) if m.pvalue_holm is not None else "-",
                _g(m.pvalue_bh, 3) if m.pvalue_bh is not None else "-",
                _g(m.mdd, 3) if m.mdd is not None else "-",
            )
        mt.caption = (
            "chi-square with df = 1; 'corr.' applies Edwards' continuity correction (statsmodels' default); "
            "'all' pools DD, VRA, LL, OD, KD"
        )
        console.print(mt)
    if c.ablation is not None:
        console.print(strip_controls(c.ablation.statement), highlight=False, markup=False)
    for note in c.notes:
        console.print(f"note: {strip_controls(note)}", highlight=False, markup=False)
