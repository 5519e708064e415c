"""Fixtures every test folder shares: the generated text pairs of ``text_pairs`` (importable as a
plain module, since pytest runs with --import-mode=importlib)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import text_pairs

Pairs = list[tuple[str, list[str]]]


@pytest.fixture(scope="session")
def single_ref_pairs() -> Pairs:
    return text_pairs.single_ref_pairs()


@pytest.fixture(scope="session")
def multi_ref_pairs() -> Pairs:
    return text_pairs.multi_ref_pairs()


@pytest.fixture(scope="session")
def pair_generator() -> Callable[..., Pairs]:
    """`generate_pairs(seed, n, max_refs=1)` (report-like text) for tests that need their own pairs."""
    return text_pairs.generate_pairs
