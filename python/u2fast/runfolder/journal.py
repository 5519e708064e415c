"""Reading ``journal.jsonl`` back, and ``--repair-journal``.

A torn last line (a kill during a write) is tolerated. A bad line elsewhere is an error naming the
file, the line and the way through: ``u2fast eval --resume RUN --repair-journal`` moves every
unreadable complete line into ``journal.rejected.jsonl`` (kept, never deleted) and keeps the rest.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import msgspec

from ..errors import RunError
from ..types import Completion
from .layout import REJECTED

__all__ = ["JournalScan", "iter_journal", "read_journal", "repair_journal", "scan_journal"]

_decoder = msgspec.json.Decoder(Completion)


def _lines(p: Path) -> tuple[list[bytes], int]:
    """The lines of a journal and the index of a possibly torn last line (-1: none)."""
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        return [], -1
    except OSError as exc:
        raise RunError(f"{p}: cannot read journal: {exc}") from exc
    lines = data.split(b"\n")
    # Without a final newline the last piece is a write cut short by a kill: it may be torn.
    return lines, (len(lines) - 1 if not data.endswith(b"\n") else -1)


def iter_journal(path: str | os.PathLike[str]) -> Iterator[Completion]:
    """Every record of a journal, in order. A torn last line is skipped; a bad line elsewhere
    is a RunError naming the file, the line and ``--repair-journal``."""
    p = Path(path)
    lines, torn_index = _lines(p)
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            yield _decoder.decode(line)
        except msgspec.DecodeError as exc:
            if index == torn_index:
                return
            raise RunError(
                f"{p}: line {index + 1}: not a journal record: {exc}; to move unreadable lines aside into "
                f"{REJECTED} and keep the rest, run: u2fast eval --resume {p.parent} --repair-journal"
            ) from exc


class JournalScan(msgspec.Struct):
    """The best record per key and how many attempts each key has had."""

    best: dict[str, Completion]
    attempts: dict[str, int]


def _better(new: Completion, old: Completion | None) -> bool:
    # An ok record wins over an error; between two of the same kind the later one wins,
    # except that a later error never hides an earlier ok.
    if old is None:
        return True
    return new.ok or not old.ok


def scan_journal(path: str | os.PathLike[str]) -> JournalScan:
    best: dict[str, Completion] = {}
    attempts: dict[str, int] = {}
    for record in iter_journal(path):
        attempts[record.key] = attempts.get(record.key, 0) + 1
        if _better(record, best.get(record.key)):
            best[record.key] = record
    return JournalScan(best=best, attempts=attempts)


def read_journal(path: str | os.PathLike[str]) -> dict[str, Completion]:
    """The best record per request key: an ok record wins over any error."""
    return scan_journal(path).best


def repair_journal(path: str | os.PathLike[str]) -> int:
    """Move every unreadable complete line of a journal into ``journal.rejected.jsonl`` beside it.

    Returns how many lines were moved. A torn last line is left for the writer to cut, as always.
    The caller holds the run folder's lock.
    """
    p = Path(path)
    lines, torn_index = _lines(p)
    kept: list[bytes] = []
    rejected: list[bytes] = []
    for index, line in enumerate(lines):
        if index == len(lines) - 1 and index != torn_index:
            break  # the empty piece after the final newline
        if not line.strip():
            continue
        if index == torn_index:
            kept.append(line)
            continue
        try:
            _decoder.decode(line)
        except msgspec.DecodeError:
            rejected.append(line)
        else:
            kept.append(line)
    if not rejected:
        return 0
    with (p.parent / REJECTED).open("ab") as fh:  # appended first: a crash now loses no line
        fh.write(b"".join(line + b"\n" for line in rejected))
        fh.flush()
        os.fsync(fh.fileno())
    tmp = p.with_suffix(p.suffix + ".tmp")
    body = b"\n".join(kept)
    if kept and torn_index < 0:
        body += b"\n"
    with tmp.open("wb") as fh:
        fh.write(body)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, p)
    return len(rejected)
