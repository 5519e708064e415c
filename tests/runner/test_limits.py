"""Rate buckets and AIMD, in virtual time (no sleeping)."""

from __future__ import annotations

import pytest

from u2fast.runner import Limits
from u2fast.runner.limits import AdaptiveRate, RateReservation


def test_gcra_lets_a_burst_through_then_spaces_requests_at_the_rate() -> None:
    bucket = RateReservation(burst_s=1.0)
    delays = [bucket.reserve(0.0, 1.0, 10.0) for _ in range(30)]
    assert delays[:10] == [0.0] * 10  # one second's worth at once
    assert delays[10:] == pytest.approx([0.1 * i for i in range(1, 21)])


def test_a_request_bigger_than_the_burst_still_goes_when_the_bucket_is_full() -> None:
    bucket = RateReservation(burst_s=1.0)
    assert bucket.reserve(0.0, 5000.0, 100.0) == 0.0
    assert bucket.reserve(0.0, 100.0, 100.0) == pytest.approx(50.0)


def simulate(
    limit_rps: float, seconds: float, configured: float | None, overshoot: float = 4.0
) -> tuple[int, int, AdaptiveRate]:
    """A client sending as fast as AIMD allows into a provider that allows ``limit_rps``."""
    aimd = AdaptiveRate(configured)
    sender = RateReservation(burst_s=1.0)
    provider = RateReservation(burst_s=1.0)
    t, ok, limited = 0.0, 0, 0
    desire = overshoot * limit_rps  # what the client would send unthrottled
    while t < seconds:
        rate = aimd.current(t)
        t += max(sender.reserve(t, 1.0, min(rate or desire, desire)), 1.0 / desire)
        aimd.note_send(t)
        if provider.reserve(t, 1.0, limit_rps) > 0:  # over the provider's limit: 429
            provider._tat -= 1.0 / limit_rps  # a refused request uses no capacity
            limited += 1
            aimd.on_rate_limited(t, 1.0)
        else:
            ok += 1
    return ok, limited, aimd


def test_aimd_under_a_429_storm_cuts_the_rate_and_keeps_most_of_the_capacity() -> None:
    ok, limited, aimd = simulate(limit_rps=50.0, seconds=120.0, configured=None)
    assert aimd.decreases >= 5
    assert ok >= 0.6 * 50.0 * 120.0  # most of the provider's capacity is used
    # Without AIMD the client would send 4x the limit: 3 of every 4 requests refused.
    assert limited <= 0.15 * (ok + limited)


def test_aimd_with_a_configured_rate_above_the_limit() -> None:
    ok, limited, aimd = simulate(limit_rps=20.0, seconds=120.0, configured=60.0)
    assert aimd.decreases >= 3
    assert limited <= 0.15 * (ok + limited) and ok >= 0.6 * 20 * 120


def test_one_burst_of_429s_counts_once_and_the_rate_recovers() -> None:
    aimd = AdaptiveRate(100.0)
    assert aimd.on_rate_limited(10.0, 2.0)
    assert not any(aimd.on_rate_limited(10.0 + i * 0.01, 2.0) for i in range(50))
    lowered = aimd.current(10.0)
    assert lowered is not None and lowered <= 70.0
    assert aimd.current(12.0) > lowered  # climbing back
    assert aimd.current(40.0) == 100.0 and aimd.cap is None


def test_limits_reject_nonsense() -> None:
    for bad in ({"concurrency": 0}, {"max_attempts": 0}, {"rpm": 0}, {"tpm": -1.0}, {"total_timeout": 0}):
        with pytest.raises(ValueError):
            Limits(**bad)  # type: ignore[arg-type]


