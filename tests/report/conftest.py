"""The report tests' runs, built once per session (helpers live in ``report_support``: pytest runs
with --import-mode=importlib, so the folder is put on sys.path here)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report_support import Runs, build_runs


@pytest.fixture(scope="session")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    return build_runs(tmp_path_factory.mktemp("report-runs"))
