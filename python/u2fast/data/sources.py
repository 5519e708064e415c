"""Local sources: a folder in the release layout, or TSV / jsonl / parquet files with the same fields.

The task of a file comes from a ``task`` cell or from the nearest enclosing task folder
(``disease_diagnosis/`` ...). An image is either base64 in ``img_data`` or a file named by
``img_path``, resolved against the table's folder and then the dataset folder; a path that resolves
outside the dataset folder (``../``, absolute paths, symlinks out) is refused as a bad row. Table
files and folders follow the same rule (``find_tables``): links inside the folder are followed,
links out of it are refused and reported.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec

from ..errors import DataError, RowError
from . import columns as col
from .cases import CaseBuilder
from .load_types import LoadOptions, LoadResult
from .raw_rows import ImageB64, ImageBytes, ImageFile, ImageInput, RawRow
from .tsv import read_tsv

__all__ = ["TABLE_SUFFIXES", "find_tables", "load_path", "rows_of_table"]

TABLE_SUFFIXES = (".tsv", ".jsonl", ".parquet")
#: Files of the release that are not data.
_NOT_DATA = frozenset({"an_explanation_of_the_columns.tsv"})


def find_tables(root: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Data tables under ``root`` in a stable order (hidden names skipped), and the entries refused.

    One rule for files and folders: a symbolic link is followed when it resolves inside ``root``
    and refused (with the reason) when it resolves outside it, or when it leads back to a folder
    already walked (a loop).
    """
    root_real = root.resolve()
    found: list[Path] = []
    refused: list[tuple[Path, str]] = []
    walked: set[Path] = {root_real}

    def outside(path: Path) -> bool:
        if not path.is_symlink():
            return False
        target = path.resolve()
        if target.is_relative_to(root_real):
            return False
        refused.append((path, f"symbolic link to {target}, outside the data folder {root}; refused"))
        return True

    for folder, dirs, files in os.walk(root, followlinks=True):
        here = Path(folder)
        kept = []
        for name in sorted(d for d in dirs if not d.startswith(".")):
            sub = here / name
            if outside(sub):
                continue
            real = sub.resolve()
            if real in walked:
                refused.append((sub, f"symbolic link back to {real}, a folder already read; refused"))
                continue
            walked.add(real)
            kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            is_table = name.endswith(TABLE_SUFFIXES) and name not in _NOT_DATA and not name.startswith(".")
            if is_table and not outside(here / name):
                found.append(here / name)
    return found, refused


def _folder_task(table: Path, root: Path) -> Any:
    try:
        parts = table.parent.relative_to(root).parts
    except ValueError:
        parts = ()
    for part in reversed((root.name, *parts)):
        task = col.task_of(part)
        if task is not None:
            return task
    return None


def _image_from_path(value: object, table: Path, root: Path) -> tuple[ImageInput | None, str | None]:
    if not isinstance(value, str) or col.is_missing(value):
        return None, None
    root_real = root.resolve()
    candidates = [Path(value)] if os.path.isabs(value) else [table.parent / value, root / value]
    for candidate in candidates:
        resolved = candidate.resolve()
        if not resolved.is_relative_to(root_real):
            return None, f"img_path {value!r} resolves outside the dataset folder {root}"
        if resolved.is_file():
            return ImageFile(str(resolved)), None
    return None, f"image file {value!r} not found under {root}"


def _object_image(
    cells: dict[str, Any], table: Path, root: Path
) -> tuple[ImageInput | None, str, str | None]:
    """The image of a jsonl/parquet row: ``(input, field, error)``."""
    value = cells.pop("img_data", None)
    if isinstance(value, dict):  # the Hugging Face ``Image`` feature: {"bytes": ..., "path": ...}
        feature: dict[str, Any] = value
        value = feature.get("bytes")
        if value is None:
            cells["img_path"] = feature.get("path")
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        # Parquet writers store either the image bytes or their base64 text as binary.
        if data[:4].isalnum() and data.isascii():
            return ImageB64(data), "img_data", None
        return ImageBytes(data), "img_data", None
    if isinstance(value, str) and not col.is_missing(value):
        return ImageB64(value.encode("ascii", "replace")), "img_data", None
    image, error = _image_from_path(cells.get("img_path"), table, root)
    return image, "img_path", error


def _missing_text(text: bytes) -> bool:
    return len(text) <= 4 and text.strip().lower() in (b"", b"nan", b"none", b"null")


