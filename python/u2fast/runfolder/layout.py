"""The files of a run folder and how each is written (atomically: a crash never leaves half a file).

::

    runs/<name>/
        manifest.json           what was asked (RunSetup) and what the run is (models, data, status)
        cases.jsonl             each case as loaded, with the request key of each model
        journal.jsonl           one record per finished attempt (the cache and the resume point)
        journal.rejected.jsonl  unreadable journal lines moved aside by --repair-journal
        scores.json             the last scoring
        scores.cache            the last scoring with exact floats and what it was made from (report reuses it)
        .lock                   held by the one process writing the folder
"""

from __future__ import annotations

import os
from pathlib import Path

import msgspec

__all__ = ["CASES", "JOURNAL", "LOCK", "MANIFEST", "REJECTED", "SCORES", "SCORES_CACHE", "write_json_atomic"]

MANIFEST = "manifest.json"
CASES = "cases.jsonl"
JOURNAL = "journal.jsonl"
REJECTED = "journal.rejected.jsonl"
SCORES = "scores.json"
SCORES_CACHE = "scores.cache"
LOCK = ".lock"

_encoder = msgspec.json.Encoder()


def write_json_atomic(path: Path, obj: object) -> None:
    """Write JSON through a temporary file and rename, so a crash never leaves half a file."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("wb") as fh:
        fh.write(msgspec.json.format(_encoder.encode(obj), indent=2))
        fh.write(b"\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
