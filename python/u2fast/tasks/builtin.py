"""The eight built-in tasks and their parsers, registered through the same hooks as any plugin."""

from __future__ import annotations

from collections.abc import Callable

from ..hookspecs import hookimpl
from ..u2bench.tasks import CLASSIFICATION_TASKS, SECTOR_TASKS, TASK_SPECS
from .base import ParserInfo, TaskDefinition
from .intern_kit import parse_cla_intern, parse_cve_intern, parse_seg_intern
from .parsers import PARSERS
from .prompts import build_prompt

__all__ = ["TASK_DEFINITIONS", "u2fast_register_tasks", "u2fast_register_parsers"]

TASK_DEFINITIONS: tuple[TaskDefinition, ...] = tuple(
    TaskDefinition(
        name=spec.code,
        title=spec.title,
        family=spec.family,
        metric=spec.metric,
        build_prompt=build_prompt,
        parsers=dict(PARSERS[spec.family]),
    )
    for spec in TASK_SPECS
)

_MODE_DESCRIPTIONS = {
    "compat": "the official kit's parsing (exact match after lower-casing; int()/float())",
    "robust": "u2fast's honest parsing (cleaning, option/sector/number extraction)",
}


@hookimpl
def u2fast_register_tasks(register: Callable[[TaskDefinition], None]) -> None:
    for definition in TASK_DEFINITIONS:
        register(definition)


@hookimpl
def u2fast_register_parsers(register: Callable[[ParserInfo], None]) -> None:
    # The two built-in modes are selectable by name too, e.g. robust parsing under compat scoring.
    for definition in TASK_DEFINITIONS:
        for mode, parse in definition.parsers.items():
            register(ParserInfo(definition.name, mode, parse, _MODE_DESCRIPTIONS[mode]))
    for task in SECTOR_TASKS:
        register(
            ParserInfo(
                task,
                "intern-keywords",
                parse_seg_intern,
                "the intern kit's first-substring sector keywords (never yields 'lower center')",
            )
        )
    for task in (t for t in CLASSIFICATION_TASKS if t not in SECTOR_TASKS):
        register(
            ParserInfo(
                task,
                "intern-options",
                parse_cla_intern,
                "an approximation of the intern kit's option matcher (substring matches included)",
            )
        )
    register(
        ParserInfo(
            "CVE",
            "intern-number",
            parse_cve_intern,
            "the intern kit's number extraction: float(), then the first unsigned number",
        )
    )
