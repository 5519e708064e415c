"""What a run achieved, per model: answered, failed, not sent; the exit code that says so, and the
lines that tell the user why (the first distinct provider errors, why a model stopped).

A request is *answered* (an answer was recorded), *failed* (sent, and its last attempt failed) or
*not sent* (no attempt recorded: a stop, a budget, an interrupted run). A model with requests not
sent is partial; one with no answer at all has nothing to score, and its scores are null.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .exit_codes import ExitCode
from .runfolder import JOURNAL, is_being_written
from .types import ApiError, RunManifest

if TYPE_CHECKING:  # the report reads run_status without loading the runner
    from .runner.model_run import RunOutcome
    from .scoring.scores import RunScores

__all__ = ["ModelOutcome", "model_outcomes", "exit_code_of", "describe_problems", "run_status", "STOP_WORDS"]

#: Why a model stopped before its requests were all finished, in words (keys: the runner's reasons).
STOP_WORDS = {
    "auth": "the provider rejected the key",
    "quota": "the provider's quota is spent, or it asked for a longer wait than max_retry_wait allows",
    "budget": "the --max-cost budget is spent",
    "connection": "its first attempts could not connect to the server",
    "bad_request": "its first attempts were all refused as bad requests",
}


@dataclass(frozen=True)
class ModelOutcome:
    model: str
    total: int  # requests planned for this model
    answered: int
    failed: int
    stopped: str | None
    first_errors: tuple[ApiError, ...]
    #: answers left out because their response named another model (that name -> answers)
    other_models: dict[str, int]

    @property
    def not_sent(self) -> int:
        return self.total - self.answered - self.failed

    @property
    def partial(self) -> bool:
        return self.not_sent > 0


def model_outcomes(scores: RunScores, outcome: RunOutcome) -> list[ModelOutcome]:
    """One ModelOutcome per model of a run, counted from its scores (every case, whether answered in
    this run, an earlier one or a batch) with why a model stopped and its first errors from the run."""
    out = []
    for name, m in scores.models.items():
        stats = outcome.stats.get(name)
        out.append(ModelOutcome(model=name, total=m.n, answered=m.answered, failed=m.n - m.answered - m.not_sent,
                                stopped=outcome.stopped.get(name),
                                first_errors=tuple(stats.first_errors) if stats else (),
                                other_models=dict(m.other_models) if "other_model" in m.errors_by_kind else {}))
    return out


def exit_code_of(outcomes: list[ModelOutcome]) -> ExitCode:
    """The most serious of: a rejected key (5), a model with no answer (8), requests not sent (7)."""
    if any(o.stopped == "auth" for o in outcomes):
        return ExitCode.PROVIDER
    if any(o.total > 0 and o.answered == 0 for o in outcomes):
        return ExitCode.NOTHING_ANSWERED
    if any(o.partial for o in outcomes):
        return ExitCode.PARTIAL
    return ExitCode.OK


def describe_problems(outcomes: list[ModelOutcome], run_dir: str) -> list[str]:
    """Lines for the screen: per model with a problem, its counts, why it stopped and its first errors."""
    lines: list[str] = []
    for o in outcomes:
        if not (o.failed or o.partial or o.first_errors or o.other_models):
            continue
        counts = f"{o.answered} of {o.total} answered"
        if o.failed:
            counts += f", {o.failed} failed"
        if o.not_sent:
            counts += f", {o.not_sent} not sent"
        if o.stopped:
            why = STOP_WORDS.get(o.stopped, o.stopped)
            lines.append(f"u2fast: {o.model} stopped early: {o.stopped}: {why}; "
                         f"resume with: u2fast eval --resume {run_dir}")
        lines.append(f"  {o.model}: {counts}")
        if o.other_models:
            names = ", ".join(f"{name!r} ({n})" for name, n in list(o.other_models.items())[:3])
            more = f" and {len(o.other_models) - 3} more" if len(o.other_models) > 3 else ""
            lines.append(f"  other_model: {sum(o.other_models.values())} answers named another model: {names}{more}; "
                         "left out (--accept-other-models scores them)")
        for error in o.first_errors:
            status = f" {error.status}" if error.status is not None else ""
            lines.append(f"  {error.kind}{status}: {error.message[:300]}")
    return lines


def run_status(run_dir: Path, manifest: RunManifest) -> str:
    """The manifest's status, except that a run recorded as ``running`` whose journal no live
    process holds was killed: it reads ``interrupted`` (its answered and not-sent counts are in its
    scores), not ``running`` forever."""
    if manifest.status != "running" or is_being_written(run_dir / JOURNAL):
        return manifest.status
    return "interrupted"
