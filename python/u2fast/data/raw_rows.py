"""What a source yields for each row: its cells, where it came from, and where its image is.

Every source (TSV, jsonl, parquet, hub) turns its rows into RawRows, so that ``cases.CaseBuilder``
checks them all on one code path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..types import TaskName

__all__ = ["ImageB64", "ImageBytes", "ImageFile", "ImageInput", "RawRow"]


@dataclass
class ImageB64:
    """Base64 text of an image; ``path``/``offset``/``length`` locate it in a file when lazy loading is possible."""

    text: bytes
    path: str | None = None
    offset: int = 0
    length: int = 0


@dataclass
class ImageFile:
    path: str


@dataclass
class ImageBytes:
    data: bytes


ImageInput = ImageB64 | ImageFile | ImageBytes


@dataclass
class RawRow:
    source: str
    row: int
    #: Task given by the enclosing folder (a ``task`` cell overrides it).
    folder_task: TaskName | None
    #: File stem, the fallback for the dataset id.
    stem: str
    cells: Mapping[str, Any]
    image: ImageInput | None = None
    image_field: str = "img_data"
    #: Set by the source when the row is bad before any cell is read: ``(field, reason)``.
    error: tuple[str, str] | None = None
