"""``u2fast batch cancel RUN``: stop a run's batches at the providers.

A running batch is asked to cancel; the next ``eval --resume`` collects it as usual, so what it
answered before the cancel is kept and the rest become ``cancelled`` records (sent again by the
fallback). A shard not yet created is abandoned, so that no later run creates it.
"""

from __future__ import annotations

import asyncio
import random
import sys
from pathlib import Path

from ..runner.model_run import ModelRun, default_session
from .ledger import Ledger
from .transport import Transport
from .wire import batch_wire_of

__all__ = ["cancel_run"]


async def _cancel(run_dir: Path, models: list[ModelRun], ledger: Ledger) -> int:
    by_name = {m.name: m for m in models}
    failures = 0
    transports: dict[str, Transport] = {}
    try:
        for shard in ledger.open_shards():
            model = by_name.get(shard.model)
            wire = batch_wire_of(model.adapter) if model is not None else None
            if wire is None:
                sys.stderr.write(f"u2fast: {shard.model}: not in this run's models; shard {shard.shard} left as is\n")
                failures += 1
                continue
            transport = transports.setdefault(wire.name, Transport(default_session(wire.name, 4), random.Random()))
            if shard.batch_id is not None and shard.step in ("created", "polled"):
                sent = await transport.send(wire.cancel(shard.batch_id))
                if isinstance(sent, tuple) and 200 <= sent[0] < 300:
                    print(f"{shard.model}: batch {shard.batch_id} cancelling; resume the run to collect what it answered")
                else:
                    detail = sent.message if not isinstance(sent, tuple) else f"HTTP {sent[0]}: {sent[2][:200]!r}"
                    sys.stderr.write(f"u2fast: {shard.model}: cancel of batch {shard.batch_id} failed: {detail}\n")
                    failures += 1
            elif shard.step in ("planned", "uploaded"):
                if shard.file_id is not None:
                    request = wire.delete_file(shard.file_id)
                    if request is not None:
                        await transport.send(request)
                ledger.record("abandoned", shard.shard, message="cancelled before its batch was created")
                print(f"{shard.model}: shard {shard.shard} abandoned before its batch was created")
            elif shard.step == "create_sent":
                sys.stderr.write(f"u2fast: {shard.model}: shard {shard.shard} was being created when a run stopped; "
                                 "resume the run first (it finds or creates the batch), then cancel\n")
                failures += 1
    finally:
        for transport in transports.values():
            await transport.session.close()
        ledger.close()
    return failures


def cancel_run(run_dir: Path, models: list[ModelRun], ledger: Ledger) -> int:
    """Cancel every open shard of a run; exit code 0, or 1 when one could not be cancelled."""
    if not ledger.open_shards():
        print(f"{run_dir}: no batch is running")
        return 0
    return 1 if asyncio.run(_cancel(run_dir, models, ledger)) else 0
