"""u2fast.adapters.retry_after: the provider's wait, from every header style, with the caller's clock."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import pytest

from u2fast.adapters.retry_after import parse_duration, parse_retry_after

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


def test_the_clock_is_the_callers() -> None:
    """A date is measured from ``now`` as given, never from the wall clock."""
    when = format_datetime(datetime.fromtimestamp(NOW + 30, tz=UTC), usegmt=True)
    assert parse_retry_after({"Retry-After": when}, NOW - 70) == pytest.approx(100.0)
    assert parse_retry_after({"x-ratelimit-reset-requests": str(int(NOW + 45))}, NOW) == pytest.approx(45.0)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("7", 7.0), ("1.5", 1.5), ("20ms", 0.02), ("32s", 32.0), ("6m0s", 360.0), ("1h2m3.5s", 3723.5),
     (" 0.5s ", 0.5), ("", None), ("soon", None), ("5 minutes", None), ("s", None)],
)
def test_parse_duration_reads_go_and_protobuf_durations(text: str, seconds: float | None) -> None:
    assert parse_duration(text) == (None if seconds is None else pytest.approx(seconds))
