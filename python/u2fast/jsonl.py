"""JSON-lines text read back: each non-blank line decoded, a line that does not decode named by file and number.

One reader for the files u2fast appends to itself (the batch ledger), where a last line without its
newline is a write cut short by a kill and marks the end of what happened, and for the files a user
hands over (replayed answers), where such a line is as wrong as any other.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TypeVar

import msgspec

from .errors import U2fastError

__all__ = ["decode_lines"]

T = TypeVar("T")


def decode_lines(data: bytes, decoder: msgspec.json.Decoder[T], source: str | os.PathLike[str], what: str,
                 error: type[U2fastError], *, torn_end: bool = False) -> Iterator[tuple[int, T]]:
    """``(line number, record)`` for each non-blank line of ``data``, numbered from 1.

    A line ``decoder`` refuses raises ``error`` naming ``source``, the line and ``what`` the line should be;
    with ``torn_end`` an unterminated last line that does not decode ends the records instead.
    """
    lines = data.split(b"\n")
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = decoder.decode(line)
        except msgspec.DecodeError as exc:
            if torn_end and number == len(lines) and not data.endswith(b"\n"):
                return  # a write cut short by a kill: the step it was recording did not happen
            raise error(f"{source}: line {number}: not {what}: {exc}") from exc
        yield number, record
