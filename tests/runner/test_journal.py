from __future__ import annotations

import asyncio
import os
from pathlib import Path

import msgspec
import pytest

from u2fast.errors import RunError
from u2fast.runner import iter_journal, read_journal
from u2fast.runner.journal import JournalWriter
from u2fast.types import ApiError, Completion


def ok(key: str, text: str = "A", attempt: int = 1) -> Completion:
    return Completion(key=key, case_id=key, model="m:x", text=text, attempt=attempt)


def err(key: str, kind: str = "server", attempt: int = 1) -> Completion:
    return Completion(
        key=key, case_id=key, model="m:x", error=ApiError(kind=kind, message="boom"), attempt=attempt
    )  # type: ignore[arg-type]


def write(path: Path, records: list[Completion], tail: bytes = b"") -> None:
    path.write_bytes(b"".join(msgspec.json.encode(r) + b"\n" for r in records) + tail)


def test_ok_record_wins_over_errors_before_and_after(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    write(path, [err("k1"), ok("k1", attempt=2), err("k1", attempt=3), err("k2"), err("k2", "timeout", 2)])
    best = read_journal(path)
    assert best["k1"].ok and best["k1"].attempt == 2
    assert not best["k2"].ok and best["k2"].error is not None and best["k2"].error.kind == "timeout"


def test_torn_last_line_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    write(path, [ok("k1")], tail=b'{"key":"k2","case_id":"k2","mo')
    assert list(read_journal(path)) == ["k1"]


def test_damaged_line_in_the_middle_is_an_error_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_bytes(msgspec.json.encode(ok("k1")) + b"\nnot json\n" + msgspec.json.encode(ok("k2")) + b"\n")
    with pytest.raises(RunError, match=r"journal.jsonl: line 2"):
        read_journal(path)


def test_missing_journal_reads_as_empty(tmp_path: Path) -> None:
    assert read_journal(tmp_path / "none.jsonl") == {}


def test_writer_cuts_a_torn_tail_before_appending(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    write(path, [ok("k1")], tail=b'{"key":"k2","ca')
    writer = JournalWriter(path)
    writer.open()
    writer.append(ok("k3"))
    writer.close()
    assert [r.key for r in iter_journal(path)] == ["k1", "k3"]
    assert path.read_bytes().endswith(b"\n")


def test_appends_reach_the_file_on_the_next_loop_turn(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"

    async def go() -> list[str]:
        writer = JournalWriter(path)
        writer.open()
        writer.append(ok("a"))
        writer.append(ok("b"))
        await asyncio.sleep(0)  # one turn: both handed to the kernel in one write
        seen = [r.key for r in iter_journal(path)]
        writer.close()
        return seen

    assert asyncio.run(go()) == ["a", "b"]


def test_a_torn_line_longer_than_the_tail_window_is_cut_too(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    write(path, [ok("k1")], tail=b'{"key":"k2","text":"' + b"x" * (2 << 20))
    writer = JournalWriter(path)
    writer.open()
    writer.append(ok("k3"))
    writer.close()
    assert [r.key for r in iter_journal(path)] == ["k1", "k3"]


def test_a_journal_that_cannot_be_written_stops_the_run_loudly(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"

    async def go() -> None:
        writer = JournalWriter(path)
        writer.open()
        assert writer._fd is not None
        os.close(writer._fd)  # as if the disk went away
        writer._fd = os.open(os.devnull, os.O_RDONLY)
        writer.append(ok("a"))
        await asyncio.sleep(0)
        with pytest.raises(RunError, match="cannot write the journal"):
            writer.append(ok("b"))

    asyncio.run(go())


def test_a_second_writer_on_the_same_journal_is_refused(tmp_path: Path) -> None:
    first = JournalWriter(tmp_path / "journal.jsonl")
    first.open()
    try:
        second = JournalWriter(tmp_path / "journal.jsonl")
        with pytest.raises(RunError, match="another u2fast process is writing this run"):
            second.open()
    finally:
        first.close()
    again = JournalWriter(tmp_path / "journal.jsonl")  # free again once the first is closed
    again.open()
    again.close()
