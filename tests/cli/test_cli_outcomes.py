"""CLI behaviours found missing by the runner QA: no URL password in the manifest, a rejected key
fails the command (exit 5), and a piped dry run keeps each model on one line."""

from __future__ import annotations

from pathlib import Path

from cli_support import cli_env, eval_argv, run_cli
from scripted import Action, ScriptedServer

from u2fast.errors import ProviderError

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
    assert "stopped early: auth" in proc.stderr
    assert proc.returncode == ProviderError.exit_code


def test_piped_dry_run_names_each_model_on_one_line(runs: Path) -> None:
    env = cli_env(OPENAI_API_KEY=KEY, GEMINI_API_KEY=KEY)
    argv = eval_argv(runs, "dry", "openai:gpt-4.1", "gemini:gemini-2.5-flash", extra=["--dry-run"])
    proc = run_cli(argv, env)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert any("openai:gpt-4.1" in line and "13" in line for line in lines)
    assert any("gemini:gemini-2.5-flash" in line and "13" in line for line in lines)
