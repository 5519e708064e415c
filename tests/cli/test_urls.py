"""Bad settings users type (base URLs, limits): a clear error before anything is sent. Credentials in a URL
beside a key are refused before sending, and no error message or journal shows a URL's password."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import cli_env, eval_argv, run_cli
from scripted import ScriptedServer

from u2fast.credentials import basic_token
from u2fast.errors import ConfigError
from u2fast.testing import FakeProvider, FaultMix

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



@pytest.mark.parametrize("model", ["openai:gpt-4.1", "gemini:gemini-2.5-flash", "anthropic:claude-sonnet-4-5"])
def test_a_base_url_with_a_query_is_refused_before_sending(runs: Path, model: str) -> None:
    # the adapter appends its API path to the base URL: after "?key=..." every request went to the
    # wrong path (the path became part of the query)
    with ScriptedServer() as server:
        url = f"{server.url}/v1?key=AIza-query-secret-77"
        proc = run_cli(eval_argv(runs, "query", model, base_url=url, extra=["--quiet"]), cli_env(**ENV))
        sent = len(server.hits)
    assert proc.returncode == ConfigError.exit_code, proc.stderr
    assert sent == 0 and not (runs / "query" / "journal.jsonl").exists()
    assert "a query (?...) or fragment" in proc.stderr and "AIza-query-secret-77" not in proc.stderr + proc.stdout

def test_credentials_in_the_url_beside_a_key_are_refused_before_sending(runs: Path) -> None:
    password = "Pr0xyPassw0rd-secret"
    with ScriptedServer() as server:
        url = server.url.replace("http://", f"http://user:{password}@") + "/v1"
        proc = run_cli(eval_argv(runs, "cred", "openai:gpt-4.1", base_url=url, extra=["--quiet"]), cli_env(**ENV))
        assert not server.hits
    # aiohttp cannot send both (the URL's user:password becomes an Authorization header): a
    # configuration error naming both sources, not a run whose every request fails
    assert proc.returncode == ConfigError.exit_code, proc.stderr
    assert "$OPENAI_API_KEY" in proc.stderr and "--base-url" in proc.stderr
    assert not (runs / "cred" / "journal.jsonl").exists()
    assert password not in proc.stderr and password not in proc.stdout


@pytest.mark.parametrize(
    "url",
    [
        "http://user:Pw-s3cret-99@127.0.0.1:99999/v1",  # port out of range
        "ftp://user:Pw-s3cret-99@127.0.0.1/v1",  # not http
        "http://user:Pw-s3cret-99@exa mple.com/v1",  # whitespace
        "http://user:Pw-s3cret-99@[bad/v1",  # unparseable host
    ],
)
def test_a_bad_base_url_error_hides_its_password(runs: Path, url: str) -> None:
    proc = run_cli(eval_argv(runs, "bad", "openai:gpt-4.1", base_url=url, extra=["--quiet"]), cli_env())
    assert proc.returncode == ConfigError.exit_code, proc.stderr
    assert "Pw-s3cret-99" not in proc.stderr + proc.stdout
    assert "REDACTED" in proc.stderr


def test_no_key_error_hides_the_url_password(runs: Path) -> None:
    url = "https://user:Pw-s3cret-99@api.example.com/v1"
    proc = run_cli(eval_argv(runs, "nokey", "openai:gpt-4.1", base_url=url, extra=["--quiet"]), cli_env())
    assert proc.returncode == ConfigError.exit_code, proc.stderr
    assert "no API key" in proc.stderr and "api.example.com" in proc.stderr
    assert "Pw-s3cret-99" not in proc.stderr + proc.stdout


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


def test_basic_credentials_an_echoing_server_repeats_stay_out_of_the_journal_and_report(runs: Path) -> None:
    password = "Echo-Pw-s3cret-42"
    with FakeProvider(faults=FaultMix({"echo_key": 1.0})) as fake:
        url = fake.url.replace("http://", f"http://proxyuser:{password}@") + "/v1"
        proc = run_cli(eval_argv(runs, "echo", "openai:gpt-4.1", base_url=url, extra=["--quiet"]), cli_env())
        echoed = fake.received()[0].headers["authorization"]
    assert echoed == f"Basic {basic_token('proxyuser', password)}"  # what aiohttp sent, and the server echoed
    out = runs / "echo"
    report = run_cli([*eval_argv(runs, "x")[:3], "report", str(out), "--html", str(out / "r.html"),
                      "--md", str(out / "r.md")], cli_env())
    assert report.returncode == 0, report.stderr
    assert "Incorrect API key provided" in (out / "r.html").read_text()
    written = "".join(p.read_text(errors="replace") for p in (runs / "echo").rglob("*") if p.is_file())
    assert "journal.jsonl" in {p.name for p in (runs / "echo").iterdir()}
    for form in (password, basic_token("proxyuser", password), echoed):
        assert form not in written
        assert form not in proc.stderr + proc.stdout + report.stderr + report.stdout
