"""The run folder: its files, its lock, its naming and reuse rules; read and written only here.

``u2fast eval`` writes a folder through this package, ``u2fast score``, ``report`` and ``compare``
read it through this package (never through the runner), and ``--resume`` reads the recorded
``RunSetup`` back from its manifest instead of re-parsing a command line. See docs/runs.md.
"""

from __future__ import annotations

from .cases import (
    CaseRecord,
    completions_for,
    merge_records,
    read_cases,
    records_of,
    write_cases,
)
from .endpoint import endpoint_of, recordable_options, same_endpoint
from .journal import JournalScan, iter_journal, read_journal, repair_journal, scan_journal
from .layout import CASES, JOURNAL, LOCK, MANIFEST, REJECTED, SCORES, SCORES_CACHE, write_json_atomic
from .lock import RunLock, is_being_written
from .manifest import CURRENT_KEY_RECIPE, read_manifest, require_current, write_manifest
from .naming import check_name, default_name
from .reuse import RESUME_MAY_CHANGE, check_reuse
from .start import start_run

__all__ = [
    "CASES",
    "CURRENT_KEY_RECIPE",
    "CaseRecord",
    "JOURNAL",
    "JournalScan",
    "LOCK",
    "MANIFEST",
    "REJECTED",
    "RESUME_MAY_CHANGE",
    "RunLock",
    "SCORES",
    "SCORES_CACHE",
    "check_name",
    "check_reuse",
    "completions_for",
    "default_name",
    "endpoint_of",
    "iter_journal",
    "merge_records",
    "read_cases",
    "read_journal",
    "read_manifest",
    "recordable_options",
    "records_of",
    "repair_journal",
    "require_current",
    "same_endpoint",
    "scan_journal",
    "start_run",
    "write_cases",
    "write_json_atomic",
    "write_manifest",
    "is_being_written",
]
