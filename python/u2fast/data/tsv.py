"""A TSV reader that remembers where each image's base64 text lies in the file.

The release TSVs hold one base64 image per row, so a row can be megabytes long. The file is mapped
into memory and scanned with ``find`` (C speed); text cells are decoded, and the image cell is
returned as its byte range plus its raw bytes so that the caller can validate it once and then keep
only ``(path, offset, length)``. Quoted cells as pandas writes them (``"a ""b"" c"``, with embedded
tabs or newlines) are understood.
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import DataError

__all__ = ["TsvRow", "read_tsv"]


class _Damaged(DataError):
    """A record that cannot be split into cells; ``resume`` is where the next record starts (None:
    nothing after it can be split, as after an unterminated quote)."""

    def __init__(self, reason: str, resume: int | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.resume = resume

_TAB = ord("\t")
_NL = ord("\n")
_QUOTE = ord('"')


@dataclass
class TsvRow:
    #: 0-based data row (the header is not counted), as the official kit numbers rows.
    row: int
    cells: dict[str, str]
    #: Byte range of the image column's content, and its raw text (None without an image column).
    image_offset: int = 0
    image_length: int = 0
    image_text: bytes | None = None
    #: Why the record could not be split into cells (a bad row); cells are empty then.
    error: str | None = None


class _Scanner:
    def __init__(self, buf: mmap.mmap | bytes, path: str) -> None:
        self.buf = buf
        self.size = len(buf)
        self.path = path

    def record(self, pos: int) -> tuple[list[tuple[int, int, bool]], int]:
        """Cells of the record starting at ``pos`` as ``(start, end, quoted)`` spans, and the next position."""
        buf = self.buf
        cells: list[tuple[int, int, bool]] = []
        eol = buf.find(b"\n", pos)
        if eol < 0:
            eol = self.size
        while True:
            if pos < self.size and buf[pos] == _QUOTE:
                start = pos + 1
                q = start
                while True:
                    q = buf.find(b'"', q)
                    if q < 0:
                        raise _Damaged("unterminated quoted cell: this row and every row after it cannot be "
                                       "split into cells and are skipped", None)
                    if q + 1 < self.size and buf[q + 1] == _QUOTE:
                        q += 2
                        continue
                    break
                cells.append((start, q, True))
                pos = q + 1
                if pos > eol:  # the quoted cell held newlines: find the real end of this record
                    eol = buf.find(b"\n", pos)
                    if eol < 0:
                        eol = self.size
            else:
                tab = buf.find(b"\t", pos, eol)
                end = eol if tab < 0 else tab
                cells.append((pos, end, False))
                pos = end
            if pos >= eol:
                return cells, eol + 1
            if buf[pos] == _TAB:
                pos += 1
                continue
            if buf[pos] == 13 and pos + 1 == eol:  # CRLF
                return cells, eol + 1
            nl = buf.find(b"\n", pos)
            raise _Damaged("unexpected text after a quoted cell", self.size if nl < 0 else nl + 1)

    def text(self, span: tuple[int, int, bool]) -> str:
        start, end, quoted = span
        raw = self.buf[start:end]
        if not quoted and raw.endswith(b"\r"):
            raw = raw[:-1]
        value = raw.decode("utf-8", errors="replace")
        return value.replace('""', '"') if quoted else value


def read_tsv(
    path: str | os.PathLike[str], image_column: str = "img_data"
) -> tuple[list[str], Iterator[TsvRow]]:
    """The header and a lazy iterator of rows; a row whose cell count differs from the header has ``error`` set."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as fh:  # the map stays valid after the file is closed
            if os.fstat(fh.fileno()).st_size == 0:
                raise DataError(f"{name}: empty file, expected a header line")
            buf = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except OSError as exc:
        raise DataError(f"{name}: cannot open: {exc}") from exc
    scanner = _Scanner(buf, name)
    try:
        spans, pos = scanner.record(0)
    except _Damaged as damage:
        raise DataError(f"{name}: header line: {damage.reason.split(':', 1)[0]}") from None
    header = [scanner.text(s).strip() for s in spans]
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    image_at = header.index(image_column) if image_column in header else -1

    def rows() -> Iterator[TsvRow]:
        nonlocal pos
        row = 0
        while pos < scanner.size:
            try:
                spans, pos = scanner.record(pos)
            except _Damaged as damage:  # skip the damaged record, keep the rows around it
                yield TsvRow(row=row, cells={}, error=damage.reason)
                row += 1
                if damage.resume is None:
                    return
                pos = damage.resume
                continue
            if len(spans) == 1 and not spans[0][2] and not buf[spans[0][0] : spans[0][1]].strip():
                continue  # blank line
            if len(spans) != len(header):
                yield TsvRow(
                    row=row,
                    cells={},
                    error=f"{len(spans)} cells but the header has {len(header)}",
                )
                row += 1
                continue
            cells = {h: scanner.text(s) for i, (h, s) in enumerate(zip(header, spans)) if i != image_at and h}
            out = TsvRow(row=row, cells=cells)
            if image_at >= 0:
                s0, s1, _ = spans[image_at]
                if s1 > s0 and buf[s1 - 1] == 13:
                    s1 -= 1
                out.image_offset, out.image_length = s0, s1 - s0
                out.image_text = buf[s0:s1]
            row += 1
            yield out

    return header, rows()
