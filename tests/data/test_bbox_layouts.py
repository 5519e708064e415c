"""The one coordinate vocabulary: every layout converts to normalized corners and back, and values
impossible under a layout are named, never re-read under another one."""

from __future__ import annotations

import random

import pytest

from u2fast.data.bbox import (
    BBOX_FORMATS,
    LAYOUTS,
    Annotation,
    box_from_xyxy,
    box_to_xyxy,
    centre_of,
    check_layout,
    impossible_values,
    point_from_xy,
    point_to_xy,
)
from u2fast.errors import ConfigError


def test_the_vocabulary_extends_the_loader_names() -> None:
    assert BBOX_FORMATS[:6] == ("auto", "cxcywh-norm", "xyxy-norm", "xyxy-px", "xywh-px", "cxcywh-px")
    assert {"yxyx-norm1000", "xyxy-norm1000", "yxyx-px", "xywh-norm"} <= set(LAYOUTS)
    assert len(set(LAYOUTS)) == 12
    with pytest.raises(ConfigError, match="yxyx-norm1000"):
        check_layout("gemini")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_box_round_trip(layout: str) -> None:
    rng = random.Random(layout)
    for _ in range(50):
        x1, y1 = rng.uniform(0, 0.7), rng.uniform(0, 0.7)
        box = (x1, y1, x1 + rng.uniform(0.01, 0.3), y1 + rng.uniform(0.01, 0.3))
        w, h = rng.randint(50, 2000), rng.randint(50, 2000)
        written = box_from_xyxy(box, layout, w, h)
        assert box_to_xyxy(written, layout, w, h) == pytest.approx(box, abs=1e-12)
        assert impossible_values(written, layout, w, h) is None


@pytest.mark.parametrize(
    ("values", "layout", "expected"),
    [
        ((100, 200, 300, 400), "yxyx-norm1000", (0.2, 0.1, 0.4, 0.3)),  # Gemini: [ymin, xmin, ymax, xmax]
        ((10, 20, 30, 40), "xyxy-px", (0.1, 0.1, 0.3, 0.2)),
        ((10, 20, 20, 20), "xywh-px", (0.1, 0.1, 0.3, 0.2)),
        ((0.5, 0.5, 0.2, 0.4), "cxcywh-norm", (0.4, 0.3, 0.6, 0.7)),
    ],
)
def test_known_boxes(values: tuple[float, ...], layout: str, expected: tuple[float, ...]) -> None:
    assert box_to_xyxy(values, layout, 100, 200) == pytest.approx(expected)


def test_points_follow_the_axis_order_and_scale_of_the_layout() -> None:
    assert point_to_xy((250, 100), "yxyx-norm1000", 640, 480) == pytest.approx((0.1, 0.25))
    assert point_to_xy((64, 24), "xyxy-px", 640, 480) == pytest.approx((0.1, 0.05))
    assert point_from_xy((0.1, 0.25), "yxyx-norm1000", 640, 480) == pytest.approx((250, 100))


@pytest.mark.parametrize(
    ("values", "layout"),
    [
        ((0.1, 0.2, 1.4, 0.5), "xyxy-norm"),  # above 1 under norm
        ((100, 200, 1300, 400), "yxyx-norm1000"),  # above 1000
        ((10, 20, 700, 40), "xyxy-px"),  # beyond a 640 px wide image
        ((30, 20, 10, 40), "xyxy-px"),  # x2 < x1: no area
        ((-5, 20), "xyxy-px"),  # a point left of the image
    ],
)
def test_impossible_values_are_named(values: tuple[float, ...], layout: str) -> None:
    assert impossible_values(values, layout, 640, 480)


def test_pixel_box_centres_keep_their_exact_arithmetic() -> None:
    # the historic layouts: a centre on a band edge must not move by a rounding step
    assert centre_of(Annotation((45, 10, 65, 30), 110, 100), "xyxy-px") == ((45 + 65) / 2 / 110, 0.2)
    assert centre_of(Annotation((200, 100, 400, 300), 640, 480), "yxyx-norm1000") == pytest.approx((0.2, 0.3))
