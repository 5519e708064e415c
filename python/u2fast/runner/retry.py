"""Which failures are retried, how long to wait, and how transport failures are classified.

Adapters classify provider answers (they know that OpenAI's ``insufficient_quota`` is a daily
quota, falling back to ``u2fast.adapters.status``); the runner classifies what never reached an
adapter (timeouts, resets) and fills in the wait a provider's headers asked for when the adapter
named none (``u2fast.adapters.retry_after``, with the runner's clock).
"""

from __future__ import annotations

import asyncio
import random

import aiohttp

from ..types import ApiError, ErrorKind

__all__ = [
    "RETRYABLE",
    "STOPS_MODEL",
    "backoff_delay",
    "classify_exception",
    "retry_delay",
]

#: Worth another attempt after a wait.
RETRYABLE: frozenset[ErrorKind] = frozenset(
    {"rate_limited", "server", "overloaded", "timeout", "connection", "malformed_response"}
)
#: Every further request to the same model would fail the same way: stop that model, keep the rest.
STOPS_MODEL: frozenset[ErrorKind] = frozenset({"quota_exhausted", "auth"})


def backoff_delay(attempt: int, rng: random.Random, *, base: float = 0.5, cap: float = 30.0) -> float:
    """Exponential backoff with full jitter: uniform in [0, min(cap, base * 2**(attempt-1)))."""
    return rng.uniform(0.0, min(cap, base * (2 ** max(0, attempt - 1))))


def retry_delay(
    error: ApiError, attempt: int, rng: random.Random, *, base: float = 0.5, cap: float = 30.0
) -> float:
    """How long to wait before the next attempt after ``error`` (attempt numbers start at 1).

    A provider's own wait is honoured in full, plus a little jitter so that the requests it
    turned away do not all come back in the same millisecond.
    """
    if error.retry_after is not None and error.retry_after > 0:
        return error.retry_after + rng.uniform(0.0, min(1.0, 0.1 * error.retry_after + 0.05))
    return backoff_delay(attempt, rng, base=base, cap=cap)


def classify_exception(exc: BaseException) -> ApiError:
    """A transport failure as an ApiError (the request may or may not have reached the provider)."""
    name = type(exc).__name__
    detail = str(exc) or name
    refused_locally = isinstance(exc, (ValueError, TypeError)) and not isinstance(
        exc, (aiohttp.ClientError, UnicodeError)
    )
    if refused_locally or isinstance(exc, aiohttp.InvalidURL):
        # Refused by the HTTP client before anything was sent (a malformed URL, credentials in
        # the URL beside an Authorization header): every retry would fail the same way.
        return ApiError(kind="bad_request", message=f"{name}: {detail}", exception=name)
    if isinstance(exc, (asyncio.TimeoutError, aiohttp.ServerTimeoutError, TimeoutError)):
        return ApiError(kind="timeout", message=f"{name}: {detail}", exception=name)
    if isinstance(exc, (aiohttp.ClientError, ConnectionError, OSError)):
        return ApiError(kind="connection", message=f"{name}: {detail}", exception=name)
    return ApiError(kind="server", message=f"{name}: {detail}", exception=name)
