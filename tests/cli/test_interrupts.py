"""kill -9 and Ctrl-C of the real ``u2fast eval`` process, counted at the server.

The server names each distinct request in the answer's ``model`` field, so a journal record can be
traced back to the request the server saw: a request whose ok answer was journalled before a kill must
never reach the server again.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from cli_support import cli_env, eval_argv, run_cli
from scripted import Action, Hit, ScriptedServer, openai_ok

from u2fast.runner import iter_journal

KEY = "sk-kill-test-00000000000001"
SELECTION = ["--tasks", "DD,VRA,LL", "--limit", "3"]  # 84 cases of the sample


def tracing_script(rng: random.Random, latency: tuple[float, float]) -> Callable[[Hit], Action]:
    def script(hit: Hit) -> Action:
        letter = "ABCD"[int(hit.identity[:8], 16) % 4]  # the same answer for every resend
        action = openai_ok(letter, fingerprint=hit.identity[:24])
        action.delay = rng.uniform(*latency)
        return action

    return script


def argv_for(runs: Path, name: str, server: ScriptedServer, *extra: str) -> list[str]:
    # The server names each distinct request in the answer's "model" field (tracing), so every answer
    # names another model than the one asked: score them anyway.
    argv = eval_argv(runs, name, "openai:gpt-4.1", base_url=server.url + "/v1",
                     extra=["--quiet", "--accept-other-models", *extra])
    # the selection replaces the default --tasks DD --limit 1
    i = argv.index("--tasks")
    del argv[i : i + 4]
    return argv + SELECTION


@contextmanager
def traced_eval(runs: Path, name: str, seed: int, latency: tuple[float, float],
                concurrency: int) -> Iterator[tuple[ScriptedServer, dict[str, str], list[str], Path]]:
    """A tracing server answering after ``latency`` seconds (drawn with ``seed``), and the environment, command
    line and journal of the eval ``name`` against it: ``(server, env, argv, journal)``."""
    with ScriptedServer(tracing_script(random.Random(seed), latency)) as server:
        argv = argv_for(runs, name, server, "--concurrency", str(concurrency))
        yield server, cli_env(OPENAI_API_KEY=KEY), argv, runs / name / "journal.jsonl"


def ok_identities(journal: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in iter_journal(journal):
        if record.ok:
            assert record.fingerprint is not None
            counts[record.fingerprint] = counts.get(record.fingerprint, 0) + 1
    return counts


def comparable_scores(run_dir: Path) -> dict:
    doc = json.loads((run_dir / "scores.json").read_text())
    return doc["models"]


def run_until_hits(
    argv: list[str], env: dict[str, str], server: ScriptedServer, more: int, *, kill: bool = True
) -> tuple[bool, int]:
    """Start the CLI and wait until the server has seen ``more`` further requests (or the run ended);
    then SIGKILL it when ``kill``. Whether it was killed mid-run, and its exit status."""
    wanted = len(server.hits) + more
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while len(server.hits) < wanted and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    killed = kill and child.poll() is None
    if killed:
        child.send_signal(signal.SIGKILL)
    return killed, child.wait(60)


@pytest.mark.slow
def test_kill_9_at_random_points_then_resume(runs: Path) -> None:
    rng = random.Random(7)
    with traced_eval(runs, "killed", 1, (0.01, 0.06), 8) as (server, env, argv, journal):
        kills = 0
        for _ in range(3):
            killed, _code = run_until_hits(argv, env, server, rng.randint(3, 20))
            kills += killed
            time.sleep(0.1)  # answers to the dead client finish on the server
            done = ok_identities(journal)
            hits_at_kill = len(server.hits)
            assert all(n == 1 for n in done.values()), "a request answered twice"
            # the next run must not send anything already journalled as ok
            proc = run_cli(argv, env) if _ == 2 else None
            if proc is None:
                continue
            assert proc.returncode == 0, proc.stderr
            resent = [h for h in server.hits[hits_at_kill:] if h.identity[:24] in done]
            assert not resent, f"{len(resent)} finished requests were sent again"
        assert kills >= 2, "the kills landed after the run had finished: the test proved nothing"

        final = ok_identities(journal)
        cases = (runs / "killed" / "cases.jsonl").read_text().splitlines()
        assert len(final) == len(cases) and all(n == 1 for n in final.values())
        # every distinct request got an ok answer journalled exactly once
        assert set(final) == {h.identity[:24] for h in server.hits}

        clean = run_cli(argv_for(runs, "clean", server, "--concurrency", "8"), env)
        assert clean.returncode == 0, clean.stderr
    assert comparable_scores(runs / "killed") == comparable_scores(runs / "clean")


@pytest.mark.slow
def test_kill_between_runs_resends_nothing_finished(runs: Path) -> None:
    """Each restart of a killed run: the requests finished by earlier processes never go out again."""
    rng = random.Random(11)
    with traced_eval(runs, "k", 2, (0.02, 0.08), 6) as (server, env, argv, journal):
        for round_ in range(4):
            done_before = ok_identities(journal)
            start = len(server.hits)
            _killed, code = run_until_hits(argv, env, server, rng.randint(5, 25), kill=round_ < 3)
            assert code in (0, -signal.SIGKILL)
            resent = [h for h in server.hits[start:] if h.identity[:24] in done_before]
            assert not resent, f"round {round_}: {len(resent)} finished requests sent again"
        final = ok_identities(journal)
        assert len(final) == len((runs / "k" / "cases.jsonl").read_text().splitlines())
        assert all(n == 1 for n in final.values())


def test_ctrl_c_exits_130_with_the_journal_flushed_and_a_resume_hint(runs: Path) -> None:
    with traced_eval(runs, "ctrlc", 3, (0.2, 0.3), 4) as (server, env, argv, journal):
        child = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while len(server.hits) < 12 and time.monotonic() < deadline:
            time.sleep(0.01)
        answered_before = len(server.hits) - server.in_flight
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=30)
        assert child.returncode == 130, err
        assert "--resume" in err and str(runs / "ctrlc") in err
        assert "Traceback" not in err
        assert journal.read_bytes().endswith(b"\n")
        records = list(iter_journal(journal))
        # every answer the client had received before the signal is in the journal
        assert len(records) >= answered_before - 4 and records
        # and the hint works: the same command (same endpoint: it is part of each request's key)
        # finishes the run without resending those
        done = ok_identities(journal)
        start = len(server.hits)
        proc = run_cli(argv_for(runs, "ctrlc", server, "--concurrency", "8"), env)
        later = server.hits[start:]
    assert proc.returncode == 0, proc.stderr
    assert later and not [h for h in later if h.identity[:24] in done]
    assert len(ok_identities(journal)) == len(
        (runs / "ctrlc" / "cases.jsonl").read_text().splitlines()
    )


def test_resume_flag_finishes_a_killed_run_with_its_recorded_options(runs: Path) -> None:
    with traced_eval(runs, "res", 5, (0.02, 0.05), 4) as (server, env, argv, journal):
        child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while len(server.hits) < 10 and time.monotonic() < deadline:
            time.sleep(0.005)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        time.sleep(0.1)
        done = ok_identities(journal)
        start = len(server.hits)
        proc = run_cli([argv[0], "-m", "u2fast.cli", "eval", "--resume", str(runs / "res"), "--quiet"], env)
        assert proc.returncode == 0, proc.stderr
        later = server.hits[start:]
    assert later, "--resume sent nothing: it did not reach the recorded server"
    assert not [h for h in later if h.identity[:24] in done]
    final = ok_identities(journal)
    assert len(final) == 84 and all(n == 1 for n in final.values())


@pytest.mark.slow
def test_a_second_eval_on_a_run_in_progress_is_refused_before_sending(runs: Path) -> None:
    # Synchronised on events, not on time: the server holds every answer until the second eval has
    # exited, so the first eval is certainly mid-run (lock held, nothing answered) however slowly
    # either process starts on a loaded machine.
    arrived = threading.Event()  # the first eval's first request has reached the server
    release = threading.Event()  # opened once the second eval has exited
    trace = tracing_script(random.Random(6), (0.0, 0.0))

    def script(hit: Hit) -> Action:
        action = trace(hit)
        action.hold = release
        arrived.set()
        return action

    with ScriptedServer(script) as server:
        env = cli_env(OPENAI_API_KEY=KEY)
        argv = argv_for(runs, "twice", server, "--concurrency", "4")
        first = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            assert arrived.wait(120), "the first eval sent nothing"
            before = {h.identity for h in server.hits}
            second = run_cli(argv, env, timeout=120)
            sent_meanwhile = len(server.hits)
        finally:
            release.set()
        assert first.wait(120) == 0
    assert second.returncode == 6, second.stderr  # RunError: the run folder is busy
    assert "another u2fast process is writing this run" in second.stderr
    # nothing went out twice: every distinct request reached the server once
    assert all(len(h) == 1 for h in server.by_identity().values())
    # while no answer was released, only the first eval's own requests (at most --concurrency) arrived
    assert before and len(before) <= sent_meanwhile <= 4
    final = ok_identities(runs / "twice" / "journal.jsonl")
    assert len(final) == 84 and all(n == 1 for n in final.values())
