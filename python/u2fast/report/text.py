"""The report as Markdown, CSV (one long table) and JSON text."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence

import msgspec

from ..controls import strip_controls
from ..scoring.estimate import Estimate
from ..types import TASKS
from ..u2bench.tasks import task_spec
from .schema import ERROR_RATE_WARNING, TASK_LABELS, ModelEntry, Report
from .terminal import UNANSWERED
from .usage import PARSE_RATE_WARNING, latency_cell

__all__ = ["CSV_COLUMNS", "error_warning", "parse_warning", "to_csv", "to_json", "to_markdown"]

#: Columns of the CSV export, one row per (model, level, task, dataset or anatomy).
CSV_COLUMNS = (
    "model",
    "run",
    "level",
    "task",
    "dataset",
    "anatomy",
    "metric",
    "value",
    "low",
    "high",
    "n",
    "parse_rate",
    "error_rate",
    #: the class (level class/confusion), the error kind (usage errors) or the tolerance's source
    "class",
    #: the answered label of a confusion cell
    "predicted",
    #: native unit of a measurement row
    "unit",
)


def to_json(report: Report) -> str:
    """The documented ``u2fast.report/1`` JSON (without case rows)."""
    body = msgspec.structs.replace(report, cases=[])
    raw = msgspec.json.encode(body)
    obj = msgspec.json.decode(raw)
    obj.pop("cases", None)
    return msgspec.json.format(msgspec.json.encode(obj), indent=2).decode() + "\n"


def answered_text(m: ModelEntry) -> str:
    """``answered/cases``, marked when some requests have no answer on record."""
    return f"{m.answered}/{m.n}" + (" partial" if m.not_sent else "")


def partial_warning(report: Report) -> str:
    """A sentence naming the models of partial runs (requests with no answer on record), "" if none."""
    partial = [m for m in report.models if m.not_sent]
    if not partial:
        return ""
    names = ", ".join(f"{m.label} ({m.answered}/{m.n} answered)" for m in partial)
    return (f"partial runs: {names}. Some of their requests have {UNANSWERED}; their "
            "values and intervals cover only the answered cases. Resume with u2fast eval --resume RUN.")


def error_warning(report: Report) -> str:
    """A sentence naming the models whose API error rate makes their scores partial ("" if none)."""
    flagged = [m for m in report.models if not math.isnan(m.error_rate) and m.error_rate >= ERROR_RATE_WARNING]
    if not flagged:
        return ""
    names = ", ".join(f"{m.label} ({100 * m.error_rate:.1f}%)" for m in flagged)
    how = (
        "robust scoring leaves API errors out of every denominator, so their scores and ranks cover "
        "only the cases they answered"
        if report.mode == "robust"
        else "compat scoring judges the stored error text as the official kit did"
    )
    return f"API errors on at least {100 * ERROR_RATE_WARNING:.0f}% of the cases: {names}; {how}."


def _num(x: float | None, digits: int = 4) -> str:
    return "" if x is None or math.isnan(x) or math.isinf(x) else f"{x:.{digits}f}"


def _exact(x: float | None) -> str:
    """A CSV number at full precision (the shortest text that reads back as the same float), so a
    spreadsheet or script gets exactly what ``--format json`` and ``u2fast score --json`` give."""
    return "" if x is None or math.isnan(x) or math.isinf(x) else repr(float(x))


def _md_estimate(e: Estimate | None, digits: int = 4) -> str:
    if e is None or e.value is None or math.isnan(e.value):
        return "-"
    text = _num(e.value, digits)
    if e.low is not None and e.high is not None and not (math.isnan(e.low) or math.isnan(e.high)):
        text += f" [{_num(e.low, digits)}, {_num(e.high, digits)}]"
    return text


#: Characters that Markdown would read as markup or raw HTML in a run or model name (a name such as
#: ``<img src=x onerror=...>`` must stay text in a rendered report); each gets a backslash. ``_`` is
#: left alone: inside a word (model_a, gpt_4o) it never emphasises, and names are full of it.
_MD_SPECIAL = frozenset("\\`*[]<>&|")


def _md_cell(text: str) -> str:
    """User text (run and model names, anatomy words) as literal Markdown text on one line."""
    flat = " ".join(strip_controls(text).split())
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in flat)


def _md_code(text: str) -> str:
    """User text as a code span (no markup inside one); backticks cannot end it early."""
    return "`" + " ".join(strip_controls(text).split()).replace("`", "'") + "`"


def _md_row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _md_head(columns: Sequence[str]) -> list[str]:
    """A Markdown table's heading row and the rule under it."""
    return [_md_row(columns), "|" + "---|" * len(columns)]


