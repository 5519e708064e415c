"""CLI behaviours found missing by the runner QA: no URL password in the manifest, a rejected key
fails the command (exit 5), and a piped dry run keeps each model on one line."""

from __future__ import annotations

import json
import random
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from cli_support import cli_env, eval_argv, run_cli
from scripted import Action, ScriptedServer

from u2fast.errors import ProviderError
from u2fast.exit_codes import ExitCode
from u2fast.runner.early_stop import OPENING_FAILURES
from u2fast.testing import FailFirst, FakeProvider, ReceivedRequest

KEY = "sk-lead-bug-test-000000001"


def test_password_in_base_url_is_not_written_to_the_manifest(runs: Path) -> None:
    password = "Pr0xyPassw0rd-secret"
    with ScriptedServer() as server:
        url = server.url.replace("http://", f"http://user:{password}@") + "/v1"
        proc = run_cli(eval_argv(runs, "m", "openai:gpt-4.1", base_url=url, extra=["--quiet"]), cli_env())
    assert proc.returncode == 0, proc.stderr
    for path in (runs / "m").rglob("*"):
        if path.is_file():
            assert password.encode() not in path.read_bytes(), path


def test_run_stopped_by_a_rejected_key_exits_with_provider_failure(runs: Path) -> None:
    rejected = {"error": {"message": "Incorrect API key provided", "code": "invalid_api_key"}}
    with ScriptedServer(lambda hit: Action.json(401, rejected)) as server:
        argv = eval_argv(runs, "auth", "openai:gpt-4.1", base_url=server.url + "/v1", extra=["--quiet"])
        proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
    assert "stopped early: auth" in proc.stderr and "Incorrect API key provided" in proc.stderr
    assert proc.returncode == ProviderError.exit_code


def test_piped_dry_run_names_each_model_on_one_line(runs: Path) -> None:
    env = cli_env(OPENAI_API_KEY=KEY, GEMINI_API_KEY=KEY)
    argv = eval_argv(runs, "dry", "openai:gpt-4.1", "gemini:gemini-2.5-flash", extra=["--dry-run"])
    proc = run_cli(argv, env)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert any("openai:gpt-4.1" in line and "13" in line for line in lines)
    assert any("gemini:gemini-2.5-flash" in line and "13" in line for line in lines)


# --------------------------------------------------------------------------- failure never looks like a score


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _model_scores(run_dir: Path) -> dict[str, Any]:
    doc = json.loads((run_dir / "scores.json").read_text())
    return dict(next(iter(doc["models"].values())))


def test_a_refused_port_stops_early_scores_null_and_exits_nothing_answered(runs: Path) -> None:
    url = f"http://127.0.0.1:{_free_port()}/v1"
    argv = eval_argv(runs, "refused", "openai:gpt-4.1", base_url=url, extra=["--quiet", "--tasks", "DD,CVE"])
    proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
    assert proc.returncode == ExitCode.NOTHING_ANSWERED, proc.stderr
    assert "0.0000" not in proc.stdout and "—" in proc.stdout
    assert "stopped early: connection" in proc.stderr and "Cannot connect" in proc.stderr
    scores = _model_scores(runs / "refused")
    assert scores["u2"]["value"] is None and "low" not in scores["u2"]
    assert all(t["value"]["value"] is None for t in scores["tasks"].values())
    assert scores["answered"] == 0
    # the exception's class is a field of its own in the journal (what the early stop reads)
    errors = [json.loads(line)["error"] for line in (runs / "refused" / "journal.jsonl").read_text().splitlines()]
    assert errors and {e["kind"] for e in errors} == {"connection"}
    assert {e.get("exception") for e in errors} == {"ClientConnectorError"}



