"""Prices, spending and the dry-run estimate."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..adapters.base import Price
from ..types import ApiError, ErrorKind, Usage

__all__ = ["ModelStats", "Price", "cost_of", "price_for"]


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
    estimated_input_tokens: int = 0
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
    """``--max-cost``: spending so far plus what the calls in flight may cost (estimated high)."""

    def __init__(self, max_cost: float | None) -> None:
        self.max_cost = max_cost
        self.spent = 0.0
        self.reserved = 0.0
        self.exceeded = False

    def reserve(self, estimate: float) -> bool:
        if self.max_cost is None:
            return True
        if self.exceeded or self.spent + self.reserved + estimate > self.max_cost:
            self.exceeded = True
            return False
        self.reserved += estimate
        return True

    def settle(self, estimate: float, actual: float) -> None:
        if self.max_cost is not None:
            self.reserved -= estimate
        self.spent += actual
