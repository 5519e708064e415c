"""The report's data: one versioned structure that the terminal, JSON, CSV, Markdown and HTML share.

``u2fast report --format json`` writes :class:`Report` as it is; docs/reports.md documents every
field. Bump :data:`REPORT_SCHEMA` on any incompatible change. Undefined numbers (an empty task, a
missing interval) are ``null`` in JSON.
"""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

from ..scoring.scores import DatasetScore, Estimate, ModelSummary, TaskScore
from ..u2bench.tasks import TASK_SPECS
from .ranking_entry import RankEntry
from .usage import UsageEntry

__all__ = [
    "ERROR_RATE_WARNING",
    "LOWER_IS_BETTER",
    "REPORT_SCHEMA",
    "TASK_LABELS",
    "AnatomyEntry",
    "CaseView",
    "DatasetEntry",
    "ModelEntry",
    "Report",
    "RunInfo",
    "TaskEntry",
    "embed",
]

#: Version of the report layout.
REPORT_SCHEMA = "u2fast.report/1"

#: Column heading of each task's headline metric.
TASK_LABELS = {spec.code: spec.heading for spec in TASK_SPECS}

#: API error rate from which a report warns that a model's scores cover only its answered cases
#: (robust scoring leaves API errors out of every denominator, so such a model can rank high).
ERROR_RATE_WARNING = 0.05

#: Metrics where a smaller value is better (sorting and colours follow it).
LOWER_IS_BETTER = frozenset(spec.metric for spec in TASK_SPECS if spec.lower_is_better)


class RunInfo(msgspec.Struct, omit_defaults=True):
    """One run folder that went into the report."""

    name: str
    path: str
    data: str
    dataset_fingerprint: str
    n_cases: int
    models: list[str]
    prompt_variant: str
    prompt_source: str
    status: str
    created_at: str
    #: how LL/OD/KD were asked: sector, box or point
    answer_format: str = "sector"


class TaskEntry(TaskScore, omit_defaults=False, kw_only=True):
    """A model's headline metric on one task: the scoring's :class:`TaskScore` as it is, every field
    written (the report has no "absent when default")."""

    #: a default so that a TaskEntry is built as before it embedded TaskScore (``embed`` fills it)
    task: str = ""


class ModelEntry(ModelSummary, omit_defaults=False, kw_only=True):
    """One leaderboard row: a model of a run (the scoring's :class:`ModelSummary`, its ``tasks``
    holding :class:`TaskEntry`) and what the report adds. ``label`` is unique within the report."""

    label: str
    run: str
    rank: int
    #: a default, as the report's row had before it embedded ModelSummary (``embed`` fills it)
    answered: int = 0
    #: parse rate under ``usage.PARSE_RATE_WARNING``
    parse_warning: bool = False
    usage: UsageEntry | None = None
    #: joint rank interval among the models on the same data; null when alone or without intervals
    ranking: RankEntry | None = None


class DatasetEntry(DatasetScore, omit_defaults=False, kw_only=True):
    """A model's metric on one scenario (``TASK/dataset``): the scoring's :class:`DatasetScore` and the
    model's label and the scenario's anatomy word."""

    label: str
    anatomy: str


_S = TypeVar("_S", bound=msgspec.Struct)


def embed(entry: type[_S], scored: msgspec.Struct, **report_fields: Any) -> _S:
    """``entry`` (a report structure that subclasses a scoring one) holding every field of ``scored``
    it inherits, plus the report's own ``report_fields``: a field added in scoring reaches the
    report without a copy here."""
    own = set(entry.__struct_fields__)
    values = {f: getattr(scored, f) for f in type(scored).__struct_fields__ if f in own}
    return entry(**(values | report_fields))


class AnatomyEntry(msgspec.Struct):
    """Accuracy of a model on the classification and sector cases of one anatomy.

    ``task`` is one of DD, VRA, LL, OD, KD, or ``"all"`` for those five pooled (case-weighted).
    """

    label: str
    anatomy: str
    task: str
    metric: str
    value: Estimate
    counted: int


class CaseView(msgspec.Struct):
    """One (case, model) row of the HTML case browser; every text field is shown escaped."""

    label: str
    case_id: str
    task: str
    dataset_id: str
    anatomy: str
    #: sha256 of the image: a key into the report's thumbnails ("" when none)
    image: str
    prompt: str
    answer: str
    prediction: str
    truth: str
    #: correct, wrong, unparsed, api_error, not_counted or scored (RG/CG: no right/wrong)
    outcome: str
    detail: str
    #: coordinate answers: normalized box (x1, y1, x2, y2) or point (x, y) of the ground truth and
    #: of the model's answer, drawn over the thumbnail (empty when there is none)
    truth_geometry: list[float] = []
    answer_geometry: list[float] = []


class Report(msgspec.Struct):
    schema: str
    generated_at: str
    u2fast_version: str
    mode: str
    confidence: float
    n_resamples: int
    interval_method: str
    seed: int
    runs: list[RunInfo]
    #: ranked by U2 (best first); a model without a U2 value last
    models: list[ModelEntry]
    datasets: list[DatasetEntry]
    anatomy: list[AnatomyEntry]
    #: filled only for the HTML case browser; never written by ``--format json``
    cases: list[CaseView] = []
