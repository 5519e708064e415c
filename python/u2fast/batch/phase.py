"""The batch phase of an eval (``eval --batch``, or ``batch = true`` in the config): the chosen models'
requests go through the providers' batch APIs before the sync run, and batches a resumed run finds
still open are collected even when batch mode is now off (a batch is never sent twice). What the
batches did not answer is handed back for the sync run (``--batch-fallback``).
"""

from __future__ import annotations

import asyncio
import dataclasses
import sys
from typing import TYPE_CHECKING

from ..errors import ConfigError
from ..runner.event_loop import loop_factory
from .ledger import LEDGER_NAME, Ledger
from .lifecycle import BatchOptions, BatchOutcome, run_batches
from .wire import batch_wire_of

if TYPE_CHECKING:
    from ..preparation import EvalOptions, PreparedRun
    from ..runner import ModelRun
    from ..runner.config import EvalConfig

__all__ = ["batch_models", "batch_phase"]


def batch_models(model_runs: list[ModelRun], batch: bool | None, config: EvalConfig | None) -> list[ModelRun]:
    """The models that go through batch mode: --batch for all, or ``batch = true`` in the config."""
    if batch is False:
        return []
    chosen = [m for m in model_runs if batch or (config is not None and config.batch_for(m.name))]
    unsupported = [m.name for m in chosen if batch_wire_of(m.adapter) is None]
    if unsupported:
        raise ConfigError(f"--batch: {', '.join(unsupported)} cannot be sent in batches (its adapter has no "
                          "batch API); leave them out or set batch = true per provider in --config")
    return chosen


def batch_phase(prepared: PreparedRun, model_runs: list[ModelRun],
                options: EvalOptions) -> tuple[BatchOutcome | None, list[ModelRun]]:
    """Run the batch phase; the models (with the requests) the sync run should still send."""
    chosen = batch_models(model_runs, options.batch, options.config)
    open_models = {s.model for s in Ledger(prepared.run_dir).open_shards()}
    # --batch off on resume: batches already sent are still collected (never sent twice)
    chosen_names = {m.name for m in chosen}
    collect_only = [m for m in model_runs if m.name not in chosen_names and m.name in open_models]
    if not chosen and not collect_only:
        return None, model_runs
    batch_options = BatchOptions(poll=options.poll, wait=options.batch_wait, fallback=options.batch_fallback,
                                 quiet=options.quiet)
    outcome: BatchOutcome | None = None
    try:
        with asyncio.Runner(loop_factory=loop_factory()) as runner:
            if chosen:
                outcome = runner.run(run_batches(chosen, prepared.run_dir, batch_options, max_cost=options.max_cost,
                                                 max_side=options.max_side, seed=options.seed))
            if collect_only:
                collected = runner.run(run_batches(collect_only, prepared.run_dir,
                                                   dataclasses.replace(batch_options, plan=False, wait=False),
                                                   max_side=options.max_side, seed=options.seed))
                outcome = collected if outcome is None else _merge(outcome, collected)
    except KeyboardInterrupt:
        sys.stderr.write(f"\ninterrupted: submitted batches keep running at the providers and are recorded in "
                         f"{prepared.run_dir / LEDGER_NAME}.\nCollect them with: u2fast eval --resume "
                         f"{prepared.run_dir}\n")
        raise
    assert outcome is not None
    busy = outcome.open_keys()
    sync = [m for m in model_runs if m.name not in chosen_names or options.batch_fallback == "sync"]
    sync = [dataclasses.replace(m, requests=[r for r in m.requests if r.key not in busy]) for m in sync]
    # a batch model whose batches answered every request has nothing for the sync path: it is left out
    # of the sync run (no progress line saying "0 ok" about requests that were never sent there)
    sync = [m for m in sync if m.name not in chosen_names or any(r.key not in outcome.answered for r in m.requests)]
    return outcome, sync


def _merge(a: BatchOutcome, b: BatchOutcome) -> BatchOutcome:
    a.waiting += b.waiting
    a.over_budget += b.over_budget
    a.stats.update(b.stats)
    a.cost += b.cost
    a.reserved += b.reserved
    a.answered |= b.answered
    return a
