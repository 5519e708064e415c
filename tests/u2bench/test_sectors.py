"""The 9-sector rule at its band edges (docs/u2bench.md section 5): half-open bands [0,.45) [.45,.55) [.55,1]."""

from __future__ import annotations

import math

import pytest

from u2fast.types import SECTOR_LABELS
from u2fast.u2bench.sectors import sector_of_point

JUST_BELOW_LOW = math.nextafter(0.45, 0.0)
JUST_BELOW_HIGH = math.nextafter(0.55, 0.0)


@pytest.mark.parametrize(
    ("v", "band"),
    [
        (0.0, 0),
        (0.4499, 0),
        (JUST_BELOW_LOW, 0),
        (0.45, 1),
        (0.5, 1),
        (0.5499, 1),
        (JUST_BELOW_HIGH, 1),
        (0.55, 2),
        (1.0, 2),
    ],
)
def test_band_edges_on_both_axes(v: float, band: int) -> None:
    rows, cols = ("upper", "middle", "lower"), ("left", "center", "right")
    # x varies with y held in the top band, then y varies with x held in the left band.
    expected_x = f"upper {cols[band]}"
    expected_y = f"{rows[band]} left"
    assert sector_of_point(v, 0.1) == expected_x
    assert sector_of_point(0.1, v) == expected_y


def test_middle_and_center_is_center() -> None:
    assert sector_of_point(0.45, 0.45) == "center"
    assert sector_of_point(JUST_BELOW_HIGH, JUST_BELOW_HIGH) == "center"
    assert sector_of_point(0.55, 0.5) == "middle right"
    assert sector_of_point(0.5, 0.55) == "lower center"
    assert sector_of_point(JUST_BELOW_LOW, 0.5) == "middle left"


def test_corners() -> None:
    assert sector_of_point(0.0, 0.0) == "upper left"
    assert sector_of_point(1.0, 0.0) == "upper right"
    assert sector_of_point(0.0, 1.0) == "lower left"
    assert sector_of_point(1.0, 1.0) == "lower right"


@pytest.mark.parametrize(
    ("cx", "cy"), [(None, 0.5), (0.5, None), (None, None), (math.nan, 0.5), (0.5, math.nan)]
)
def test_missing_or_nan_is_not_visible(cx: float | None, cy: float | None) -> None:
    assert sector_of_point(cx, cy) == "not visible"


def test_every_label_is_reachable() -> None:
    grid = [0.1, 0.5, 0.9]
    produced = {sector_of_point(x, y) for x in grid for y in grid} | {sector_of_point(None, None)}
    assert produced == set(SECTOR_LABELS)