def _pct(x: float) -> str:
    return "-" if math.isnan(x) else f"{100 * x:.1f}%"


def to_markdown(report: Report) -> str:
    ci = (
        f"{round(report.confidence * 100)}% {report.interval_method} intervals, {report.n_resamples} resamples"
        if report.n_resamples
        else "no intervals"
    )
    lines = ["# U2-Bench report", "", f"{report.mode} scoring; {ci}; {report.schema}.", ""]
    for r in report.runs:
        lines.append(
            f"- run {_md_code(r.name)}: {r.n_cases} cases, prompt variant {_md_code(r.prompt_variant)}, "
            f"models {_md_cell(', '.join(r.models))}"
        )
    lines += ["", "## Leaderboard", ""]
    head = ["#", "model", "U2", *(TASK_LABELS[t] for t in TASKS), "answered", "parsed", "API errors"]
    lines += _md_head(head)
    for m in report.models:
        cells = [str(m.rank), _md_cell(m.label), _md_estimate(m.u2)]
        cells += [
            _md_estimate(m.tasks[t].value, task_spec(t).digits) if t in m.tasks else "-"
            for t in TASKS
        ]
        cells += [answered_text(m), _pct(m.parse_rate), _pct(m.error_rate)]
        lines.append(_md_row(cells))
    for warning in (error_warning(report), partial_warning(report)):
        if warning:
            lines += ["", f"**Note:** {_md_cell(warning)}"]  # names in it are user text
    lines += ["", *usage_markdown(report)]
    labels = [m.label for m in report.models]
    lines += ["", "## Per dataset", "", *_md_head(["scenario", "anatomy", "metric", *map(_md_cell, labels)])]
    grid: dict[tuple[str, str], dict[str, Estimate]] = {}
    meta: dict[tuple[str, str], tuple[str, str]] = {}
    for d in report.datasets:
        grid.setdefault((d.task, d.dataset_id), {})[d.label] = d.value
        meta[(d.task, d.dataset_id)] = (d.anatomy, d.metric)
    for key, per in grid.items():
        anatomy, metric = meta[key]
        digits = 2 if metric == "bleu4" else 4
        lines.append(_md_row([f"{key[0]}/{key[1]}", _md_cell(anatomy), metric,
                              *(_md_estimate(per.get(lb), digits) for lb in labels)]))
    lines += ["", "## By anatomy (accuracy, classification and sector tasks)", "",
              *_md_head(["anatomy", "task", *map(_md_cell, labels)])]
    agrid: dict[tuple[str, str], dict[str, Estimate]] = {}
    for a in report.anatomy:
        agrid.setdefault((a.anatomy, a.task), {})[a.label] = a.value
    for (anatomy, task), per in agrid.items():
        lines.append(_md_row([_md_cell(anatomy), task, *(_md_estimate(per.get(lb), 3) for lb in labels)]))
    from .text_clinical import clinical_markdown

    clinical = clinical_markdown(report)
    return "\n".join([*lines, *([""] + clinical if clinical else [])]) + "\n"


