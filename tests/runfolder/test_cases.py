"""u2fast.runfolder.cases: reading ``cases.jsonl`` back."""

from __future__ import annotations

from pathlib import Path

import pytest

from u2fast.errors import RunError
from u2fast.runfolder import read_cases


def test_a_case_line_that_does_not_decode_is_named_by_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "cases.jsonl").write_text('\n{"case": 3}\n')
    with pytest.raises(RunError, match=r"cases.jsonl: line 2: not a case record"):
        read_cases(tmp_path)


def test_a_missing_cases_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(RunError, match="cases.jsonl is missing"):
        read_cases(tmp_path)
