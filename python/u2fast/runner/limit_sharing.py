"""Limit sharing: models of one provider endpoint share its in-flight slots, rate buckets and AIMD.

Models with the same ``ModelRun.endpoint_group`` form a group (a model without one is a group of
its own). The group gets one ProviderLimiter built from ``shared_limits`` (the group's own limits,
or the loosest of its models'); a model whose own rpm/tpm is tighter than the group's also gets a
static bucket of its own, which it passes before taking a shared slot.
"""

from __future__ import annotations

from collections.abc import Sequence

from .limits import Clock, Limits, ModelLimiter, ProviderLimiter, shared_limits
from .model_state import ModelState

__all__ = ["share_limits"]


def _tighter(mine: float | None, shared: float | None) -> bool:
    """Whether a model's own rate limit bounds it more than its endpoint's does."""
    return mine is not None and (shared is None or mine < shared)


def share_limits(states: Sequence[ModelState], clock: Clock, *, budgeted: bool = True) -> None:
    """Give every model its group's limiter, its own tighter buckets, and what it must estimate: the
    input tokens of each request where a token rate counts them, and its expected cost where a price
    feeds a budget (``budgeted``: ``--max-cost``); otherwise nothing is estimated per request."""
    groups: dict[str, list[ModelState]] = {}
    for state in states:
        key = state.run.endpoint_group
        groups.setdefault(f"model:{state.run.name}" if key is None else f"provider:{key}", []).append(state)
    for members in groups.values():
        own = [m.run.limits for m in members]
        limits = shared_limits(own, [m.run.provider_limits for m in members if m.run.provider_limits])
        workers = sum(min(m.run.limits.concurrency, m.stats.remaining) for m in members)
        provider = ProviderLimiter(limits, clock, workers)
        for state in members:
            state.provider = provider
            mine = state.run.limits
            rpm = mine.rpm if _tighter(mine.rpm, limits.rpm) else None
            tpm = mine.tpm if _tighter(mine.tpm, limits.tpm) else None
            if rpm is not None or tpm is not None:
                # a static bucket: AIMD acts on the endpoint's rate, which this one sits under
                state.own_rates = ModelLimiter(Limits(rpm=rpm, tpm=tpm, burst_s=mine.burst_s), clock)
            state.counts_tokens = limits.tpm is not None or tpm is not None
            state.needs_estimate = state.counts_tokens or (budgeted and state.run.price is not None)
