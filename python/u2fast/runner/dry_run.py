"""The dry run: how many requests would be sent, how many tokens, what it would cost at most."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..runfolder.layout import JOURNAL
from ..types import Request
from .cost import ExpectedOutput
from .engine import ModelRun
from .images import ImageEncoder
from .journal import read_journal

__all__ = ["ModelEstimate", "estimate_run"]


@dataclass(frozen=True)
class ModelEstimate:
    model: str
    requests: int  # what would be sent (keys without an ok record in the journal)
    already_done: int
    input_tokens: int  # the adapter's estimate, images included
    max_output_tokens: int  # the sum of max_tokens: an upper bound
    #: Input at the estimate plus output at max_tokens: what the run costs at most (None: no price).
    max_cost: float | None
    #: Output as ``--max-cost`` expects it (this model's answers so far in the run folder, per task,
    #: else the prior of ``runner.cost.PRIOR_OUTPUT_TOKENS``), and the cost with it (None: no price).
    expected_output_tokens: int = 0
    expected_cost: float | None = None


def estimate_run(
    models: list[ModelRun], run_dir: str | os.PathLike[str] | None = None, *, max_side: int | None = None
) -> list[ModelEstimate]:
    """Estimate every model's share without sending anything (images are read to size them)."""
    done = read_journal(Path(run_dir) / JOURNAL) if run_dir is not None else {}
    encoder = ImageEncoder(max_side=max_side)
    todo: list[tuple[ModelRun, list[Request]]] = []
    for model in models:
        pending = [r for r in model.requests if not (r.key in done and done[r.key].ok)]
        todo.append((model, pending))
        for request in pending:
            encoder.plan(request.images)
    estimates = []
    for model, pending in todo:
        estimate_tokens = getattr(model.adapter, "estimate_tokens", None)
        tokens = 0
        output = 0
        learned = ExpectedOutput()
        for request in model.requests:
            record = done.get(request.key)
            if record is not None and record.ok and record.usage.output_tokens > 0:
                learned.learn(request.task, record.usage.output_tokens)
        expected = 0.0
        for request in pending:
            if callable(estimate_tokens):
                images = encoder.acquire(request.images) if model.needs_images else ()
                tokens += int(estimate_tokens(request, images))
            if model.needs_images:
                encoder.release(request.images)
            output += request.params.max_tokens
            expected += learned.expected(request.task, request.params.max_tokens)
        cost = expected_cost = None
        if model.price is not None:
            cost = (tokens * model.price.input + output * model.price.output) / 1_000_000.0
            expected_cost = (tokens * model.price.input + expected * model.price.output) / 1_000_000.0
        estimates.append(
            ModelEstimate(
                model=model.name,
                requests=len(pending),
                already_done=len(model.requests) - len(pending),
                input_tokens=tokens,
                max_output_tokens=output,
                max_cost=cost,
                expected_output_tokens=round(expected),
                expected_cost=expected_cost,
            )
        )
    return estimates