def test_observed_rate_is_right_from_the_first_second() -> None:
    aimd = AdaptiveRate(None)
    for i in range(50):  # 100 requests per second for half a second
        aimd.note_send(10.0 + i * 0.01)
    assert aimd.observed(10.5) == pytest.approx(100.0, rel=0.15)
    # a third of the last half second's requests came back 429: enough to cut
    assert any(aimd.on_rate_limited(10.5, 1.0) for _ in range(17))
    assert aimd.ceiling == pytest.approx(100.0, rel=0.15)


def test_an_occasional_429_does_not_cut_the_rate() -> None:
    aimd = AdaptiveRate(100.0)
    for i in range(200):  # 100 requests per second for two seconds, one in twenty refused
        aimd.note_send(10.0 + i * 0.01)
        if i % 20 == 19:
            assert not aimd.on_rate_limited(10.0 + i * 0.01, 1.0)
    assert aimd.current(12.0) == 100.0 and aimd.decreases == 0


def test_without_a_configured_rate_recovery_is_paced_by_the_cut_level_not_the_opening_burst() -> None:
    aimd = AdaptiveRate(None)
    for i in range(100):  # an opening burst of 1000 requests per second
        aimd.note_send(i * 0.001)
    assert any(aimd.on_rate_limited(0.1, None) for _ in range(50))
    first = aimd.current(0.1)
    assert first is not None and aimd.ceiling > 500
    for i in range(400):  # then 10 per second, half refused: the rate is cut again
        t = 2.0 + i * 0.1
        aimd.note_send(t)
        if i % 2 and aimd.current(t) is not None:
            aimd.on_rate_limited(t, None)
    cut = aimd.current(42.0)
    assert cut is not None and cut < 20
    # one second later it has climbed by a tenth of the level it was cut from, not of the ceiling
    later = aimd.current(43.0)
    assert later is not None and cut < later <= cut + 0.1 * 20


@pytest.mark.parametrize(("overshoot", "most_refused"), [(10.0, 0.2), (80.0, 0.35)])
def test_aimd_far_below_the_sent_rate_without_a_configured_rate(overshoot: float, most_refused: float) -> None:
    # a client able to send 10x / 80x the provider's limit, no --rpm, 429s without a wait; with one
    # 0.7 cut per second from the opening burst and recovery paced by it, 57% / 79% were refused
    ok, limited, _ = simulate(limit_rps=50.0, seconds=120.0, configured=None, overshoot=overshoot)
    assert ok >= 0.9 * 50.0 * 120.0
    assert limited <= most_refused * (ok + limited)


def test_when_most_requests_are_refused_the_cut_goes_to_about_the_share_that_got_through() -> None:
    aimd = AdaptiveRate(None)
    caps = []
    for i in range(200):  # 100 requests per second for two seconds, nine in ten refused
        t = i * 0.01
        aimd.note_send(t)
        before = aimd.current(t)
        if i % 10 and aimd.on_rate_limited(t, None):
            caps.append((before, aimd.current(t)))
    assert len(caps) == 2
    # the first cut comes as soon as 429s pass a fifth of what was sent (one 0.7 step); the second,
    # after the cool-down with nine in ten refused, goes straight down to about a tenth
    (_, first), (before, second) = caps
    assert first is not None and before is not None and second is not None
    assert second <= 0.15 * before


def test_after_a_long_storm_the_rate_comes_back_within_about_a_minute() -> None:
    aimd = AdaptiveRate(None)
    for i in range(100):  # the opening second at 100 requests per second, all refused
        aimd.note_send(i * 0.01)
        aimd.on_rate_limited(i * 0.01, None)
    t = 1.0
    while t < 61.0:  # then a minute of nothing but 429s at whatever rate is allowed
        aimd.note_send(t)
        aimd.on_rate_limited(t, None)
        t += 1.0 / (aimd.current(t) or 100.0)
    low = aimd.current(t)
    assert low is not None and low < 1.0 and aimd.ceiling > 10
    # the storm is over: back to the full rate within about a minute, not creeping up by a
    # tenth of the floor per second
    assert aimd.current(t + 90.0) is None
