"""Run-level scores: per-case statistics -> per-dataset, per-task and U2 scores, with intervals.

Pure numbers: nothing here reads files, parses answers or imports the plugin machinery. The caller
(``u2fast.folder_scoring``) judges each completion into a CaseScore and hands the scores of one model here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import msgspec
import numpy as np
import numpy.typing as npt

from .. import _core
from ..types import TASKS, CaseScore
from ..u2bench.tasks import TASK_SPECS, TEXT_TASKS
from .clinical import ClinicalSummary
from .estimate import Estimate

__all__ = [
    "SCORES_SCHEMA",
    "Estimate",
    "DatasetScore",
    "TaskScore",
    "ModelScores",
    "ModelSummary",
    "RunScores",
    "TASK_METRIC",
    "case_statistics",
    "dataset_keys",
    "dataset_layout",
    "score_model",
    "undefined_cve_datasets",
]

#: Version of the scores.json layout; bump on any incompatible change.
SCORES_SCHEMA = "u2fast.scores/1"

#: The metric that enters U2 for each task.
TASK_METRIC: dict[str, str] = {spec.code: spec.metric for spec in TASK_SPECS}


class DatasetScore(msgspec.Struct, omit_defaults=True):
    task: str
    dataset_id: str
    metric: str
    value: Estimate
    #: Cases in the scenario, cases in the metric's denominator, answers parsed, API errors.
    n: int
    counted: int
    parsed: int
    errors: int
    in_u2: bool = True
    #: Cases whose request was never sent (a stopped or interrupted run): not API errors.
    not_sent: int = 0
    #: Secondary metrics: f1 (classification), mae/std/tolerance (CVE), bleu1..bleu3 (text).
    extra: dict[str, float] = {}
    #: Coordinate answers (LL/OD/KD with --answer-format box|point): each metric's mean over the
    #: cases where it is defined, with a percentile bootstrap interval; ``spatial_n`` counts them.
    spatial: dict[str, Estimate] = {}
    spatial_n: dict[str, int] = {}
    #: Coordinate answers impossible under the model's declared convention.
    impossible: int = 0


class TaskScore(msgspec.Struct, omit_defaults=True):
    task: str
    metric: str
    value: Estimate
    #: The clipped score that enters U2 (before weighting).
    u2_term: float
    n: int
    datasets: int
    parse_rate: float
    error_rate: float
    extra: dict[str, float] = {}
    not_sent: int = 0


class ModelSummary(msgspec.Struct, omit_defaults=True):
    """A model's scores without the per-dataset table: what a report's leaderboard row embeds."""

    model: str
    u2: Estimate
    tasks: dict[str, TaskScore]
    n: int
    #: Cases with an answer (sent and not an API error); 0: every value above is null.
    answered: int
    parse_rate: float
    #: API errors among the requests sent (requests never sent are ``not_sent``, not errors).
    error_rate: float
    errors_by_kind: dict[str, int] = {}
    #: U2 with the two-stage (data sets, then cases) bootstrap interval; with intervals only
    u2_two_stage: Estimate | None = None
    #: confusion and class statistics, measurement agreement, subgroups and heterogeneity
    clinical: ClinicalSummary | None = None
    #: Cases whose request was never sent. A partial run's intervals cover the answered cases only.
    not_sent: int = 0
    #: Answers whose response named another model (that name -> answers); robust scoring counts
    #: them as API errors (``errors_by_kind["other_model"]``) unless told to accept them.
    other_models: dict[str, int] = {}

    @property
    def partial(self) -> bool:
        return self.not_sent > 0


class ModelScores(ModelSummary, omit_defaults=True, kw_only=True):
    """A model's scores with one entry per scenario (``TASK/dataset``)."""

    datasets: dict[str, DatasetScore]


