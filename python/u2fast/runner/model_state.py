"""One model's state in a run: its pending requests, stats, limiters, and whether it stopped.

The engine keeps one ModelState per model; a stop (quota, auth, budget, early stop) cuts the
model's retry and rate-limit waits short through ``wait_unless_stopped``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import aiohttp
import yarl

from ..adapters.base import EncodedImage, HttpAdapter
from ..credentials import Redactor
from ..types import Request
from .cost import ExpectedOutput, ModelStats
from .early_stop import OpeningWatch
from .limits import Clock, ModelLimiter, ProviderLimiter
from .model_run import ModelRun

__all__ = ["ModelState", "wait_unless_stopped"]


class ModelState:
    def __init__(self, run: ModelRun, pending: list[Request], stats: ModelStats, clock: Clock) -> None:
        self.run = run
        self.pending: Iterator[Request] = iter(pending)
        self.stats = stats
        self.clock = clock
        #: The endpoint's shared limiter (set once every model is known) and this model's own
        #: buckets, only where its rpm/tpm is tighter than the endpoint's.
        self.provider: ProviderLimiter | None = None
        self.own_rates: ModelLimiter | None = None
        self.stopped: str | None = None
        self.opening = OpeningWatch()
        self.redactor = Redactor()
        self.sleepers: set[asyncio.Task[Any]] = set()
        self.sleep_unless_stopped: Callable[[float], Awaitable[None]] = self._sleep_unless_stopped
        self.is_http = isinstance(run.adapter, HttpAdapter)
        self.urls: dict[str, yarl.URL | str] = {}
        #: Token estimates are only needed for a token rate or a price (budget, dry run).
        self.needs_estimate = run.limits.tpm is not None or run.price is not None
        self.counts_tokens = run.limits.tpm is not None
        self.output = ExpectedOutput()
        #: Input tokens the provider counted and what we estimated for the same answers: the
        #: budget's estimate is scaled up when the provider counts more than the adapter guessed.
        self.counted_input = 0
        self.estimated_input = 0
        self.timeout = aiohttp.ClientTimeout(
            total=run.limits.total_timeout,
            connect=run.limits.connect_timeout,
            sock_connect=run.limits.connect_timeout,
            sock_read=run.limits.first_byte_timeout,
        )

    async def _sleep_unless_stopped(self, seconds: float) -> None:
        await wait_unless_stopped(self, seconds)

    def estimate(self, request: Request, images: tuple[EncodedImage, ...]) -> tuple[int, float]:
        """Input tokens and expected cost of ``request`` (zeros when no token rate or budget needs them);
        the expected input grows when the provider has counted more tokens than the adapter guessed."""
        if not self.needs_estimate:
            return 0, 0.0
        adapter = self.run.adapter
        estimate_tokens = getattr(adapter, "estimate_tokens", None)
        tokens = int(estimate_tokens(request, images)) if callable(estimate_tokens) else 0
        price = self.run.price
        cost = 0.0
        if price is not None:
            expected_out = self.output.expected(request.task, request.params.max_tokens)
            expected_in = float(tokens)
            if self.estimated_input > 0 and self.counted_input > self.estimated_input:
                expected_in *= self.counted_input / self.estimated_input
            cost = (expected_in * price.input + expected_out * price.output) / 1_000_000.0
        return tokens, cost


async def wait_unless_stopped(state: ModelState, seconds: float) -> bool:
    """Sleep (a retry or a rate-limit wait); False when the model was stopped meanwhile, which cuts it short."""
    task = asyncio.current_task()
    assert task is not None
    state.sleepers.add(task)
    try:
        await state.clock.sleep(seconds)
    except asyncio.CancelledError:
        if state.stopped is None:
            raise  # a real cancellation (Ctrl-C), not a stop
        task.uncancel()
    finally:
        state.sleepers.discard(task)
    return state.stopped is None
