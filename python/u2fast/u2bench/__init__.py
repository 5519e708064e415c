"""U2-Bench's facts in one place: tasks, scenarios, the 9-sector rule and the scoring modes.

Everything else (loaders, tasks, adapters, scoring, reports) reads these; this package imports
nothing else of u2fast, so any layer may depend on it.
"""

from __future__ import annotations

from .modes import SCORING_MODES, ScoringMode, scoring_mode
from .scenarios import (
    CVE_TOLERANCE,
    DATASET_IDS,
    ORDINAL_SCENARIOS,
    SCENARIOS,
    Scenario,
    reported_anatomy,
    scenario,
    scenarios_for,
)
from .sectors import HIGH, LOW, NOT_VISIBLE, SECTOR_LABELS, sector_of_point
from .tasks import (
    CLASSIFICATION_TASKS,
    SECTOR_TASKS,
    TASK_SPECS,
    TASKS,
    TEXT_TASKS,
    TaskFamily,
    TaskMetric,
    TaskName,
    TaskSpec,
    task_spec,
)

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
    "Scenario",
    "SCENARIOS",
    "DATASET_IDS",
    "CVE_TOLERANCE",
    "ORDINAL_SCENARIOS",
    "reported_anatomy",
    "scenario",
    "scenarios_for",
    "SECTOR_LABELS",
    "NOT_VISIBLE",
    "LOW",
    "HIGH",
    "sector_of_point",
    "ScoringMode",
    "SCORING_MODES",
    "scoring_mode",
]
