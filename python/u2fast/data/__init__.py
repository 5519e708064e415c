"""Dataset loading: the release layout, parquet/jsonl tables, the Hugging Face hub, and the bundled sample.

``load(spec, options)`` accepts a registered source name (``sample``), a folder or table file, or a hub id
(``DolphinAI/u2-bench``) and returns a LoadResult: the cases, the bad rows skipped (with file, row and
field), the box layout used per scenario, warnings and a fingerprint. ``describe`` summarizes a result
for ``u2fast data info``; ``write_sample`` writes phantom data of any size in the release layout.
"""

from __future__ import annotations

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
