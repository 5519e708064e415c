"""Build a :class:`Report` from run folders: score every model, then break the scores down.

Every answer is judged again from the run's journal in the mode the user asked for, so the case
browser, the breakdowns and the leaderboard come from one judgement of each answer. The aggregate
scores (intervals, clinical statistics) are taken from the run's ``scores.cache`` when ``u2fast
score`` made it from the very same files and options (``folder_scoring.scoring_basis``), and
recomputed otherwise: the same numbers, without bootstrapping every run again.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from .. import __version__
from ..errors import ConfigError
from ..folder_scoring import (
    LoadedRun,
    ScoringOptions,
    judge_records,
    load_run,
    paused_gc,
    score_records,
    scoring_basis,
    stored_scores,
)
from ..outcome import run_status
from ..plugins import Registry, get_registry
from ..runfolder import completions_for, records_of
from ..scoring.scores import Estimate, ModelScores, RunScores
from ..types import (
    TASKS,
    Case,
    CaseScore,
    LabelTarget,
    Prediction,
    SectorTarget,
    ValueTarget,
)
from ..u2bench.scenarios import CVE_TOLERANCE, reported_anatomy
from ..u2bench.tasks import CLASSIFICATION_TASKS
from .schema import REPORT_SCHEMA, AnatomyEntry, DatasetEntry, ModelEntry, Report, RunInfo, TaskEntry, embed

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
class ScoredModel:
    """One model of one run with its per-case judgements (in the run's case order)."""

    label: str
    run: LoadedRun
    model: str
    scores: ModelScores
    judged: list[tuple[Prediction, CaseScore]] = field(default_factory=list)




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


@paused_gc()
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
    stored: dict[Path, RunScores | None] = {}
    for label, (run, model) in zip(_labels(runs, pairs), pairs):
        asked, completions = run.answers(model)
        run_options = options.for_run(run.manifest)
        if run.path not in stored:
            basis = scoring_basis(run.digest, run_options) if run.digest else None
            stored[run.path] = stored_scores(run.path, basis)
        kept = stored[run.path]
        if kept is not None and model in kept.models:
            judged, _ = judge_records(model, asked, completions, run_options, registry)
            out.append(ScoredModel(label, run, model, kept.models[model], judged))
            continue
        scores, judged = score_records(model, asked, completions, run_options, registry)
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


@lru_cache(maxsize=4)
def _sorted_uniforms(seed: int, n_resamples: int) -> npt.NDArray[np.float64]:
    return np.sort(np.random.default_rng(seed).random(n_resamples))


def _accuracy_interval(right: int, n: int, options: ScoringOptions) -> tuple[float, float]:
    """Percentile bootstrap interval of an accuracy of ``right`` out of ``n`` cases.

    The number right in a resample of the ``n`` cases drawn with replacement is Binomial(n, right/n),
    so each resample draws that count by inversion of its distribution function from one uniform,
    instead of drawing ``n`` cases (a 10-run report spent ~20 s resampling its anatomy groups case by
    case). Inversion is monotone: with the uniforms sorted, the resampled accuracies come out sorted,
    and the two order statistics each end of the interval interpolates between are all it needs.
    Quantiles are linear (numpy's default).
    """
    uniforms = _sorted_uniforms(options.seed, options.n_resamples)
    p = right / n
    if p in (0.0, 1.0):
        return p, p
    k = np.arange(n + 1)
    log_factorial = np.concatenate(([0.0], np.cumsum(np.log(np.arange(1, n + 1)))))
    log_pmf = log_factorial[n] - log_factorial[k] - log_factorial[n - k] + k * math.log(p) + (n - k) * math.log1p(-p)
    cdf = np.cumsum(np.exp(log_pmf))
    alpha = (1 - options.confidence) / 2
    ends = []
    for q in (alpha, 1 - alpha):
        position = q * (len(uniforms) - 1)
        below, above = math.floor(position), math.ceil(position)
        rights = np.minimum(np.searchsorted(cdf, uniforms[[below, above]]), n) / n
        ends.append(float(rights[0] + (position - below) * (rights[1] - rights[0])))
    return ends[0], ends[1]


def _anatomy_entries(sm: ScoredModel, options: ScoringOptions) -> list[AnatomyEntry]:
    if sm.scores.answered == 0:
        return []  # compat counts API errors as wrong: with no answer, accuracies of 0 would read as results
    groups: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for rec, (_, cs) in zip(records_of(sm.run.records, sm.model), sm.judged):
        if cs.task in CLASSIFICATION_TASKS and cs.counted and cs.correct is not None:
            anatomy = anatomy_of(rec.case)
            for key in ((anatomy, cs.task), (anatomy, "all")):
                tally = groups[key]
                tally[0] += bool(cs.correct)
                tally[1] += 1
    order = {t: i for i, t in enumerate((*CLASSIFICATION_TASKS, "all"))}
    entries = []
    for (anatomy, task), (right, n) in sorted(groups.items(), key=lambda kv: (kv[0][0], order[kv[0][1]])):
        value = Estimate(right / n)
        if options.n_resamples and n > 1:
            value = Estimate(value.value, *_accuracy_interval(right, n, options))
        entries.append(
            AnatomyEntry(label=sm.label, anatomy=anatomy, task=task, metric="accuracy", value=value, counted=n)
        )
    return entries


@paused_gc()
def build_report(scored: Sequence[ScoredModel], runs: Sequence[LoadedRun], options: ScoringOptions) -> Report:
    """The leaderboard and breakdowns (no case rows; see :func:`u2fast.report.cases.case_views`)."""
    from collections import Counter

    from .ranking import joint_ranks
    from .usage import PARSE_RATE_WARNING, usage_of

    ranked = sorted(scored, key=lambda s: -_nan_last(s.scores.u2.value))
    ranks = joint_ranks(ranked, n_resamples=options.n_resamples, confidence=options.confidence, seed=options.seed,
                        compat=options.mode == "compat")
    models: list[ModelEntry] = []
    datasets: list[DatasetEntry] = []
    anatomy: list[AnatomyEntry] = []
    for rank, sm in enumerate(ranked, 1):
        s = sm.scores
        models.append(
            embed(
                ModelEntry, s, tasks={t: embed(TaskEntry, ts) for t, ts in s.tasks.items()},
                label=sm.label, run=sm.run.manifest.name, rank=rank,
                parse_warning=not math.isnan(s.parse_rate) and s.parse_rate < PARSE_RATE_WARNING,
                usage=usage_of(sm.run.manifest, sm.model, completions_for(sm.run.records, sm.model, sm.run.journal),
                               Counter(cs.task for _, cs in sm.judged if cs.counted)),
                ranking=ranks.get(sm.label),
            )
        )
        datasets.extend(
            embed(DatasetEntry, ds, label=sm.label, anatomy=reported_anatomy(ds.task, ds.dataset_id))
            for ds in s.datasets.values()
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
