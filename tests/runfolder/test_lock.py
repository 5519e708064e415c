"""``RunLock``: one writer per run folder (the CLI side is tests/cli/test_run_folders.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from u2fast.errors import RunError
from u2fast.runfolder import RunLock


def test_the_lock_is_held_until_released(tmp_path: Path) -> None:
    with RunLock(tmp_path / "r"), pytest.raises(RunError, match="another u2fast process"):
        RunLock(tmp_path / "r").acquire()
    with RunLock(tmp_path / "r"):  # released on exit
        pass
