"""The leaderboard in the terminal (rich), degrading to plain text when output is not a terminal."""

from __future__ import annotations

import math

from rich.console import Console
from rich.table import Table

from ..scoring.run import Estimate, ModelScores, RunScores
from ..types import TASKS

__all__ = ["leaderboard_table", "print_leaderboard", "format_estimate"]

_HEADINGS = {"DD": "DD acc", "VRA": "VRA acc", "LL": "LL acc", "OD": "OD acc", "KD": "KD acc",
             "CVE": "CVE RMSE", "RG": "RG BLEU-4", "CG": "CG BLEU-4"}


def format_estimate(e: Estimate, digits: int = 4) -> str:
    if e.value is None or math.isnan(e.value):
        return "-"
    text = f"{e.value:.{digits}f}"
    if e.low is not None and e.high is not None and not (math.isnan(e.low) or math.isnan(e.high)):
        text += f"\n[{e.low:.{digits}f}, {e.high:.{digits}f}]"
    return text


def _pct(x: float) -> str:
    return "-" if math.isnan(x) else f"{100 * x:.1f}%"


def leaderboard_table(scores: RunScores, title: str | None = None) -> Table:
    ci = f" ({int(scores.confidence * 100)}% CI)" if scores.n_resamples else ""
    table = Table(title=title or f"U2-Bench leaderboard - {scores.mode} scoring{ci}", show_lines=True)
    table.add_column("model", style="bold")
    table.add_column("U2", justify="right", style="bold")
    for task in TASKS:
        table.add_column(_HEADINGS[task], justify="right")
    table.add_column("parsed", justify="right")
    table.add_column("errors", justify="right")
    ranked: list[ModelScores] = sorted(scores.models.values(), key=lambda m: -(m.u2.value or 0.0))
    for m in ranked:
        digits = {t: (2 if t in ("RG", "CG") else 4) for t in TASKS}
        table.add_row(
            m.model,
            format_estimate(m.u2),
            *(format_estimate(m.tasks[t].value, digits[t]) if t in m.tasks else "-" for t in TASKS),
            _pct(m.parse_rate),
            _pct(m.error_rate),
        )
    return table


def print_leaderboard(scores: RunScores, console: Console | None = None) -> None:
    (console or Console()).print(leaderboard_table(scores))
