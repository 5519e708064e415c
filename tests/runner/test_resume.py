"""Interrupted runs: kill -9 at random points, Ctrl-C, and resuming into the same folder."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from u2fast.runner import iter_journal, read_journal
from u2fast.testing import FakeProvider, FaultMix, ReceivedRequest, uniform

CHILD = Path(__file__).resolve().parent / "child_run.py"
N = 240


def deterministic_answer(request: ReceivedRequest) -> str:
    return "ABCD"[hashlib.sha256(request.prompt.encode()).digest()[0] % 4]


def case_of(request: ReceivedRequest) -> str:
    return request.prompt.split("case ", 1)[1].split(":", 1)[0]


def start_child(url: str, run_dir: Path, concurrency: int = 16) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, str(CHILD), url, str(run_dir), str(N), str(concurrency)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def ok_cases(run_dir: Path) -> set[str]:
    return {c.case_id for c in read_journal(run_dir / "journal.jsonl").values() if c.ok}


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_kill_9_at_random_points_loses_nothing_finished_and_resends_nothing_finished(tmp_path: Path) -> None:
    rng = random.Random(20261128)
    fake = FakeProvider(
        answer=deterministic_answer,
        latency=uniform(0.05, 0.25),
        faults=FaultMix({"server_error": 0.05, "rate_limited": 0.03}),
        retry_after=0.05,
        seed=3,
    )
    with fake:
        run_dir = tmp_path / "interrupted"
        progress: list[int] = []
        for _ in range(4):
            finished_before = ok_cases(run_dir)
            mark = len(fake.received())
            child = start_child(fake.url, run_dir)
            # Kill at a random moment after this child has started answering (its start-up time varies).
            journal = run_dir / "journal.jsonl"
            size = journal.stat().st_size if journal.exists() else 0
            deadline = time.monotonic() + 60
            while child.poll() is None and time.monotonic() < deadline:
                if journal.exists() and journal.stat().st_size > size:
                    break
                time.sleep(0.01)
            time.sleep(rng.uniform(0.0, 1.0))
            child.send_signal(signal.SIGKILL)
            child.communicate()
            progress.append(len(ok_cases(run_dir)))
            resent = {case_of(r) for r in fake.received()[mark:]} & finished_before
            assert not resent, f"finished cases sent again: {sorted(resent)[:5]}"
        # The kills landed in the middle of the work, not before or after it.
        assert 0 < progress[0] < N and sum(0 < p < N for p in progress) >= 2
        finished_before = ok_cases(run_dir)
        mark = len(fake.received())
        child = start_child(fake.url, run_dir)
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        assert f"ok={N}" in out
        assert not ({case_of(r) for r in fake.received()[mark:]} & finished_before)

        reference = tmp_path / "uninterrupted"
        child = start_child(fake.url, reference)
        _, err = child.communicate(timeout=120)
        assert child.returncode == 0, err

    ok_per_key = Counter(r.key for r in iter_journal(run_dir / "journal.jsonl") if r.ok)
    assert len(ok_per_key) == N and set(ok_per_key.values()) == {1}
    # Same answers as a run that was never interrupted (so the same scores).
    interrupted = {k: c.text for k, c in read_journal(run_dir / "journal.jsonl").items()}
    assert interrupted == {k: c.text for k, c in read_journal(reference / "journal.jsonl").items()}


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_ctrl_c_flushes_the_journal_says_how_to_resume_and_resume_finishes(tmp_path: Path) -> None:
    with FakeProvider(answer=deterministic_answer, latency=0.05) as fake:
        child = start_child(fake.url, tmp_path, concurrency=4)
        journal = tmp_path / "journal.jsonl"
        deadline = time.monotonic() + 60
        while (not journal.exists() or journal.stat().st_size == 0) and time.monotonic() < deadline:
            time.sleep(0.05)
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=60)
        assert child.returncode != 0
        assert "interrupted" in err and "Run the same command again" in err and str(tmp_path) in err
        data = journal.read_bytes()
        assert data.endswith(b"\n")
        saved = ok_cases(tmp_path)
        assert 0 < len(saved) < N
        mark = len(fake.received())
        child = start_child(fake.url, tmp_path)
        _, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        assert not ({case_of(r) for r in fake.received()[mark:]} & saved)
    assert len(ok_cases(tmp_path)) == N
