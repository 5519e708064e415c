"""An answer whose response names another model (issue 9 item 12): journalled with that name,
warned about on screen, left out in robust mode unless --accept-other-models."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from cli_support import cli_env, eval_argv, run_cli
from scripted import ScriptedServer, openai_ok

from u2fast.runner import iter_journal
from u2fast.testing import FakeProvider, ReceivedRequest
from u2fast.testing.faults import OTHER_MODEL

KEY = "sk-served-model-test-01"


def _scores(proc_stdout: str) -> dict[str, object]:
    return dict(next(iter(json.loads(proc_stdout)["models"].values())))


def test_answers_from_another_model_are_warned_about_and_left_out_unless_accepted(runs: Path) -> None:
    def first_four(request: ReceivedRequest, rng: random.Random) -> str | None:
        return "other_model" if fake.counts["requests"] <= 4 else None

    with FakeProvider(faults=first_four) as fake:
        argv = eval_argv(runs, "mixed", "openai:gpt-4.1", base_url=fake.url + "/v1",
                         extra=["--quiet", "--concurrency", "1"])
        proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
    assert proc.returncode == 0, proc.stderr
    assert f"4 answers came from another model: {OTHER_MODEL} (4)" in proc.stdout
    served = [r.response_model for r in iter_journal(runs / "mixed" / "journal.jsonl")]
    assert served.count(OTHER_MODEL) == 4 and served.count("gpt-4.1") == 9

    score = [sys.executable, "-m", "u2fast.cli", "score", str(runs / "mixed"), "--json", "--bootstrap", "0"]
    robust = _scores(run_cli(score, cli_env()).stdout)
    assert robust["errors_by_kind"] == {"other_model": 4} and robust["answered"] == 9
    assert robust["other_models"] == {OTHER_MODEL: 4}
    accepted = _scores(run_cli([*score, "--accept-other-models"], cli_env()).stdout)
    assert "errors_by_kind" not in accepted and accepted["answered"] == 13
    compat = _scores(run_cli([*score, "--mode", "compat"], cli_env()).stdout)
    assert compat["answered"] == 13  # the official kit never looks


def test_a_provider_version_suffix_is_the_same_model(runs: Path) -> None:
    with ScriptedServer(lambda hit: openai_ok("A", model="gpt-4.1-2025-04-14")) as server:
        argv = eval_argv(runs, "pinned", "openai:gpt-4.1", base_url=server.url + "/v1", extra=["--json"])
        proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
    assert proc.returncode == 0, proc.stderr
    model = json.loads(proc.stdout)["scores"]["models"]["openai:gpt-4.1"]
    assert model["answered"] == 13 and "other_models" not in model
