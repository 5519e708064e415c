"""Every ``u2fast`` command's ``--help``: each option has a text, and a set default is shown."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys

import pytest

from u2fast.cli import build_parser


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    found = [(path, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _commands(sub, (*path, name))
    return found


COMMANDS = _commands(build_parser())


def _undocumented(help_text: str) -> list[str]:
    """Option lines of an argparse help page with no text beside or below them."""
    lines = help_text.splitlines()
    bad = []
    for i, line in enumerate(lines):
        m = re.match(r"^  (-\S.*?)(?:\s{2,}(\S.*))?$", line)
        if not m or m.group(2):
            continue
        below = lines[i + 1] if i + 1 < len(lines) else ""
        if not re.match(r"^\s{4,}\S", below) or re.match(r"^\s+-", below):
            bad.append(m.group(1))
    return bad


def test_the_walk_finds_every_command() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"eval", "score", "data", "data info", "data sample", "plugins", "report", "compare"} <= names


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS], ids=lambda p: " ".join(p) or "u2fast")
def test_every_option_has_help_text_and_shows_its_default(path: tuple[str, ...]) -> None:
    proc = subprocess.run([sys.executable, "-m", "u2fast.cli", *path, "--help"], capture_output=True, text=True,
                          check=False, env={**os.environ, "COLUMNS": "100"})
    assert proc.returncode == 0, proc.stderr
    assert _undocumented(proc.stdout) == [], proc.stdout
    parser = dict(COMMANDS)[path]
    text = " ".join(proc.stdout.split())
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            continue  # each subcommand's own help line is checked on its page
        assert action.help and action.help.strip(), f"{' '.join(path)}: {action.option_strings or action.dest}"
        shown = action.option_strings and action.default not in (None, [], argparse.SUPPRESS)
        if shown and action.default is not False:
            # the default is in the text, written by the option itself or added by the formatter
            assert "default" in " ".join(action.help.split()) or f"(default: {action.default})" in text, (
                path, action.option_strings,
            )


def test_the_undocumented_detector_sees_a_bare_option() -> None:
    page = "options:\n  --bare BARE\n  --json                print JSON\n  --long-option LONG\n                        text\n"
    assert _undocumented(page) == ["--bare BARE"]
