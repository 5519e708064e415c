"""Box layout detection per dataset (docs/u2bench.md A10) and the --bbox-format override."""

from __future__ import annotations

from pathlib import Path

import pytest

from u2fast.data import LoadOptions, load
from u2fast.data.bbox import Annotation, centre_of, detect_format
from u2fast.types import SectorTarget

from .conftest import b64, make_png, write_table


def _boxes(*boxes: tuple[float, ...], w: int = 200, h: int = 100) -> list[Annotation]:
    return [Annotation(b, w, h) for b in boxes]


def test_normalized_boxes_are_centre_width_height() -> None:
    assert detect_format(_boxes((0.5, 0.5, 0.2, 0.2), (0.1, 0.9, 0.05, 0.05))) == ("cxcywh-norm", None)


def test_float_noise_above_one_keeps_a_dataset_normalized() -> None:
    # One coordinate a hair over 1 must not turn every box of the dataset into pixels (all "upper left").
    assert detect_format(_boxes((0.3, 0.6, 0.1, 0.1), (0.95, 0.5, 0.1, 1.0000001))) == ("cxcywh-norm", None)
    assert detect_format(_boxes((0.3, 0.6), (1.004, 0.5))) == ("point-norm", None)
    assert detect_format(_boxes((0.3, 0.6, 0.1, 0.1), (1.5, 0.5, 2, 2)))[0].endswith("-px")


def test_pixel_corner_boxes() -> None:
    # x2 < x1 + w would put xywh boxes outside the 200x100 image: only xyxy fits.
    fmt, warning = detect_format(_boxes((120, 10, 190, 60), (150, 50, 180, 90)))
    assert (fmt, warning) == ("xyxy-px", None)


def test_pixel_width_height_boxes() -> None:
    # Second box has x2 < x1 read as corners, so only the (x, y, w, h) reading fits.
    fmt, warning = detect_format(_boxes((10, 10, 50, 30), (120, 40, 30, 20)))
    assert (fmt, warning) == ("xywh-px", None)


def test_pixel_centre_boxes() -> None:
    fmt, warning = detect_format(_boxes((100, 50, 40, 20), (30, 80, 20, 30)))
    assert (fmt, warning) == ("cxcywh-px", None)


def test_ambiguous_pixel_boxes_warn() -> None:
    fmt, warning = detect_format(_boxes((10, 10, 40, 30)))
    assert fmt == "xyxy-px" and warning is not None and "xywh-px" in warning


def test_points_are_reported_as_points() -> None:
    assert detect_format([Annotation((0.2, 0.3), 10, 10)]) == ("point-norm", None)
    assert detect_format([Annotation((20, 30), 100, 100)]) == ("point-px", None)


@pytest.mark.parametrize(
    ("fmt", "box", "centre"),
    [
        ("cxcywh-norm", (0.3, 0.6, 0.2, 0.2), (0.3, 0.6)),
        ("xyxy-norm", (0.2, 0.4, 0.6, 0.8), (0.4, 0.6)),
        ("xyxy-px", (20, 10, 60, 30), (0.2, 0.2)),
        ("xywh-px", (20, 10, 40, 20), (0.2, 0.2)),
        ("cxcywh-px", (40, 20, 10, 10), (0.2, 0.2)),
    ],
)
def test_centre_of_each_layout(fmt: str, box: tuple[float, ...], centre: tuple[float, float]) -> None:
    assert centre_of(Annotation(box, 200, 100), fmt) == pytest.approx(centre)


def _pixel_dataset(root: Path) -> Path:
    image = b64(make_png(200, 100))
    write_table(
        root / "lesion_localisation" / "23.tsv",
        [
            {"img_data": image, "gt_bbox": "{'lesion': [120, 10, 190, 60]}"},
            {"img_data": image, "gt_bbox": "{'lesion': [10, 50, 60, 90]}"},
        ],
    )
    write_table(
        root / "lesion_localisation" / "04.tsv",
        [
            {"img_data": image, "gt_bbox": "{'lesion': [0.7, 0.2, 0.1, 0.1]}"},
        ],
    )
    return root


def test_loader_detects_layout_per_dataset(tmp_path: Path) -> None:
    result = load(str(_pixel_dataset(tmp_path)))
    assert result.bbox_format == {"LL/23": "xyxy-px", "LL/04": "cxcywh-norm"}
    by_id = {c.case_id: c.target for c in result.cases}
    # Centres (155, 35) and (35, 70) in a 200x100 image.
    assert by_id["LL/23/0"] == SectorTarget("upper right", None, 0.775, 0.35)
    assert by_id["LL/23/1"] == SectorTarget("lower left", None, 0.175, 0.7)
    assert by_id["LL/04/0"] == SectorTarget("upper right", None, 0.7, 0.2)


def test_override_applies_and_is_recorded(tmp_path: Path) -> None:
    result = load(str(_pixel_dataset(tmp_path)), LoadOptions(bbox_format="xywh-px"))
    assert result.bbox_format == {"LL/23": "xywh-px", "LL/04": "xywh-px"}
    by_id = {c.case_id: c.target for c in result.cases}
    # (120 + 190/2, 10 + 60/2) / (200, 100) = (1.075, 0.4): beyond the right edge, still "upper right".
    assert by_id["LL/23/0"] == SectorTarget("upper right", None, 1.075, 0.4)


def test_normalized_override_on_pixel_boxes_warns(tmp_path: Path) -> None:
    result = load(str(_pixel_dataset(tmp_path)), LoadOptions(bbox_format="xyxy-norm"))
    assert result.bbox_format["LL/23"] == "xyxy-norm"
    assert any(w.startswith("LL/23:") and "values > 1" in w for w in result.warnings)


def test_normalized_corner_boxes_are_kept_but_flagged() -> None:
    fmt, warning = detect_format(_boxes((0.6, 0.1, 0.9, 0.4), (0.1, 0.5, 0.3, 0.95)))
    assert fmt == "cxcywh-norm"
    assert warning is not None and "xyxy-norm" in warning and "2 of 2" in warning
    assert detect_format(_boxes((0.5, 0.5, 0.2, 0.2), (0.2, 0.3, 0.3, 0.4)))[1] is None