def test_nothing_answered_in_compat_mode_shows_no_clinical_or_anatomy_zeros(runs: Path, tmp_path: Path) -> None:
    with FakeProvider(faults=FailFirst("server_error", times=999)) as fake:
        argv = eval_argv(runs, "down", "openai:gpt-4.1", base_url=fake.url + "/v1",
                         extra=["--quiet", "--max-attempts", "1", "--mode", "compat"])
        proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
    assert proc.returncode == ExitCode.NOTHING_ANSWERED, proc.stderr
    scores = _model_scores(runs / "down")
    # compat counts an API error as a wrong answer, yet with no answer at all nothing reads 0
    assert scores["answered"] == 0 and scores["clinical"] == {}
    assert all(v is None for d in scores["datasets"].values() for v in d.get("extra", {}).values())
    shown = run_cli([sys.executable, "-m", "u2fast.cli", "score", str(runs / "down"), "--mode", "compat"], cli_env())
    assert shown.returncode == 0, shown.stderr
    assert "0.00" not in shown.stdout and "worst" not in shown.stdout and "Cochran" not in shown.stdout
    md = tmp_path / "r.md"
    report = run_cli([sys.executable, "-m", "u2fast.cli", "report", str(runs / "down"), "--mode", "compat",
                      "--bootstrap", "0", "--md", str(md), "--format", "json"], cli_env())
    assert report.returncode == 0, report.stderr
    assert json.loads(report.stdout)["anatomy"] == []
    assert "| 0.000 |" not in md.read_text()

def test_every_request_refused_as_bad_request_stops_after_five_with_the_provider_message(runs: Path) -> None:
    with FakeProvider(faults=FailFirst("bad_request", times=99)) as fake:
        argv = eval_argv(runs, "bad", "openai:gpt-4.1", base_url=fake.url + "/v1",
                         extra=["--quiet", "--concurrency", "1", "--tasks", "DD,VRA"])
        proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
        sent = len(fake.received())
    assert sent == OPENING_FAILURES  # the rest of the benchmark was not sent
    assert proc.returncode == ExitCode.NOTHING_ANSWERED, proc.stderr
    assert "stopped early: bad_request" in proc.stderr
    assert "bad_request 400: " in proc.stderr  # the provider's own message follows
    assert "U2-Score" in proc.stdout and "0.0000" not in proc.stdout


def _fault_after(runs: Path, name: str, fault: str, answered: int) -> subprocess.CompletedProcess[str]:
    """An eval, one request at a time, whose server answers ``answered`` requests, then only ``fault``."""

    def plan(request: ReceivedRequest, rng: random.Random) -> str | None:
        return fault if fake.counts["requests"] > answered else None

    with FakeProvider(faults=plan) as fake:
        argv = eval_argv(runs, name, "openai:gpt-4.1", base_url=fake.url + "/v1", extra=["--quiet", "--concurrency", "1"])
        return run_cli(argv, cli_env(OPENAI_API_KEY=KEY))


def test_a_key_rejected_mid_run_is_shown_without_the_key_and_exits_provider(runs: Path) -> None:
    proc = _fault_after(runs, "midrun", "echo_key", 3)
    assert proc.returncode == ProviderError.exit_code == ExitCode.PROVIDER
    assert "stopped early: auth" in proc.stderr and "auth 401: " in proc.stderr
    assert KEY not in proc.stderr + proc.stdout
    scores = _model_scores(runs / "midrun")
    assert scores["answered"] == 3 and scores["not_sent"] == 13 - 4
    assert "3/13 partial" in proc.stdout


def test_a_quota_stop_is_a_partial_run_with_its_own_exit_code(runs: Path) -> None:
    proc = _fault_after(runs, "quota", "quota", 5)
    assert proc.returncode == ExitCode.PARTIAL, proc.stderr
    assert "stopped early: quota" in proc.stderr
    assert "5/13 partial" in proc.stdout and "cover only the answered" in proc.stdout
    scores = _model_scores(runs / "quota")
    # the request the quota refused is an API error; the seven never sent are not
    assert scores["errors_by_kind"] == {"quota_exhausted": 1}
    assert scores["not_sent"] == 7 and scores["error_rate"] == 1 / 6
