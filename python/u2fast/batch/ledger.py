"""The batch ledger: ``batches.jsonl`` in the run folder, one fsynced line per lifecycle step.

A shard goes planned (its tag, file and keys) -> uploaded (file id) -> create_sent -> created (batch
id, deadline) -> polled (state, counts; written when they change) -> collected (outcome, result
refs) -> ingested (its answers are in ``journal.jsonl``) -> cleaned (uploaded file deleted).
Each line is on disk before the network step that follows it, so a process killed at any point
resumes from the last step it recorded: a recorded upload is not repeated, a recorded batch id is
polled instead of created again, and ``create_sent`` without ``created`` is the one window that
is reconciled with the provider (``lifecycle``). ``abandoned`` closes a shard that will never run.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Literal

import msgspec

from ..errors import RunError
from ..jsonl import decode_lines

__all__ = ["LEDGER_NAME", "STEPS", "BatchEvent", "Ledger", "ShardState"]

LEDGER_NAME = "batches.jsonl"

Step = Literal["planned", "uploaded", "create_sent", "created", "polled", "collected", "ingested", "cleaned",
               "abandoned"]
STEPS: tuple[Step, ...] = ("planned", "uploaded", "create_sent", "created", "polled", "collected", "ingested",
                           "cleaned", "abandoned")


class BatchEvent(msgspec.Struct, omit_defaults=True):
    """One line of the ledger: a step of one shard and what it recorded (not frozen: ``ShardState``
    extends it with the same fields, updated step by step)."""

    step: Step
    shard: str
    at: float
    model: str = ""
    provider: str = ""
    path: str = ""
    keys: list[str] = []
    bytes: int = 0
    #: Worst-case cost of the shard at batch prices (USD), None when unpriced.
    max_cost: float | None = None
    round: int = 1
    file_id: str | None = None
    batch_id: str | None = None
    expires_at: float | None = None
    state: str | None = None
    outcome: str | None = None
    counts: dict[str, int] = {}
    results: list[str] = []
    ok: int = 0
    errors: int = 0
    cost: float = 0.0
    message: str = ""


class ShardState(BatchEvent, kw_only=True):
    """Everything the ledger says about one shard: its events folded into one, each field holding the
    latest value a step recorded (``step``: the step the shard has reached, ``at``: when the last
    step was recorded)."""

    step: Step = "planned"
    at: float = 0.0
    planned_at: float = 0.0
    created_at: float | None = None
    cleaned: bool = False

    @property
    def open(self) -> bool:
        """Still to be sent, waited for or ingested."""
        return self.step not in ("ingested", "cleaned", "abandoned")

    def apply(self, event: BatchEvent) -> None:
        self.at = event.at
        if event.step == "cleaned":
            self.cleaned = True
        elif event.step != "polled" or self.step in ("created", "polled"):
            self.step = event.step
        for name in ("file_id", "batch_id", "expires_at", "state", "outcome"):
            value = getattr(event, name)
            if value is not None:
                setattr(self, name, value)
        if event.step == "created":
            self.created_at = event.at
        if event.counts:
            self.counts = dict(event.counts)
        if event.results:
            self.results = list(event.results)
        if event.step == "ingested":
            self.ok, self.errors, self.cost = event.ok, event.errors, event.cost
        if event.message:
            self.message = event.message


_decoder = msgspec.json.Decoder(BatchEvent)
_encoder = msgspec.json.Encoder()


class Ledger:
    """Reads the ledger of a run folder and appends to it, fsyncing every line."""

    def __init__(self, run_dir: str | os.PathLike[str]) -> None:
        self.path = Path(run_dir) / LEDGER_NAME
        self.shards: dict[str, ShardState] = {}
        self._fd: int | None = None
        self._read()

    def _read(self) -> None:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise RunError(f"{self.path}: cannot read the batch ledger: {exc}") from exc
        for _number, event in decode_lines(data, _decoder, self.path, "a batch ledger record", RunError, torn_end=True):
            self._fold(event)

    def _fold(self, event: BatchEvent) -> None:
        if event.step == "planned":
            planned = msgspec.structs.asdict(event) | {"keys": list(event.keys), "planned_at": event.at}
            self.shards[event.shard] = ShardState(**planned)
            return
        shard = self.shards.get(event.shard)
        if shard is None:
            raise RunError(f"{self.path}: step {event.step} of shard {event.shard}, which was never planned")
        shard.apply(event)

    def record(self, step: Step, shard: str, **fields: object) -> ShardState:
        """Append one step and fsync it before returning (the next network step depends on it)."""
        event = BatchEvent(step=step, shard=shard, at=round(time.time(), 3), **fields)  # type: ignore[arg-type]
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                # a line torn by a kill (a step that did not happen): cut it off before appending
                os.ftruncate(fd, os.pread(fd, size, 0).rfind(b"\n") + 1)
            self._fd = fd
        data = _encoder.encode(event) + b"\n"
        os.write(self._fd, data)
        os.fsync(self._fd)
        self._fold(event)
        return self.shards[shard]

    def open_shards(self, model: str | None = None) -> list[ShardState]:
        return [s for s in self.shards.values() if s.open and (model is None or s.model == model)]

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
