"""What a task is: a prompt builder, parsers per scoring mode, and the metric it feeds."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..types import Case, Prediction, Prompt, TaskName
from ..u2bench.modes import ScoringMode
from ..u2bench.tasks import TaskFamily, TaskMetric

__all__ = ["TaskDefinition", "ParserInfo", "PromptOptions", "ScoringMode", "PROMPT_VARIANTS", "Parse"]

#: Part-level prompt ablations (the paper's anatomy ablation is ``no-anatomy``).
PROMPT_VARIANTS: tuple[str, ...] = ("default", "no-anatomy", "no-role", "no-format", "no-instruction-detail")

#: A parser reads a completion's text for a case.
Parse = Callable[[str, Case], Prediction]


@dataclass(frozen=True)
class PromptOptions:
    """How prompts are built for a run."""

    variant: str = "default"
    #: Official prompt files loaded with ``--prompts DIR`` (``cla_prompt.json``, ``mea_prompt.json``),
    #: keyed by file stem then dataset id; None for u2fast's own wording.
    official: Mapping[str, Mapping[str, str]] | None = None
    #: LL/OD/KD answer format (sector, box, point), the coordinate convention the prompt states
    #: (None with box/point: the model's own, for --coords auto) and the --max-side images are sent at.
    answer_format: str = "sector"
    coords: str | None = None
    max_side: int | None = None


@dataclass(frozen=True)
class TaskDefinition:
    """A task registered through ``u2fast_register_tasks``."""

    name: TaskName
    title: str
    family: TaskFamily
    metric: TaskMetric
    build_prompt: Callable[[Case, PromptOptions], Prompt]
    #: Built-in parsers by scoring mode ("compat", "robust").
    parsers: Mapping[str, Parse] = field(default_factory=dict)


@dataclass(frozen=True)
class ParserInfo:
    """An alternative parser registered through ``u2fast_register_parsers``."""

    task: TaskName
    name: str
    parse: Parse
    description: str = ""