class RunScores(msgspec.Struct, omit_defaults=True):
    schema: str
    mode: str
    confidence: float
    n_resamples: int
    seed: int
    models: dict[str, ModelScores]
    interval_method: str = "bca"
    #: resampling of every ``value`` interval: "stratified" (cases within each data set); absent
    #: without intervals. ``u2_two_stage`` always redraws the data sets first.
    interval_design: str = ""


#: A value that could not be computed (null in JSON, a dash on screen).
_NOT_COMPUTED = Estimate(float("nan"))


def _rate(num: int, den: int) -> float:
    return num / den if den else float("nan")


def _estimate(value: float, interval: tuple[float, float] | None) -> Estimate:
    if interval is None:
        return Estimate(float(value))
    return Estimate(float(value), float(interval[0]), float(interval[1]))


def _nanmean(values: list[float]) -> float:
    return float(_core.mean_over_datasets(values))


def _spatial_estimates(
    names: Sequence[str], values: np.ndarray, n_resamples: int, confidence: float, seed: int
) -> tuple[dict[str, Estimate], dict[str, int]]:
    from ._bootstrap import bootstrap_ci

    estimates: dict[str, Estimate] = {}
    counts: dict[str, int] = {}
    for j, name in enumerate(names):
        column = values[:, j]
        defined = column[~np.isnan(column)]
        counts[name] = int(defined.size)
        if not defined.size:
            estimates[name] = Estimate(math.nan)
            continue
        mean = float(defined.mean())
        if n_resamples and defined.size > 1:
            ci = bootstrap_ci(defined, statistic="mean", method="percentile", confidence=confidence,
                              n_resamples=n_resamples, seed=seed)
            estimates[name] = Estimate(mean, float(ci.low), float(ci.high))
        else:
            estimates[name] = Estimate(mean)
    return estimates, counts


def undefined_cve_datasets(scores: Sequence[CaseScore]) -> set[str]:
    """``TASK/dataset`` keys of the CVE datasets with a counted non-finite error.

    Only compat makes one: the kit's ``float()`` accepts "nan" and "inf", which turns that dataset's
    RMSE (and MAE, Std) into NaN or inf; its aggregation then drops the dataset from the task's RMSE
    mean but keeps its within-tolerance share (such a case is simply not within). The dataset's
    cases therefore stay out of the core's sums (its RMSE is undefined) and its tolerance share is
    computed on its own.
    """
    return {
        f"{s.task}/{s.dataset_id}"
        for s in scores
        if s.task == "CVE" and s.counted and s.error is not None and not math.isfinite(s.error)
    }


def dataset_keys(scores: Sequence[CaseScore]) -> list[str]:
    """The ``TASK/dataset`` keys of some cases, in task order: the dataset order of the arrays below."""
    return sorted({f"{s.task}/{s.dataset_id}" for s in scores}, key=lambda k: (TASKS.index(k.split("/")[0]), k))


def dataset_layout(
    scores: Sequence[CaseScore], keys: Sequence[str], in_u2: Mapping[str, bool]
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int8], npt.NDArray[np.bool_]]:
    """``dataset_index`` of each case and ``dataset_task``, ``dataset_in_u2`` of each key, as
    :func:`u2fast.scoring.aggregate_cases` takes them (a key missing from ``in_u2`` enters U2)."""
    index = {k: i for i, k in enumerate(keys)}
    dataset_index = np.fromiter((index[f"{s.task}/{s.dataset_id}"] for s in scores), np.int32, len(scores))
    dataset_task = np.array([TASKS.index(k.split("/")[0]) for k in keys], np.int8)
    return dataset_index, dataset_task, np.array([in_u2.get(k, True) for k in keys], bool)


