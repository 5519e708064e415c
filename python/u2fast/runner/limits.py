"""Limits: how many requests in flight, how many per minute, how many tokens per minute.

They hold per provider endpoint (adapter, base URL, key): every model sent through one endpoint
shares one in-flight limit, one pair of rate buckets and one AIMD state, since that is what the
provider meters. A model may also have tighter limits of its own; both then apply.

Rates are enforced by reservation (GCRA): each request is given the earliest instant at which the
bucket allows it and sleeps exactly until then, so thousands of waiting requests never wake up
together to fight over a token. A 429 lowers the allowed request rate multiplicatively (at most
once per cool-down, so one burst of 429s counts once) and the rate then climbs back additively
(AIMD), so that retries do not feed the storm that caused them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from ..errors import ConfigError

__all__ = [
    "AdaptiveRate",
    "Clock",
    "LimitError",
    "Limits",
    "ModelLimiter",
    "ProviderLimiter",
    "RateReservation",
    "SystemClock",
    "shared_limits",
]


class LimitError(ConfigError, ValueError):
    """A limit out of range: a configuration error for the CLI (exit 2), a ValueError for code."""


@dataclass
class Limits:
    """Limits of one model or one provider endpoint. ``rpm``/``tpm`` of None mean no client-side rate limit."""

    concurrency: int = 16
    rpm: float | None = None
    tpm: float | None = None
    max_attempts: int = 6
    connect_timeout: float = 10.0
    #: Longest silence while waiting for the response (aiohttp ``sock_read``).
    first_byte_timeout: float = 120.0
    total_timeout: float = 300.0
    #: Largest response body read; a longer one is a ``malformed_response`` (no completion comes
    #: near it, a hostile or broken server could send gigabytes).
    max_response_bytes: int = 16 << 20
    #: Longest time one request may take over all its attempts and the waits between them;
    #: per-attempt timeouts stay as they are (a reasoning model may think for minutes).
    request_deadline: float = 900.0
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
        if self.max_response_bytes < 1024:
            raise LimitError(f"max_response_bytes (--max-response-mb) must be at least 1 KiB, got {self.max_response_bytes}")
        for name in ("connect_timeout", "first_byte_timeout", "total_timeout", "request_deadline"):
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
    """The AIMD part: the request rate a provider endpoint currently allows, after 429s.

    A 429 cuts the allowed rate to ``decrease`` times what was being sent (or to the share that got
    through, when that is less), but only when 429s are a large share (``cut_share``) of what was
    sent lately, and at most once per cool-down (the
    provider's Retry-After, 1 to 10 s), so one burst of 429s counts once and the odd 429 a busy
    provider sends at any rate costs nothing. The rate then climbs back by ``recover_per_s`` of the
    level it was cut from, per second; once past that level it grows by ``recover_per_s`` of itself
    per second, and the cap is lifted once it reaches the ceiling (the configured rate, or the
    fastest rate that drew a 429). Recovering relative to the last cut,
    not to the ceiling, matters without ``--rpm``: the ceiling is then the opening burst, often
    many times the real limit, and climbing by a tenth of it each second overshoots at once.
    """

    def __init__(
        self,
        configured: float | None,
        *,
        decrease: float = 0.7,
        floor: float = 0.2,
        recover_per_s: float = 0.1,
        cut_share: float = 0.2,
    ) -> None:
        self.configured = configured  # requests per second, None when unlimited
        self.decrease = decrease
        self.floor = floor
        self.recover_per_s = recover_per_s
        self.cut_share = cut_share
        self.ceiling = configured if configured is not None else 0.0
        self.cap: float | None = None  # None: no AIMD cap in force
        self._cap_at = 0.0
        self._cut_from = 0.0  # the rate the last cut started from: recovery steps are a share of it
        self._cooldown_until = -math.inf
        self._sent_rate = 0.0  # exponentially weighted send rate
        self._sent_at = 0.0
        self._first_send: float | None = None
        self._recent_sent = 0.0  # exponentially weighted counts of requests sent and of 429s
        self._limited = 0.0
        self._limited_at = 0.0
        self.decreases = 0

    _TAU = 2.0  # seconds of memory of the observed send rate
    _SHARE_TAU = 0.5  # seconds of memory of the 429 share: short, so an overshoot is seen soon

    def note_send(self, now: float) -> None:
        if self._first_send is None:
            self._first_send = now
        dt = max(0.0, now - self._sent_at)
        self._sent_rate = self._sent_rate * math.exp(-dt / self._TAU) + 1.0 / self._TAU
        self._recent_sent = self._recent_sent * math.exp(-dt / self._SHARE_TAU) + 1.0
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

    def limited_share(self, now: float) -> float:
        """429s per request sent, over the last few seconds (above 1 when nothing was sent)."""
        sent = self._recent_sent * math.exp(-max(0.0, now - self._sent_at) / self._SHARE_TAU)
        limited = self._limited * math.exp(-max(0.0, now - self._limited_at) / self._SHARE_TAU)
        return limited / sent if sent > 0 else math.inf

    def current(self, now: float) -> float | None:
        if self.cap is None:
            return self.configured
        step = self.recover_per_s * self._cut_from  # per second, back up to the level cut from
        elapsed = max(0.0, now - self._cap_at)
        back_at = (self._cut_from - self.cap) / step if step > 0 else 0.0
        if elapsed <= back_at:
            cap = self.cap + step * elapsed
        else:
            # Past the level it was cut from without a new cut: the limit has moved (a storm
            # ended). Climb by recover_per_s of the rate itself per second, so a rate cut to the
            # floor by a long storm comes back in about a minute instead of crawling.
            cap = max(self._cut_from, self.floor) * math.exp(self.recover_per_s * (elapsed - back_at))
        if cap >= self.ceiling:
            self.cap = None  # fully recovered
            return self.configured
        return cap

    def on_rate_limited(self, now: float, retry_after: float | None) -> bool:
        """Count a 429 and lower the allowed rate if they are frequent; returns whether it was lowered."""
        self._limited = self._limited * math.exp(-max(0.0, now - self._limited_at) / self._SHARE_TAU) + 1.0
        self._limited_at = max(self._limited_at, now)
        share = self.limited_share(now)
        if now < self._cooldown_until or share < self.cut_share:
            return False
        current = self.current(now)
        observed = self.observed(now)
        candidates = [x for x in (current, observed) if x is not None and x > 0]
        base = min(candidates) if candidates else 1.0
        if self.configured is None:
            self.ceiling = max(self.ceiling, base)
        # Most requests refused: the limit is far below what was sent, so cut to about the share
        # that got through instead of taking one 0.7 step per cool-down down from the opening burst.
        self.cap = max(self.floor, min(self.decrease, 1.0 - min(share, 0.95)) * base)
        self._cut_from = base
        self._cap_at = now
        self._cooldown_until = now + max(1.0, min(retry_after or 0.0, 10.0))
        self.decreases += 1
        return True


class ModelLimiter:
    """Request-rate and token-rate buckets sharing one AIMD state (of an endpoint, or of one model)."""

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


def _tighter(a: float | None, b: float | None) -> float | None:
    if a is None:
        return b
    return a if b is None else min(a, b)


def shared_limits(own: list[Limits], given: list[Limits]) -> Limits:
    """The limits an endpoint's models share: the tightest of those given for the endpoint, or,
    where none is given, the loosest of the models' own (so a model's own limit never throttles
    the others)."""
    if given:
        first = given[0]
        return dataclasses.replace(
            first,
            concurrency=min(x.concurrency for x in given),
            rpm=functools.reduce(_tighter, (x.rpm for x in given)),
            tpm=functools.reduce(_tighter, (x.tpm for x in given)),
        )
    first = own[0]
    rpms = [x.rpm for x in own]
    tpms = [x.tpm for x in own]
    return dataclasses.replace(
        first,
        concurrency=max(x.concurrency for x in own),
        rpm=None if None in rpms else max(r for r in rpms if r is not None),
        tpm=None if None in tpms else max(t for t in tpms if t is not None),
    )


class ProviderLimiter:
    """What the models of one provider endpoint share: in-flight slots, rate buckets and AIMD.

    ``workers`` is how many requests the endpoint's models could have in flight at once; when
    that fits the concurrency no semaphore is needed (the common one-model case pays nothing).
    """

    def __init__(self, limits: Limits, clock: Clock, workers: int) -> None:
        self.limits = limits
        self.rates = ModelLimiter(limits, clock)
        self.slots = asyncio.Semaphore(limits.concurrency) if workers > limits.concurrency else None
