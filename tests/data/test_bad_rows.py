"""Every kind of bad row: fatal with --strict, otherwise skipped and reported with file, row and field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from u2fast.data import LoadOptions, describe, load
from u2fast.errors import DataError, RowError

from .conftest import b64, make_png, write_table

GOOD = b64(make_png())

# (folder, file, bad row cells, field named in the error, words of the reason)
BAD_ROWS: list[tuple[str, str, dict[str, Any], str, str]] = [
    (
        "disease_diagnosis",
        "21.tsv",
        {"img_data": "iVBORw0K!!!not*base64", "class_label": "benign"},
        "img_data",
        "corrupt base64",
    ),
    (
        "disease_diagnosis",
        "21.tsv",
        {"img_data": b64(b"GIF89a but not really an image"), "class_label": "benign"},
        "img_data",
        "not a decodable image",
    ),
    (
        "disease_diagnosis",
        "21.tsv",
        {"img_data": b64(make_png()[:70]), "class_label": "benign"},
        "img_data",
        "not a decodable image",
    ),
    ("disease_diagnosis", "21.tsv", {"img_data": "", "class_label": "benign"}, "img_data", "missing field"),
    ("disease_diagnosis", "21.tsv", {"img_data": GOOD, "class_label": ""}, "class_label", "missing field"),
    (
        "disease_diagnosis",
        "21.tsv",
        {"img_data": GOOD, "class_label": "probably fine"},
        "class_label",
        "unknown label",
    ),
    (
        "disease_diagnosis",
        "21.tsv",
        {"img_data": GOOD, "class_label": "benign", "dataset_name": "99_unknown"},
        "dataset_name",
        "unknown dataset id",
    ),
    (
        "clinical_value_estimation",
        "27.tsv",
        {"img_data": GOOD, "measurement": "{'IMT': [nan]}"},
        "measurement",
        "NaN target",
    ),
    (
        "clinical_value_estimation",
        "27.tsv",
        {"img_data": GOOD, "measurement": "nan"},
        "measurement",
        "missing field",
    ),
    (
        "clinical_value_estimation",
        "27.tsv",
        {"img_data": GOOD, "measurement": "{'EF': 50}"},
        "measurement",
        "no 'IMT' key",
    ),
    ("report_generation", "39_translated.tsv", {"img_data": GOOD, "report": ""}, "report", "missing field"),
]


def _dataset(root: Path, folder: str, name: str, bad: dict[str, Any]) -> Path:
    good_cells = {
        "disease_diagnosis": {"class_label": "malignant"},
        "clinical_value_estimation": {"measurement": "{'IMT': 0.8}"},
        "report_generation": {"report": "Normal liver."},
    }[folder]
    rows = [{"img_data": GOOD, **good_cells}, bad, {"img_data": GOOD, **good_cells}]
    columns = list(dict.fromkeys(["dataset_name", "img_data", *good_cells, *bad]))
    return write_table(root / folder / name, rows, columns)


@pytest.mark.parametrize(("folder", "name", "bad", "field", "reason"), BAD_ROWS)
def test_strict_mode_stops_at_the_bad_row(
    tmp_path: Path, folder: str, name: str, bad: dict[str, Any], field: str, reason: str
) -> None:
    path = _dataset(tmp_path, folder, name, bad)
    with pytest.raises(RowError) as caught:
        load(str(tmp_path), LoadOptions(strict=True))
    err = caught.value
    assert (err.source, err.row, err.field) == (str(path), 1, field)
    assert reason in err.reason
    assert str(path) in str(err) and "row 1" in str(err) and repr(field) in str(err)


@pytest.mark.parametrize(("folder", "name", "bad", "field", "reason"), BAD_ROWS)
def test_lenient_mode_skips_and_reports_the_bad_row(
    tmp_path: Path, folder: str, name: str, bad: dict[str, Any], field: str, reason: str
) -> None:
    path = _dataset(tmp_path, folder, name, bad)
    result = load(str(tmp_path))
    assert [c.row for c in result.cases] == [0, 2]
    assert len(result.skipped) == 1
    record = result.skipped[0].as_record()
    assert record["file"] == str(path) and record["row"] == "1" and record["field"] == field
    assert reason in record["reason"]
    info = describe(result)
    assert info["skipped"]["count"] == 1 and info["skipped"]["rows"] == [record]


def test_row_with_wrong_cell_count(tmp_path: Path) -> None:
    path = tmp_path / "disease_diagnosis" / "21.tsv"
    path.parent.mkdir()
    path.write_text(f"img_data\tclass_label\n{GOOD}\tbenign\n{GOOD}\tbenign\textra\n{GOOD}\tmalignant\n")
    result = load(str(tmp_path))
    assert [c.row for c in result.cases] == [0, 2]
    assert result.skipped[0].row == 1 and "3 cells but the header has 2" in result.skipped[0].reason
    with pytest.raises(RowError, match="row 1"):
        load(str(tmp_path), LoadOptions(strict=True))


def test_duplicate_index_is_a_bad_row(tmp_path: Path) -> None:
    write_table(
        tmp_path / "disease_diagnosis" / "21.tsv",
        [
            {"index": 3, "img_data": GOOD, "class_label": "benign"},
            {"index": 3, "img_data": GOOD, "class_label": "malignant"},
        ],
    )
    result = load(str(tmp_path))
    assert [c.case_id for c in result.cases] == ["DD/21/3"]
    assert result.skipped[0].field == "index" and "duplicate case id" in result.skipped[0].reason


def test_file_outside_any_task_folder_needs_a_task_column(tmp_path: Path) -> None:
    write_table(
        tmp_path / "stuff" / "21.tsv",
        [
            {"img_data": GOOD, "class_label": "benign"},
            {"img_data": GOOD, "class_label": "benign", "task": "DD"},
            {"img_data": GOOD, "class_label": "benign", "task": "diagnosis"},
        ],
    )
    result = load(str(tmp_path))
    assert [c.case_id for c in result.cases] == ["DD/21/1"]
    assert [(e.row, e.field) for e in result.skipped] == [(0, "task"), (2, "task")]


def test_unknown_source_and_unreadable_folder() -> None:
    with pytest.raises(DataError, match="not a registered dataset source"):
        load("./no/such/folder")
    with pytest.raises(DataError, match="not a registered dataset source"):
        load("no-such-name")


def test_unknown_bbox_format_is_a_config_error(tmp_path: Path) -> None:
    from u2fast.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown bbox format"):
        load(str(tmp_path), LoadOptions(bbox_format="yolo"))
