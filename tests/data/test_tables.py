"""jsonl and parquet sources, ``img_path`` images, and refusing paths that leave the dataset folder."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from u2fast.data import LoadOptions, load
from u2fast.data.images import read_image_bytes
from u2fast.errors import RowError
from u2fast.types import LabelTarget, SectorTarget, ValueTarget

from .conftest import b64, make_png, write_table


def _jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows) + "\n")
    return path


def test_jsonl_with_task_column_and_lazy_base64(tmp_path: Path) -> None:
    png = make_png(12, 8)
    path = _jsonl(
        tmp_path / "cases.jsonl",
        [
            {"task": "DD", "dataset_name": "21", "index": "a", "img_data": b64(png), "class_label": "Benign"},
            {
                "task": "lesion_localisation",
                "dataset_name": "64",
                "img_data": b64(png),
                "gt_bbox": {"lesion": [0.5, 0.2, 0.1, 0.1]},
            },
            {"task": "CVE", "dataset_name": "57", "img_data": b64(png), "measurement": {"fat value": 12}},
        ],
    )
    result = load(str(path), LoadOptions(strict=True))
    dd, ll, cve = result.cases
    assert dd.case_id == "DD/21/a" and dd.target == LabelTarget("benign", ("benign", "malignant"))
    assert ll.case_id == "LL/64/1" and ll.target == SectorTarget("upper center", None, 0.5, 0.2)
    assert cve.target == ValueTarget(12.0, 0.0, 85.0, "")
    ref = dd.image
    assert ref.path == str(path.resolve()) and ref.base64 and ref.data is None
    assert read_image_bytes(ref) == png


def test_jsonl_row_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "disease_diagnosis" / "21.jsonl"
    path.parent.mkdir()
    good = json.dumps({"img_data": b64(make_png()), "class_label": "benign"})
    path.write_text(f"{good}\n{{not json\n{good}\n")
    result = load(str(tmp_path))
    assert [c.row for c in result.cases] == [0, 2]
    assert (result.skipped[0].row, result.skipped[0].field) == (1, "<row>")


def test_parquet_with_image_bytes_and_paths(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    png = make_png(10, 10)
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "a.png").write_bytes(png)
    table = pa.table(
        {
            "task": ["VRA", "VRA", "OD"],
            "dataset_name": ["37", "37", "37"],
            "img_data": [png, None, None],
            "img_path": [None, "images/a.png", "images/a.png"],
            "class_label": ["coronal plane", "Sagittal Plane", None],
            "gt_bbox": [None, None, "{'thyroid': [2, 2, 8, 9]}"],
        }
    )
    pq.write_table(table, tmp_path / "part-0.parquet")
    result = load(str(tmp_path), LoadOptions(strict=True))
    first, second, od = result.cases
    assert first.target.label == "Coronal Plane"  # type: ignore[union-attr]
    assert first.image.data == png
    assert second.image.path == str((tmp_path / "images" / "a.png").resolve()) and second.image.data is None
    assert read_image_bytes(second.image) == png
    # Pixel box [x1, y1, x2, y2] in a 10x10 image: centre (5, 5.5) -> (0.5, 0.55) -> lower center.
    assert result.bbox_format["OD/37"] == "xyxy-px"
    assert od.target == SectorTarget("lower center", "thyroid", 0.5, 0.55)


@pytest.mark.parametrize("bad_path", ["../outside.png", "images/../../outside.png", "ABSOLUTE", "LINK"])
def test_img_path_outside_the_dataset_folder_is_refused(tmp_path: Path, bad_path: str) -> None:
    root = tmp_path / "data"
    (root / "images").mkdir(parents=True)
    outside = tmp_path / "outside.png"
    outside.write_bytes(make_png())
    if bad_path == "ABSOLUTE":
        bad_path = str(outside)
    elif bad_path == "LINK":
        os.symlink(outside, root / "images" / "link.png")
        bad_path = "images/link.png"
    (root / "images" / "ok.png").write_bytes(make_png())
    write_table(
        root / "disease_diagnosis" / "21.tsv",
        [
            {"img_path": "images/ok.png", "class_label": "benign"},
            {"img_path": bad_path, "class_label": "benign"},
        ],
    )
    result = load(str(root))
    assert len(result.cases) == 1
    err = result.skipped[0]
    assert (err.row, err.field) == (1, "img_path") and "outside the dataset folder" in err.reason
    with pytest.raises(RowError, match="outside the dataset folder"):
        load(str(root), LoadOptions(strict=True))


def test_img_path_relative_to_the_table_folder(tmp_path: Path) -> None:
    (tmp_path / "disease_diagnosis" / "img").mkdir(parents=True)
    (tmp_path / "disease_diagnosis" / "img" / "x.png").write_bytes(make_png())
    write_table(
        tmp_path / "disease_diagnosis" / "21.tsv",
        [
            {"img_path": "img/x.png", "class_label": "benign"},
            {"img_path": "img/missing.png", "class_label": "benign"},
        ],
    )
    result = load(str(tmp_path))
    assert len(result.cases) == 1
    assert result.skipped[0].field == "img_path" and "not found" in result.skipped[0].reason


def test_single_file_spec(tmp_path: Path) -> None:
    path = write_table(
        tmp_path / "organ_detection" / "13.tsv",
        [
            {
                "img_data": b64(make_png()),
                "gt_bbox": "{'stomach': [0.3, 0.3, 0.1, 0.1]}",
                "seg_channel_name": "['stomach']",
            },
        ],
    )
    (case,) = load(str(path)).cases
    assert case.case_id == "OD/13/0" and case.target == SectorTarget("upper left", "stomach", 0.3, 0.3)


def test_parquet_hugging_face_image_feature_and_wrapped_base64(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    png = make_png(6, 5)
    wrapped = "\n".join(b64(png)[i : i + 20] for i in range(0, len(b64(png)), 20))
    table = pa.table(
        {
            "task": ["DD", "DD"],
            "dataset_name": ["66", "66"],
            "img_data": [{"bytes": png, "path": None}, {"bytes": wrapped.encode(), "path": None}],
            "class": ["Malignant", "benign"],
        }
    )
    pq.write_table(table, tmp_path / "train.parquet")
    first, second = load(str(tmp_path), LoadOptions(strict=True)).cases
    assert first.image.data == png and first.target.label == "malignant"  # type: ignore[union-attr]
    assert second.image.data == png and second.image.sha256 == first.image.sha256
