"""The leaderboard in the terminal (rich), degrading to plain text when output is not a terminal."""

from __future__ import annotations

import math

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..controls import strip_controls
from ..scoring.scores import Estimate, ModelScores, RunScores
from ..types import TASKS
from ..u2bench.tasks import task_spec

__all__ = ["leaderboard_table", "wide_leaderboard_table", "print_leaderboard", "format_estimate", "clinical_table",
           "print_clinical", "answered_cell", "NOT_COMPUTED", "PARTIAL_NOTE", "UNANSWERED"]

#: How a value that could not be computed is shown (never as 0).
NOT_COMPUTED = "—"
#: Said after a model some of whose answers named another model.
OTHER_MODELS_LEFT_OUT = "left out as API errors (other_model); --accept-other-models scores them"
OTHER_MODELS_SCORED = "scored all the same (compat mode or --accept-other-models)"
#: What a partial run's missing requests are (an interrupted or stopped run, or a batch not yet collected).
UNANSWERED = "no answer on record (never sent, or in a provider batch still running)"
#: Said under any table that holds a partial run.
PARTIAL_NOTE = (f"partial: some requests have {UNANSWERED}; its values and intervals cover only the answered "
                "cases (resume with u2fast eval --resume RUN)")



def format_estimate(e: Estimate, digits: int = 4) -> str:
    if e.value is None or math.isnan(e.value):
        return NOT_COMPUTED
    text = f"{e.value:.{digits}f}"
    if e.low is not None and e.high is not None and not (math.isnan(e.low) or math.isnan(e.high)):
        text += f" [{e.low:.{digits}f}, {e.high:.{digits}f}]"
    return text


def _interval(e: Estimate | None, digits: int = 4) -> str:
    if e is None or e.low is None or e.high is None or math.isnan(e.low) or math.isnan(e.high):
        return "-"
    return f"[{e.low:.{digits}f}, {e.high:.{digits}f}]"


def _num(x: float | None, digits: int = 2) -> str:
    return "-" if x is None or math.isnan(x) else f"{x:.{digits}f}"


def _pct(x: float) -> str:
    return NOT_COMPUTED if math.isnan(x) else f"{100 * x:.1f}%"


def answered_cell(m: ModelScores) -> str:
    """``answered/total``, marked when the run is partial (requests with no answer on record)."""
    text = f"{m.answered}/{m.n}"
    return f"{text} partial" if m.partial else text


def _ranked(scores: RunScores) -> list[ModelScores]:
    return sorted(scores.models.values(), key=lambda m: -(m.u2.value if not math.isnan(m.u2.value) else -1.0))


def _title(scores: RunScores) -> str:
    method = {"bca": "BCa", "percentile": "percentile"}.get(scores.interval_method, scores.interval_method)
    ci = (f", {round(scores.confidence * 100)}% {method} CI ({scores.interval_design} bootstrap: cases within data sets)"
          if scores.n_resamples else "")
    return f"U2-Bench leaderboard, {scores.mode}{ci}"


def leaderboard_table(scores: RunScores, title: str | None = None) -> Table:
    """Models as columns and metrics as rows: readable at 80 columns for a handful of models."""
    ranked = _ranked(scores)
    table = Table(title=title or _title(scores), show_lines=False)
    table.add_column("metric", style="bold")
    for m in ranked:
        # Text, not str: a model name such as "x[/bold]" is a name, not console markup
        table.add_column(Text(strip_controls(m.model)), justify="right", overflow="fold")
    table.add_row("U2-Score", *(format_estimate(m.u2) for m in ranked), style="bold")
    if any(m.u2_two_stage is not None for m in ranked):
        table.add_row("U2 two-stage CI", *(_interval(m.u2_two_stage) for m in ranked))
    for task in TASKS:
        digits = task_spec(task).digits
        table.add_row(task_spec(task).heading, *(format_estimate(m.tasks[task].value, digits) if task in m.tasks
                                                 else NOT_COMPUTED for m in ranked))
    table.add_row("answered", *(answered_cell(m) for m in ranked))
    table.add_row("parsed", *(_pct(m.parse_rate) for m in ranked))
    table.add_row("API errors", *(_pct(m.error_rate) for m in ranked))
    return table


