"""Cutting a model's pending requests into shards that fit its provider's batch limits.

Lines are written to ``batches/<tag>.jsonl`` in the run folder (or an export folder) as they are built, so a 7,241-case
run with images never holds more than one line (and the images of one request) in memory while
planning, and one shard while uploading it. The tag is a hash of the shard's bytes: planning the
same requests again (after a kill before the ledger recorded the shard) gives the same file and tag.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..adapters.base import Price
from ..runner.images import ImageEncoder
from ..types import Request
from .wire import BatchLimits, BatchWire, custom_id_for

__all__ = ["SHARD_DIR", "PlannedShard", "plan_shards", "worst_case_cost"]

SHARD_DIR = "batches"


@dataclass
class PlannedShard:
    tag: str
    #: Relative to the run folder; empty in a dry run (nothing written).
    path: str
    keys: list[str] = field(default_factory=list)
    bytes: int = 0
    #: Input at the adapter's estimate and output at max_tokens, at the given price (None: unpriced).
    max_cost: float | None = None
    input_tokens: int = 0
    max_output_tokens: int = 0


def worst_case_cost(tokens: int, max_tokens: int, price: Price | None) -> float | None:
    if price is None:
        return None
    return (tokens * price.input + max_tokens * price.output) / 1_000_000.0


class _Open:
    def __init__(self, run_dir: Path | None, slug: str, price: Price | None, salt: str) -> None:
        self.digest = hashlib.sha256(salt.encode())
        self.shard = PlannedShard(tag="", path="", max_cost=None if price is None else 0.0)
        self.price = price
        self.run_dir = run_dir
        self.part: Path | None = None
        self.file = None
        if run_dir is not None:
            run_dir.mkdir(parents=True, exist_ok=True)
            self.part = run_dir / f"{slug}.part"
            self.file = open(self.part, "wb")  # noqa: SIM115 - closed in finish()

    def add(self, key: str, line: bytes, tokens: int, max_tokens: int) -> None:
        data = line + b"\n"
        self.digest.update(data)
        if self.file is not None:
            self.file.write(data)
        self.shard.keys.append(key)
        self.shard.bytes += len(data)
        self.shard.input_tokens += tokens
        self.shard.max_output_tokens += max_tokens
        self.shard.max_cost = worst_case_cost(self.shard.input_tokens, self.shard.max_output_tokens, self.price)

    def finish(self) -> PlannedShard:
        self.shard.tag = f"u2f-{self.digest.hexdigest()[:24]}"
        if self.file is not None and self.part is not None and self.run_dir is not None:
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()
            final = self.run_dir / f"{self.shard.tag}.jsonl"
            os.replace(self.part, final)
            self.shard.path = final.name
        return self.shard


def plan_shards(
    model: str,
    wire: BatchWire,
    pending: Sequence[Request],
    encoder: ImageEncoder,
    folder: Path | None,
    *,
    price: Price | None,
    limits: BatchLimits | None = None,
    needs_images: bool = True,
    salt: str = "",
) -> Iterator[PlannedShard]:
    """Shards of ``pending`` (in order) under ``limits`` (the wire's by default), each yielded once
    its file ``<tag>.jsonl`` is complete and on disk in ``folder``. ``folder`` None: sizes and tags
    only (a dry run). ``salt`` enters the tag (a second round of the same requests gets new tags).

    ``encoder`` must have been told of ``pending``'s images (``plan``) so that an image shared by
    several requests is encoded once. A single request larger than the byte limit is a ValueError.
    """
    limits = limits or wire.limits
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", model)
    estimate = getattr(getattr(wire, "adapter", None), "estimate_tokens", None)
    current: _Open | None = None
    try:
        for request in pending:
            images = encoder.acquire(request.images) if needs_images else ()
            try:
                line = wire.line(custom_id_for(request.key), request, images)
                tokens = int(estimate(request, images)) if callable(estimate) else 0
            finally:
                if needs_images:
                    encoder.release(request.images)
            if len(line) + 1 > limits.max_bytes:
                raise ValueError(f"{model}: request of case {request.case_id} is {len(line)} bytes, over the batch "
                                 f"limit of {limits.max_bytes}")
            if current is not None and (len(current.shard.keys) >= limits.max_requests
                                        or current.shard.bytes + len(line) + 1 > limits.max_bytes):
                yield current.finish()
                current = None
            if current is None:
                current = _Open(folder, slug, price, salt)
            current.add(request.key, line, tokens, request.params.max_tokens)
        if current is not None and current.shard.keys:
            yield current.finish()
            current = None
    finally:
        if current is not None and current.file is not None:
            current.file.close()
