"""Symbolic links in a data folder: one rule for table files and task folders."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from u2fast.data import LoadOptions, load
from u2fast.errors import DataError

from .conftest import b64, make_png, write_table


def _table(path: Path, index: int = 1) -> Path:
    """A DD table (BI-RADS) or, in a VRA folder, an anatomy table (the dataset id from the file stem)."""
    if "view_recognition" in str(path) or "vra" in path.parts:
        return write_table(path, [{"img_data": b64(make_png()), "class_label": "{'Anatomy': 'liver'}"}])
    row = {"index": index, "dataset_name": "40_birads", "img_data": b64(make_png()), "class_label": "['4a']"}
    return write_table(path, [row])


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path]:
    """A data folder with one real table, and a folder outside it holding more."""
    root, elsewhere = tmp_path / "data", tmp_path / "elsewhere"
    _table(root / "disease_diagnosis" / "40_birads.tsv")
    _table(elsewhere / "disease_diagnosis" / "21.tsv", index=2)
    _table(elsewhere / "view_recognition_and_assessment" / "anatomy.tsv")
    return root, elsewhere


def test_a_table_file_linked_from_outside_is_refused_with_a_message(layout: tuple[Path, Path]) -> None:
    root, elsewhere = layout
    (root / "disease_diagnosis" / "21.tsv").symlink_to(elsewhere / "disease_diagnosis" / "21.tsv")
    result = load(str(root))
    assert [c.case_id for c in result.cases] == ["DD/40/1"]
    [refused] = result.skipped
    assert refused.source.endswith("21.tsv") and "outside the data folder" in refused.reason
    with pytest.raises(DataError, match="outside the data folder"):
        load(str(root), LoadOptions(strict=True))


def test_a_task_folder_linked_from_outside_is_refused_not_silently_skipped(layout: tuple[Path, Path]) -> None:
    root, elsewhere = layout
    (root / "view_recognition_and_assessment").symlink_to(elsewhere / "view_recognition_and_assessment")
    result = load(str(root))
    assert {c.task for c in result.cases} == {"DD"}
    [refused] = result.skipped
    assert refused.source.endswith("view_recognition_and_assessment") and str(root) in refused.reason


def test_links_that_stay_inside_the_data_folder_are_followed(layout: tuple[Path, Path]) -> None:
    root, _ = layout
    # a hidden folder is not read itself: only through the links
    _table(root / ".store" / "vra" / "anatomy.tsv")
    (root / "view_recognition_and_assessment").symlink_to(root / ".store" / "vra")
    _table(root / ".store" / "21.tsv", index=2)
    (root / "disease_diagnosis" / "21.tsv").symlink_to(root / ".store" / "21.tsv")
    result = load(str(root))
    assert sorted(c.case_id for c in result.cases) == ["DD/40/1", "DD/40/2", "VRA/anatomy/0"]
    assert result.skipped == []


def test_a_link_back_to_a_parent_folder_is_refused_once_and_does_not_loop(layout: tuple[Path, Path]) -> None:
    root, _ = layout
    (root / "disease_diagnosis" / "again").symlink_to(root)
    result = load(str(root))
    assert [c.dataset_id for c in result.cases] == ["40"]
    assert len(result.skipped) == 1 and "already read" in result.skipped[0].reason


def test_data_info_names_the_refused_link(layout: tuple[Path, Path]) -> None:
    root, elsewhere = layout
    (root / "disease_diagnosis" / "21.tsv").symlink_to(elsewhere / "disease_diagnosis" / "21.tsv")
    proc = subprocess.run([sys.executable, "-m", "u2fast.cli", "data", "info", "--data", str(root), "--strict"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == DataError.exit_code
    assert "21.tsv" in proc.stderr and "outside the data folder" in proc.stderr
