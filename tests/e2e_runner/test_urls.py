"""Base URLs users type: malformed ones are a clear error before anything is sent; credentials in
one are a final error (not retried) and never journalled."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import cli_env, eval_argv, run_cli
from scripted import ScriptedServer

from u2fast.errors import ConfigError
from u2fast.runner import iter_journal

ENV = {"OPENAI_API_KEY": "sk-url-test-0001", "GEMINI_API_KEY": "g-url-test-0001", "ANTHROPIC_API_KEY": "a-url-test-01"}


@pytest.mark.parametrize("url", ["http://[bad/v1", "http://127.0.0.1:99999/v1", "http://exa mple.com/v1", "http:///v1"])
@pytest.mark.parametrize("model", ["openai:gpt-4.1", "gemini:gemini-2.5-flash", "anthropic:claude-sonnet-4-5"])
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
