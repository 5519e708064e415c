"""Makes the helpers of the end-to-end runner tests importable (pytest runs with --import-mode=importlib)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
def runs(tmp_path: Path) -> Path:
    return tmp_path / "runs"
