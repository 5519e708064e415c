"""Prices, spending and what a request is expected to cost.

``--max-cost`` holds back, for each request in flight, what it is *expected* to cost (its input as
the adapter estimates it, scaled up when the provider counts more, plus the output its model gave
on average for that task so far, or a prior before its first answer) and settles the actual cost
when the usage arrives. A request whose expected cost does not fit waits for the calls in flight to
settle; only when nothing is in flight and it still does not fit does the run stop. So spending
never exceeds the budget by more than the requests in flight cost above their expectation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..adapters.base import Price
from ..types import ApiError, ErrorKind, Usage

__all__ = ["PRIOR_OUTPUT_TOKENS", "Budget", "ExpectedOutput", "ModelStats", "Price", "cost_of", "price_for"]

#: Output tokens expected of an answer before the model has given one for that task: an option or
#: sector label takes a few tokens, a caption a sentence or two, a report a paragraph. Set above what
#: a direct answer takes (models often explain), and capped by the request's max_tokens.
PRIOR_OUTPUT_TOKENS: Mapping[str, int] = {"RG": 400, "CG": 150}
#: The same for the tasks not listed above (DD, VRA, LL, OD, KD, CVE: one label or number).
PRIOR_OUTPUT_DEFAULT = 64


class ExpectedOutput:
    """One model's output tokens per answer, by task: the running mean of its answers, the prior
    (:data:`PRIOR_OUTPUT_TOKENS`) until it has one."""

    def __init__(self) -> None:
        self._sums: dict[str, tuple[int, int]] = {}

    def expected(self, task: str, max_tokens: int) -> float:
        n, total = self._sums.get(task, (0, 0))
        if n:
            return min(float(max_tokens), total / n)
        return float(min(max_tokens, PRIOR_OUTPUT_TOKENS.get(task, PRIOR_OUTPUT_DEFAULT)))

    def learn(self, task: str, tokens: int) -> None:
        n, total = self._sums.get(task, (0, 0))
        self._sums[task] = (n + 1, total + tokens)


def cost_of(usage: Usage, price: Price | None) -> float:
    """USD for one call's usage (prices are per million tokens)."""
    if price is None:
        return 0.0
    return (usage.input_tokens * price.input + usage.output_tokens * price.output) / 1_000_000.0


def price_for(
    model: str, table: Mapping[str, Price], overrides: Mapping[str, Price] | None = None
) -> Price | None:
    """The price of ``adapter:model`` (or bare ``model``): user overrides first, then the adapter's table."""
    bare = model.split(":", 1)[1] if ":" in model else model
    for source in (overrides or {}, table):
        for name in (model, bare):
            if name in source:
                return source[name]
    return None


@dataclass
class ModelStats:
    """What happened to one model's requests in this run (progress and the outcome)."""

    total: int = 0  # requests this run was asked for
    already_done: int = 0  # ok in the journal before the run started
    done: int = 0  # finished in this run (ok or a final error)
    ok: int = 0
    failed: int = 0  # finished with a final error
    attempts: int = 0  # attempts made (each journalled)
    in_flight: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost: float = 0.0
    #: Input tokens the adapter estimated for the requests sent; estimated only where a token rate
    #: limit or ``--max-cost`` needs the estimate (None otherwise: not estimated, not zero).
    estimated_input_tokens: int | None = None
    errors: dict[ErrorKind, int] = field(default_factory=dict)  # attempts that failed, by class
    #: The first few distinct failures (class and provider message, credentials already scrubbed).
    first_errors: list[ApiError] = field(default_factory=list)
    started_at: float = 0.0
    finished_at: float = 0.0

    @property
    def remaining(self) -> int:
        return self.total - self.already_done - self.done

    def note_error(self, error: ApiError, keep: int = 3) -> None:
        if len(self.first_errors) < keep and not any(
            e.kind == error.kind and e.message == error.message for e in self.first_errors
        ):
            self.first_errors.append(error)


class Budget:
    """``--max-cost``: spending so far plus the expected cost of the calls in flight."""

    def __init__(self, max_cost: float | None) -> None:
        self.max_cost = max_cost
        self.spent = 0.0
        self.reserved = 0.0
        #: Reservations not yet settled (calls in flight, or waiting for a rate limit).
        self.pending = 0
        self._waiters: list[asyncio.Future[None]] = []

    def reserve(self, estimate: float) -> bool:
        """Hold ``estimate`` when it fits beside what is spent and held; False when it does not."""
        if self.max_cost is None:
            return True
        if self.spent + self.reserved + estimate > self.max_cost:
            return False
        self.reserved += estimate
        self.pending += 1
        return True

    def settle(self, estimate: float, actual: float) -> None:
        """Release a reservation and count what the call really cost."""
        if self.max_cost is not None:
            self.reserved -= estimate
            self.pending -= 1
        self.spent += actual
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def settled(self) -> None:
        """Wait until some reservation is settled."""
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        await waiter
