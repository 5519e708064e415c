"""`u2fast data sample` through the real command: the files it writes and the progress it shows."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from cli_support import cli_env, run_cli, run_on_terminal


def _argv(out: Path, cases: int) -> list[str]:
    return [sys.executable, "-m", "u2fast.cli", "data", "sample", "--cases", str(cases), "--out", str(out)]


def test_progress_is_plain_periodic_lines_in_a_pipe(tmp_path: Path) -> None:
    proc = run_cli(_argv(tmp_path / "s", 60), cli_env())
    assert proc.returncode == 0, proc.stderr
    assert "wrote 60 cases" in proc.stdout
    assert "\r" not in proc.stderr and "\x1b[" not in proc.stderr
    done = [int(m) for m in re.findall(r"^making cases: (\d+)/60$", proc.stderr, re.MULTILINE)]
    assert done[-1] == 60 and done == sorted(done)
    assert 2 <= len(done) <= 11  # a line per tenth at most, not one per case


def test_progress_is_one_updating_line_on_a_terminal(tmp_path: Path) -> None:
    # Progress is reported per scenario (a chunk of cases), so 60 cases update the line many times.
    code, text = run_on_terminal(_argv(tmp_path / "s", 60), cli_env(TERM="xterm-256color"))
    assert code == 0, text[-3000:]
    updates = re.findall(r"\rmaking cases: (\d+)/60", text)
    assert len(updates) >= 3 and updates[-1] == "60"
    assert [int(u) for u in updates] == sorted(int(u) for u in updates)
    # Updates overwrite each other: no line break until the last one.
    assert "\n" not in text[text.index("\rmaking cases") : text.rindex("\rmaking cases")]
    assert "wrote 60 cases" in text
    assert len(list((tmp_path / "s").rglob("*.tsv"))) == 50
