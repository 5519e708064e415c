"""Batch-mode tests run the real command against u2fast.testing's fake batch endpoints."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))


@pytest.fixture
def runs(tmp_path: Path) -> Path:
    return tmp_path / "runs"
