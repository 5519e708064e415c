"""Every error class, end to end: fake provider -> runner -> journal."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import msgspec
import pytest
from runner_support import MODEL, FakeClock, make_requests

from u2fast.runner import Limits, ModelRun, RunOutcome, iter_journal, run_models
from u2fast.testing import ChatCompletionsAdapter, FailFirst, FakeProvider


def run_against(
    tmp_path: Path, n: int = 4, limits: Limits | None = None, clock: FakeClock | None = None, **fake: Any
) -> tuple[RunOutcome, FakeProvider, FakeClock]:
    clock = clock or FakeClock()

    async def go() -> tuple[RunOutcome, FakeProvider]:
        async with FakeProvider(**fake) as provider:
            adapter = ChatCompletionsAdapter(provider.url)
            outcome = await run_models(
                [ModelRun(MODEL, adapter, make_requests(n), limits or Limits(concurrency=4))],
                tmp_path,
                clock=clock,
                seed=1,
            )
            return outcome, provider

    outcome, provider = asyncio.run(go())
    return outcome, provider, clock


@pytest.mark.parametrize(
    ("fault", "kind"),
    [
        ("rate_limited", "rate_limited"),
        ("server_error", "server"),
        ("unavailable", "overloaded"),
        ("overloaded", "overloaded"),
        ("reset", "connection"),
        ("malformed", "malformed_response"),
        ("empty", "malformed_response"),
    ],
)
def test_retryable_errors_are_journalled_then_retried_to_an_answer(
    tmp_path: Path, fault: str, kind: str
) -> None:
    outcome, provider, _ = run_against(tmp_path, faults=FailFirst(fault, times=2), retry_after=0.01)
    assert all(c.ok and c.text == "A" for c in outcome.completions.values())
    assert len(outcome.completions) == 4
    records = list(iter_journal(tmp_path / "journal.jsonl"))
    assert len(records) == 12  # two failed attempts and the answer, per case
    failed = [r for r in records if not r.ok]
    assert {r.error.kind for r in failed if r.error} == {kind}
    assert all(r.text is None for r in failed)  # an error is never text
    assert sorted(r.attempt for r in records if r.case_id == "c0000") == [1, 2, 3]
    assert outcome.stats[MODEL].errors == {kind: 8}
    assert provider.counts["requests"] == 12


@pytest.mark.parametrize(
    ("fault", "kind"), [("bad_request", "bad_request"), ("content_filter", "content_filtered")]
)
def test_final_errors_are_not_retried(tmp_path: Path, fault: str, kind: str) -> None:
    outcome, provider, _ = run_against(tmp_path, faults=FailFirst(fault, times=99))
    assert provider.counts["requests"] == 4
    assert {c.error.kind for c in outcome.completions.values() if c.error} == {kind}
    assert outcome.stats[MODEL].failed == 4 and outcome.stopped == {}


def test_hang_past_the_first_byte_timeout_is_a_timeout(tmp_path: Path) -> None:
    limits = Limits(concurrency=2, first_byte_timeout=0.3, total_timeout=5)
    outcome, _, _ = run_against(tmp_path, n=2, limits=limits, faults=FailFirst("hang", times=1), hang_s=30)
    assert all(c.ok for c in outcome.completions.values())
    assert outcome.stats[MODEL].errors == {"timeout": 2}


def test_huge_body_is_read_and_answered(tmp_path: Path) -> None:
    outcome, _, _ = run_against(tmp_path, n=2, faults=FailFirst("huge", times=1))
    assert all(c.ok and c.text == "A" for c in outcome.completions.values())


@pytest.mark.parametrize(("fault", "reason"), [("quota", "quota"), ("auth", "auth")])
def test_quota_or_auth_stops_that_model_and_the_others_finish(
    tmp_path: Path, fault: str, reason: str
) -> None:
    async def go() -> tuple[RunOutcome, FakeProvider]:
        async with FakeProvider(faults=FailFirst(fault, times=99, only="-bad")) as provider:
            bad = ChatCompletionsAdapter(provider.url, model="fake-bad")
            good = ChatCompletionsAdapter(provider.url, model="fake-good")
            runs = [
                ModelRun(
                    "fakeopenai:fake-bad",
                    bad,
                    make_requests(30, "fakeopenai:fake-bad"),
                    Limits(concurrency=2),
                ),
                ModelRun(
                    "fakeopenai:fake-good",
                    good,
                    make_requests(30, "fakeopenai:fake-good"),
                    Limits(concurrency=2),
                ),
            ]
            # the bad model's prompts say so, so that the fault hits only them
            runs[0].requests = [
                msgspec.structs.replace(r, prompt=msgspec.structs.replace(r.prompt, role="-bad"))
                for r in runs[0].requests
            ]
            return await run_models(runs, tmp_path, clock=FakeClock()), provider

    outcome, provider = asyncio.run(go())
    assert outcome.stopped == {"fakeopenai:fake-bad": reason}
    good = outcome.stats["fakeopenai:fake-good"]
    assert good.ok == 30
    bad_sent = [r for r in provider.received() if r.model == "fake-bad"]
    assert len(bad_sent) <= 2  # only what was in flight when the first answer came back
    assert outcome.stats["fakeopenai:fake-bad"].remaining >= 28


def test_retry_after_is_honoured_before_the_next_attempt(tmp_path: Path) -> None:
    outcome, _, clock = run_against(
        tmp_path, n=1, limits=Limits(concurrency=1), faults=FailFirst("rate_limited", times=1), retry_after=7
    )
    assert all(c.ok for c in outcome.completions.values())
    record = next(r for r in iter_journal(tmp_path / "journal.jsonl") if not r.ok)
    assert record.error is not None and record.error.retry_after == 7
    assert max(clock.sleeps) >= 7


def test_max_attempts_bounds_the_tries_and_keeps_the_last_error(tmp_path: Path) -> None:
    outcome, provider, _ = run_against(
        tmp_path,
        n=2,
        limits=Limits(concurrency=2, max_attempts=3),
        faults=FailFirst("server_error", times=99),
    )
    assert provider.counts["requests"] == 6
    assert all(not c.ok and c.attempt == 3 for c in outcome.completions.values())
    assert outcome.stats[MODEL].failed == 2


def test_api_key_never_reaches_a_written_file(tmp_path: Path) -> None:
    key = "sk-secret-" + "9" * 24
    clock = FakeClock()

    async def go() -> RunOutcome:
        async with FakeProvider(faults=FailFirst("echo_key", times=99, only="c0001")) as provider:
            adapter = ChatCompletionsAdapter(provider.url, api_key=key)
            return await run_models(
                [ModelRun(MODEL, adapter, make_requests(3), Limits(concurrency=1))], tmp_path, clock=clock
            )

    outcome = asyncio.run(go())
    echoed = [c for c in outcome.completions.values() if c.error is not None]
    assert echoed and echoed[0].error is not None and "Incorrect API key provided" in echoed[0].error.message
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path


def test_an_oversized_body_is_a_malformed_response_read_no_further_than_the_cap(tmp_path: Path) -> None:
    import tracemalloc

    limits = Limits(concurrency=2, max_attempts=2, max_response_bytes=1 << 20)
    tracemalloc.start()
    try:
        outcome, provider, _ = run_against(
            tmp_path, n=2, limits=limits, faults=FailFirst("oversize", times=1), oversize_bytes=50 << 20
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert all(c.ok and c.text == "A" for c in outcome.completions.values())  # the retry was answered
    failed = [r for r in iter_journal(tmp_path / "journal.jsonl") if not r.ok]
    assert len(failed) == 2 and {r.error.kind for r in failed if r.error} == {"malformed_response"}
    assert all(r.error and "larger than 1,048,576 bytes" in r.error.message for r in failed)
    assert provider.counts["oversize"] == 2
    # two 50 MB bodies in flight: reading them whole would hold 100 MB; capped, a few MB at most
    assert peak < 24 << 20, f"peak traced memory {peak / 2**20:.1f} MiB"


def test_retries_stop_at_the_request_deadline_and_say_so(tmp_path: Path) -> None:
    limits = Limits(concurrency=1, max_attempts=6, first_byte_timeout=0.2, total_timeout=5, request_deadline=2.0)
    outcome, provider, _ = run_against(tmp_path, n=1, limits=limits, faults=FailFirst("hang", times=99), hang_s=30)
    records = list(iter_journal(tmp_path / "journal.jsonl"))
    assert 1 <= len(records) < 6 and provider.counts["hang"] == len(records)
    assert all(r.error is not None and r.error.kind == "timeout" for r in records)
    last = records[-1].error
    assert last is not None and "request deadline of 2 s (--request-deadline)" in last.message
    assert outcome.stats[MODEL].failed == 1


def test_an_attempt_is_cut_to_what_is_left_of_the_deadline(tmp_path: Path) -> None:
    # the per-attempt limits would allow 30 s; the deadline allows 0.3 s for the whole request
    limits = Limits(concurrency=1, first_byte_timeout=30, total_timeout=30, request_deadline=0.3)
    run_against(tmp_path, n=1, limits=limits, faults=FailFirst("hang", times=99), hang_s=60)
    records = list(iter_journal(tmp_path / "journal.jsonl"))
    assert len(records) == 1 and records[0].error is not None and records[0].error.kind == "timeout"
    assert "--request-deadline" in records[0].error.message
