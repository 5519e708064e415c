"""Box layouts (docs/u2bench.md A10): detect how a dataset stores ``gt_bbox`` and turn a box into its normalized centre.

The layout names are u2fast's one coordinate vocabulary, used for ground truth (``--bbox-format``)
and for models' answers (``--coords``): ``ORDER-SCALE`` with ORDER ``xyxy``, ``yxyx`` (Gemini's
``[ymin, xmin, ymax, xmax]``), ``xywh`` or ``cxcywh`` and SCALE ``norm`` (0-1), ``norm1000`` (0-1000)
or ``px`` (pixels of the image, for answers the image as sent). A point in a layout is ``[y, x]``
for ``yxyx`` and ``[x, y]`` otherwise, on the same scale; ``point-norm``/``point-px`` name keypoints.

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

__all__ = [
    "BBOX_FORMATS",
    "LAYOUTS",
    "PIXEL_FORMATS",
    "Annotation",
    "box_from_xyxy",
    "box_of",
    "box_to_xyxy",
    "centre_of",
    "check_format",
    "check_layout",
    "detect_format",
    "impossible_values",
    "point_from_xy",
    "point_to_xy",
]

#: Every box layout: the loader's historic five first, then the other orders and scales.
LAYOUTS = (
    "cxcywh-norm", "xyxy-norm", "xyxy-px", "xywh-px", "cxcywh-px",
    "yxyx-norm", "xywh-norm", "xyxy-norm1000", "yxyx-norm1000", "xywh-norm1000", "cxcywh-norm1000", "yxyx-px",
)
BBOX_FORMATS = ("auto", *LAYOUTS)
PIXEL_FORMATS = ("xyxy-px", "xywh-px", "cxcywh-px")
_ORDERS = ("xyxy", "yxyx", "xywh", "cxcywh")
#: Full scale of a normalized layout; pixels scale by the image size.
_SCALE = {"norm": 1.0, "norm1000": 1000.0}
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


def check_layout(name: str, what: str = "coordinate convention") -> str:
    """``name`` when it is a box layout (or ``point-norm``/``point-px``), else a ConfigError listing them."""
    if name not in LAYOUTS and name not in ("point-norm", "point-px"):
        raise ConfigError(f"unknown {what} {name!r}; choose one of {', '.join(LAYOUTS)}")
    return name


def _split(layout: str) -> tuple[str, str]:
    order, _, scale = check_layout(layout).partition("-")
    return ("xyxy" if order == "point" else order), scale


def _scales(scale: str, width: float, height: float) -> tuple[float, float]:
    if scale == "px":
        return (width if width > 0 else 1.0), (height if height > 0 else 1.0)
    return _SCALE[scale], _SCALE[scale]


def box_to_xyxy(values: Sequence[float], layout: str, width: float, height: float) -> tuple[float, float, float, float]:
    """Four numbers read in ``layout`` as normalized corners ``(x1, y1, x2, y2)`` (not clipped)."""
    order, scale = _split(layout)
    sx, sy = _scales(scale, width, height)
    a, b, c, d = (float(v) for v in values[:4])
    if order == "yxyx":
        a, b, c, d = b, a, d, c
    if order == "xywh":
        c, d = a + c, b + d
    elif order == "cxcywh":
        a, b, c, d = a - c / 2, b - d / 2, a + c / 2, b + d / 2
    return a / sx, b / sy, c / sx, d / sy


def box_from_xyxy(box: Sequence[float], layout: str, width: float, height: float) -> tuple[float, float, float, float]:
    """The inverse of :func:`box_to_xyxy`: normalized corners written in ``layout``."""
    order, scale = _split(layout)
    sx, sy = _scales(scale, width, height)
    x1, y1, x2, y2 = box[0] * sx, box[1] * sy, box[2] * sx, box[3] * sy
    if order == "yxyx":
        return y1, x1, y2, x2
    if order == "xywh":
        return x1, y1, x2 - x1, y2 - y1
    if order == "cxcywh":
        return (x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1
    return x1, y1, x2, y2


def point_to_xy(values: Sequence[float], layout: str, width: float, height: float) -> tuple[float, float]:
    """Two numbers read as a point of ``layout`` (``[y, x]`` for yxyx) as normalized ``(x, y)``."""
    order, scale = _split(layout)
    sx, sy = _scales(scale, width, height)
    a, b = float(values[0]), float(values[1])
    x, y = (b, a) if order == "yxyx" else (a, b)
    return x / sx, y / sy


def point_from_xy(point: Sequence[float], layout: str, width: float, height: float) -> tuple[float, float]:
    """The inverse of :func:`point_to_xy`."""
    order, scale = _split(layout)
    sx, sy = _scales(scale, width, height)
    x, y = point[0] * sx, point[1] * sy
    return (y, x) if order == "yxyx" else (x, y)


def impossible_values(values: Sequence[float], layout: str, width: float, height: float) -> str | None:
    """Why ``values`` (a box of 4 or a point of 2) cannot be an answer in ``layout``, or None.

    Values beyond the layout's range (above 1 under ``norm``, 1000 under ``norm1000``, beyond the
    image under ``px``; negative anywhere), and boxes with no area, are impossible: they are reported,
    never re-read under another layout.
    """
    scale = _split(layout)[1]
    if any(not math.isfinite(float(v)) for v in values):
        return "a coordinate is not a finite number"
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    if len(values) >= 4:
        x1, y1, x2, y2 = box_to_xyxy(values, layout, width, height)
        xs, ys = (x1, x2), (y1, y2)
    else:
        x, y = point_to_xy(values, layout, width, height)
        xs, ys = (x,), (y,)
    slack_x, slack_y = (_SLACK_PX / width, _SLACK_PX / height) if scale == "px" and width > 0 and height > 0 else (
        _NORMALIZED_MAX - 1.0, _NORMALIZED_MAX - 1.0)
    if any(v < -slack_x or v > 1 + slack_x for v in xs) or any(v < -slack_y or v > 1 + slack_y for v in ys):
        where = {"norm": "0-1", "norm1000": "0-1000"}.get(scale, f"the image ({width:g}x{height:g} px)")
        return f"{list(values)} lies outside {where} under {layout}"
    if len(xs) == 2 and not (xs[-1] > xs[0] and ys[-1] > ys[0]):
        return f"{list(values)} is not a box with area under {layout}"
    return None


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
    # The loader's first five layouts keep their exact arithmetic: a centre on 0.45 or 0.55 must not
    # move by a rounding step, or a ground-truth sector would change.
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
    x1, y1, x2, y2 = box_to_xyxy(v, fmt, a.width, a.height)
    return (x1 + x2) / 2, (y1 + y2) / 2


def box_of(a: Annotation, fmt: str) -> tuple[float, float, float, float] | None:
    """The normalized corners of a box annotation read in ``fmt``; None for a point."""
    return box_to_xyxy(a.numbers, fmt, a.width, a.height) if a.is_box else None
