"""The README's promises: the Quickstart shape CI relies on, and its Python example runs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_quickstart_has_exactly_two_command_lines() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Quickstart", 1)[1]
    block = re.search(r"```[^\n]*\n(.*?)```", section, re.S)
    assert block is not None
    lines = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(lines) == 2
    assert lines[0].startswith("pip install -e .") and lines[0].endswith("&& u2fast eval")
    assert "pytest" in lines[1]
    # Line 1 alone installs every plugin package of plugins/ (u2fast plugins then lists the providers).
    packages = sorted(p.name for p in (README.parent / "plugins").iterdir() if (p / "pyproject.toml").is_file())
    assert packages and all(f" -e plugins/{name} " in lines[0] for name in packages)
    # CI runs the lines read from the README, so the two cannot drift apart.
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert 'eval "${quickstart[0]}"' in ci and 'eval "${quickstart[1]}"' in ci
    reader = re.search(r"mapfile -t quickstart < <\((awk .*)\)\n", ci)
    assert reader is not None
    read = subprocess.run(["bash", "-c", reader.group(1)], cwd=README.parent, capture_output=True, text=True, check=True)
    assert read.stdout.splitlines() == lines


def test_python_example_runs() -> None:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks
    for code in blocks:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
    assert "0.225265" in out.stdout
