"""What a fake provider does besides answering: latency and injected faults."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:
    from .server import ReceivedRequest

__all__ = [
    "FAULTS",
    "FailFirst",
    "Fault",
    "FaultMix",
    "FaultPlan",
    "Latency",
    "OTHER_MODEL",
    "constant",
    "lognormal",
    "uniform",
]

#: The faults a fake provider can inject, each in the provider's own wire format:
#: ``rate_limited`` 429 with Retry-After; ``quota`` 429 saying the daily quota is spent;
#: ``server_error`` 500; ``unavailable`` 503; ``overloaded`` 529; ``hang`` no answer until the
#: client gives up; ``reset`` the connection is dropped; ``malformed`` 200 with broken JSON;
#: ``empty`` 200 with no choices/candidates/content; ``huge`` 200 with a 10 MB body (valid, padded);
#: ``auth`` 401; ``bad_request`` 400; ``content_filter`` the answer withheld by a safety filter;
#: ``echo_key`` 401 whose message repeats the key the client sent (providers do this);
#: ``oversize`` 200 with a valid answer padded to ``FakeProvider(oversize_bytes=...)`` (50 MB by
#: default), streamed in chunks without a Content-Length; ``error_in_200`` 200 whose body is an
#: OpenAI-compatible error object with code 503 (vLLM's shape, as some deployments send it);
#: ``other_model`` 200 with an answer whose ``model`` field names another model (``OTHER_MODEL``),
#: as a proxy that mixes up requests or silently reroutes them would send.
Fault = Literal[
    "rate_limited",
    "quota",
    "server_error",
    "unavailable",
    "overloaded",
    "hang",
    "reset",
    "malformed",
    "empty",
    "huge",
    "auth",
    "bad_request",
    "content_filter",
    "echo_key",
    "oversize",
    "error_in_200",
    "other_model",
]
FAULTS: tuple[str, ...] = get_args(Fault)

#: The model an ``other_model`` answer says it came from.
OTHER_MODEL = "some-other-model-7b"

#: Picks the fault for one request (None: answer normally). Any callable of this shape works.
FaultPlan = Callable[["ReceivedRequest", random.Random], "str | None"]

#: Seconds to wait before answering, drawn per request.
Latency = Callable[[random.Random], float]


def constant(seconds: float) -> Latency:
    return lambda rng: seconds


def uniform(low: float, high: float) -> Latency:
    return lambda rng: rng.uniform(low, high)


def lognormal(median: float, sigma: float = 0.5) -> Latency:
    """Heavy-tailed like real model latency: half the answers faster than ``median``."""
    mu = math.log(median)
    return lambda rng: rng.lognormvariate(mu, sigma)


def _check(name: str) -> str:
    if name not in FAULTS:
        raise ValueError(f"unknown fault {name!r}; known: {', '.join(FAULTS)}")
    return name


class FaultMix:
    """Each request independently gets fault ``f`` with probability ``rates[f]``."""

    def __init__(self, rates: Mapping[str, float]) -> None:
        total = 0.0
        self._cumulative: list[tuple[float, str]] = []
        for name, p in rates.items():
            _check(name)
            if p < 0:
                raise ValueError(f"fault rate of {name} is negative")
            total += p
            self._cumulative.append((total, name))
        if total > 1.0 + 1e-9:
            raise ValueError(f"fault rates add up to {total:.3f} > 1")

    def __call__(self, request: ReceivedRequest, rng: random.Random) -> str | None:
        x = rng.random()
        for edge, name in self._cumulative:
            if x < edge:
                return name
        return None


class FailFirst:
    """The first ``times`` sightings of each distinct request (same prompt and images) get ``fault``;
    later ones are answered. ``only`` restricts it to requests whose prompt contains that text."""

    def __init__(self, fault: str, times: int = 1, *, only: str | None = None) -> None:
        self.fault = _check(fault)
        self.times = times
        self.only = only

    def __call__(self, request: ReceivedRequest, rng: random.Random) -> str | None:
        if self.only is not None and self.only not in request.prompt:
            return None
        return self.fault if request.seen <= self.times else None
