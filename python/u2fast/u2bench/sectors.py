"""The 9-sector localisation rule (docs/u2bench.md section 5): a normalized point to one of ten labels."""

from __future__ import annotations

import math

__all__ = ["LOW", "HIGH", "sector_of_point", "NOT_VISIBLE", "SECTOR_LABELS"]

#: Band edges on both axes; half-open: [0, LOW) | [LOW, HIGH) | [HIGH, 1].
LOW = 0.45
HIGH = 0.55
NOT_VISIBLE = "not visible"

#: The ten answers of the localisation tasks (LL, OD, KD), in the official order.
SECTOR_LABELS: tuple[str, ...] = (
    "upper left",
    "upper center",
    "upper right",
    "middle left",
    "center",
    "middle right",
    "lower left",
    "lower center",
    "lower right",
    NOT_VISIBLE,
)

_ROWS = ("upper", "middle", "lower")
_COLS = ("left", "center", "right")


def _band(v: float) -> int:
    if v < LOW:
        return 0
    if v < HIGH:
        return 1
    return 2


def sector_of_point(cx: float | None, cy: float | None) -> str:
    """Sector label of a normalized point; ``not visible`` when either coordinate is missing or NaN.

    Values exactly on 0.45 fall in the middle band and values on 0.55 in the lower/right band, as in
    the official ``get_bounding_box_location_v1``. Points outside [0, 1] are binned like their nearest
    edge band (the rule has no upper bound).
    """
    if cx is None or cy is None or math.isnan(cx) or math.isnan(cy):
        return NOT_VISIBLE
    row, col = _band(cy), _band(cx)
    if row == 1 and col == 1:
        return "center"
    return f"{_ROWS[row]} {_COLS[col]}"
