"""Limits as the server sees them: in-flight requests, requests and tokens per window, budgets, dry runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import cli_env, eval_argv, run_cli
from scripted import Action, Hit, ScriptedServer, openai_ok

from u2fast.exit_codes import ExitCode
from u2fast.runner import iter_journal

KEY = "sk-limits-test-0000000000001"


def slow_ok(delay: float):  # type: ignore[no-untyped-def]
    def script(hit: Hit) -> Action:
        action = openai_ok("A", model=hit.model)
        action.delay = delay
        return action

    return script


def most_in_window(times: list[float], window: float) -> int:
    times = sorted(times)
    best, lo = 0, 0
    for hi, t in enumerate(times):
        while t - times[lo] >= window:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def test_concurrency_flag_caps_requests_and_connections(runs: Path) -> None:
    with ScriptedServer(slow_ok(0.15)) as server:
        argv = eval_argv(
            runs, "c", "openai:gpt-4.1", base_url=server.url + "/v1", extra=["--concurrency", "3", "--quiet"]
        )
        proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
    assert proc.returncode == 0, proc.stderr
    assert server.peak_in_flight == 3  # reached, never passed
    assert len(server.connections) <= 3  # connections are reused, not one per request
    assert len(server.hits) == len((runs / "c" / "cases.jsonl").read_text().splitlines())


def test_rpm_flag_spaces_requests(runs: Path) -> None:
    rpm = 300.0  # 5 a second, one second of burst
    with ScriptedServer(slow_ok(0.0)) as server:
        argv = eval_argv(runs, "r", "openai:gpt-4.1", base_url=server.url + "/v1",
                         extra=["--rpm", str(rpm), "--concurrency", "16", "--quiet"])  # fmt: skip
        proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
    assert proc.returncode == 0, proc.stderr
    times = [h.at for h in server.hits]
    assert len(times) == 13
    # in any second: the burst (5) plus the rate (5), with one of slack for clock edges
    assert most_in_window(times, 1.0) <= 11
    # 13 requests at 5/s after a burst of 5 take at least (13 - 5 - 1) / 5 s
    assert max(times) - min(times) >= (13 - 6) / 5 * 0.9


@pytest.mark.slow
def test_tpm_flag_spaces_requests_by_estimated_tokens(runs: Path) -> None:
    env = cli_env(OPENAI_API_KEY=KEY)
    with ScriptedServer(slow_ok(0.0)) as server:
        dry = run_cli(eval_argv(runs, "t", "openai:gpt-4.1", base_url=server.url + "/v1",
                                extra=["--dry-run", "--json", "--max-tokens", "50"]), env)  # fmt: skip
        assert dry.returncode == 0, dry.stderr
        assert not server.hits  # a dry run sends nothing
        estimate = json.loads(dry.stdout)[0]
        per_request = estimate["input_tokens"] / estimate["requests"] + 50
        tpm = per_request * 4 * 60  # about 4 requests a second
        argv = eval_argv(runs, "t", "openai:gpt-4.1", base_url=server.url + "/v1",
                         extra=["--tpm", str(tpm), "--max-tokens", "50", "--quiet"])  # fmt: skip
        proc = run_cli(argv, env)
    assert proc.returncode == 0, proc.stderr
    times = [h.at for h in server.hits]
    assert len(times) == estimate["requests"] == 13
    assert most_in_window(times, 1.0) <= 4 + 4 + 2
    assert max(times) - min(times) >= (13 - 4 - 2) / 4 * 0.9


def test_config_file_limits_per_provider_and_model(runs: Path, tmp_path: Path) -> None:
    config = tmp_path / "eval.toml"
    with ScriptedServer(slow_ok(0.1)) as server:
        config.write_text(
            "[defaults]\nconcurrency = 8\n"
            f'[providers.openai]\nconcurrency = 4\nbase_url = "{server.url}/v1"\n'
            '[models."openai:gpt-4o"]\nconcurrency = 1\noptions = { detail = "low" }\n'
        )
        argv = eval_argv(runs, "cfg", "openai:gpt-4.1", "openai:gpt-4o", extra=["--config", str(config), "--quiet"])
        proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
    assert proc.returncode == 0, proc.stderr
    # the provider's 4 are shared by both models (one key, one URL); gpt-4o's own 1 holds it alone
    assert server.peak_in_flight == 4
    assert server.peak_by_model["gpt-4o"] == 1 and server.peak_by_model["gpt-4.1"] <= 4
    # adapter options reach the wire of that model only
    details = {
        (h.model, part["image_url"].get("detail"))
        for h in server.hits
        for part in h.doc["messages"][0]["content"]
        if part["type"] == "image_url"
    }
    assert details == {("gpt-4.1", None), ("gpt-4o", "low")}


def test_two_models_on_one_key_share_the_concurrency_flag(runs: Path) -> None:
    with ScriptedServer(slow_ok(0.15)) as server:
        argv = eval_argv(
            runs, "shared", "openai:gpt-4.1", "openai:gpt-4o", base_url=server.url + "/v1",
            extra=["--concurrency", "3", "--quiet"],
        )
        proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
    assert proc.returncode == 0, proc.stderr
    assert server.peak_in_flight == 3  # in flight per provider, not per model
    assert set(server.peak_by_model) == {"gpt-4.1", "gpt-4o"}


def test_models_on_different_keys_do_not_share(runs: Path, tmp_path: Path) -> None:
    config = tmp_path / "eval.toml"
    with ScriptedServer(slow_ok(0.3)) as server:
        config.write_text(
            f'[providers.openai]\nbase_url = "{server.url}/v1"\n'
            '[models."openai:gpt-4o"]\napi_key = "sk-second-key-0000000000002"\n'
        )
        argv = eval_argv(
            runs, "keys", "openai:gpt-4.1", "openai:gpt-4o",
            extra=["--config", str(config), "--concurrency", "2", "--quiet"],
        )
        proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
    assert proc.returncode == 0, proc.stderr
    assert server.peak_by_model == {"gpt-4.1": 2, "gpt-4o": 2}
    assert server.peak_in_flight > 2


def test_command_line_beats_the_config_file(runs: Path, tmp_path: Path) -> None:
    config = tmp_path / "eval.toml"
    with ScriptedServer(slow_ok(0.1)) as server:
        config.write_text(f'[models."openai:gpt-4.1"]\nconcurrency = 1\nbase_url = "{server.url}/v1"\n')
        argv = eval_argv(
            runs, "cli", "openai:gpt-4.1", extra=["--config", str(config), "--concurrency", "2", "--quiet"]
        )
        proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
    assert proc.returncode == 0, proc.stderr
    assert server.peak_by_model == {"gpt-4.1": 2}


def test_dry_run_sends_nothing_and_writes_no_journal(runs: Path) -> None:
    with ScriptedServer(slow_ok(0.0)) as server:
        argv = eval_argv(runs, "dry", "openai:gpt-4.1", "gemini:gemini-2.5-flash", base_url=server.url,
                         extra=["--dry-run", "--json"])  # fmt: skip
        proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY, GEMINI_API_KEY=KEY))
        plain = run_cli([a for a in argv if a != "--json"], cli_env(OPENAI_API_KEY=KEY, GEMINI_API_KEY=KEY))
    assert proc.returncode == 0 and plain.returncode == 0, proc.stderr + plain.stderr
    assert not server.hits
    estimates = {e["model"]: e for e in json.loads(proc.stdout)}
    assert set(estimates) == {"openai:gpt-4.1", "gemini:gemini-2.5-flash"}
    assert all(e["requests"] == 13 and e["input_tokens"] > 13 * 85 for e in estimates.values())
    assert "nothing sent" in plain.stdout
    assert not (runs / "dry" / "journal.jsonl").exists() or not (runs / "dry" / "journal.jsonl").read_bytes()


def test_max_cost_stops_spending_at_the_budget(runs: Path, tmp_path: Path) -> None:
    # 1,000 input and 100 output tokens per answer at $1 / $10 per million: $0.002 an answer
    def script(hit: Hit) -> Action:
        return openai_ok("A", model=hit.model, usage=(1000, 100))

    config = tmp_path / "eval.toml"
    config.write_text('[models."openai:gpt-4.1"]\nprice = { input = 1.0, output = 10.0 }\n')
    budget = 0.009
    with ScriptedServer(script) as server:
        argv = eval_argv(runs, "cost", "openai:gpt-4.1", base_url=server.url + "/v1",
                         extra=["--config", str(config), "--max-cost", str(budget), "--max-tokens", "100",
                                "--concurrency", "2"])  # fmt: skip
        proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
    assert proc.returncode == ExitCode.PARTIAL, proc.stderr
    assert "budget" in proc.stderr
    records = list(iter_journal(runs / "cost" / "journal.jsonl"))
    spent = sum(r.usage.input_tokens * 1.0 + r.usage.output_tokens * 10.0 for r in records) / 1e6
    assert spent <= budget + 1e-12
    assert 1 <= len(server.hits) < 13
    manifest = json.loads((runs / "cost" / "manifest.json").read_text())
    assert manifest["status"] == "stopped"


def test_max_cost_refuses_a_model_without_a_price_before_sending(runs: Path) -> None:
    with ScriptedServer() as server:
        argv = eval_argv(runs, "unpriced", "openai:my-local-finetune", base_url=server.url + "/v1",
                         extra=["--max-cost", "1", "--quiet"])
        proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
        assert not server.hits
    assert proc.returncode == 2, proc.stderr
    assert "no price is known" in proc.stderr and "openai:my-local-finetune" in proc.stderr


def test_base_urls_and_keys_from_each_providers_environment_variables(runs: Path) -> None:
    with ScriptedServer() as server:
        env = cli_env(
            OPENAI_API_KEY="sk-env-openai-0001",
            OPENAI_BASE_URL=server.url + "/v1",
            GOOGLE_API_KEY="g-env-google-0001",  # the other of Gemini's two variables
            GOOGLE_GEMINI_BASE_URL=server.url,
            ANTHROPIC_API_KEY="a-env-anthropic-01",
            ANTHROPIC_BASE_URL=server.url,
        )
        models = ("openai:gpt-4.1", "gemini:gemini-2.5-flash", "anthropic:claude-sonnet-4-5")
        proc = run_cli(eval_argv(runs, "env", *models, extra=["--quiet"]), env)
    assert proc.returncode == 0, proc.stderr
    by_path = {h.path.rsplit("/", 1)[-1]: h.headers for h in server.hits}
    assert by_path["completions"]["authorization"] == "Bearer sk-env-openai-0001"
    assert by_path["gemini-2.5-flash:generateContent"]["x-goog-api-key"] == "g-env-google-0001"
    assert by_path["messages"]["authorization"] == "Bearer a-env-anthropic-01"
    assert len(server.hits) == 3 * 13


def test_help_states_the_request_deadline_and_the_response_cap() -> None:
    import sys

    proc = run_cli([sys.executable, "-m", "u2fast.cli", "eval", "--help"], cli_env())
    text = " ".join(proc.stdout.split())
    assert "--request-deadline SECONDS" in text and "default 900" in text
    assert "--max-response-mb MB" in text and "default 16" in text


def test_response_cap_and_request_deadline_from_the_command_line(runs: Path) -> None:
    from u2fast.testing import FakeProvider, FaultMix

    with FakeProvider(faults=FaultMix({"oversize": 1.0}), oversize_bytes=3 << 20) as fake:
        argv = eval_argv(runs, "cap", "openai:gpt-4.1", base_url=f"{fake.url}/v1",
                         extra=["--max-response-mb", "1", "--max-attempts", "2", "--request-deadline", "600", "--quiet"])
        proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
    assert "Traceback" not in proc.stderr  # the exit code of an all-failed run is the outcome rules' to set
    records = list(iter_journal(runs / "cap" / "journal.jsonl"))
    assert records and all(r.error is not None and r.error.kind == "malformed_response" for r in records)
    assert "larger than 1,048,576 bytes" in records[0].error.message  # type: ignore[union-attr]


def _priced(tmp_path: Path) -> Path:
    """A config pricing openai:gpt-4.1 at $1 input and $10 output per million tokens."""
    config = tmp_path / "eval.toml"
    config.write_text('[models."openai:gpt-4.1"]\nprice = { input = 1.0, output = 10.0 }\n')
    return config


def test_max_cost_reserves_the_expected_cost_not_the_worst_case(runs: Path, tmp_path: Path) -> None:
    # 400 input and 5 output tokens per answer at $1 / $10 per million: $0.00045 an answer, while the
    # worst case of one request (max_tokens 1,024) is above $0.01; a $0.004 budget pays for ~8 answers
    config = _priced(tmp_path)
    budget = 0.004
    with ScriptedServer(lambda hit: openai_ok("A", usage=(400, 5))) as server:
        argv = eval_argv(runs, "expected", "openai:gpt-4.1", base_url=server.url + "/v1",
                         extra=["--config", str(config), "--max-cost", str(budget), "--quiet"])
        proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
    assert proc.returncode == ExitCode.PARTIAL, proc.stderr
    assert "stopped early: budget" in proc.stderr
    records = list(iter_journal(runs / "expected" / "journal.jsonl"))
    spent = sum(r.usage.input_tokens * 1.0 + r.usage.output_tokens * 10.0 for r in records) / 1e6
    assert len(records) >= 6 and spent <= budget + 1e-12


def test_dry_run_shows_expected_and_worst_case_cost(runs: Path, tmp_path: Path) -> None:
    config = _priced(tmp_path)
    argv = eval_argv(runs, "dry", "openai:gpt-4.1", extra=["--config", str(config), "--dry-run", "--json"])
    proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
    assert proc.returncode == 0, proc.stderr
    (estimate,) = json.loads(proc.stdout)
    assert estimate["max_output_tokens"] == 13 * 1024
    assert 0 < estimate["expected_output_tokens"] < estimate["max_output_tokens"]
    assert 0 < estimate["expected_cost"] < estimate["max_cost"]
    table = run_cli(argv[:-1], cli_env(OPENAI_API_KEY=KEY)).stdout
    assert "expected cost (USD)" in table and "worst-case cost (USD)" in table
