"""Built-in dataset sources, registered through the same hook as a plugin's: ``sample``."""

from __future__ import annotations

from collections.abc import Callable

from ..errors import DataError
from ..hookspecs import hookimpl
from .load_types import DatasetSource, LoadOptions, LoadResult
from .sample import SAMPLE_DIR
from .sources import load_path

__all__ = ["SAMPLE_SOURCE", "load_sample"]


def load_sample(options: LoadOptions) -> LoadResult:
    """The committed sample (``sample_assets/``): phantom cases for all 50 scenarios plus real frames."""
    if not SAMPLE_DIR.is_dir():
        raise DataError(f"the bundled sample is missing from this installation ({SAMPLE_DIR})")
    result = load_path(SAMPLE_DIR, options)
    result.description = (
        "bundled sample: u2fast phantom (all 50 scenarios) and real pydicom ultrasound frames"
    )
    return result


SAMPLE_SOURCE = DatasetSource(
    name="sample",
    load=load_sample,
    description="bundled offline sample: 4 phantom cases per scenario, exact ground truth, plus real frames",
)


@hookimpl
def u2fast_register_datasets(register: Callable[[DatasetSource], None]) -> None:
    register(SAMPLE_SOURCE)
