"""The waits a provider asks for, honoured by the real CLI: every header shape, each wire.

A 429 carrying the wait comes first for every request; the next try of the same request must not
arrive before the wait has passed (measured at the server, loosely: the client may wait longer, never
shorter). A wait longer than ``max_retry_wait`` proves the header was read without sleeping through it:
the model stops as out of quota.
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cli_support import cli_env, eval_argv, run_cli
from scripted import Action, Hit, ScriptedServer, first_try_differs

from u2fast.exit_codes import ExitCode
from u2fast.runner import iter_journal

KEY = "sk-wait-test-0000000001"


def first_try_refused(refusal: Callable[[], Action]) -> Callable[[Hit], Action]:
    """Refuse the first try of every distinct request, answer the rest."""
    return first_try_differs(lambda hit: refusal())


def gaps(server: ScriptedServer) -> list[float]:
    """Seconds between the first and second try of each request."""
    out = []
    for hits in server.by_identity().values():
        assert len(hits) == 2, "each request is refused once, then answered once"
        out.append(hits[1].at - hits[0].at)
    return out


def openai_429(headers: dict[str, str]) -> Callable[[], Action]:
    body = {"error": {"message": "Rate limit reached for requests", "type": "requests", "code": "rate_limit_exceeded"}}
    return lambda: Action.json(429, body, headers=headers)


def run_openai(runs: Path, name: str, server: ScriptedServer, *extra: str) -> tuple[int, list]:
    argv = eval_argv(runs, name, "openai:gpt-4.1", base_url=server.url + "/v1", extra=["--quiet", *extra])
    proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
    assert proc.returncode == 0, proc.stderr
    return proc.returncode, list(iter_journal(runs / name / "journal.jsonl"))


@pytest.mark.parametrize(
    ("headers", "at_least"),
    [
        ({"Retry-After": "1"}, 1.0),
        ({"retry-after-ms": "1200"}, 1.2),
        ({"x-ratelimit-reset-requests": "0m1.5s", "x-ratelimit-remaining-requests": "0"}, 1.5),
    ],
    ids=["seconds", "ms", "reset-duration"],
)
def test_openai_wait_is_honoured(runs: Path, headers: dict[str, str], at_least: float) -> None:
    with ScriptedServer(first_try_refused(openai_429(headers))) as server:
        _, records = run_openai(runs, "w", server)
    measured = gaps(server)
    assert measured and min(measured) >= at_least * 0.95, measured
    rate_limited = [r for r in records if r.error is not None]
    assert rate_limited and all(r.error.kind == "rate_limited" for r in rate_limited)
    assert all(abs(r.error.retry_after - at_least) < 0.2 for r in rate_limited)
    assert sum(r.ok for r in records) == len(measured)


def test_retry_after_as_http_date(runs: Path) -> None:
    # HTTP dates have whole seconds: 2 s ahead is at least 1 s ahead by the time it is read.
    def refusal() -> Action:
        when = email.utils.formatdate(time.time() + 2.0, usegmt=True)
        return openai_429({"Retry-After": when})()

    with ScriptedServer(first_try_refused(refusal)) as server:
        _, records = run_openai(runs, "date", server)
    assert min(gaps(server)) >= 0.95
    assert all(r.error.retry_after >= 0.9 for r in records if r.error is not None)


def test_reset_header_longer_than_allowed_stops_the_model_as_quota(runs: Path, tmp_path: Path) -> None:
    config = tmp_path / "eval.toml"
    config.write_text("[defaults]\nmax_retry_wait = 60\n")
    refusal = openai_429({"x-ratelimit-reset-requests": "1m30s", "x-ratelimit-remaining-requests": "0"})
    with ScriptedServer(lambda hit: refusal()) as server:
        argv = eval_argv(runs, "long", "openai:gpt-4.1", base_url=server.url + "/v1", extra=["--config", str(config)])
        started = time.monotonic()
        proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
        elapsed = time.monotonic() - started
    assert proc.returncode == ExitCode.NOTHING_ANSWERED, proc.stderr
    assert "stopped early" in proc.stderr and "quota" in proc.stderr
    assert elapsed < 60  # it did not sleep through the 90 s
    records = list(iter_journal(runs / "long" / "journal.jsonl"))
    assert records and all(r.error is not None and r.error.retry_after == 90.0 for r in records)
    # nothing was retried: every request was tried once at most
    assert all(len(h) == 1 for h in server.by_identity().values())


def gemini_429(delay: str, quota_id: str = "GenerateRequestsPerMinutePerProjectPerModel") -> Action:
    return Action.json(
        429,
        {
            "error": {
                "code": 429,
                "message": "You exceeded your current quota, please check your plan and billing details.",
                "status": "RESOURCE_EXHAUSTED",
                "details": [
                    {
                        "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                        "violations": [
                            {"quotaMetric": "generativelanguage.googleapis.com/generate_requests", "quotaId": quota_id}
                        ],
                    },
                    {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": delay},
                ],
            }
        },
    )


def test_gemini_retry_delay_is_honoured(runs: Path) -> None:
    with ScriptedServer(first_try_refused(lambda: gemini_429("1s"))) as server:
        argv = eval_argv(runs, "g", "gemini:gemini-2.5-flash", base_url=server.url, extra=["--quiet"])
        proc = run_cli(argv, cli_env(GEMINI_API_KEY=KEY))
    assert proc.returncode == 0, proc.stderr
    assert min(gaps(server)) >= 0.95
    assert all(h.headers["x-goog-api-key"] == KEY for h in server.hits)
    records = list(iter_journal(runs / "g" / "journal.jsonl"))
    assert {r.error.kind for r in records if r.error} == {"rate_limited"}
    assert all(r.error.retry_after == 1.0 for r in records if r.error)


def test_gemini_retry_delay_7s_is_read(runs: Path, tmp_path: Path) -> None:
    config = tmp_path / "eval.toml"
    config.write_text("[providers.gemini]\nmax_retry_wait = 5\n")
    with ScriptedServer(lambda hit: gemini_429("7s")) as server:
        argv = eval_argv(runs, "g7", "gemini:gemini-2.5-flash", base_url=server.url, extra=["--config", str(config)])
        proc = run_cli(argv, cli_env(GEMINI_API_KEY=KEY))
    assert proc.returncode == ExitCode.NOTHING_ANSWERED, proc.stderr
    assert "quota" in proc.stderr
    records = list(iter_journal(runs / "g7" / "journal.jsonl"))
    assert records and all(r.error.kind == "rate_limited" and r.error.retry_after == 7.0 for r in records)


def test_anthropic_529_then_answer(runs: Path) -> None:
    overloaded = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    refusal = lambda: Action.json(529, overloaded, headers={"retry-after": "1"})  # noqa: E731
    with ScriptedServer(first_try_refused(refusal)) as server:
        argv = eval_argv(runs, "a", "anthropic:claude-sonnet-4-5", base_url=server.url, extra=["--quiet"])
        proc = run_cli(argv, cli_env(ANTHROPIC_API_KEY=KEY))
    assert proc.returncode == 0, proc.stderr
    assert min(gaps(server)) >= 0.95
    # the current SDK sends the key as a bearer token (shared/wire/anthropic-messages.json)
    assert all(h.path == "/v1/messages" and h.headers["authorization"] == f"Bearer {KEY}" for h in server.hits)
    records = list(iter_journal(runs / "a" / "journal.jsonl"))
    assert {r.error.kind for r in records if r.error} == {"overloaded"}
    assert json.loads((runs / "a" / "scores.json").read_text())


def test_anthropic_ratelimit_reset_header_is_honoured(runs: Path) -> None:
    def refusal() -> Action:
        reset = datetime.now(UTC) + timedelta(seconds=1.5)
        stamp = reset.isoformat().replace("+00:00", "Z")
        body = {"type": "error", "error": {"type": "rate_limit_error", "message": "per-minute rate limit exceeded"}}
        headers = {
            "anthropic-ratelimit-requests-remaining": "0",
            "anthropic-ratelimit-requests-reset": stamp,
            "anthropic-ratelimit-tokens-remaining": "9000",
            "anthropic-ratelimit-tokens-reset": stamp,
        }
        return Action.json(429, body, headers=headers)

    with ScriptedServer(first_try_refused(refusal)) as server:
        argv = eval_argv(runs, "ar", "anthropic:claude-sonnet-4-5", base_url=server.url, extra=["--quiet"])
        proc = run_cli(argv, cli_env(ANTHROPIC_API_KEY=KEY))
    assert proc.returncode == 0, proc.stderr
    assert min(gaps(server)) >= 1.3  # the reset was 1.5 s ahead when sent
    records = list(iter_journal(runs / "ar" / "journal.jsonl"))
    assert all(1.0 < r.error.retry_after <= 1.5 for r in records if r.error)
