"""u2fast.prompt_ids: the id a prompt carries says what answer it asks for, read back the same way."""

from __future__ import annotations

import pytest

from u2fast.prompt_ids import TEMPLATE_VERSION, answer_kind, coordinate_request, template_id


def test_sector_prompts_ask_for_no_coordinates() -> None:
    assert template_id("LL", "04", "sector", None) == f"{TEMPLATE_VERSION}:LL/04"
    assert coordinate_request(template_id("LL", "04", "sector", "xyxy-norm"), "LL") is None
    assert coordinate_request("official:seg/LL", "LL") is None  # the official kit's templates ask for sectors


@pytest.mark.parametrize(
    ("task", "answer_format", "coords", "expected"),
    [
        ("LL", "box", None, ("box", None)),
        ("OD", "box", "xyxy-norm", ("box", "xyxy-norm")),
        ("LL", "point", "own", ("point", None)),
        ("KD", "box", None, ("point", None)),  # keypoints are points whatever the chosen format
    ],
)
def test_coordinate_prompts_are_read_back(task: str, answer_format: str, coords: str | None,
                                          expected: tuple[str, str | None]) -> None:
    template = template_id(task, "04", answer_format, coords)
    assert template.startswith(f"{TEMPLATE_VERSION}:{task}/04:{answer_format}:")
    assert coordinate_request(template, task) == expected
    assert answer_kind(task, answer_format) == expected[0]


def test_the_built_in_prompts_carry_these_ids() -> None:
    from u2fast.plugins import get_registry
    from u2fast.tasks.base import PromptOptions
    from u2fast.types import Case, ImageRef, SectorTarget

    case = Case(case_id="c1", dataset_id="04", task="LL", anatomy="thyroid",
                image=ImageRef(sha256="0" * 64, mime="image/png", data=b"\x89PNG"),
                target=SectorTarget("center", cx=0.5, cy=0.5))
    prompt = get_registry().task("LL").build_prompt(case, PromptOptions(answer_format="box"))
    assert coordinate_request(prompt.template, "LL") == ("box", None)
