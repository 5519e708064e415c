"""The scorer as this process loaded it: u2fast's version, the Rust core and the Python sources.

``scores.cache`` is keyed on this fingerprint (with the run's files and the scoring options), so a
development checkout whose scoring code changed without a version bump never reuses scores that
the old code made.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from . import __version__

__all__ = ["scorer_fingerprint"]

_PACKAGE = Path(__file__).resolve().parent


@functools.cache
def scorer_fingerprint() -> str | None:
    """sha256 of u2fast's version, the loaded ``_core`` extension file and every Python source of the
    package, computed once per process; None when a file cannot be read (scores are then never reused).

    Every source, not only ``scoring``, ``u2bench`` and ``tasks``: a score also depends on the run
    folder reader, the data model and the parsers' helpers, and a list of "the files that matter"
    would go stale as code moves. The cost is a few milliseconds per process.
    """
    from . import _core

    core = Path(_core.__file__).resolve()
    files = [(core.name, core), *((p.relative_to(_PACKAGE).as_posix(), p) for p in sorted(_PACKAGE.rglob("*.py")))]
    h = hashlib.sha256(f"{__version__}\0".encode())
    try:
        for name, path in files:
            data = path.read_bytes()
            h.update(f"{name}\0{len(data)}\0".encode())
            h.update(data)
    except OSError:
        return None
    return h.hexdigest()
