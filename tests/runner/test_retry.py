from __future__ import annotations

import random

from u2fast.runner.retry import (
    RETRYABLE,
    STOPS_MODEL,
    backoff_delay,
    classify_exception,
    retry_delay,
)
from u2fast.types import ApiError


def test_transport_failures_are_classified() -> None:

    import aiohttp

    assert classify_exception(TimeoutError()).kind == "timeout"
    assert classify_exception(aiohttp.ServerDisconnectedError()).kind == "connection"
    assert classify_exception(ConnectionResetError("reset by peer")).kind == "connection"


def test_full_jitter_stays_within_the_exponential_envelope() -> None:
    rng = random.Random(0)
    for attempt in range(1, 10):
        delays = [backoff_delay(attempt, rng, base=0.5, cap=30.0) for _ in range(200)]
        assert all(0.0 <= d <= min(30.0, 0.5 * 2 ** (attempt - 1)) for d in delays)
        assert max(delays) > 0.5 * min(30.0, 0.5 * 2 ** (attempt - 1))  # jitter covers the range


def test_provider_wait_is_honoured_in_full() -> None:
    rng = random.Random(0)
    error = ApiError(kind="rate_limited", message="slow down", retry_after=4.0)
    assert all(4.0 <= retry_delay(error, 1, rng) <= 5.0 for _ in range(100))


def test_error_policy_sets() -> None:
    assert "quota_exhausted" in STOPS_MODEL and "auth" in STOPS_MODEL
    assert not ({"bad_request", "content_filtered"} & RETRYABLE)
    assert {
        "rate_limited",
        "timeout",
        "connection",
        "server",
        "overloaded",
        "malformed_response",
    } <= RETRYABLE
