"""Case factories for the task tests: one realistic case per scenario, targets as loaders build them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from u2fast.types import Case, ImageRef, LabelTarget, SectorTarget, Target, TextTarget, ValueTarget
from u2fast.u2bench.scenarios import Scenario, scenario

_IMAGE = ImageRef(sha256="0" * 64, mime="image/png", data=b"\x89PNG")


def default_target(sc: Scenario) -> Target:
    if sc.task in ("DD", "VRA"):
        return LabelTarget(sc.options[0], sc.options)
    if sc.task in ("LL", "OD", "KD"):
        return SectorTarget("center", cx=0.5, cy=0.5)
    if sc.task == "CVE":
        return ValueTarget((sc.low + sc.high) / 2, sc.low, sc.high, sc.unit)
    return TextTarget("the liver is normal in size")


def build_case(task: str, dataset_id: str, target: Target | None = None, **fields: Any) -> Case:
    sc = scenario(task, dataset_id)
    assert sc is not None, f"{task}/{dataset_id}"
    return Case(
        case_id=fields.pop("case_id", "7"),
        dataset_id=dataset_id,
        task=task,  # type: ignore[arg-type]
        target=target if target is not None else default_target(sc),
        image=_IMAGE,
        source="mem.tsv",
        row=3,
        **fields,
    )


@pytest.fixture
def make_case() -> Callable[..., Case]:
    return build_case
