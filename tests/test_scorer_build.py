"""``scorer_fingerprint``: one value per build of the scorer (core and sources), changing with either."""

from __future__ import annotations

from pathlib import Path

import pytest

import u2fast._core
import u2fast.scorer_build as scorer_build


@pytest.fixture
def build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A package tree of two sources and a core file, fingerprinted afresh (not the per-process value)."""
    (tmp_path / "scoring").mkdir()
    (tmp_path / "scoring" / "scores.py").write_text("X = 1\n")
    (tmp_path / "types.py").write_text("Y = 2\n")
    (tmp_path / "_core.so").write_bytes(b"\x7fELF core")
    monkeypatch.setattr(scorer_build, "_PACKAGE", tmp_path)
    monkeypatch.setattr(u2fast._core, "__file__", str(tmp_path / "_core.so"))
    return tmp_path


def _fingerprint() -> str | None:
    return scorer_build.scorer_fingerprint.__wrapped__()


def test_the_fingerprint_follows_every_source_and_the_core(build: Path) -> None:
    first = _fingerprint()
    assert first is not None and _fingerprint() == first  # nothing changed: the same build
    (build / "scoring" / "scores.py").write_text("X = 3\n")  # same size, other code
    second = _fingerprint()
    assert second not in (None, first)
    (build / "_core.so").write_bytes(b"\x7fELF new!")
    assert _fingerprint() not in (None, first, second)


def test_an_unreadable_source_gives_no_fingerprint(build: Path) -> None:
    (build / "gone.py").symlink_to(build / "missing.py")
    assert _fingerprint() is None


def test_the_fingerprint_is_computed_once_per_process() -> None:
    assert scorer_build.scorer_fingerprint() is scorer_build.scorer_fingerprint()
    assert scorer_build.scorer_fingerprint() is not None
