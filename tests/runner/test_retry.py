from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import format_datetime

import pytest

from u2fast.runner.retry import (
    RETRYABLE,
    STOPS_MODEL,
    backoff_delay,
    classify_exception,
    classify_status,
    parse_retry_after,
    retry_delay,
)
from u2fast.types import ApiError

NOW = 1_800_000_000.0


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25),
        (
            {"Retry-After": format_datetime(datetime.fromtimestamp(NOW + 30, tz=UTC), usegmt=True)},
            30.0,
        ),
        (
            {
                "x-ratelimit-reset-requests": "6m0s",
                "x-ratelimit-remaining-requests": "0",
                "x-ratelimit-reset-tokens": "20ms",
                "x-ratelimit-remaining-tokens": "900",
            },
            360.0,
        ),
        ({"x-ratelimit-reset-tokens": "1.5s"}, 1.5),
        (
            {
                "anthropic-ratelimit-requests-reset": datetime.fromtimestamp(
                    NOW + 12, tz=UTC
                ).isoformat(),
                "anthropic-ratelimit-requests-remaining": "0",
            },
            12.0,
        ),
        ({"content-type": "application/json"}, None),
        ({"Retry-After": "soon"}, None),
    ],
)
def test_provider_waits_are_read_from_every_header_style(
    headers: dict[str, str], expected: float | None
) -> None:
    got = parse_retry_after(headers, NOW)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected, abs=0.01)


def test_a_date_in_the_past_means_no_wait() -> None:
    past = format_datetime(datetime.fromtimestamp(NOW - 100, tz=UTC), usegmt=True)
    assert parse_retry_after({"Retry-After": past}, NOW) == 0.0


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (200, b"", None),
        (429, b'{"error":{"code":"rate_limit_exceeded"}}', "rate_limited"),
        (429, b'{"error":{"code":"insufficient_quota"}}', "quota_exhausted"),
        (401, b"", "auth"),
        (403, b"", "auth"),
        (400, b"", "bad_request"),
        (404, b"", "bad_request"),
        (500, b"", "server"),
        (502, b"", "server"),
        (503, b"", "overloaded"),
        (529, b"", "overloaded"),
        (504, b"", "timeout"),
        (408, b"", "timeout"),
    ],
)
def test_status_classes(status: int, body: bytes, kind: str | None) -> None:
    assert classify_status(status, body) == kind


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
