"""The dry run: how many requests would be sent, how many tokens, what it would cost at most."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..types import Request
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


def estimate_run(
    models: list[ModelRun], run_dir: str | os.PathLike[str] | None = None, *, max_side: int | None = None
) -> list[ModelEstimate]:
    """Estimate every model's share without sending anything (images are read to size them)."""
    done = read_journal(Path(run_dir) / "journal.jsonl") if run_dir is not None else {}
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
        for request in pending:
            if callable(estimate_tokens):
                images = encoder.acquire(request.images) if model.needs_images else ()
                tokens += int(estimate_tokens(request, images))
            if model.needs_images:
                encoder.release(request.images)
            output += request.params.max_tokens
        cost = None
        if model.price is not None:
            cost = (tokens * model.price.input + output * model.price.output) / 1_000_000.0
        estimates.append(
            ModelEstimate(
                model=model.name,
                requests=len(pending),
                already_done=len(model.requests) - len(pending),
                input_tokens=tokens,
                max_output_tokens=output,
                max_cost=cost,
            )
        )
    return estimates