def _tsv_rows(table: Path, root: Path, display: str, task: Any) -> Iterator[RawRow]:
    header, rows = read_tsv(table, "img_data")
    has_b64 = "img_data" in header
    for r in rows:
        raw = RawRow(display, r.row, task, table.stem, r.cells)
        if r.error is not None:
            raw.error = ("<row>", r.error)
        elif has_b64 and r.image_text is not None and not _missing_text(r.image_text):
            raw.image = ImageB64(r.image_text, str(table.resolve()), r.image_offset, r.image_length)
        else:
            image, error = _image_from_path(r.cells.get("img_path"), table, root)
            raw.image, raw.image_field = image, ("img_path" if "img_path" in r.cells else "img_data")
            if error:
                raw.error = ("img_path", error)
        yield raw


def _jsonl_rows(table: Path, root: Path, display: str, task: Any) -> Iterator[RawRow]:
    decoder = msgspec.json.Decoder()
    path_text = str(table.resolve())
    row = 0
    offset = 0
    with open(table, "rb") as fh:
        for line in fh:
            start, offset = offset, offset + len(line)
            if not line.strip():
                continue
            raw = RawRow(display, row, task, table.stem, {})
            row += 1
            try:
                cells = decoder.decode(line)
            except msgspec.DecodeError as exc:
                raw.error = ("<row>", f"not valid JSON: {exc}")
                yield raw
                continue
            if not isinstance(cells, dict):
                raw.error = ("<row>", "not a JSON object")
                yield raw
                continue
            text = cells.get("img_data")
            image, field_name, error = _object_image(cells, table, root)
            if isinstance(image, ImageB64) and isinstance(text, str):
                at = line.find(image.text)
                if at >= 0:  # base64 never needs JSON escapes: keep only its place in the file
                    image = ImageB64(image.text, path_text, start + at, len(image.text))
            raw.cells, raw.image, raw.image_field = cells, image, field_name
            if error:
                raw.error = (field_name, error)
            yield raw


def _parquet_rows(table: Path, root: Path, display: str, task: Any) -> Iterator[RawRow]:
    try:
        import pyarrow.parquet as pq  # type: ignore[import-untyped]
    except ImportError:
        raise DataError(f"{display}: reading parquet needs pyarrow: pip install 'u2fast[parquet]'") from None
    try:
        parquet = pq.ParquetFile(table)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError...
        raise DataError(f"{display}: not a readable parquet file: {exc}") from exc
    row = 0
    for batch in parquet.iter_batches(batch_size=256):
        for cells in batch.to_pylist():
            image, field_name, error = _object_image(cells, table, root)
            raw = RawRow(display, row, task, table.stem, cells, image, field_name)
            if error:
                raw.error = (field_name, error)
            row += 1
            yield raw


def rows_of_table(table: Path, root: Path, display: str | None = None) -> Iterator[RawRow]:
    """The RawRows of one table file."""
    display = display or str(table)
    task = _folder_task(table, root)
    suffix = table.suffix.lower()
    if suffix == ".tsv":
        return _tsv_rows(table, root, display, task)
    if suffix == ".jsonl":
        return _jsonl_rows(table, root, display, task)
    if suffix == ".parquet":
        return _parquet_rows(table, root, display, task)
    raise DataError(
        f"{display}: unsupported file type {suffix!r}; expected one of {', '.join(TABLE_SUFFIXES)}"
    )


def load_path(path: Path, options: LoadOptions) -> LoadResult:
    """Load a folder (release layout or tables) or a single table file."""
    if path.is_dir():
        root = path
        tables, refused = find_tables(root)
        if not tables:
            reasons = "".join(f"; {p}: {why}" for p, why in refused)
            raise DataError(f"{path}: no {', '.join(TABLE_SUFFIXES)} files found{reasons}")
        what = f"folder {path} ({len(tables)} tables)"
    elif path.is_file():
        root, tables, refused = path.parent, [path], []
        what = f"file {path}"
    else:
        raise DataError(f"{path}: no such file or folder")
    builder = CaseBuilder(options)
    for link, why in refused:  # a whole file or folder, reported like a bad row (fatal with --strict)
        builder.refuse(RowError(str(link), 0, "path", why))
    for table in tables:
        try:
            for raw in rows_of_table(table, root, str(table)):
                builder.add(raw)
        except RowError:
            raise  # a bad row under --strict
        except DataError as exc:  # the file cannot be read at all: skip it, report it as bad rows are
            reason = str(exc).removeprefix(f"{table}: ")
            builder.refuse(RowError(str(table), 0, "(whole file)", f"file skipped: {reason}"))
    return builder.finish(what)