def wide_leaderboard_table(scores: RunScores, title: str | None = None) -> Table:
    """One row per model: for many models on a wide terminal."""
    table = Table(title=title or _title(scores))
    table.add_column("model", style="bold", overflow="fold")
    table.add_column("U2", justify="right", style="bold")
    for task in TASKS:
        table.add_column(task_spec(task).heading, justify="right")
    table.add_column("answered", justify="right")
    table.add_column("parsed", justify="right")
    table.add_column("errors", justify="right")
    ranked = _ranked(scores)
    for m in ranked:
        table.add_row(
            Text(strip_controls(m.model)), format_estimate(m.u2),
            *(format_estimate(m.tasks[t].value, task_spec(t).digits) if t in m.tasks else NOT_COMPUTED for t in TASKS),
            answered_cell(m), _pct(m.parse_rate), _pct(m.error_rate),
        )
    return table


def print_leaderboard(scores: RunScores, console: Console | None = None) -> None:
    console = console or Console()
    wide = len(scores.models) > 4 and console.width >= 150
    console.print(wide_leaderboard_table(scores) if wide else leaderboard_table(scores))
    partial = [strip_controls(m.model) for m in _ranked(scores) if m.partial]
    if partial:
        console.print(Text(f"{', '.join(partial)}: {PARTIAL_NOTE}", style="yellow"), soft_wrap=True)
    for m in _ranked(scores):
        if m.other_models:
            served = ", ".join(f"{strip_controls(name)} ({n})" for name, n in list(m.other_models.items())[:3])
            if len(m.other_models) > 3:
                served += f" and {len(m.other_models) - 3} more"
            note = OTHER_MODELS_LEFT_OUT if "other_model" in m.errors_by_kind else OTHER_MODELS_SCORED
            console.print(Text(f"warning: {strip_controls(m.model)}: {sum(m.other_models.values())} answers came from "
                               f"another model: {served}; {note}", style="yellow"), soft_wrap=True)


def clinical_table(scores: RunScores) -> Table | None:
    """Per scenario and model: balanced accuracy, κ (quadratic κ on ordinal scales) and unparsed
    answers for classification; MAE, bias, limits of agreement, ICC and CCC for measurements."""
    ranked = [m for m in _ranked(scores) if m.clinical is not None]
    if not ranked:
        return None
    keys = sorted({k for m in ranked for k in (*m.clinical.classification, *m.clinical.measurements)},  # type: ignore[union-attr]
                  key=lambda k: (TASKS.index(k.split("/")[0]), k))
    table = Table(title="Clinical statistics (docs/scoring.md)")
    table.add_column("scenario", style="bold")
    for m in ranked:
        table.add_column(Text(strip_controls(m.model)), overflow="fold")
    for key in keys:
        cells = []
        for m in ranked:
            assert m.clinical is not None
            c, v = m.clinical.classification.get(key), m.clinical.measurements.get(key)
            if c is not None:
                unparsed = sum(row[-1] for row in c.counts)
                text = f"bal.acc {_num(c.balanced_accuracy)} κ {_num(c.kappa)}"
                if c.quadratic_kappa is not None:
                    text += f" qκ {_num(c.quadratic_kappa)}"
                cells.append(text + f" unparsed {unparsed}")
            elif v is not None:
                text = (f"MAE {_num(v.mae)} bias {_num(v.bias)} LoA [{_num(v.lower_limit.value)}, "
                        f"{_num(v.upper_limit.value)}] ICC {_num(v.icc.value)} CCC {_num(v.ccc)}")
                if v.within_tolerance is not None:
                    text += f" within ±{v.tolerance:g} {_pct(v.within_tolerance.value)}"
                cells.append(text)
            else:
                cells.append("-")
        table.add_row(key, *cells)
    return table


def print_clinical(scores: RunScores, console: Console | None = None) -> None:
    console = console or Console()
    table = clinical_table(scores)
    if table is None:
        return
    console.print(table)
    for m in _ranked(scores):
        if m.clinical is None:
            continue
        name = strip_controls(m.model)
        for task, h in m.clinical.heterogeneity.items():
            console.print(Text(f"{name} {task}: Cochran's Q {_num(h.q)} on {h.df:g} df, p {_num(h.pvalue, 3)}, "
                               f"I² {_pct(h.i_squared)} across {h.k} data sets"))
        for w in m.clinical.worst_groups:
            console.print(Text(f"{name} {w.task}: worst {w.by} {w.group} ({w.metric} {format_estimate(w.value, 3)}, n {w.n})"))
