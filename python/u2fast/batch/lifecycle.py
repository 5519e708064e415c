"""The batch lifecycle engine: plan -> upload -> create -> poll -> collect -> ingest -> clean up.

Every step is recorded in the ledger (fsynced) before the network step that depends on it; the
answers go into the run's ordinary journal, so scoring, reports and resume read them like sync
answers. A re-run picks up each open shard where its ledger ends:

- planned: uploaded (if the provider takes files) and created, if its worst-case cost at batch
  prices fits what is left of ``--max-cost``;
- uploaded: created from the recorded file, never uploaded again;
- create_sent without created (killed between the create and its answer): OpenAI and Gemini
  batches are looked up by the shard tag (metadata / display name) and adopted when found, created
  again only when the provider has none; Anthropic batches carry no tag, so the shard is created
  again and a warning says a duplicate batch may exist (docs/batch.md);
- created / polled: polled, never created again; collected: downloaded and ingested.

Ingestion joins results by custom id (the request key) into journal records (``answers``); a
request without a result gets a classified error record, so nothing is silently lost. Keys already
recorded since the shard was created are skipped, so an ingestion cut short by a kill is not
recorded twice.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TextIO

from ..adapters.base import Price
from ..credentials import Redactor
from ..runner.cost import Budget, ModelStats, cost_of
from ..runner.images import ImageEncoder
from ..runner.model_run import ModelRun, SessionFactory, default_session
from ..types import ApiError, ErrorKind, HttpRequest, Request
from .answers import Answers, missing_reply
from .ledger import Ledger, ShardState
from .shards import SHARD_DIR, plan_shards
from .transport import BatchStepError, Transport
from .wire import BatchStatus, BatchWire, batch_wire_of

__all__ = ["BatchOptions", "BatchOutcome", "Fallback", "run_batches"]

Fallback = Literal["sync", "rebatch", "none"]
#: Errors a second batch would not cure.
_FINAL: frozenset[ErrorKind] = frozenset({"bad_request", "content_filtered", "auth", "quota_exhausted"})
#: Fault injection for the crash tests: SIGKILL this process right after recording this step.
KILL_ENV = "U2FAST_BATCH_KILL_AFTER"


@dataclass
class BatchOptions:
    #: Seconds between polls; None: 30-60 s, jittered.
    poll: float | None = None
    #: False (``--no-wait``): submit, ingest what has already ended, and return.
    wait: bool = True
    fallback: Fallback = "sync"
    #: Batches per request at most with ``rebatch``.
    max_rounds: int = 2
    #: False: only drive the shards already in the ledger (``--batch`` switched off on resume).
    plan: bool = True
    quiet: bool = False


@dataclass
class BatchOutcome:
    #: Shards still running at the provider when this run returned.
    waiting: list[ShardState] = field(default_factory=list)
    #: Shards not created because their worst case did not fit the budget.
    over_budget: list[ShardState] = field(default_factory=list)
    stats: dict[str, ModelStats] = field(default_factory=dict)
    cost: float = 0.0
    #: Worst-case cost of the shards still running (reserved against ``--max-cost``).
    reserved: float = 0.0
    #: Request keys with an answer in the journal when the batches returned (nothing left to send).
    answered: set[str] = field(default_factory=set)

    def open_keys(self) -> set[str]:
        return {k for s in (*self.waiting, *self.over_budget) for k in s.keys}


def _kill_point(step: str) -> None:
    if os.environ.get(KILL_ENV) == step:
        os.kill(os.getpid(), signal.SIGKILL)


class _Runner:
    def __init__(self, models: list[ModelRun], run_dir: Path, options: BatchOptions, session_factory: SessionFactory,
                 max_cost: float | None, max_side: int | None, stream: TextIO, rng: random.Random) -> None:
        self.run_dir = run_dir
        self.options = options
        self.session_factory = session_factory
        self.budget = Budget(max_cost)
        self.max_side = max_side
        self.stream = stream
        self.rng = rng
        self.ledger = Ledger(run_dir)
        self.models = {m.name: m for m in models}
        self.wires: dict[str, BatchWire] = {}
        for m in models:
            wire = batch_wire_of(m.adapter)
            if wire is None:
                raise BatchStepError(f"{m.name}: its adapter has no batch API in u2fast; leave --batch off for it")
            self.wires[m.name] = wire
        #: one for every provider's transport: what any request carried is kept out of the journal
        self.redactor = Redactor()
        self.answers = Answers(run_dir, {r.key: r for m in models for r in m.requests}, self.redactor)
        self.outcome = BatchOutcome(stats={m.name: ModelStats(total=len(m.requests)) for m in models})
        self.transports: dict[str, Transport] = {}
        self.sending = asyncio.Semaphore(1)

    def say(self, text: str, *, always: bool = False) -> None:
        """Progress (quiet with --quiet/--json); ``always`` for warnings and recoveries."""
        if always or not self.options.quiet:
            self.stream.write(f"batch: {text}\n")
            self.stream.flush()

    def record(self, step: str, shard: ShardState, **fields: object) -> ShardState:
        state = self.ledger.record(step, shard.shard, **fields)  # type: ignore[arg-type]
        _kill_point(step)
        return state

    def transport(self, model: str) -> Transport:
        provider = self.wires[model].name
        if provider not in self.transports:
            self.transports[provider] = Transport(self.session_factory(provider, 8), self.rng, redactor=self.redactor)
        return self.transports[provider]

    def batch_price(self, model: str) -> Price | None:
        price = self.models[model].price
        return None if price is None else price.at_batch_rates()

    # ------------------------------------------------------------------ planning

    def plan(self) -> int:
        """Plan shards for every request that needs an answer and is in no open shard; how many."""
        planned = 0
        in_open = {k for s in self.ledger.open_shards() for k in s.keys}
        rounds: Counter[str] = Counter(k for s in self.ledger.shards.values() if not s.open for k in s.keys)
        limit = self.options.max_rounds if self.options.fallback == "rebatch" else 1
        for name, model in self.models.items():
            pending = []
            for request in model.requests:
                best = self.answers.answered(request.key)
                if (best is not None and best.ok) or request.key in in_open or rounds[request.key] >= limit:
                    continue
                if best is not None and best.error is not None and best.error.kind in _FINAL:
                    continue
                pending.append(request)
            # images shared by several requests are kept for reuse, in a cache well under one shard
            encoder = ImageEncoder(max_side=self.max_side, max_bytes=32 << 20)
            for request in pending:
                encoder.plan(request.images)
            wire = self.wires[name]
            by_round: dict[int, list[Request]] = {}
            for request in pending:
                by_round.setdefault(rounds[request.key] + 1, []).append(request)
            for round_, requests in sorted(by_round.items()):
                for shard in plan_shards(name, wire, requests, encoder, self.run_dir / SHARD_DIR,
                                         price=self.batch_price(name), needs_images=model.needs_images,
                                         salt=f"round {round_}"):
                    if shard.tag in self.ledger.shards:
                        continue  # planned, and already closed, by an earlier run
                    self.record("planned", _stub(shard.tag), model=name, provider=wire.name,
                                path=f"{SHARD_DIR}/{shard.path}", keys=shard.keys, bytes=shard.bytes,
                                max_cost=shard.max_cost, round=round_)
                    planned += 1
                    self.say(f"{name}: shard {shard.tag} planned: {len(shard.keys)} requests, {shard.bytes:,} bytes")
        return planned

    # ------------------------------------------------------------------ one shard, start to end

    async def drive(self, shard: ShardState) -> None:
        wire = self.wires[shard.model]
        if shard.step == "planned":
            if not self.budget.reserve(shard.max_cost or 0.0):
                self.outcome.over_budget.append(shard)
                self.say(f"{shard.model}: shard {shard.shard} not created: its worst case "
                         f"${shard.max_cost or 0:.2f} at batch prices does not fit --max-cost", always=True)
                return
        else:
            self.budget.reserve(shard.max_cost or 0.0)  # sent by an earlier run: it will be billed
        # one shard at a time is read, uploaded and created: memory stays bounded by one shard
        async with self.sending:
            if shard.step == "planned" and wire.uploads:
                file_id = await self.upload(wire, shard)
                shard = self.record("uploaded", shard, file_id=file_id)
            if shard.step in ("planned", "uploaded"):
                shard = await self.create(wire, shard)
            elif shard.step == "create_sent":
                shard = await self.reconcile(wire, shard)
        if shard.step in ("created", "polled"):
            shard = await self.wait(wire, shard)
            if shard.step != "collected":
                self.outcome.waiting.append(shard)
                self.outcome.reserved += shard.max_cost or 0.0
                return
        if shard.step == "collected":
            shard = await self.ingest(wire, shard)
        if shard.step == "ingested" and not shard.cleaned and shard.file_id:
            await self.clean_up(wire, shard)

    async def upload(self, wire: BatchWire, shard: ShardState) -> str:
        data = (self.run_dir / shard.path).read_bytes()
        request = wire.upload(data, shard.shard)
        what = f"{shard.model}: upload of shard {shard.shard}"
        def parse(status: int, headers: dict[str, str], body: bytes) -> str | HttpRequest | ApiError:
            return wire.parse_upload(status, headers, body, data)

        while True:
            step: str | HttpRequest = await self.transport(shard.model).call(what, request, parse)
            if isinstance(step, str):
                self.say(f"{shard.model}: shard {shard.shard} uploaded as {step}")
                return step
            request = step

    async def create(self, wire: BatchWire, shard: ShardState) -> ShardState:
        source: str | bytes = (shard.file_id or "") if wire.uploads else (self.run_dir / shard.path).read_bytes()
        shard = self.record("create_sent", shard)
        try:
            status = await self.transport(shard.model).call(
                f"{shard.model}: create of shard {shard.shard}", wire.create(source, shard.shard), wire.parse_batch)
        except BatchStepError as exc:
            if exc.error is None or exc.error.kind != "bad_request":
                raise
            # the provider refused the shard itself: every request gets the refusal as its record
            return self.record("collected", shard, outcome="failed", message=str(exc)[:500])
        _kill_point("create_answered")
        self.say(f"{shard.model}: shard {shard.shard} created as batch {status.batch_id}")
        return self.record("created", shard, batch_id=status.batch_id, expires_at=status.expires_at, state=status.state)

    async def reconcile(self, wire: BatchWire, shard: ShardState) -> ShardState:
        listing = wire.list_batches()
        if listing is None:
            self.say(f"warning: {shard.model}: shard {shard.shard}: a create was sent before the last run stopped "
                     f"but its batch id was not recorded, and {wire.name} batches carry no tag to find it by; "
                     "creating it again (a duplicate batch may exist: see docs/batch.md)", always=True)
            return await self.create(wire, shard)
        found = await self.transport(shard.model).call(f"{shard.model}: listing batches", listing, wire.parse_list)
        for status in found:
            if status.tag == shard.shard:
                self.say(f"{shard.model}: shard {shard.shard} found at the provider as batch {status.batch_id}",
                         always=True)
                return self.record("created", shard, batch_id=status.batch_id, expires_at=status.expires_at,
                                   state=status.state, message="reconciled")
        return await self.create(wire, shard)

    async def wait(self, wire: BatchWire, shard: ShardState) -> ShardState:
        assert shard.batch_id is not None
        while True:
            status: BatchStatus = await self.transport(shard.model).call(
                f"{shard.model}: status of batch {shard.batch_id}", wire.retrieve(shard.batch_id), wire.parse_batch)
            if status.state != shard.state or dict(status.counts) != shard.counts:
                shard = self.record("polled", shard, state=status.state, counts=dict(status.counts))
                self.say(self.describe(shard))
            if status.outcome is not None:
                return self.record("collected", shard, outcome=status.outcome, results=list(status.results),
                                   message=status.message)
            if not self.options.wait:
                return shard
            poll = self.options.poll
            await asyncio.sleep(self.rng.uniform(30.0, 60.0) if poll is None else self.rng.uniform(0.8, 1.2) * poll)

    def describe(self, shard: ShardState) -> str:
        counts = ", ".join(f"{k} {v}" for k, v in shard.counts.items())
        left = "" if shard.expires_at is None else f", {max(0.0, shard.expires_at - time.time()) / 3600:.1f} h to the deadline"
        return f"{shard.model}: batch {shard.batch_id} ({len(shard.keys)} requests): {shard.state}; {counts}{left}"

    async def ingest(self, wire: BatchWire, shard: ShardState) -> ShardState:
        keys = set(shard.keys)
        done = self.answers.recorded_since(keys, shard.created_at or shard.planned_at)
        seen: set[str] = set()
        stats = self.outcome.stats[shard.model]
        price = self.batch_price(shard.model)
        cost = 0.0
        ok = errors = unknown = 0
        for ref in shard.results:
            body = await self.transport(shard.model).call(
                f"{shard.model}: results {ref} of batch {shard.batch_id}", wire.fetch(ref),
                lambda s, h, b: b if 200 <= s < 300 else ApiError(kind="server" if s >= 500 else "bad_request",
                                                                   message=b[:300].decode("utf-8", "replace"), status=s))
            try:
                results = list(wire.parse_results(body))
            except ValueError as exc:
                raise BatchStepError(f"{shard.model}: results {ref} of batch {shard.batch_id}: {exc}") from None
            for custom_id, reply in results:
                if custom_id not in keys:
                    unknown += 1
                    continue
                if custom_id in seen or custom_id in done:
                    continue
                seen.add(custom_id)
                completion = self.answers.keep(custom_id, reply, stats)
                cost += cost_of(completion.usage, price)
                ok += completion.ok
                errors += not completion.ok
        missing = missing_reply(shard.outcome, shard.message)
        for key in shard.keys:
            if key not in seen and key not in done:
                self.answers.keep(key, missing, stats)
                errors += 1
        if unknown:
            self.say(f"warning: {shard.model}: batch {shard.batch_id} returned {unknown} result(s) for ids it was not "
                     "sent; they were left out", always=True)
        self.answers.writer.sync()
        stats.cost += cost
        self.budget.settle(shard.max_cost or 0.0, cost)
        self.outcome.cost += cost
        self.say(f"{shard.model}: batch {shard.batch_id} ingested: {ok} answers, {errors} errors, ${cost:.4f}")
        return self.record("ingested", shard, ok=ok, errors=errors, cost=round(cost, 6))

    async def clean_up(self, wire: BatchWire, shard: ShardState) -> None:
        assert shard.file_id is not None
        request = wire.delete_file(shard.file_id)
        if request is not None:
            sent = await self.transport(shard.model).send(request)
            if isinstance(sent, ApiError) or (sent[0] >= 300 and sent[0] != 404):
                self.say(f"warning: {shard.model}: could not delete uploaded file {shard.file_id}; it expires on its own",
                         always=True)
                return
        self.record("cleaned", shard)

    # ------------------------------------------------------------------ the whole run

    async def run(self) -> BatchOutcome:
        self.answers.writer.open()
        try:
            while True:
                if self.options.plan:
                    self.plan()
                # open shards, and ingested ones whose uploaded file is still to be deleted
                shards = [s for s in self.ledger.shards.values() if s.model in self.models
                          and (s.open or (s.step == "ingested" and s.file_id and not s.cleaned))]
                if not shards:
                    break
                active = any(s.open for s in shards)
                await asyncio.gather(*(self.drive(s) for s in shards))
                # with rebatch, what failed in this round goes into a new batch, up to max_rounds
                again = self.options.fallback == "rebatch" and self.options.wait and self.options.plan
                if not again or self.outcome.waiting or self.outcome.over_budget or not active:
                    break
        finally:
            try:
                for transport in self.transports.values():
                    await transport.session.close()
            finally:
                self.answers.writer.close()
                self.ledger.close()
        self.outcome.answered = {key for key, best in self.answers.best.items() if best.ok}
        return self.outcome


def _stub(tag: str) -> ShardState:
    return ShardState(shard=tag, model="", provider="", path="", keys=[], bytes=0, max_cost=None, round=1)


async def run_batches(models: list[ModelRun], run_dir: Path, options: BatchOptions, *,
                      session_factory: SessionFactory | None = None, max_cost: float | None = None,
                      max_side: int | None = None, stream: TextIO | None = None, seed: int | None = None) -> BatchOutcome:
    """Drive every model's requests through its provider's batch API (see the module docstring)."""
    runner = _Runner(models, Path(run_dir), options, session_factory or default_session, max_cost, max_side,
                     stream or sys.stderr, random.Random(seed))
    return await runner.run()
