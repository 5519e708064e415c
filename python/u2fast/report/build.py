"""Build a :class:`Report` from run folders: score every model, then break the scores down.

Scores are recomputed from each run's journal (not read from ``scores.json``) so that the case
browser, the breakdowns and the leaderboard come from one judgement of each answer, in the mode the
user asked for.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import __version__
from ..errors import ConfigError
from ..folder_scoring import ScoringOptions, score_records
from ..outcome import run_status
from ..plugins import Registry, get_registry
from ..runfolder import (
    JOURNAL,
    CaseRecord,
    completions_for,
    read_cases,
    read_journal,
    read_manifest,
    records_of,
)
from ..scoring import bootstrap_ci
from ..scoring.scores import Estimate, ModelScores
from ..types import (
    TASKS,
    Case,
    CaseScore,
    Completion,
    LabelTarget,
    Prediction,
    RunManifest,
    SectorTarget,
    ValueTarget,
)
from ..u2bench.scenarios import CVE_TOLERANCE, reported_anatomy
from ..u2bench.tasks import CLASSIFICATION_TASKS
from .schema import REPORT_SCHEMA, AnatomyEntry, DatasetEntry, ModelEntry, Report, RunInfo, TaskEntry

__all__ = [
    "LoadedRun",
    "ScoredModel",
    "anatomy_of",
    "build_report",
    "load_run",
    "score_run_models",
    "truth_text",
]

@dataclass
class LoadedRun:
    path: Path
    manifest: RunManifest
    records: list[CaseRecord]
    journal: dict[str, Completion]


@dataclass
class ScoredModel:
    """One model of one run with its per-case judgements (in the run's case order)."""

    label: str
    run: LoadedRun
    model: str
    scores: ModelScores
    judged: list[tuple[Prediction, CaseScore]] = field(default_factory=list)


def load_run(path: Path) -> LoadedRun:
    manifest = read_manifest(path)
    return LoadedRun(path, manifest, read_cases(path), read_journal(path / JOURNAL))




def anatomy_of(case: Case) -> str:
    """The anatomy a case is reported under (see :func:`u2fast.u2bench.scenarios.reported_anatomy`)."""
    return reported_anatomy(case.task, case.dataset_id, case.anatomy)


def truth_text(case: Case) -> str:
    t = case.target
    if isinstance(t, LabelTarget):
        return t.label
    if isinstance(t, SectorTarget):
        return f"{t.sector} ({t.structure})" if t.structure else t.sector
    if isinstance(t, ValueTarget):
        return f"{t.value:g} {t.unit}".strip()
    return t.text


def _labels(runs: Sequence[LoadedRun], models: Sequence[tuple[LoadedRun, str]]) -> list[str]:
    """Unique labels: the model name; ``run/model`` where two runs share the model; the run's folder
    path instead of its name where two runs also share their name (runs/x/a and runs/y/a)."""
    names = [m for _, m in models]
    duplicated = {m for m in names if names.count(m) > 1}
    labels = [f"{r.manifest.name}/{m}" if m in duplicated else m for r, m in models]
    clashing = {lb for lb in labels if labels.count(lb) > 1}
    return [f"{r.path}/{m}" if lb in clashing else lb for lb, (r, m) in zip(labels, models)]


def score_run_models(
    runs: Sequence[LoadedRun], options: ScoringOptions, registry: Registry | None = None
) -> list[ScoredModel]:
    """Score every model of every run; labels are the model names, prefixed by the run where two
    runs share a model name."""
    registry = registry or get_registry()
    seen: dict[Path, Path] = {}
    for run in runs:
        resolved = run.path.resolve()
        if resolved in seen:
            raise ConfigError(f"{run.path}: the same run folder is given twice (as {seen[resolved]})")
        seen[resolved] = run.path
    pairs = [(run, model) for run in runs for model in run.manifest.models]
    if not pairs:
        raise ConfigError("the given runs contain no models")
    out = []
    for label, (run, model) in zip(_labels(runs, pairs), pairs):
        asked = records_of(run.records, model)
        scores, judged = score_records(model, asked, completions_for(asked, model, run.journal),
                                       options.for_run(run.manifest), registry)
        out.append(ScoredModel(label, run, model, scores, judged))
    return out


def _nan_last(value: float) -> float:
    return -math.inf if math.isnan(value) else value


def _run_info(run: LoadedRun) -> RunInfo:
    m = run.manifest
    return RunInfo(
        name=m.name,
        path=str(run.path),
        data=m.data,
        dataset_fingerprint=m.dataset_fingerprint,
        n_cases=m.n_cases,
        models=list(m.models),
        prompt_variant=m.prompt_variant,
        prompt_source=m.prompt_source,
        status=run_status(run.path, m),
        created_at=m.created_at,
        answer_format=m.answer_format,
    )


def _anatomy_entries(sm: ScoredModel, options: ScoringOptions) -> list[AnatomyEntry]:
    groups: dict[tuple[str, str], list[float]] = defaultdict(list)
    for rec, (_, cs) in zip(records_of(sm.run.records, sm.model), sm.judged):
        if cs.task in CLASSIFICATION_TASKS and cs.counted and cs.correct is not None:
            anatomy = anatomy_of(rec.case)
            groups[(anatomy, cs.task)].append(float(cs.correct))
            groups[(anatomy, "all")].append(float(cs.correct))
    order = {t: i for i, t in enumerate((*CLASSIFICATION_TASKS, "all"))}
    entries = []
    for (anatomy, task), values in sorted(groups.items(), key=lambda kv: (kv[0][0], order[kv[0][1]])):
        arr = np.asarray(values)
        value = Estimate(float(arr.mean()))
        if options.n_resamples and len(arr) > 1:
            ci = bootstrap_ci(
                arr,
                statistic="accuracy",
                method="percentile",
                confidence=options.confidence,
                n_resamples=options.n_resamples,
                seed=options.seed,
            )
            value = Estimate(value.value, ci.low, ci.high)
        entries.append(
            AnatomyEntry(
                label=sm.label, anatomy=anatomy, task=task, metric="accuracy", value=value, counted=len(arr)
            )
        )
    return entries


def build_report(scored: Sequence[ScoredModel], runs: Sequence[LoadedRun], options: ScoringOptions) -> Report:
    """The leaderboard and breakdowns (no case rows; see :func:`u2fast.report.cases.case_views`)."""
    from collections import Counter

    from .ranking import joint_ranks
    from .usage import PARSE_RATE_WARNING, usage_of

    ranked = sorted(scored, key=lambda s: -_nan_last(s.scores.u2.value))
    ranks = joint_ranks(ranked, n_resamples=options.n_resamples, confidence=options.confidence, seed=options.seed,
                        compat=options.mode == "compat")
    models, datasets, anatomy = [], [], []
    for rank, sm in enumerate(ranked, 1):
        s = sm.scores
        tasks = {
            t: TaskEntry(
                metric=ts.metric,
                value=ts.value,
                u2_term=ts.u2_term,
                n=ts.n,
                datasets=ts.datasets,
                parse_rate=ts.parse_rate,
                error_rate=ts.error_rate,
                extra=dict(ts.extra),
            )
            for t, ts in s.tasks.items()
        }
        models.append(
            ModelEntry(
                label=sm.label,
                run=sm.run.manifest.name,
                model=sm.model,
                rank=rank,
                n=s.n,
                answered=s.answered,
                not_sent=s.not_sent,
                u2=s.u2,
                parse_rate=s.parse_rate,
                error_rate=s.error_rate,
                errors_by_kind=dict(s.errors_by_kind),
                tasks=tasks,
                u2_two_stage=s.u2_two_stage,
                parse_warning=not math.isnan(s.parse_rate) and s.parse_rate < PARSE_RATE_WARNING,
                usage=usage_of(sm.run.manifest, sm.model, completions_for(sm.run.records, sm.model, sm.run.journal),
                               Counter(cs.task for _, cs in sm.judged if cs.counted)),
                ranking=ranks.get(sm.label),
                clinical=s.clinical,
            )
        )
        for ds in s.datasets.values():
            datasets.append(
                DatasetEntry(
                    label=sm.label,
                    task=ds.task,
                    dataset_id=ds.dataset_id,
                    anatomy=reported_anatomy(ds.task, ds.dataset_id),
                    metric=ds.metric,
                    value=ds.value,
                    n=ds.n,
                    counted=ds.counted,
                    parsed=ds.parsed,
                    errors=ds.errors,
                    in_u2=ds.in_u2,
                    extra=dict(ds.extra),
                    spatial=dict(ds.spatial),
                    impossible=ds.impossible,
                )
            )
        anatomy.extend(_anatomy_entries(sm, options))
    datasets.sort(key=lambda d: (TASKS.index(d.task) if d.task in TASKS else 99, d.dataset_id))
    return Report(
        schema=REPORT_SCHEMA,
        generated_at=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        u2fast_version=__version__,
        mode=options.mode,
        confidence=options.confidence,
        n_resamples=options.n_resamples,
        interval_method=options.method,
        seed=options.seed,
        runs=[_run_info(r) for r in runs],
        models=models,
        datasets=datasets,
        anatomy=anatomy,
    )


def outcome_of(cs: CaseScore, pred: Prediction) -> tuple[str, str]:
    """(outcome, detail) of one judged case for the case browser."""
    if cs.api_error:
        return "api_error", pred.reason or "API error"
    if not cs.counted:
        return "not_counted", pred.reason or "left out of the metric"
    if cs.task == "CVE" and cs.error is not None:
        ok = abs(cs.error) <= CVE_TOLERANCE
        detail = f"normalized error {cs.error:+.3f}" + (
            "" if cs.parsed else f" ({pred.reason or 'unparsed'})"
        )
        if not cs.parsed:
            return "unparsed", detail
        return ("correct" if ok else "wrong"), detail
    if not cs.parsed:
        return "unparsed", pred.reason or "no answer found"
    if cs.correct is None:
        return "scored", "scored by BLEU over the whole dataset"
    return ("correct" if cs.correct else "wrong"), ""
