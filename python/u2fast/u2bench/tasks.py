"""The eight clinical tasks of U2-Bench: one table that every layer reads.

Order, family, headline metric, direction, column heading and release folder of each task live
here and nowhere else (docs/u2bench.md sections 2 and 4). The order is the one the U2-Score lists the tasks
in; ``u2fast.scoring`` checks it against the order the Rust core weights them in at import.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "TaskName",
    "TaskFamily",
    "TaskMetric",
    "TaskSpec",
    "TASK_SPECS",
    "TASKS",
    "CLASSIFICATION_TASKS",
    "SECTOR_TASKS",
    "TEXT_TASKS",
    "task_spec",
]

TaskName = Literal["DD", "VRA", "LL", "OD", "KD", "CVE", "RG", "CG"]
#: How a task's answers are read: an option (cla), a sector (seg), a number, a free text.
TaskFamily = Literal["cla", "seg", "measurement", "report"]
#: The metric of a task that enters the U2-Score.
TaskMetric = Literal["accuracy", "rmse", "bleu4"]


@dataclass(frozen=True)
class TaskSpec:
    code: TaskName
    title: str
    family: TaskFamily
    metric: TaskMetric
    #: Column heading of the headline metric in tables and reports.
    heading: str
    #: Folder of the task in the release layout (British spelling, as released).
    folder: str

    @property
    def lower_is_better(self) -> bool:
        return self.metric == "rmse"

    @property
    def is_classification(self) -> bool:
        """A right/wrong answer per case (McNemar, confusion matrices, the anatomy breakdown)."""
        return self.family in ("cla", "seg")

    @property
    def is_text(self) -> bool:
        return self.family == "report"

    @property
    def digits(self) -> int:
        """Decimals shown: BLEU is on a 0-100 scale, the others on 0-1."""
        return 2 if self.metric == "bleu4" else 4


TASK_SPECS: tuple[TaskSpec, ...] = (
    TaskSpec("DD", "Disease diagnosis", "cla", "accuracy", "DD acc", "disease_diagnosis"),
    TaskSpec("VRA", "View recognition and assessment", "cla", "accuracy", "VRA acc", "view_recognition_and_assessment"),
    TaskSpec("LL", "Lesion localisation", "seg", "accuracy", "LL acc", "lesion_localisation"),
    TaskSpec("OD", "Organ detection", "seg", "accuracy", "OD acc", "organ_detection"),
    TaskSpec("KD", "Keypoint detection", "seg", "accuracy", "KD acc", "keypoint_detection"),
    TaskSpec("CVE", "Clinical value estimation", "measurement", "rmse", "CVE RMSE", "clinical_value_estimation"),
    TaskSpec("RG", "Report generation", "report", "bleu4", "RG BLEU-4", "report_generation"),
    TaskSpec("CG", "Caption generation", "report", "bleu4", "CG BLEU-4", "caption_generation"),
)

#: The eight task codes, in the order the U2-Score lists them.
TASKS: tuple[TaskName, ...] = tuple(s.code for s in TASK_SPECS)
CLASSIFICATION_TASKS: tuple[TaskName, ...] = tuple(s.code for s in TASK_SPECS if s.is_classification)
#: The localisation tasks answered with one of the nine sectors or "not visible".
SECTOR_TASKS: tuple[TaskName, ...] = tuple(s.code for s in TASK_SPECS if s.family == "seg")
TEXT_TASKS: tuple[TaskName, ...] = tuple(s.code for s in TASK_SPECS if s.is_text)

_BY_CODE = {s.code: s for s in TASK_SPECS}


def task_spec(code: str) -> TaskSpec:
    """The spec of a task code; ``KeyError`` names the valid codes."""
    try:
        return _BY_CODE[code]  # type: ignore[index]
    except KeyError:
        raise KeyError(f"unknown task {code!r}; tasks: {', '.join(TASKS)}") from None
