"""A sustained 429 storm through the real CLI: the request rate drops while it lasts and recovers after."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from cli_support import cli_env, eval_argv, run_cli
from scripted import Action, Hit, ScriptedServer, openai_ok

from u2fast.runner import iter_journal

KEY = "sk-storm-test-00000000000001"
STORM_S = 2.0


def rate(times: list[float], start: float, end: float) -> float:
    return sum(start <= t < end for t in times) / (end - start)


@pytest.mark.slow
def test_rate_drops_during_a_429_storm_and_recovers(runs: Path) -> None:
    first: list[float] = []
    lock = threading.Lock()

    def script(hit: Hit) -> Action:
        with lock:
            if not first:
                first.append(hit.at)
        if hit.at - first[0] < STORM_S:
            refusal = {"error": {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"}}
            return Action.json(429, refusal, delay=0.02)
        action = openai_ok("A")
        action.delay = 0.02
        return action

    with ScriptedServer(script) as server:
        argv = eval_argv(runs, "storm", "openai:gpt-4.1", base_url=server.url + "/v1",
                         extra=["--concurrency", "8", "--max-attempts", "12", "--quiet"])  # fmt: skip
        i = argv.index("--tasks")
        argv[i + 1], argv[i + 3] = "DD,VRA,LL", "3"
        started = time.monotonic()
        proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY), timeout=120)
        elapsed = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    times = [h.at - first[0] for h in server.hits]
    opening = rate(times, 0.0, 0.2)  # before any 429 could have been read back
    late_storm = rate(times, STORM_S - 1.0, STORM_S)
    assert late_storm < 0.5 * opening, (opening, late_storm)
    records = list(iter_journal(runs / "storm" / "journal.jsonl"))
    ok = [r for r in records if r.ok]
    assert len(ok) == 84  # every case finished after the storm
    after = [t for t in times if t >= STORM_S]
    recovered = len(after) / max(after[-1] - STORM_S, 1e-3)
    assert recovered > late_storm, (recovered, late_storm)
    print(f"opening {opening:.0f}/s, late storm {late_storm:.1f}/s, after {recovered:.1f}/s, run {elapsed:.1f}s")
