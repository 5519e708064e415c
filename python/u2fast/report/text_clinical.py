"""The clinical statistics, usage and rank intervals of a report as Markdown sections and CSV rows.

The numbers are the JSON's (``ModelEntry.clinical``, ``usage``, ``ranking``); CSV rows carry them at
full precision, one number per row, in the long table of :data:`u2fast.report.text.CSV_COLUMNS`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar

from ..scoring.clinical import UNPARSED_COLUMN, ClassificationSummary, ClinicalSummary, MeasurementSummary
from ..scoring.estimate import Estimate
from ..types import TASKS
from .schema import ModelEntry, Report
from .text import _exact, _md_cell, _md_estimate, _md_head, _md_row, _num

__all__ = ["by_scenario", "clinical_csv_rows", "clinical_markdown"]

Row = dict[str, object]
T = TypeVar("T")


def _key_order(key: str) -> tuple[int, str]:
    task = key.split("/", 1)[0]
    return (TASKS.index(task) if task in TASKS else 99, key)


def by_scenario(
    report: Report, pick: Callable[[ClinicalSummary], Mapping[str, T]]
) -> list[tuple[str, list[tuple[ModelEntry, T]]]]:
    """Each scenario (in task order) with the models that have ``pick``'s summary of it, in
    leaderboard order: ``pick`` is e.g. ``lambda c: c.classification``."""
    grouped: dict[str, list[tuple[ModelEntry, T]]] = {}
    for m in report.models:
        if m.clinical is not None:
            for key, summary in pick(m.clinical).items():
                grouped.setdefault(key, []).append((m, summary))
    return sorted(grouped.items(), key=lambda kv: _key_order(kv[0]))


def _opt(x: float | None, digits: int = 4) -> str:
    return "-" if x is None or math.isnan(x) else _num(x, digits)


def _classification_md(report: Report) -> list[str]:
    scenarios = by_scenario(report, lambda c: c.classification)
    if not scenarios:
        return []
    head = ["scenario", "model", "n", "accuracy [Wilson]", "balanced accuracy", "κ", "quadratic κ", "macro F1",
            "weighted F1", "unparsed/refused"]
    rows = [[key, _md_cell(m.label), str(sum(map(sum, c.counts))), _md_estimate(c.accuracy), _opt(c.balanced_accuracy),
             _opt(c.kappa), _opt(c.quadratic_kappa), _opt(c.macro.f1), _opt(c.weighted.f1),
             str(sum(row[-1] for row in c.counts))] for key, entries in scenarios for m, c in entries]
    return _md_table("## Classification statistics (per data set)",
                     "Accuracy with its Wilson interval; κ counts unparsed answers as a category of their own; "
                     "quadratic κ on ordinal scales only (docs/scoring.md).", head, rows)


def _md_table(title: str, note: str, head: list[str], rows: list[list[str]]) -> list[str]:
    return [title, "", note, "", *_md_head(head), *map(_md_row, rows)]


def _confusion_md(key: str, m: ModelEntry, c: ClassificationSummary) -> list[str]:
    cols = [*c.labels, UNPARSED_COLUMN]
    lines = ["", f"### {key}, {_md_cell(m.label)}", "", *_md_head(["truth \\\\ predicted", *map(_md_cell, cols)])]
    lines += [_md_row([_md_cell(name), *map(str, row)]) for name, row in zip(c.labels, c.counts, strict=True)]
    lines += ["", *_md_head(["class", "support", "sensitivity", "specificity", "PPV", "NPV", "F1"])]
    lines += [_md_row([_md_cell(r.label), str(r.support), _md_estimate(r.sensitivity, 3),
                       _md_estimate(r.specificity, 3), _md_estimate(r.ppv, 3), _md_estimate(r.npv, 3), _opt(r.f1, 3)])
              for r in c.classes]
    return lines


def _measurement_md(report: Report) -> list[str]:
    scenarios = by_scenario(report, lambda c: c.measurements)
    if not scenarios:
        return []
    head = ["scenario", "model", "unit", "n", "MAE", "RMSE", "bias [CI]", "lower LoA [CI]", "upper LoA [CI]",
            "ICC(3,1) [CI]", "CCC", "within tolerance"]
    rows = [[key, _md_cell(m.label), _md_cell(v.unit) or "-", str(v.n), _opt(v.mae), _opt(v.rmse),
             _md_estimate(v.bland_altman_bias), _md_estimate(v.lower_limit), _md_estimate(v.upper_limit),
             _md_estimate(v.icc), _opt(v.ccc), _tolerance_text(v)] for key, entries in scenarios for m, v in entries]
    return _md_table("## Measurement agreement (CVE, native units)",
                     "Bland–Altman bias and 95% limits of agreement (LoA) with their intervals, ICC(3,1) and Lin's "
                     "CCC over the parsed estimates; within tolerance only where a tolerance is published or set.",
                     head, rows)


def _tolerance_text(v: MeasurementSummary) -> str:
    if v.within_tolerance is None or v.tolerance is None:
        return "-"
    source = v.tolerance_source.split(":")[0]  # the citation; the full text is in the JSON and CSV
    return f"{_md_estimate(v.within_tolerance, 3)} (±{v.tolerance:g}, {_md_cell(source)})"


def _groups_md(report: Report) -> list[str]:
    rows = [(m, w) for m in report.models if m.clinical for w in m.clinical.worst_groups]
    het = [(m, t, h) for m in report.models if m.clinical for t, h in m.clinical.heterogeneity.items()]
    lines: list[str] = []
    if rows:
        lines += ["## Worst groups", "", *_md_head(["model", "task", "by", "group", "metric", "value", "n"])]
        lines += [f"| {_md_cell(m.label)} | {w.task} | {w.by} | {_md_cell(w.group)} | {w.metric} | "
                  f"{_md_estimate(w.value, 3)} | {w.n} |" for m, w in rows]
    if het:
        lines += ["", "## Heterogeneity across data sets (classification and sector tasks)", "",
                  *_md_head(["model", "task", "data sets", "Cochran's Q", "df", "p", "I²"])]
        lines += [f"| {_md_cell(m.label)} | {t} | {h.k} | {_opt(h.q, 3)} | {_opt(h.df, 0)} | {_opt(h.pvalue, 4)} | "
                  f"{_opt(h.i_squared, 3)} |" for m, t, h in het]
    return lines


def clinical_markdown(report: Report) -> list[str]:
    """Classification statistics, confusion matrices with per-class statistics, measurement
    agreement, worst groups and heterogeneity, as Markdown lines."""
    lines = _classification_md(report)
    scenarios = by_scenario(report, lambda c: c.classification)
    if scenarios:
        lines += ["", "## Confusion matrices", "",
                  f"Rows: truth; columns: the answer; the last column ({UNPARSED_COLUMN}) counts answers naming no label."]
        for key, entries in scenarios:
            for m, c in entries:
                lines += _confusion_md(key, m, c)
    for section in (_measurement_md(report), _groups_md(report)):
        if section:
            lines += ["", *section]
    return lines


def _est(e: Estimate) -> Row:
    return {"value": _exact(e.value), "low": _exact(e.low), "high": _exact(e.high)}


def _model_rows(m: ModelEntry) -> Iterator[Row]:
    base: Row = {"model": m.label, "run": m.run}
    if m.u2_two_stage is not None:
        yield {**base, "level": "u2_two_stage", "metric": "u2", **_est(m.u2_two_stage), "n": m.n}
    if m.ranking is not None:
        r = m.ranking
        rank = {**base, "level": "rank", "dataset": r.group, "n": r.cases}
        yield {**rank, "metric": "rank", "value": r.rank, "low": r.low, "high": r.high}
        yield {**rank, "metric": "p_first", "value": _exact(r.p_first)}
        yield {**rank, "metric": "mean_rank", "value": _exact(r.mean_rank)}
        yield {**rank, "metric": "models", "value": r.models}
    if m.usage is not None:
        u = m.usage
        usage = {**base, "level": "usage"}
        for metric, value in (("requests", u.requests), ("input_tokens", u.input_tokens),
                              ("output_tokens", u.output_tokens)):
            yield {**usage, "metric": metric, "value": value}
        for metric, x in (("cost_usd", u.cost_usd), ("latency_median_s", u.latency_median_s),
                          ("latency_p95_s", u.latency_p95_s)):
            yield {**usage, "metric": metric, "value": _exact(x)}
        yield {**usage, "metric": "parse_rate", "value": _exact(m.parse_rate), "parse_rate": _exact(m.parse_rate),
               "class": "warning" if m.parse_warning else ""}
        for kind, count in sorted(m.errors_by_kind.items()):
            yield {**usage, "metric": "errors", "class": kind, "value": count}
        for task, count in u.cases_per_task.items():
            yield {**usage, "metric": "cases", "task": task, "value": count}


def _classification_rows(base: Row, c: ClassificationSummary) -> Iterator[Row]:
    n = sum(map(sum, c.counts))
    yield {**base, "level": "classification", "metric": "accuracy", **_est(c.accuracy), "n": n}
    for metric, x in (("balanced_accuracy", c.balanced_accuracy), ("kappa", c.kappa),
                      ("quadratic_kappa", c.quadratic_kappa)):
        if metric != "quadratic_kappa" or c.ordinal_labels:
            yield {**base, "level": "classification", "metric": metric, "value": _exact(x), "n": n}
    for kind, means in (("macro", c.macro), ("weighted", c.weighted)):
        for stat in ("sensitivity", "specificity", "ppv", "npv", "f1"):
            yield {**base, "level": "classification", "metric": f"{kind}_{stat}",
                   "value": _exact(getattr(means, stat)), "n": n}
    yield {**base, "level": "classification", "metric": "unparsed", "value": sum(r[-1] for r in c.counts), "n": n}
    for r in c.classes:
        row = {**base, "level": "class", "class": r.label, "n": r.support}
        for stat in ("sensitivity", "specificity", "ppv", "npv"):
            yield {**row, "metric": stat, **_est(getattr(r, stat))}
        yield {**row, "metric": "f1", "value": _exact(r.f1)}
    columns = [*c.labels, UNPARSED_COLUMN]
    for truth, counts in zip(c.labels, c.counts, strict=True):
        for predicted, count in zip(columns, counts, strict=True):
            yield {**base, "level": "confusion", "metric": "count", "class": truth, "predicted": predicted,
                   "value": count}


def _measurement_rows(base: Row, v: MeasurementSummary) -> Iterator[Row]:
    row = {**base, "level": "measurement", "n": v.n, "unit": v.unit}
    for metric, x in (("mae", v.mae), ("rmse", v.rmse), ("bias", v.bias), ("sd", v.sd), ("ccc", v.ccc)):
        yield {**row, "metric": metric, "value": _exact(x)}
    for metric, e in (("bland_altman_bias", v.bland_altman_bias), ("lower_limit", v.lower_limit),
                      ("upper_limit", v.upper_limit), ("icc", v.icc)):
        yield {**row, "metric": metric, **_est(e)}
    if v.within_tolerance is not None:
        yield {**row, "metric": "tolerance", "value": _exact(v.tolerance), "class": v.tolerance_source}
        yield {**row, "metric": "within_tolerance", **_est(v.within_tolerance)}


def clinical_csv_rows(report: Report) -> Iterator[Row]:
    """Rows (column -> value) for ranks, usage and the clinical statistics of every model."""
    for m in report.models:
        yield from _model_rows(m)
        c = m.clinical
        if c is None:
            continue
        base: Row = {"model": m.label, "run": m.run}
        for key, cs in sorted(c.classification.items(), key=lambda kv: _key_order(kv[0])):
            task, dataset = key.split("/", 1)
            yield from _classification_rows({**base, "task": task, "dataset": dataset}, cs)
        for key, ms in sorted(c.measurements.items(), key=lambda kv: _key_order(kv[0])):
            task, dataset = key.split("/", 1)
            yield from _measurement_rows({**base, "task": task, "dataset": dataset}, ms)
        for s in c.subgroups:
            yield {**base, "level": "subgroup", "task": s.task, "anatomy": s.group, "metric": s.metric,
                   **_est(s.value), "n": s.n}
        for w in c.worst_groups:
            where = {"anatomy": w.group} if w.by == "anatomy" else {"dataset": w.group}
            yield {**base, "level": "worst_group", "task": w.task, **where, "metric": w.metric, **_est(w.value),
                   "n": w.n}
        for task, h in c.heterogeneity.items():
            row = {**base, "level": "heterogeneity", "task": task, "n": h.k}
            for metric, x in (("q", h.q), ("df", h.df), ("pvalue", h.pvalue), ("i_squared", h.i_squared)):
                yield {**row, "metric": metric, "value": _exact(x)}
