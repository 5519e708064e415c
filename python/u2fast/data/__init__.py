"""Dataset loading: the release layout, parquet/jsonl tables, the Hugging Face hub, and the bundled sample.

``load(spec, options)`` accepts a registered source name (``sample``), a folder or table file, or a hub id
(``DolphinAI/u2-bench``) and returns a LoadResult: the cases, the bad rows skipped (with file, row and
field), the box layout used per scenario, warnings and a fingerprint. ``describe`` summarizes a result
for ``u2fast data info``; ``write_sample`` writes phantom data of any size in the release layout.

The names below are imported on first use: scoring reads ``u2fast.data.bbox`` and would otherwise
pay for the loaders, the hub client and the phantom generator (~0.3 s) on every ``u2fast score``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from u2fast._lazy import load_attribute

if TYPE_CHECKING:
    from .bbox import BBOX_FORMATS
    from .load_types import DatasetSource, LoadOptions, LoadResult
    from .loader import describe, fingerprint, load
    from .sample import write_sample

__all__ = [
    "BBOX_FORMATS",
    "DatasetSource",
    "LoadOptions",
    "LoadResult",
    "describe",
    "fingerprint",
    "load",
    "write_sample",
]

#: public name -> the module that defines it
_HOMES = {
    "BBOX_FORMATS": "bbox",
    "DatasetSource": "load_types",
    "LoadOptions": "load_types",
    "LoadResult": "load_types",
    "describe": "loader",
    "fingerprint": "loader",
    "load": "loader",
    "write_sample": "sample",
}


def __getattr__(name: str) -> Any:
    return load_attribute(__name__, _HOMES, name, globals())