def case_statistics(
    scores: Sequence[CaseScore],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """``correct``, ``error`` and ``bleu`` per case for :func:`u2fast.scoring.aggregate_cases`
    (NaN, or zero counts, where a statistic does not apply to the case's task)."""
    correct = np.array([float(s.correct) if s.correct is not None else np.nan for s in scores], np.float64)
    error = np.array([s.error if s.error is not None else np.nan for s in scores], np.float64)
    bleu = np.array([s.bleu if s.bleu is not None else (0,) * 10 for s in scores], np.int64).reshape(-1, 10)
    return correct, error, bleu


def score_model(
    model: str,
    scores: Sequence[CaseScore],
    *,
    in_u2: dict[str, bool],
    compat: bool,
    n_resamples: int = 0,
    confidence: float = 0.95,
    seed: int = 0,
    method: str = "bca",
    spatial: Mapping[str, tuple[Sequence[str], np.ndarray]] | None = None,
) -> ModelScores:
    """Aggregate one model's case scores.

    ``in_u2`` maps a scenario key (``TASK/dataset``) to whether it enters the task mean. ``compat``
    keeps the official script's full CVE credit when no CVE answer parses (docs/u2bench.md A5). With
    ``n_resamples`` > 0 every value carries a stratified bootstrap interval (``method`` bca or
    percentile). ``spatial`` maps a scenario key to coordinate-answer metric names and their
    per-case values ``(cases, metrics)``, NaN where undefined (``u2fast.scoring.spatial_scores``).
    """
    from ._aggregate import aggregate_cases, two_stage_bootstrap

    keys = dataset_keys(scores)
    undefined = undefined_cve_datasets(scores)
    counted = [s for s in scores if s.counted and f"{s.task}/{s.dataset_id}" not in undefined]
    dataset_index, dataset_task, dataset_in_u2 = dataset_layout(counted, keys, in_u2)
    correct, error, bleu = case_statistics(counted)
    agg = aggregate_cases(dataset_index, dataset_task, dataset_in_u2, correct, error, bleu,
                          missing_cve_is_perfect=compat, n_resamples=n_resamples, confidence=confidence, seed=seed,
                          return_distribution=n_resamples > 0)
    iv = agg.intervals
    two_stage = None
    if n_resamples > 0:
        # the second stage reuses the stratified case resamples just made (one pass over the cases)
        ts = two_stage_bootstrap(dataset_index, dataset_task, dataset_in_u2, correct, error, bleu,
                                 missing_cve_is_perfect=compat, n_resamples=n_resamples, confidence=confidence,
                                 seed=seed, stratified=agg)
        two_stage = Estimate(float(agg.u2), *ts.u2_percentile)

    if method not in ("bca", "percentile"):
        raise ValueError(f"unknown interval method {method!r}; choose bca or percentile")

    def interval(level: str, i: int | None = None) -> tuple[float, float] | None:
        if iv is None:
            return None
        values = getattr(iv, f"{level}_{method}")
        low, high = values if i is None else values[i]
        if method == "bca" and (math.isnan(low) or math.isnan(high)):
            # BCa is undefined when the resampled metric is constant (e.g. a dataset answered 100%
            # right) or a dataset has one case; the percentile interval is still meaningful there.
            fallback = iv.u2_percentile if i is None else getattr(iv, f"{level}_percentile")[i]
            low, high = fallback
        return float(low), float(high)

    per_key: dict[str, list[CaseScore]] = {k: [] for k in keys}
    for s in scores:
        per_key[f"{s.task}/{s.dataset_id}"].append(s)
    datasets: dict[str, DatasetScore] = {}
    for i, key in enumerate(keys):
        task, ds = key.split("/", 1)
        group = per_key[key]
        extra: dict[str, float] = {}
        if key in undefined:
            errors = np.array([s.error for s in group if s.counted and s.error is not None], np.float64)
            within = _core.regression_summary(errors, np.zeros_like(errors), 0.0, 1.0)[4]
            extra = {"mae": math.nan, "std": math.nan, "within_tolerance": float(within)}
        elif task == "CVE":
            extra = {"mae": float(agg.dataset_mae[i]), "std": float(agg.dataset_std[i]),
                     "within_tolerance": float(agg.dataset_within_tolerance[i])}
        elif task in TEXT_TASKS:
            extra = {f"bleu{n + 1}": float(agg.dataset_bleu_n[i][n]) for n in range(4)}
        else:
            pairs = [(s.truth, s.answer) for s in group if s.counted and s.truth is not None]
            extra = {"f1": _macro_f1([t for t, _ in pairs], [a or "" for _, a in pairs])}
        spatial_values: dict[str, Estimate] = {}
        spatial_n: dict[str, int] = {}
        if spatial and key in spatial:
            names, values = spatial[key]
            spatial_values, spatial_n = _spatial_estimates(names, values, n_resamples, confidence, seed)
        datasets[key] = DatasetScore(
            spatial=spatial_values, spatial_n=spatial_n, impossible=sum(s.impossible for s in group),
            task=task, dataset_id=ds, metric=TASK_METRIC[task],
            value=_estimate(agg.dataset_metric[i], interval("dataset", i)),
            n=len(group), counted=sum(s.counted for s in group),
            parsed=sum(s.parsed and not s.api_error for s in group), errors=sum(s.api_error for s in group),
            in_u2=bool(dataset_in_u2[i]), extra=extra, not_sent=sum(not s.sent for s in group),
        )

    tasks: dict[str, TaskScore] = {}
    for t, task in enumerate(TASKS):
        members = [d for d in datasets.values() if d.task == task]
        scored = [d for d in members if d.in_u2]
        n = sum(d.n for d in members)
        sent = n - sum(d.not_sent for d in members)
        answered = sent - sum(d.errors for d in members)
        extra_names = sorted({k for d in scored for k in d.extra})
        tasks[task] = TaskScore(
            task=task, metric=TASK_METRIC[task], value=_estimate(agg.task_metric[t], interval("task", t)),
            u2_term=_core.u2_task_score(t, float(agg.task_metric[t]), compat), n=n, datasets=len(scored),
            parse_rate=_rate(sum(d.parsed for d in members), answered), error_rate=_rate(sum(d.errors for d in members), sent),
            extra={k: _nanmean([d.extra.get(k, float("nan")) for d in scored]) for k in extra_names},
            not_sent=n - sent,
        )
    n_all = len(scores)
    n_sent = sum(s.sent for s in scores)
    n_err = sum(s.api_error for s in scores)
    answered = n_sent - n_err
    u2 = _estimate(agg.u2, interval("u2"))
    if answered == 0:
        # Nothing to score: a U2 of 0 (or compat's full CVE credit) would read as a result.
        u2 = _NOT_COMPUTED
        # the side metrics too (F1, BLEU-n, MAE, ...): compat counts API errors as wrong answers, which
        # would otherwise print an F1 of 0 beside a null accuracy
        tasks = {t: msgspec.structs.replace(ts, value=_NOT_COMPUTED, u2_term=float("nan"), extra=_nan_values(ts.extra))
                 for t, ts in tasks.items()}
        datasets = {k: msgspec.structs.replace(d, value=_NOT_COMPUTED, extra=_nan_values(d.extra))
                    for k, d in datasets.items()}
    return ModelScores(
        model=model, u2=u2, tasks=tasks, datasets=datasets, n=n_all, answered=answered,
        parse_rate=_rate(sum(s.parsed and not s.api_error for s in scores), answered),
        error_rate=_rate(n_err, n_sent), not_sent=n_all - n_sent, u2_two_stage=two_stage if answered else None,
    )



def _nan_values(extra: Mapping[str, float]) -> dict[str, float]:
    return dict.fromkeys(extra, float("nan"))


def _macro_f1(truth: list[str], answer: list[str]) -> float:
    if not truth:
        return float("nan")
    vocab: dict[str, int] = {}
    t = np.fromiter((vocab.setdefault(x, len(vocab)) for x in truth), np.uint32, len(truth))
    p = np.fromiter((vocab.setdefault(x, len(vocab)) for x in answer), np.uint32, len(answer))
    return float(_core.macro_f1(t, p))
