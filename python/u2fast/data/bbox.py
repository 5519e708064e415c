"""Box layouts (SPEC A10): detect how a dataset stores ``gt_bbox`` and turn a box into its normalized centre.

The official scorer reads the first two numbers of a box as the normalized centre, which is right
only for normalized ``[cx, cy, w, h]``. A release that stores pixel boxes would then give wrong
sectors, so each dataset's layout is detected from all of its boxes at once:

- every number <= 1 (1.01, for rounding noise): normalized ``cxcywh-norm`` (the kit's assumption; ``xyxy-norm`` only by override,
  with a warning when the boxes only make sense as corners);
- otherwise pixels: the layouts that keep every box inside its image (using each image's size) are
  candidates, in the order ``xyxy-px``, ``xywh-px``, ``cxcywh-px``; the first candidate wins and a
  warning says when another one fits as well.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import ConfigError

__all__ = ["BBOX_FORMATS", "PIXEL_FORMATS", "Annotation", "centre_of", "check_format", "detect_format"]

BBOX_FORMATS = ("auto", "cxcywh-norm", "xyxy-norm", "xyxy-px", "xywh-px", "cxcywh-px")
PIXEL_FORMATS = ("xyxy-px", "xywh-px", "cxcywh-px")
#: Pixels a box may poke out of its image and still count as fitting (rounding in annotation tools).
_SLACK_PX = 1.0
#: Normalized coordinates may overshoot 1 by float noise or annotation rounding (1.0000001, 1.004);
#: a pixel box or point that fits inside 1.01 px is not a real annotation, so such data stays normalized.
_NORMALIZED_MAX = 1.01


@dataclass(frozen=True)
class Annotation:
    """One box or point with the size of the image it belongs to."""

    numbers: tuple[float, ...]
    width: int
    height: int

    @property
    def is_box(self) -> bool:
        return len(self.numbers) >= 4


def check_format(name: str) -> str:
    if name not in BBOX_FORMATS:
        raise ConfigError(f"unknown bbox format {name!r}; choose one of {', '.join(BBOX_FORMATS)}")
    return name


def _fits(fmt: str, a: Annotation) -> bool:
    w = a.width if a.width > 0 else math.inf
    h = a.height if a.height > 0 else math.inf
    v0, v1, v2, v3 = a.numbers[:4]
    if fmt == "xyxy-px":
        x1, y1, x2, y2 = v0, v1, v2, v3
    elif fmt == "xywh-px":
        x1, y1, x2, y2 = v0, v1, v0 + v2, v1 + v3
    else:  # cxcywh-px
        x1, y1, x2, y2 = v0 - v2 / 2, v1 - v3 / 2, v0 + v2 / 2, v1 + v3 / 2
    return (
        x2 > x1
        and y2 > y1
        and x1 >= -_SLACK_PX
        and y1 >= -_SLACK_PX
        and x2 <= w + _SLACK_PX
        and y2 <= h + _SLACK_PX
    )


def _normalized_warning(boxes: Sequence[Annotation]) -> str | None:
    """A hint when normalized boxes read badly as ``cx, cy, w, h`` but well as ``x1, y1, x2, y2``.

    The official scorer always reads the first two numbers as the centre, so the layout is kept
    (compat); the warning tells the user that ``--bbox-format xyxy-norm`` is probably right.
    """
    eps = 1e-6

    def centre_fits(v: tuple[float, ...]) -> bool:
        return (
            v[2] > 0
            and v[3] > 0
            and v[0] - v[2] / 2 >= -eps
            and v[0] + v[2] / 2 <= 1 + eps
            and v[1] - v[3] / 2 >= -eps
            and v[1] + v[3] / 2 <= 1 + eps
        )

    def corners_fit(v: tuple[float, ...]) -> bool:
        return v[2] > v[0] >= -eps and v[3] > v[1] >= -eps and v[2] <= 1 + eps and v[3] <= 1 + eps

    outside = sum(not centre_fits(a.numbers) for a in boxes)
    if outside and all(corners_fit(a.numbers) for a in boxes):
        return (
            f"{outside} of {len(boxes)} normalized boxes leave the image when read as cx,cy,w,h but all fit "
            f"x1,y1,x2,y2; kept cxcywh-norm (as the official scorer), consider --bbox-format xyxy-norm"
        )
    return None


def detect_format(annotations: Sequence[Annotation]) -> tuple[str, str | None]:
    """``(format, warning)`` for one dataset's annotations; the warning is None when unambiguous.

    Points (two numbers, e.g. keypoints) are reported as ``point-norm`` or ``point-px``.
    """
    if not annotations:
        return "cxcywh-norm", None
    boxes = [a for a in annotations if a.is_box]
    largest = max(abs(v) for a in annotations for v in a.numbers)
    if not boxes:
        return ("point-px" if largest > _NORMALIZED_MAX else "point-norm"), None
    if largest <= _NORMALIZED_MAX:
        return "cxcywh-norm", _normalized_warning(boxes)
    fitting = {fmt: sum(_fits(fmt, a) for a in boxes) for fmt in PIXEL_FORMATS}
    complete = [fmt for fmt in PIXEL_FORMATS if fitting[fmt] == len(boxes)]
    if len(complete) == 1:
        return complete[0], None
    if complete:
        others = ", ".join(complete[1:])
        return complete[0], f"pixel boxes fit {complete[0]} and also {others}; using {complete[0]}"
    best = max(PIXEL_FORMATS, key=lambda fmt: fitting[fmt])
    return best, (
        f"no pixel layout keeps every box inside its image; {best} fits {fitting[best]} of {len(boxes)} boxes"
    )


def centre_of(a: Annotation, fmt: str) -> tuple[float, float]:
    """The normalized centre ``(cx, cy)`` of an annotation read in layout ``fmt``.

    A two-number annotation is a point; it is pixels when ``fmt`` is a pixel layout (``*-px``).
    """
    w = float(a.width) if a.width > 0 else 1.0
    h = float(a.height) if a.height > 0 else 1.0
    pixels = fmt.endswith("-px")
    v = a.numbers
    if not a.is_box:
        return (v[0] / w, v[1] / h) if pixels else (v[0], v[1])
    if fmt == "cxcywh-norm":
        return v[0], v[1]
    if fmt == "xyxy-norm":
        return (v[0] + v[2]) / 2, (v[1] + v[3]) / 2
    if fmt == "xyxy-px":
        return (v[0] + v[2]) / 2 / w, (v[1] + v[3]) / 2 / h
    if fmt == "xywh-px":
        return (v[0] + v[2] / 2) / w, (v[1] + v[3] / 2) / h
    if fmt == "cxcywh-px":
        return v[0] / w, v[1] / h
    raise ConfigError(f"unknown bbox format {fmt!r}")
