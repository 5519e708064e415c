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


def test_a_latency_not_measured_reads_as_null_in_old_and_new_journals(tmp_path: Path) -> None:
    journal = tmp_path / "journal.jsonl"
    old_batch = b'{"key":"a","case_id":"a","model":"m","text":"A","latency_s":0.0,"finished_at":1.0}\n'
    new_batch = b'{"key":"b","case_id":"b","model":"m","text":"A","latency_s":null,"finished_at":1.0}\n'
    unsent = msgspec.json.encode(Completion(key="c", case_id="c", model="m", text="A")) + b"\n"
    timed = b'{"key":"d","case_id":"d","model":"m","text":"A","latency_s":0.25,"finished_at":1.0}\n'
    journal.write_bytes(old_batch + new_batch + unsent + timed)
    read = {r.key: r for r in iter_journal(journal)}
    assert b"latency_s" not in unsent  # a record made without a measure writes none
    assert {k: r.measured_latency for k, r in read.items()} == {"a": None, "b": None, "c": None, "d": 0.25}
    assert read["a"].latency_s == 0.0 and read["b"].latency_s is None
