"""Escape sequences in a model or run name reach neither the terminal nor the Markdown report."""

from __future__ import annotations

import sys
from pathlib import Path

from cli_support import cli_env, run_cli

HOSTILE = "uni\x1b]0;PWNED\x07\x1b[31m\x1b[2Jform"


def test_a_model_name_with_escape_sequences_is_shown_without_them(runs: Path) -> None:
    base = [sys.executable, "-m", "u2fast.cli"]
    argv = [*base, "eval", "--model", f"random:{HOSTILE}", "--tasks", "DD", "--limit", "1",
            "--runs-dir", str(runs), "--name", "esc", "--bootstrap", "0"]
    evaluated = run_cli(argv, cli_env())
    assert evaluated.returncode == 0, evaluated.stderr
    md = runs / "esc" / "report.md"
    reported = run_cli([*base, "report", str(runs / "esc"), "--md", str(md), "--bootstrap", "0"], cli_env())
    scored = run_cli([*base, "score", str(runs / "esc"), "--bootstrap", "0"], cli_env())
    assert reported.returncode == 0 and scored.returncode == 0, reported.stderr + scored.stderr
    shown = "".join(p.stdout + p.stderr for p in (evaluated, reported, scored)) + md.read_text()
    assert "\x1b" not in shown and "\x07" not in shown
    assert "random:uniform" in shown  # the name is still shown, less its escapes (and their payload)