def to_csv(report: Report) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)

    def row(
        model: str,
        run: str,
        level: str,
        task: str,
        dataset: str,
        anatomy: str,
        metric: str,
        e: Estimate,
        n: int,
        parse_rate: float | None = None,
        error_rate: float | None = None,
    ) -> None:
        w.writerow(
            [
                model,
                run,
                level,
                task,
                dataset,
                anatomy,
                metric,
                _exact(e.value),
                _exact(e.low),
                _exact(e.high),
                n,
                _exact(parse_rate),
                _exact(error_rate),
                "",
                "",
                "",
            ]
        )

    runs = {m.label: m.run for m in report.models}
    for m in report.models:
        row(m.label, m.run, "u2", "", "", "", "u2", m.u2, m.n, m.parse_rate, m.error_rate)
        for t, ts in m.tasks.items():
            row(m.label, m.run, "task", t, "", "", ts.metric, ts.value, ts.n, ts.parse_rate, ts.error_rate)
    for d in report.datasets:
        answered = d.n - d.errors
        row(
            d.label,
            runs.get(d.label, ""),
            "dataset",
            d.task,
            d.dataset_id,
            d.anatomy,
            d.metric,
            d.value,
            d.n,
            d.parsed / answered if answered else None,
            d.errors / d.n if d.n else None,
        )
    for a in report.anatomy:
        row(a.label, runs.get(a.label, ""), "anatomy", a.task, "", a.anatomy, a.metric, a.value, a.counted)
    from .text_clinical import clinical_csv_rows

    for extra in clinical_csv_rows(report):
        w.writerow([extra.get(column, "") for column in CSV_COLUMNS])
    return buf.getvalue()


def _rank_text(m: ModelEntry) -> tuple[str, str]:
    r = m.ranking
    if r is None:
        return "-", "-"
    return (f"{r.rank} [{r.low}–{r.high}]" if r.low != r.high else f"{r.rank} [{r.low}]"), f"{r.p_first:.2f}"


def usage_markdown(report: Report) -> list[str]:
    """Joint rank intervals, the two-stage U2 interval, and what each model's run cost."""
    head = ["model", "rank [interval]", "P(rank = 1)", "U2 two-stage CI", "requests", "input tokens",
            "output tokens", "cost (USD)", "latency median / p95 (s)", "errors by class", "cases per task", "parsed"]
    note = ("Ranks come from a joint bootstrap of all models on the same data (resampled on their common cases); "
            "cost uses the prices recorded in each run's manifest.")
    lines = ["## Ranks, usage and cost", "", note, "", *_md_head(head)]
    for m in report.models:
        rank, first = _rank_text(m)
        u = m.usage
        two = m.u2_two_stage
        two_text = f"[{_num(two.low)}, {_num(two.high)}]" if two is not None and two.low is not None else "-"
        cells = [_md_cell(m.label), rank, first, two_text]
        errors = ", ".join(f"{_md_cell(kind)} {n}" for kind, n in sorted(m.errors_by_kind.items())) or "none"
        if u is None:
            cells += ["-"] * 5 + [errors, "-"]
        else:
            cost = "-" if u.cost_usd is None else f"{u.cost_usd:.4f}"
            per_task = ", ".join(f"{t} {n}" for t, n in u.cases_per_task.items()) or "-"
            cells += [str(u.requests), str(u.input_tokens), str(u.output_tokens), cost, latency_cell(u, 3), errors, per_task]
        cells.append(_pct(m.parse_rate) + (" ⚠" if m.parse_warning else ""))
        lines.append(_md_row(cells))
    warning = parse_warning(report)
    if warning:
        lines += ["", f"**Warning:** {_md_cell(warning)}"]
    return lines


def parse_warning(report: Report) -> str:
    """A sentence naming the models with a parse rate under the threshold, "" if none."""
    warned = [m.label for m in report.models if m.parse_warning]
    if not warned:
        return ""
    return (f"under {PARSE_RATE_WARNING:.0%} of the answers parsed for {', '.join(warned)}: those scores measure "
            "the parser as much as the model.")
