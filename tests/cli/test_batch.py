"""Batch mode through the real command, against the fake batch endpoints of all three providers.

Each test runs ``u2fast eval --batch`` in a subprocess; the fake server runs in this process, so
its counters (uploads, creates, answers) span a killed run and its resume.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from batch_support import KEYS, answer, argv, ledger_steps, records, scores
from cli_support import cli_env, run_cli

from u2fast.batch.lifecycle import KILL_ENV
from u2fast.cli_batch import BATCH_PENDING_EXIT
from u2fast.errors import ProviderError
from u2fast.exit_codes import ExitCode
from u2fast.testing.batches import FakeBatchProvider

ENV = cli_env(**KEYS)
FAST = ["--poll", "0.2"]


@pytest.mark.parametrize("provider", ["openai", "anthropic", "gemini"])
def test_a_batch_run_scores_as_the_sync_run_does(runs: Path, provider: str) -> None:
    with FakeBatchProvider(answer=answer, processing_s=0.3) as fake:
        sync = run_cli(argv(runs, "sync", provider, fake.url), ENV)
        assert sync.returncode == 0, sync.stderr
        sent_sync = fake.counts["requests"]
        batch = run_cli(argv(runs, "batch", provider, fake.url, "--batch", *FAST), ENV)
        assert batch.returncode == 0, batch.stderr
        assert fake.counts["requests"] == sent_sync  # nothing went through the sync route
        assert fake.batch_counts["creates"] == 1
        assert fake.batch_counts["batched_requests"] == sent_sync
        assert fake.batch_counts["deletes"] == (0 if provider == "anthropic" else 1)  # the upload, cleaned up
    assert scores(batch.stdout) == scores(sync.stdout)
    assert "ingested" in ledger_steps(runs / "batch")


def test_batch_answers_record_no_latency_and_the_report_shows_none(runs: Path) -> None:
    with FakeBatchProvider(answer=answer, processing_s=0.3) as fake:
        proc = run_cli(argv(runs, "lat", "openai", fake.url, "--batch", *FAST), ENV)
        assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in (runs / "lat" / "journal.jsonl").read_text().splitlines()]
    assert lines and all(line.get("latency_s") is None for line in lines)  # not measured, never 0
    report = [sys.executable, "-m", "u2fast.cli", "report", str(runs / "lat"), "--bootstrap", "0"]
    as_json = run_cli([*report, "--format", "json"], ENV)
    assert as_json.returncode == 0, as_json.stderr
    (model,) = json.loads(as_json.stdout)["models"]
    assert model["usage"]["latency_median_s"] is None and model["usage"]["latency_p95_s"] is None
    table = run_cli(report, {**ENV, "COLUMNS": "250"})
    row = next(line for line in table.stdout.splitlines() if "openai:gpt-4.1" in line and "%" in line)
    assert "n/a" in row and "0.000" not in row


STEPS = ["planned", "uploaded", "create_sent", "create_answered", "created", "polled", "collected", "ingested"]


@pytest.mark.parametrize("step", STEPS)
def test_kill_9_after_any_step_then_resume_sends_nothing_twice(runs: Path, step: str) -> None:
    with FakeBatchProvider(answer=answer, processing_s=0.5) as fake:
        killed = run_cli(argv(runs, "k", "openai", fake.url, "--batch", *FAST), {**ENV, KILL_ENV: step})
        assert killed.returncode == -9, killed.stderr
        resumed = run_cli(argv(runs, "k", "openai", fake.url, "--batch", *FAST), ENV)
        assert resumed.returncode == 0, resumed.stderr
        assert fake.batch_counts["uploads"] == 1
        assert fake.batch_counts["creates"] == 1
        n = fake.batch_counts["batched_requests"]
        assert fake.counts["answered"] == n and fake.counts["requests"] == 0
        assert fake.batch_counts["deletes"] == 1
    ok = Counter(r.key for r in records(runs / "k") if r.ok)
    assert len(ok) == n and set(ok.values()) == {1}  # every request answered exactly once
    if step == "create_answered":
        assert "found at the provider" in resumed.stderr  # reconciled by the metadata tag


def test_gemini_create_window_is_reconciled_by_display_name(runs: Path) -> None:
    with FakeBatchProvider(answer=answer, processing_s=0.3) as fake:
        killed = run_cli(argv(runs, "g", "gemini", fake.url, "--batch", *FAST), {**ENV, KILL_ENV: "create_answered"})
        assert killed.returncode == -9
        resumed = run_cli(argv(runs, "g", "gemini", fake.url, "--batch", *FAST), ENV)
        assert resumed.returncode == 0, resumed.stderr
        assert fake.batch_counts["creates"] == 1 and fake.batch_counts["lists"] == 1
    assert "found at the provider" in resumed.stderr


def test_anthropic_create_window_is_created_again_with_a_warning(runs: Path) -> None:
    with FakeBatchProvider(answer=answer, processing_s=0.3) as fake:
        run_cli(argv(runs, "a", "anthropic", fake.url, "--batch", *FAST), {**ENV, KILL_ENV: "create_answered"})
        resumed = run_cli(argv(runs, "a", "anthropic", fake.url, "--batch", *FAST), ENV)
        assert resumed.returncode == 0, resumed.stderr
        assert fake.batch_counts["creates"] == 2  # the documented gap: no tag to find the first by
    assert "a duplicate batch may exist" in resumed.stderr
    ok = Counter(r.key for r in records(runs / "a") if r.ok)
    assert set(ok.values()) == {1}


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_an_expired_batch_keeps_what_it_answered(runs: Path, provider: str) -> None:
    with FakeBatchProvider(answer=answer, expire=True, expire_done=0.5) as fake:
        proc = run_cli(argv(runs, "e", provider, fake.url, "--batch", "--batch-fallback", "none", *FAST), ENV)
        assert proc.returncode == 0, proc.stderr
        n = fake.batch_counts["batched_requests"]
    kinds = Counter("ok" if r.ok else r.error.kind for r in records(runs / "e"))
    assert kinds == {"ok": n // 2, "batch_expired": n - n // 2}


def test_fallback_sync_answers_the_rest_within_the_budget(runs: Path) -> None:
    with FakeBatchProvider(answer=answer, expire=True, expire_done=0.5) as fake:
        proc = run_cli(argv(runs, "f", "openai", fake.url, "--batch", "--max-cost", "5", *FAST), ENV)
        assert proc.returncode == 0, proc.stderr
        n = fake.batch_counts["batched_requests"]
        assert fake.counts["requests"] == n - n // 2  # only the expired ones went one by one
    best: dict[str, bool] = {}
    for r in records(runs / "f"):
        best[r.key] = best.get(r.key, False) or r.ok
    assert len(best) == n and all(best.values())


def _sync_progress_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("openai:gpt-4.1: ") and " done, " in line]


def test_the_sync_progress_line_shows_only_when_the_sync_path_sends_something(runs: Path) -> None:
    plain = [a for a in argv(runs, "all", "openai", "", "--batch", *FAST) if a != "--json"]  # progress in a pipe
    with FakeBatchProvider(answer=answer, processing_s=0.3) as fake:
        plain[plain.index("--base-url") + 1] = f"{fake.url}/v1"
        answered = run_cli(plain, ENV)
        assert answered.returncode == 0, answered.stderr
        assert fake.counts["requests"] == 0 and "ingested" in answered.stderr
    assert _sync_progress_lines(answered.stderr) == []  # the batch answered everything: no sync phase to show
    with FakeBatchProvider(answer=answer, expire=True, expire_done=0.5) as fake:
        plain[plain.index("--base-url") + 1] = f"{fake.url}/v1"
        plain[plain.index("--name") + 1] = "half"
        fallback = run_cli(plain, ENV)
        assert fallback.returncode == 0, fallback.stderr
        sent = fake.counts["requests"]
    lines = _sync_progress_lines(fallback.stderr)
    # the fallback's own line: the batch's answers counted as held before it, then what it sent
    held = re.search(r" done, (\d+) ok \((\d+) answered before this run\), 0 failed", lines[-1]) if lines else None
    assert sent > 0 and held is not None, lines
    assert int(held[1]) == int(held[2]) + sent


def test_fallback_rebatch_sends_the_failures_in_a_second_batch(runs: Path) -> None:
    with FakeBatchProvider(answer=answer, expire=True, expire_done=0.5) as fake:
        proc = run_cli(argv(runs, "r", "openai", fake.url, "--batch", "--batch-fallback", "rebatch", *FAST), ENV)
        assert proc.returncode == 0, proc.stderr
        assert fake.batch_counts["creates"] == 2 and fake.counts["requests"] == 0
    assert ledger_steps(runs / "r").count("planned") == 2


def test_per_request_errors_become_classified_records(runs: Path) -> None:
    def faults(request: object) -> str | None:
        return "bad_request" if answer(request) == "A" else None  # type: ignore[arg-type]

    with FakeBatchProvider(answer=answer, request_faults=faults) as fake:
        proc = run_cli(argv(runs, "p", "gemini", fake.url, "--batch", "--batch-fallback", "none", *FAST), ENV)
        assert proc.returncode == 0, proc.stderr
        failed = fake.batch_counts["request_bad_request"]
    kinds = Counter("ok" if r.ok else r.error.kind for r in records(runs / "p"))
    assert failed > 0 and kinds["bad_request"] == failed


def test_a_429_on_create_is_waited_out_without_a_second_batch(runs: Path) -> None:
    with FakeBatchProvider(answer=answer, create_429=2) as fake:
        proc = run_cli(argv(runs, "c", "anthropic", fake.url, "--batch", *FAST), ENV)
        assert proc.returncode == 0, proc.stderr
        assert fake.batch_counts["creates_refused"] == 2 and fake.batch_counts["creates"] == 1


def test_no_wait_then_list_cancel_and_resume(runs: Path) -> None:
    with FakeBatchProvider(answer=answer, processing_s=3600) as fake:
        proc = run_cli(argv(runs, "w", "openai", fake.url, "--batch", "--no-wait", "--batch-fallback", "none"), ENV)
        assert proc.returncode == BATCH_PENDING_EXIT, proc.stderr
        assert "eval --resume" in proc.stderr
        # the batch holds every request: "never sent" alone would be untrue of them
        scored = run_cli([sys.executable, "-m", "u2fast.cli", "score", str(runs / "w"), "--bootstrap", "0"], ENV)
        assert scored.returncode == 0 and re.search(r"0/\d+ partial", scored.stdout), scored.stdout
        assert "in a provider batch still running" in " ".join(scored.stdout.split())
        listed = run_cli([sys.executable, "-m", "u2fast.cli", "batch", "list", str(runs / "w"), "--json"], ENV)
        (row,) = json.loads(listed.stdout)
        assert row["step"] == "polled" and row["state"] == "in_progress" and row["batch_id"].startswith("batch_")
        cancel = run_cli([sys.executable, "-m", "u2fast.cli", "batch", "cancel", str(runs / "w"),
                          "--base-url", f"{fake.url}/v1"], ENV)
        assert cancel.returncode == 0, cancel.stderr
        assert fake.batch_counts["cancels"] == 1
        resumed = run_cli([sys.executable, "-m", "u2fast.cli", "eval", "--resume", str(runs / "w"),
                           "--base-url", f"{fake.url}/v1", *FAST], ENV)
        assert resumed.returncode == ExitCode.NOTHING_ANSWERED, resumed.stderr  # every request was cancelled
        assert fake.batch_counts["creates"] == 1 and fake.counts["requests"] == 0
    assert {r.error.kind for r in records(runs / "w")} == {"cancelled"}


def test_batch_switched_off_on_resume_still_collects_the_running_batch(runs: Path) -> None:
    with FakeBatchProvider(answer=answer, processing_s=1.0) as fake:
        proc = run_cli(argv(runs, "s", "gemini", fake.url, "--batch", "--no-wait"), ENV)
        assert proc.returncode == BATCH_PENDING_EXIT, proc.stderr
        time.sleep(1.2)
        resumed = run_cli(argv(runs, "s", "gemini", fake.url, "--no-batch"), ENV)
        assert resumed.returncode == 0, resumed.stderr
        assert fake.counts["requests"] == 0  # collected from the batch, not sent again one by one
        n = fake.batch_counts["batched_requests"]
    assert sum(r.ok for r in records(runs / "s")) == n


def test_a_shard_is_created_only_if_its_worst_case_fits_max_cost(runs: Path) -> None:
    with FakeBatchProvider(answer=answer) as fake:
        proc = run_cli(argv(runs, "m", "openai", fake.url, "--batch", "--max-cost", "0.0001", *FAST), ENV)
        assert proc.returncode == ExitCode.NOTHING_ANSWERED, proc.stderr  # the budget let nothing be sent
        assert fake.batch_counts["uploads"] == 0 and fake.batch_counts["creates"] == 0
        assert fake.counts["requests"] == 0
    assert "does not fit --max-cost" in proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1])["stopped"] == {"openai:gpt-4.1": "budget"}


def test_dry_run_batch_prints_shards_bytes_and_both_costs(runs: Path) -> None:
    proc = run_cli(argv(runs, "d", "openai", "http://127.0.0.1:9", "--batch", "--dry-run"), ENV)
    assert proc.returncode == 0, proc.stderr
    (row,) = json.loads(proc.stdout)
    assert row["shards"] == 1 and row["bytes"] > 0 and row["requests"] > 0
    assert row["max_cost_batch"] == pytest.approx(row["max_cost_sync"] / 2)
    assert not (runs / "d").exists()


def test_batch_mode_per_provider_from_the_config_file(runs: Path, tmp_path: Path) -> None:
    config = tmp_path / "eval.toml"
    config.write_text("[providers.gemini]\nbatch = true\n")
    with FakeBatchProvider(answer=answer) as fake:
        proc = run_cli(argv(runs, "cfg", "gemini", fake.url, "--config", str(config), *FAST), ENV)
        assert proc.returncode == 0, proc.stderr
        assert fake.batch_counts["creates"] == 1 and fake.counts["requests"] == 0


def test_ctrl_c_while_waiting_leaves_the_batch_running_and_resumable(runs: Path) -> None:
    # The batch runs until the interrupt has landed (however loaded the machine), then ends at once.
    with FakeBatchProvider(answer=answer, processing_s=3600.0) as fake:
        child = subprocess.Popen(argv(runs, "i", "openai", fake.url, "--batch", *FAST), env=ENV,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while fake.batch_counts["polls"] < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=60)
        assert child.returncode == 130, err
        assert "keep running" in err and f"eval --resume {runs / 'i'}" in err and "Traceback" not in err
        assert fake.batch_counts["cancels"] == 0
        fake.processing_s = 0.0
        resumed = run_cli(argv(runs, "i", "openai", fake.url, "--batch", *FAST), ENV)
        assert resumed.returncode == 0, resumed.stderr
        assert fake.batch_counts["creates"] == 1 and fake.batch_counts["uploads"] == 1


def test_a_refused_create_becomes_records_or_a_provider_failure(runs: Path) -> None:
    with FakeBatchProvider(answer=answer, create_fault="bad_request") as fake:
        proc = run_cli(argv(runs, "b", "openai", fake.url, "--batch", "--batch-fallback", "none", *FAST), ENV)
        assert proc.returncode == ExitCode.NOTHING_ANSWERED, proc.stderr  # every request failed
        n = len(records(runs / "b"))
    kinds = Counter(r.error.kind for r in records(runs / "b"))
    assert n > 0 and kinds == {"bad_request": n}
    assert all("the batch failed as a whole" in r.error.message for r in records(runs / "b"))
    with FakeBatchProvider(answer=answer, create_fault="auth") as fake:
        proc = run_cli(argv(runs, "u", "anthropic", fake.url, "--batch", *FAST), ENV)
    assert proc.returncode == ProviderError.exit_code
    assert "anthropic:claude-haiku-4-5: create of shard" in proc.stderr and "auth" in proc.stderr
    assert KEYS["ANTHROPIC_API_KEY"] not in proc.stderr


def test_a_batch_that_fails_validation_gives_every_request_its_message(runs: Path) -> None:
    with FakeBatchProvider(answer=answer, fail_validation=True) as fake:
        proc = run_cli(argv(runs, "v", "openai", fake.url, "--batch", "--batch-fallback", "none", *FAST), ENV)
        assert proc.returncode == ExitCode.NOTHING_ANSWERED, proc.stderr  # every request failed
        assert fake.counts["answered"] == 0
    errors = [r.error for r in records(runs / "v")]
    assert errors and all(e is not None and e.kind == "bad_request" and "validation failed" in e.message for e in errors)


@pytest.mark.parametrize("provider", ["openai", "anthropic", "gemini"])
def test_a_key_echoed_by_a_batch_endpoint_reaches_no_file_or_message(runs: Path, provider: str) -> None:
    with FakeBatchProvider(answer=answer, create_fault="echo_key") as fake:
        proc = run_cli(argv(runs, provider, provider, fake.url, "--batch", "--batch-fallback", "none", *FAST), ENV)
    assert proc.returncode == ProviderError.exit_code, proc.stderr  # a rejected key is a provider failure
    assert "Incorrect API key provided" in proc.stderr and "[redacted]" in proc.stderr
    written = "".join(p.read_text(errors="replace") for p in (runs / provider).rglob("*") if p.is_file())
    for key in KEYS.values():
        assert key not in proc.stderr + proc.stdout and key not in written
