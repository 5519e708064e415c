"""Bad settings users type (base URLs, limits): a clear error before anything is sent. Credentials in a URL
are a final error (not retried) and never journalled."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import cli_env, eval_argv, run_cli
from scripted import ScriptedServer

from u2fast.errors import ConfigError
from u2fast.runner import iter_journal

ENV = {"OPENAI_API_KEY": "sk-url-test-0001", "GEMINI_API_KEY": "g-url-test-0001", "ANTHROPIC_API_KEY": "a-url-test-01"}


@pytest.mark.parametrize(
    ("url", "model"),
    [
        ("http://[bad/v1", "openai:gpt-4.1"),
        ("http://[bad/v1", "gemini:gemini-2.5-flash"),
        ("http://[bad/v1", "anthropic:claude-sonnet-4-5"),
        ("http://127.0.0.1:99999/v1", "openai:gpt-4.1"),
        ("http://exa mple.com/v1", "gemini:gemini-2.5-flash"),
        ("http:///v1", "anthropic:claude-sonnet-4-5"),
    ],
)
def test_malformed_base_url_is_a_config_error_naming_it(runs: Path, url: str, model: str) -> None:
    proc = run_cli(eval_argv(runs, "bad", model, base_url=url, extra=["--quiet"]), cli_env(**ENV))
    assert proc.returncode == ConfigError.exit_code, proc.stderr
    assert "Traceback" not in proc.stderr
    assert model.split(":")[0] in proc.stderr and url in proc.stderr
    assert not (runs / "bad" / "journal.jsonl").exists()


def test_credentials_in_the_url_beside_a_key_fail_once_and_stay_secret(runs: Path) -> None:
    password = "Pr0xyPassw0rd-secret"
    with ScriptedServer() as server:
        url = server.url.replace("http://", f"http://user:{password}@") + "/v1"
        proc = run_cli(eval_argv(runs, "cred", "openai:gpt-4.1", base_url=url, extra=["--quiet"]), cli_env(**ENV))
    assert proc.returncode == 0, proc.stderr
    records = list(iter_journal(runs / "cred" / "journal.jsonl"))
    n_cases = len((runs / "cred" / "cases.jsonl").read_text().splitlines())
    # the HTTP client refuses it locally: a final error, one attempt each, not six
    assert len(records) == n_cases
    assert all(r.error is not None and r.error.kind == "bad_request" for r in records)
    journal = (runs / "cred" / "journal.jsonl").read_text()
    assert password not in journal
    assert password not in proc.stderr and password not in proc.stdout


@pytest.mark.parametrize(
    ("flag", "value"), [("--concurrency", "0"), ("--rpm", "-5"), ("--tpm", "0"), ("--max-attempts", "0")]
)
def test_limit_out_of_range_on_the_command_line_is_a_config_error(runs: Path, flag: str, value: str) -> None:
    argv = eval_argv(runs, "lim", "openai:gpt-4.1", base_url="http://127.0.0.1:9/v1", extra=[flag, value, "--quiet"])
    proc = run_cli(argv, cli_env(**ENV))
    assert proc.returncode == ConfigError.exit_code, proc.stderr
    assert "Traceback" not in proc.stderr and flag in proc.stderr


def test_limit_out_of_range_in_the_config_file_names_the_file(runs: Path, tmp_path: Path) -> None:
    config = tmp_path / "eval.toml"
    config.write_text('[models."openai:gpt-4.1"]\nconcurrency = 0\n')
    argv = eval_argv(runs, "lim", "openai:gpt-4.1", base_url="http://127.0.0.1:9/v1", extra=["--config", str(config)])
    proc = run_cli(argv, cli_env(**ENV))
    assert proc.returncode == ConfigError.exit_code, proc.stderr
    assert str(config) in proc.stderr and "openai:gpt-4.1" in proc.stderr and "concurrency" in proc.stderr
