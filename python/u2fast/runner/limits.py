"""Per-model limits: how many requests in flight, how many per minute, how many tokens per minute.

Rates are enforced by reservation (GCRA): each request is given the earliest instant at which the
bucket allows it and sleeps exactly until then, so thousands of waiting requests never wake up
together to fight over a token. A 429 lowers the allowed request rate multiplicatively (at most
once per cool-down, so one burst of 429s counts once) and the rate then climbs back additively
(AIMD), so that retries do not feed the storm that caused them.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from ..errors import ConfigError

__all__ = ["AdaptiveRate", "Clock", "LimitError", "Limits", "ModelLimiter", "RateReservation", "SystemClock"]


class LimitError(ConfigError, ValueError):
    """A limit out of range: a configuration error for the CLI (exit 2), a ValueError for code."""


@dataclass
class Limits:
    """Limits for one model. ``rpm``/``tpm`` of None mean no client-side rate limit."""

    concurrency: int = 16
    rpm: float | None = None
    tpm: float | None = None
    max_attempts: int = 6
    connect_timeout: float = 10.0
    #: Longest silence while waiting for the response (aiohttp ``sock_read``).
    first_byte_timeout: float = 120.0
    total_timeout: float = 300.0
    #: A provider asking for a longer wait than this is treated as out of quota for the run.
    max_retry_wait: float = 900.0
    #: Burst allowance of the rate buckets, in seconds of the rate.
    burst_s: float = 1.0

    def __post_init__(self) -> None:
        # Named as the command-line flags are (--max-attempts), which is where most come from.
        if self.concurrency < 1:
            raise LimitError(f"concurrency (--concurrency) must be at least 1, got {self.concurrency}")
        if self.max_attempts < 1:
            raise LimitError(f"max_attempts (--max-attempts) must be at least 1, got {self.max_attempts}")
        for name in ("rpm", "tpm"):
            value = getattr(self, name)
            if value is not None and not value > 0:
                raise LimitError(f"{name} (--{name}) must be positive, got {value}")
        for name in ("connect_timeout", "first_byte_timeout", "total_timeout"):
            if not getattr(self, name) > 0:
                raise LimitError(f"{name} must be positive, got {getattr(self, name)}")


class Clock(Protocol):
    """Time as the runner sees it; tests inject a fake one to skip real waiting."""

    def now(self) -> float:
        """Monotonic seconds."""
        ...

    def wall(self) -> float:
        """Seconds since the epoch (journal timestamps, HTTP-date Retry-After)."""
        ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        import asyncio

        if seconds > 0:
            await asyncio.sleep(seconds)


class RateReservation:
    """A GCRA bucket: ``reserve(cost, rate)`` returns the delay before the caller may go."""

    def __init__(self, burst_s: float) -> None:
        self.burst_s = burst_s
        self._tat = -math.inf  # theoretical arrival time of the next unit

    def reserve(self, now: float, cost: float, rate: float) -> float:
        interval = cost / rate
        tat = max(self._tat, now)
        # Allowed once the bucket's debt is within the burst allowance.
        start = max(now, tat + interval - max(self.burst_s, interval))
        self._tat = tat + interval
        return start - now


class AdaptiveRate:
    """The AIMD part: the request rate a model is currently allowed, after 429s.

    A 429 cuts the allowed rate to ``decrease`` times what was being sent, at most once per
    cool-down (the provider's Retry-After, 1 to 10 s), so one burst of 429s counts once. The rate
    then climbs back by ``recover_per_s`` of the ceiling per second (the configured rate, or the
    rate that first drew a 429) and the cap is lifted once it reaches the ceiling. Against a real
    limit this saw-tooths just under it; against 429s that come regardless of the rate it settles
    near a third of the ceiling instead of collapsing.
    """

    def __init__(
        self,
        configured: float | None,
        *,
        decrease: float = 0.7,
        floor: float = 0.2,
        recover_per_s: float = 0.1,
    ) -> None:
        self.configured = configured  # requests per second, None when unlimited
        self.decrease = decrease
        self.floor = floor
        self.recover_per_s = recover_per_s
        self.ceiling = configured if configured is not None else 0.0
        self.cap: float | None = None  # None: no AIMD cap in force
        self._cap_at = 0.0
        self._cooldown_until = -math.inf
        self._sent_rate = 0.0  # exponentially weighted send rate
        self._sent_at = 0.0
        self._first_send: float | None = None
        self.decreases = 0

    _TAU = 2.0  # seconds of memory of the observed send rate

    def note_send(self, now: float) -> None:
        if self._first_send is None:
            self._first_send = now
        dt = max(0.0, now - self._sent_at)
        self._sent_rate = self._sent_rate * math.exp(-dt / self._TAU) + 1.0 / self._TAU
        self._sent_at = now

    def observed(self, now: float) -> float:
        """Requests per second sent lately."""
        if self._first_send is None:
            return 0.0
        rate = self._sent_rate * math.exp(-max(0.0, now - self._sent_at) / self._TAU)
        # Early in a run the average has not warmed up; without this correction a 429 in the
        # first second would set the ceiling far below what was really being sent.
        warm = 1.0 - math.exp(-max(now - self._first_send, 0.05) / self._TAU)
        return rate / warm

    def current(self, now: float) -> float | None:
        if self.cap is None:
            return self.configured
        cap = self.cap + self.recover_per_s * self.ceiling * max(0.0, now - self._cap_at)
        if cap >= self.ceiling:
            self.cap = None  # fully recovered
            return self.configured
        return cap

    def on_rate_limited(self, now: float, retry_after: float | None) -> bool:
        """Lower the allowed rate; returns whether it was lowered (not within a cool-down)."""
        if now < self._cooldown_until:
            return False
        current = self.current(now)
        observed = self.observed(now)
        candidates = [x for x in (current, observed) if x is not None and x > 0]
        base = min(candidates) if candidates else 1.0
        if self.configured is None:
            self.ceiling = max(self.ceiling, base)
        self.cap = max(self.floor, self.decrease * base)
        self._cap_at = now
        self._cooldown_until = now + max(1.0, min(retry_after or 0.0, 10.0))
        self.decreases += 1
        return True


class ModelLimiter:
    """Request-rate and token-rate buckets of one model, sharing one AIMD state."""

    def __init__(self, limits: Limits, clock: Clock) -> None:
        self.clock = clock
        self.adaptive = AdaptiveRate(limits.rpm / 60.0 if limits.rpm else None)
        self._requests = RateReservation(limits.burst_s)
        self.tokens_per_s = limits.tpm / 60.0 if limits.tpm else None
        self._tokens = RateReservation(limits.burst_s)

    async def acquire(self, tokens: int, sleep: Callable[[float], Awaitable[None]] | None = None) -> None:
        now = self.clock.now()
        delay = 0.0
        rate = self.adaptive.current(now)
        if rate is not None:
            delay = self._requests.reserve(now, 1.0, rate)
        if self.tokens_per_s is not None and tokens > 0:
            # AIMD scales the token rate by the same factor as the request rate.
            scale = 1.0
            if rate is not None and self.adaptive.configured:
                scale = min(1.0, rate / self.adaptive.configured)
            delay = max(delay, self._tokens.reserve(now, float(tokens), self.tokens_per_s * scale))
        if delay > 0:
            await (sleep or self.clock.sleep)(delay)
        self.adaptive.note_send(self.clock.now())

    def on_rate_limited(self, retry_after: float | None) -> bool:
        return self.adaptive.on_rate_limited(self.clock.now(), retry_after)
