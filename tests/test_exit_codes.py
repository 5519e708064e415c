"""The exit-code table of docs/exit-codes.md and u2fast.exit_codes.ExitCode say the same."""

from __future__ import annotations

import re
from pathlib import Path

from u2fast.errors import ConfigError, DataError, PluginError, ProviderError, RunError, U2fastError
from u2fast.exit_codes import ExitCode

DOC = Path(__file__).resolve().parents[1] / "docs" / "exit-codes.md"


def test_the_documented_table_lists_every_code_once_with_its_name() -> None:
    rows = re.findall(r"^\| *(\d+) *\| *`(\w+)` *\|", DOC.read_text(), re.MULTILINE)
    assert [(int(code), name) for code, name in rows] == [(int(c), c.name) for c in ExitCode]


def test_error_classes_take_their_codes_from_the_enum() -> None:
    assert U2fastError.exit_code == ExitCode.ERROR
    assert (ConfigError.exit_code, DataError.exit_code, PluginError.exit_code) == (2, 3, 4)
    assert (ProviderError.exit_code, RunError.exit_code) == (ExitCode.PROVIDER, ExitCode.RUN_FOLDER)
    assert len({int(c) for c in ExitCode}) == len(ExitCode)
