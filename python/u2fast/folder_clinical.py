"""The clinical summary of one model's judged cases (``u2fast score``): picks each scenario's label
list, ordinal scale and tolerance from the benchmark facts and hands plain numbers to
``u2fast.scoring.clinical``."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence

from .runfolder import CaseRecord
from .scoring.clinical import (
    ClinicalSummary,
    HeterogeneityEntry,
    SubgroupEntry,
    classification_summary,
    heterogeneity,
    measurement_summary,
    subgroup,
)
from .scoring.estimate import Estimate
from .scoring.scores import ModelScores
from .types import CaseScore, Prediction, ValueTarget
from .u2bench.scenarios import reported_anatomy, scenario
from .u2bench.tasks import CLASSIFICATION_TASKS

__all__ = ["clinical_summary", "measurement_pairs"]


def clinical_summary(
    records: Sequence[CaseRecord],
    judged: Sequence[tuple[Prediction, CaseScore]],
    scores: ModelScores,
    *,
    compat: bool,
    tolerances: Mapping[str, float],
    confidence: float,
) -> ClinicalSummary:
    """``tolerances`` (scenario key -> native units) are the user's, overriding the published ones."""
    from .tasks.judge import compat_label

    if scores.answered == 0:
        # compat counts API errors as wrong answers; with no answer at all, sensitivities, kappas and
        # anatomy accuracies of 0 would read as results (the scores themselves are null)
        return ClinicalSummary()
    form = compat_label if compat else (lambda label: label)
    labelled: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for cs in (cs for _, cs in judged):
        if cs.counted and cs.task in CLASSIFICATION_TASKS and cs.truth is not None:
            labelled[f"{cs.task}/{cs.dataset_id}"].append((cs.truth, cs.answer or None))
    measured = measurement_pairs(records, judged)

    out = ClinicalSummary()
    by_anatomy: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for key, pairs in labelled.items():
        task, dataset = key.split("/", 1)
        facts = scenario(task, dataset)
        options = [form(o) for o in facts.options] if facts else []
        ordinal = [form(o) for o in facts.ordinal] if facts else []
        truth = [t for t, _ in pairs]
        answers = [a for _, a in pairs]
        out.classification[key] = classification_summary(truth, answers, options, ordinal=ordinal,
                                                          confidence=confidence)
        anatomy = reported_anatomy(task, dataset)
        by_anatomy[(task, anatomy)].extend(t == a for t, a in pairs)
    for key, values in measured.items():
        task, dataset = key.split("/", 1)
        facts = scenario(task, dataset)
        tolerance = tolerances.get(key, facts.tolerance if facts else None)
        source = "user" if key in tolerances else (facts.tolerance_source if facts else "")
        out.measurements[key] = measurement_summary(
            [m for m, _ in values], [t for _, t in values], unit=facts.unit if facts else "",
            tolerance=tolerance, tolerance_source=source, confidence=confidence,
        )
    out.subgroups = [subgroup(task, anatomy, correct, confidence) for (task, anatomy), correct in sorted(by_anatomy.items())]
    out.worst_groups = _worst_groups(out.subgroups, scores)
    out.heterogeneity = _heterogeneity(scores)
    return out


def measurement_pairs(
    records: Sequence[CaseRecord], judged: Sequence[tuple[Prediction, CaseScore]]
) -> dict[str, list[tuple[float, float]]]:
    """(estimate, truth) in native units of each counted, parsed CVE answer, by scenario key: what the
    agreement statistics and the report's Bland–Altman plots are computed from."""
    measured: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for rec, (pred, cs) in zip(records, judged, strict=True):
        if cs.counted and cs.task == "CVE" and cs.parsed and isinstance(pred.value, (int, float)) \
                and math.isfinite(pred.value):
            # compat keeps the kit's "nan"/"inf" estimates (they void the dataset's RMSE); native-unit
            # agreement statistics have no meaning for them, so they are left out here
            target = rec.case.target
            if isinstance(target, ValueTarget):
                measured[f"{cs.task}/{cs.dataset_id}"].append((float(pred.value), target.value))
    return measured


def _worst_groups(subgroups: Sequence[SubgroupEntry], scores: ModelScores) -> list[SubgroupEntry]:
    worst: list[SubgroupEntry] = []
    for task in dict.fromkeys(s.task for s in subgroups):
        candidates = [s for s in subgroups if s.task == task and not math.isnan(s.value.value)]
        if len(candidates) > 1:
            worst.append(min(candidates, key=lambda s: s.value.value))
    for task in scores.tasks:
        members = [d for d in scores.datasets.values() if d.task == task and d.in_u2 and not math.isnan(d.value.value)]
        if len(members) < 2:
            continue
        lower_is_better = members[0].metric == "rmse"
        pick = (max if lower_is_better else min)(members, key=lambda d: d.value.value)
        worst.append(SubgroupEntry(task, "dataset", pick.dataset_id, pick.metric,
                                   Estimate(pick.value.value, pick.value.low, pick.value.high), pick.counted))
    return worst


def _heterogeneity(scores: ModelScores) -> dict[str, HeterogeneityEntry]:
    """Cochran's Q over each accuracy task's U2 data sets, binomial variances p(1 − p)/n."""
    out: dict[str, HeterogeneityEntry] = {}
    for task in CLASSIFICATION_TASKS:
        members = [d for d in scores.datasets.values() if d.task == task and d.in_u2 and d.counted > 0]
        if len(members) < 2:
            continue
        est = [d.value.value for d in members]
        var = [p * (1 - p) / d.counted for p, d in zip(est, members, strict=True)]
        entry = heterogeneity(est, var, "binomial")
        if entry.k >= 2:  # fewer data sets with a usable variance (all right or all wrong) leave nothing to test
            out[task] = entry
    return out
