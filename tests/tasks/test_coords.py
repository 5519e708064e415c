"""Coordinate answers: every documented shape is read, placed under the declared convention, and an
impossible answer is flagged (and counted wrong) rather than re-read under another convention."""

from __future__ import annotations

from collections.abc import Callable

import msgspec
import pytest

from u2fast.tasks.coords import IMPOSSIBLE, coordinate_parser, read_coordinates, sent_size
from u2fast.tasks.judge import judge
from u2fast.types import Case, Completion, ImageRef, SectorTarget

MakeCase = Callable[..., Case]


@pytest.mark.parametrize(
    ("text", "kind", "values"),
    [
        ('{"bbox_2d": [10, 20, 30, 40]}', "box", (10, 20, 30, 40)),
        ('[{"bbox_2d": [10, 20, 30, 40], "label": "lesion"}]', "box", (10, 20, 30, 40)),
        ('```json\n{"box_2d": [100, 200, 300, 400]}\n```', "box", (100, 200, 300, 400)),
        ("[0.1, 0.2, 0.3, 0.4]", "box", (0.1, 0.2, 0.3, 0.4)),
        ("[[0.1, 0.2, 0.3, 0.4]]", "box", (0.1, 0.2, 0.3, 0.4)),
        ("The lesion lies at [12, 40, 88, 120] in the image.", "box", (12, 40, 88, 120)),
        ("It spans from (12, 40) to (88, 120).", "box", (12, 40, 88, 120)),
        ("x1=12, y1=40, x2=88, y2=120", "box", (12, 40, 88, 120)),
        ('{"point": [5, 6]}', "point", (5, 6)),
        ('{"point_2d": [5.5, 6]}', "point", (5.5, 6)),
        ("The valve is at (30, 41).", "point", (30, 41)),
        ("x: 0.3, y: 0.4", "point", (0.3, 0.4)),
    ],
)
def test_every_documented_shape_is_read(text: str, kind: str, values: tuple[float, ...]) -> None:
    reading = read_coordinates(text, kind)
    assert reading.values == pytest.approx(values) and not reading.not_visible


@pytest.mark.parametrize(
    "text", ["The structure is not visible in this image.", '{"bbox_2d": null}', '{"visible": false}', "No lesion."]
)
def test_not_visible_is_read(text: str) -> None:
    assert read_coordinates(text, "box").not_visible


@pytest.mark.parametrize("text", ["somewhere", '{"point_2d": [1, 2, 3]}', "upper left"])
def test_nothing_found(text: str) -> None:
    reading = read_coordinates(text, "point")
    assert reading.values is None and not reading.not_visible and reading.reason


def _case(make_case: MakeCase, w: int = 200, h: int = 100) -> Case:
    case = make_case("LL", "04", target=SectorTarget("upper left", cx=0.2, cy=0.2), box=(0.1, 0.1, 0.3, 0.3))
    image = ImageRef(sha256="0" * 64, mime="image/png", data=b"x", width=w, height=h)
    return msgspec.structs.replace(case, image=image)


def test_conventions_place_the_same_box(make_case: MakeCase) -> None:
    case = _case(make_case)
    expected = pytest.approx((0.1, 0.1, 0.3, 0.3))
    assert coordinate_parser("box", "xyxy-px", None)("[20, 10, 60, 30]", case).value == expected
    assert coordinate_parser("box", "yxyx-norm1000", None)('{"box_2d": [100, 100, 300, 300]}', case).value == expected
    assert coordinate_parser("box", "xyxy-norm", None)("[0.1, 0.1, 0.3, 0.3]", case).value == expected
    # named x/y values keep their order under a yx convention; only the scale comes from it
    assert coordinate_parser("box", "yxyx-norm1000", None)("x1=100, y1=100, x2=300, y2=300", case).value == expected


def test_pixels_are_of_the_image_as_sent(make_case: MakeCase) -> None:
    case = _case(make_case, 2000, 1000)
    assert sent_size(case, 500) == (500, 250)
    pred = coordinate_parser("point", "xyxy-px", 500)("(50, 25)", case)
    assert pred.value == pytest.approx((0.1, 0.1))


def test_impossible_answers_are_flagged_and_counted_wrong(make_case: MakeCase) -> None:
    case = _case(make_case)
    parse = coordinate_parser("box", "xyxy-norm", None)
    pred = parse("[100, 200, 300, 400]", case)  # plainly 0-1000 numbers, but the model declared norm
    assert not pred.parsed and pred.value is None and (pred.reason or "").startswith(IMPOSSIBLE)
    _, score = judge(case, Completion(key="k", case_id=case.case_id, model="m", text="[100, 200, 300, 400]"), "robust", parse)
    assert score.impossible and score.counted and score.correct is False and not score.parsed


def test_the_sector_of_a_coordinate_answer_is_its_centre_s(make_case: MakeCase) -> None:
    case = _case(make_case)
    parse = coordinate_parser("box", "xyxy-norm", None)
    _, right = judge(case, Completion(key="k", case_id=case.case_id, model="m", text="[0.1, 0.1, 0.3, 0.3]"), "robust", parse)
    assert (right.correct, right.answer, right.coords) == (True, "upper left", pytest.approx((0.1, 0.1, 0.3, 0.3)))
    _, wrong = judge(case, Completion(key="k", case_id=case.case_id, model="m", text="[0.4, 0.4, 0.6, 0.6]"), "robust", parse)
    assert (wrong.correct, wrong.answer) == (False, "center")
    _, nv = judge(case, Completion(key="k", case_id=case.case_id, model="m", text="not visible"), "robust", parse)
    assert (nv.correct, nv.answer, nv.coords) == (False, "not visible", None)
