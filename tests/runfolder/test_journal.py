"""``repair_journal``: unreadable complete lines move aside; a torn last line stays for the writer."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from u2fast.errors import RunError
from u2fast.runfolder import REJECTED, iter_journal, repair_journal
from u2fast.types import Completion


def _line(key: str) -> bytes:
    return msgspec.json.encode(Completion(key=key, case_id=key, model="m", text="A")) + b"\n"


def test_repair_moves_bad_lines_and_keeps_a_torn_tail(tmp_path: Path) -> None:
    journal = tmp_path / "journal.jsonl"
    journal.write_bytes(_line("a") + b"garbage\n" + _line("b") + b"{also bad}\n" + b'{"key": "c", "ca')
    with pytest.raises(RunError, match="--repair-journal"):
        list(iter_journal(journal))
    assert repair_journal(journal) == 2
    assert (tmp_path / REJECTED).read_bytes() == b"garbage\n{also bad}\n"
    assert journal.read_bytes() == _line("a") + _line("b") + b'{"key": "c", "ca'
    assert [r.key for r in iter_journal(journal)] == ["a", "b"]
    assert repair_journal(journal) == 0  # nothing left to move
