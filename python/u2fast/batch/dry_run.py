"""``u2fast eval --dry-run --batch``: the shards a run would send and their cost at both prices."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..runfolder.layout import JOURNAL
from ..runner.images import ImageEncoder
from ..runner.journal import read_journal
from ..runner.model_run import ModelRun
from .shards import plan_shards, worst_case_cost
from .wire import batch_wire_of

__all__ = ["estimate_batches"]


def estimate_batches(models: list[ModelRun], run_dir: Path, *, max_side: int | None = None) -> list[dict[str, Any]]:
    """Per model: requests still to answer, shards, bytes, and the worst case (input at the adapter's
    estimate, output at max_tokens) at sync and at batch prices; nothing is written or sent."""
    done = read_journal(run_dir / JOURNAL)
    rows = []
    for model in models:
        wire = batch_wire_of(model.adapter)
        if wire is None:
            continue
        pending = [r for r in model.requests if not (r.key in done and done[r.key].ok)]
        encoder = ImageEncoder(max_side=max_side)
        for request in pending:
            encoder.plan(request.images)
        shards = list(plan_shards(model.name, wire, pending, encoder, None, price=None,
                                  needs_images=model.needs_images))
        tokens = sum(s.input_tokens for s in shards)
        output = sum(s.max_output_tokens for s in shards)
        price = model.price
        rows.append({
            "model": model.name, "requests": len(pending), "shards": len(shards), "bytes": sum(s.bytes for s in shards),
            "input_tokens": tokens, "max_output_tokens": output,
            "max_cost_sync": worst_case_cost(tokens, output, price),
            "max_cost_batch": worst_case_cost(tokens, output, None if price is None else price.at_batch_rates()),
        })
    return rows
