"""Run-level point estimates from per-case statistics (per dataset → per task → U2)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from u2fast import _core

from ..u2bench.tasks import TASKS
from ._options import options_as_keywords

__all__ = ["TASK_CODES", "RunAggregate", "RunIntervals", "TwoStageIntervals", "aggregate_cases", "two_stage_bootstrap"]

#: Task codes used by ``dataset_task`` (the U2 order).
TASK_CODES: tuple[str, ...] = TASKS
# The core weights and indexes tasks by position: a different order there would pair every weight
# with the wrong task, silently. Refuse to load instead.
if tuple(_core.U2_TASKS) != TASK_CODES:
    raise ImportError(f"u2fast._core orders the tasks {list(_core.U2_TASKS)}, u2fast.u2bench {list(TASK_CODES)}")

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class RunIntervals:
    """Stratified (by dataset) bootstrap intervals of every dataset metric, task metric and U2.

    Interval arrays have ``[low, high]`` in their last axis; NaN where the metric is NaN (an empty
    dataset or task), and NaN BCa where the resampled metric is constant (scipy's behaviour).
    """

    n_resamples: int
    confidence: float
    seed: int
    dataset_percentile: FloatArray
    dataset_bca: FloatArray
    dataset_standard_error: FloatArray
    task_percentile: FloatArray
    task_bca: FloatArray
    task_standard_error: FloatArray
    u2_percentile: tuple[float, float]
    u2_bca: tuple[float, float]
    u2_standard_error: float
    #: (n_resamples, datasets + 8 + 1) resampled values [dataset metrics, task metrics, U2], if asked for.
    distribution: FloatArray | None = None


@dataclass(frozen=True)
class RunAggregate:
    """Point estimates of one run.

    Per-dataset arrays follow the order of the ``dataset_task`` given to :func:`aggregate_cases`;
    task arrays follow :data:`TASK_CODES`. Values that do not apply to a dataset's task are NaN.
    """

    dataset_n: IntArray
    #: accuracy (DD..KD), RMSE of normalized errors (CVE), corpus BLEU-4 × 100 (RG, CG); NaN if empty.
    dataset_metric: FloatArray
    dataset_mae: FloatArray
    dataset_std: FloatArray
    #: percent of cases with |error| ≤ tolerance (CVE).
    dataset_within_tolerance: FloatArray
    #: BLEU-1..4 × 100, shape (datasets, 4) (RG, CG).
    dataset_bleu_n: FloatArray
    #: unweighted mean over the task's U2 datasets, skipping NaN; NaN when none is left.
    task_metric: FloatArray
    u2: float
    #: present when ``aggregate_cases`` was called with ``n_resamples > 0``.
    intervals: RunIntervals | None = None


def _as(array: Any, dtype: type, name: str, ndim: int) -> npt.NDArray[Any]:
    given = np.asarray(array)
    with np.errstate(invalid="ignore"):  # NaN or inf cast to an integer; reported below
        out: npt.NDArray[Any] = np.ascontiguousarray(given, dtype=dtype)
    if out.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {out.shape}")
    # Indices and n-gram counts given as floats must be whole: a silent cast would truncate 0.5 to 0.
    # (NaN may fill rows that do not apply; where it matters the core rejects what it was cast to.)
    if np.issubdtype(dtype, np.integer) and given.dtype.kind == "f" and out.size:
        whole = ((given == out) | ~np.isfinite(given)).reshape(out.shape[0], -1).all(axis=1)
        if not whole.all():
            raise ValueError(f"{name}[{int(np.argmin(whole))}] is not a whole number")
    return out


def run_layout(
    dataset_index: npt.ArrayLike,
    dataset_task: npt.ArrayLike,
    dataset_in_u2: npt.ArrayLike,
    *,
    missing_cve_is_perfect: bool = True,
    tolerance: float = 0.1,
) -> _core.RunLayout:
    """The run's layout in the dtypes the core takes; the core checks the codes, indices and tolerance."""
    return _core.RunLayout(
        _as(dataset_index, np.int32, "dataset_index", 1),
        _as(dataset_task, np.int8, "dataset_task", 1),
        _as(dataset_in_u2, np.bool_, "dataset_in_u2", 1),
        missing_cve_is_perfect=missing_cve_is_perfect,
        tolerance=float(tolerance),
    )


def case_columns(
    layout: _core.RunLayout, correct: npt.ArrayLike | None, error: npt.ArrayLike | None, bleu: npt.ArrayLike | None
) -> _core.CaseColumns:
    """One model's per-case statistics on ``layout``; ``None`` where the run has no case that reads them."""
    n = layout.n_cases
    return _core.CaseColumns(
        _as(np.full(n, np.nan) if correct is None else correct, np.float64, "correct", 1),
        _as(np.full(n, np.nan) if error is None else error, np.float64, "error", 1),
        _as(np.zeros((n, 10), np.int64) if bleu is None else bleu, np.int64, "bleu", 2),
    )


@dataclass(frozen=True, kw_only=True)
class RunResampling:
    """The keywords every bootstrap of a run takes: how the official kit's CVE rule reads it, how to resample."""

    missing_cve_is_perfect: bool = True
    n_resamples: int = 1000
    confidence: float = 0.95
    seed: int = 0


@dataclass(frozen=True, kw_only=True)
class StratifiedResampling(RunResampling):
    """:func:`paired_run_bootstrap`'s keywords (cases resampled within their dataset)."""

    tolerance: float = 0.1
    return_distribution: bool = False

    def layout(
        self, dataset_index: npt.ArrayLike, dataset_task: npt.ArrayLike, dataset_in_u2: npt.ArrayLike
    ) -> _core.RunLayout:
        return run_layout(dataset_index, dataset_task, dataset_in_u2,
                          missing_cve_is_perfect=self.missing_cve_is_perfect, tolerance=self.tolerance)

    def resampling(self) -> _core.Resampling:
        return _core.Resampling(self.n_resamples, self.seed, float(self.confidence), self.return_distribution)

    def intervals(self, out: dict[str, Any], nd: int) -> RunIntervals:
        return run_intervals(out, nd, self.n_resamples, float(self.confidence), self.seed)


@dataclass(frozen=True, kw_only=True)
class AggregateOptions(StratifiedResampling):
    """:func:`aggregate_cases`'s keywords: point estimates alone unless ``n_resamples`` is given."""

    n_resamples: int = 0


@options_as_keywords(AggregateOptions)
def aggregate_cases(
    dataset_index: npt.ArrayLike,
    dataset_task: npt.ArrayLike,
    dataset_in_u2: npt.ArrayLike,
    correct: npt.ArrayLike | None,
    error: npt.ArrayLike | None,
    bleu: npt.ArrayLike | None,
    options: AggregateOptions,
) -> RunAggregate:
    """Turn per-case statistics into per-dataset, per-task and U2 point estimates.

    One row per case that counts. ``dataset_index`` (int32) points into the per-dataset arrays
    ``dataset_task`` (int8, 0..7 in :data:`TASK_CODES` order) and ``dataset_in_u2`` (bool).
    ``correct`` (0/1, or a share in [0, 1]) is read for DD..KD, ``error`` (normalized signed error) for CVE and
    ``bleu`` (int64, (n, 10) pycocoevalcap statistics from :func:`bleu_stats`) for RG and CG;
    ``None`` means the run has no case of those tasks. ``missing_cve_is_perfect`` reproduces the
    official script's full CVE credit when no CVE dataset has a value (compat) or gives 0 (robust).

    With ``n_resamples > 0`` the result also carries :class:`RunIntervals`: cases are resampled
    within their dataset (seeded, the same whatever the thread count) and every dataset metric,
    task metric and U2 is recomputed from the resampled sums; BCa uses the jackknife on the sums.
    """
    layout = options.layout(dataset_index, dataset_task, dataset_in_u2)
    out = _core.aggregate_cases(layout, case_columns(layout, correct, error, bleu), options.resampling())
    return run_aggregate(out, options.intervals(out, layout.n_datasets) if options.n_resamples else None)


def run_aggregate(out: dict[str, Any], intervals: RunIntervals | None) -> RunAggregate:
    """The point estimates of one core result (``_core.aggregate_cases`` keys)."""
    return RunAggregate(
        dataset_n=out["dataset_n"],
        dataset_metric=out["dataset_metric"],
        dataset_mae=out["dataset_mae"],
        dataset_std=out["dataset_std"],
        dataset_within_tolerance=out["dataset_within_tolerance"],
        dataset_bleu_n=out["dataset_bleu_n"],
        task_metric=out["task_metric"],
        u2=float(out["u2"]),
        intervals=intervals,
    )


def run_intervals(out: dict[str, Any], nd: int, n_resamples: int, confidence: float, seed: int) -> RunIntervals:
    """The ``[datasets..., 8 tasks, U2]`` interval columns of one core result, split by level."""
    pct, bca, se = out["interval_percentile"], out["interval_bca"], out["standard_error"]
    return RunIntervals(
        n_resamples=n_resamples,
        confidence=confidence,
        seed=seed,
        dataset_percentile=pct[:nd],
        dataset_bca=bca[:nd],
        dataset_standard_error=se[:nd],
        task_percentile=pct[nd : nd + 8],
        task_bca=bca[nd : nd + 8],
        task_standard_error=se[nd : nd + 8],
        u2_percentile=(float(pct[nd + 8, 0]), float(pct[nd + 8, 1])),
        u2_bca=(float(bca[nd + 8, 0]), float(bca[nd + 8, 1])),
        u2_standard_error=float(se[nd + 8]),
        distribution=out.get("distribution"),
    )


@dataclass(frozen=True)
class TwoStageIntervals:
    """Two-stage (cluster) bootstrap percentile intervals of the task metrics and U2.

    Each resample redraws every task's U2 data sets with replacement, then the cases within each
    drawn data set. It estimates how U2 would vary over other data sets like these (data sets as
    sampled), where :class:`RunIntervals` (stratified) holds the data sets fixed.
    """

    n_resamples: int
    confidence: float
    seed: int
    task_percentile: FloatArray
    task_standard_error: FloatArray
    u2_percentile: tuple[float, float]
    u2_standard_error: float


@dataclass(frozen=True, kw_only=True)
class TwoStageResampling(RunResampling):
    """:func:`two_stage_bootstrap`'s keywords."""

    stratified: RunAggregate | None = None


@options_as_keywords(TwoStageResampling)
def two_stage_bootstrap(
    dataset_index: npt.ArrayLike,
    dataset_task: npt.ArrayLike,
    dataset_in_u2: npt.ArrayLike,
    correct: npt.ArrayLike | None,
    error: npt.ArrayLike | None,
    bleu: npt.ArrayLike | None,
    options: TwoStageResampling,
) -> TwoStageIntervals:
    """Two-stage bootstrap of a run (inputs as for :func:`aggregate_cases`).

    Given ``stratified``, the result of :func:`aggregate_cases` on the same inputs with
    ``return_distribution=True``, the second stage draws each data set's metric from those
    stratified case resamples instead of resampling the cases again: the same design at the cost of
    the data sets, not the cases.
    """
    layout = run_layout(dataset_index, dataset_task, dataset_in_u2,
                        missing_cve_is_perfect=options.missing_cve_is_perfect)
    cases = case_columns(layout, correct, error, bleu)
    resampling = _core.Resampling(options.n_resamples, options.seed, float(options.confidence), False)
    stratified = options.stratified
    iv = None if stratified is None else stratified.intervals
    if stratified is not None and iv is not None and iv.distribution is not None:
        task_metric = [float(x) for x in stratified.task_metric]
        out = _core.two_stage_from_distribution(
            layout, np.ascontiguousarray(iv.distribution), task_metric, float(stratified.u2), resampling
        )
    else:
        out = _core.aggregate_cases(layout, cases, resampling, two_stage=True)
    return _two_stage(out, options.n_resamples, float(options.confidence), options.seed)


def _two_stage(out: dict[str, Any], n_resamples: int, confidence: float, seed: int) -> TwoStageIntervals:
    pct, se = out["interval_percentile"], out["standard_error"]
    return TwoStageIntervals(
        n_resamples=n_resamples, confidence=confidence, seed=seed,
        task_percentile=pct[:8], task_standard_error=se[:8],
        u2_percentile=(float(pct[8, 0]), float(pct[8, 1])), u2_standard_error=float(se[8]),
    )
