"""What the user sees while a run goes: plain lines in a pipe, nothing with --quiet, rich in a terminal."""

from __future__ import annotations

from pathlib import Path

from cli_support import cli_env, eval_argv, run_cli, run_on_terminal
from scripted import Action, Hit, ScriptedServer, openai_ok

from u2fast.runner import read_journal

KEY = "sk-progress-test-000000000001"


def slow(hit: Hit) -> Action:
    action = openai_ok("A")
    action.delay = 0.05
    return action


def test_plain_lines_when_not_a_terminal(runs: Path) -> None:
    with ScriptedServer(slow) as server:
        proc = run_cli(eval_argv(runs, "p", "openai:gpt-4.1", base_url=server.url + "/v1"), cli_env(OPENAI_API_KEY=KEY))
    assert proc.returncode == 0, proc.stderr
    assert "\x1b[" not in proc.stderr  # no cursor movement or colour in a log file
    lines = [line for line in proc.stderr.splitlines() if line.startswith("openai:gpt-4.1:")]
    assert lines and "13/13 done, 13 ok, 0 failed" in lines[-1]



def test_a_resumed_run_counts_the_answers_it_already_held(runs: Path) -> None:
    with ScriptedServer(slow) as server:
        argv = eval_argv(runs, "again", "openai:gpt-4.1", base_url=server.url + "/v1")
        first = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
        assert first.returncode == 0, first.stderr
        sent = len(server.hits)
        again = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
        assert len(server.hits) == sent  # everything was answered: nothing is sent again
    assert again.returncode == 0, again.stderr
    lines = [line for line in again.stderr.splitlines() if line.startswith("openai:gpt-4.1:")]
    # not "13/13 done, 0 ok": the 13 answers are there, from the first run
    assert lines and "13/13 done, 13 ok (13 answered before this run), 0 failed" in lines[-1]

def test_quiet_prints_no_progress(runs: Path) -> None:
    with ScriptedServer(slow) as server:
        argv = eval_argv(runs, "q", "openai:gpt-4.1", base_url=server.url + "/v1", extra=["--quiet"])
        proc = run_cli(argv, cli_env(OPENAI_API_KEY=KEY))
    assert proc.returncode == 0, proc.stderr
    assert "done," not in proc.stderr and "req/s" not in proc.stderr
    assert "\x1b[" not in proc.stderr


def test_rich_display_in_a_pseudo_terminal_does_not_crash(runs: Path) -> None:
    with ScriptedServer(slow) as server:
        argv = eval_argv(runs, "tty", "openai:gpt-4.1", "openai:gpt-4o", base_url=server.url + "/v1",
                         extra=["--concurrency", "2"])  # fmt: skip
        env = cli_env(OPENAI_API_KEY=KEY, TERM="xterm-256color", COLUMNS="100", LINES="30")
        code, text = run_on_terminal(argv, env)
    assert code == 0, text[-3000:]
    assert "Traceback" not in text
    assert "\x1b[" in text  # it really drew on a terminal
    assert "openai:gpt-4o" in text and "U2-Score" in text
    journal = read_journal(runs / "tty" / "journal.jsonl")
    assert len(journal) == 26 and all(c.ok for c in journal.values())
