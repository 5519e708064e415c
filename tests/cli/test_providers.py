"""The provider plugins through the real command: the headline command, the one key rule of every
plugin, and keys read from the environment the way the plugins read them (stripped)."""

from __future__ import annotations

import json
from pathlib import Path

from cli_support import cli_env, eval_argv, run_cli

from u2fast.errors import ConfigError
from u2fast.runner import read_journal
from u2fast.testing import FakeProvider


def test_the_headline_command_reaches_both_providers_with_keys_pasted_with_a_newline(runs: Path) -> None:
    with FakeProvider(answer=lambda request: "A") as fake:
        env = cli_env(OPENAI_API_KEY="sk-headline-0001\n", GEMINI_API_KEY="  g-headline-0001\r\n",
                      OPENAI_BASE_URL=f"{fake.url}/v1", GOOGLE_GEMINI_BASE_URL=fake.url)
        argv = eval_argv(runs, "headline", extra=["--plugins", "openai,gemini", "--concurrency", "64", "--quiet"])
        proc = run_cli(argv, env)
        received = fake.received()
    assert proc.returncode == 0, proc.stderr
    assert {r.wire for r in received} == {"openai", "gemini"}
    by_wire = {r.wire: r.headers for r in received}
    assert by_wire["openai"]["authorization"] == "Bearer sk-headline-0001"
    assert by_wire["gemini"]["x-goog-api-key"] == "g-headline-0001"
    journal = read_journal(runs / "headline" / "journal.jsonl")
    assert journal and all(c.ok for c in journal.values())
    assert json.loads((runs / "headline" / "manifest.json").read_text())["models"] == [
        "openai:gpt-4.1", "gemini:gemini-2.5-pro"]


def test_every_plugin_runs_keyless_against_a_local_server(runs: Path) -> None:
    for model in ("openai:gpt-4.1", "gemini:gemini-2.5-flash", "anthropic:claude-sonnet-4-5"):
        name = model.split(":")[0]
        with FakeProvider(answer=lambda request: "B") as fake:
            base_url = f"{fake.url}/v1" if name == "openai" else fake.url
            proc = run_cli(eval_argv(runs, name, model, base_url=base_url, extra=["--quiet"]), cli_env())
            received = fake.received()
        assert proc.returncode == 0, (model, proc.stderr)
        assert received and all(
            h not in r.headers for r in received for h in ("authorization", "x-goog-api-key", "x-api-key"))
        assert all(c.ok and c.text == "B" for c in read_journal(runs / name / "journal.jsonl").values())


def test_every_plugin_needs_a_key_for_a_public_server(runs: Path) -> None:
    wanted = {"openai": "OPENAI_API_KEY", "gemini": "GOOGLE_API_KEY or GEMINI_API_KEY",
              "anthropic": "ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN"}
    for name, variables in wanted.items():
        blank = {"OPENAI_API_KEY": " ", "GEMINI_API_KEY": "\n"}  # blank counts as unset
        proc = run_cli(eval_argv(runs, name, f"{name}:m", extra=["--quiet"]), cli_env(**blank))
        assert proc.returncode == ConfigError.exit_code, proc.stderr
        assert f"{name}:m: no API key for " in proc.stderr and variables in proc.stderr
        assert "--base-url at a server on this machine" in proc.stderr  # says how to go without one
        assert not (runs / name / "journal.jsonl").exists()
