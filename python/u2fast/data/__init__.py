"""Dataset loading: the release layout, parquet/jsonl tables, the Hugging Face hub, and the bundled sample."""

from __future__ import annotations

from .loader import describe, fingerprint, load
from .registry import DatasetSource, LoadOptions, LoadResult
from .sample import write_sample

__all__ = ["DatasetSource", "LoadOptions", "LoadResult", "describe", "fingerprint", "load", "write_sample"]
