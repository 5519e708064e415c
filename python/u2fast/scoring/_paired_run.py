"""Two models on the same cases: the paired stratified bootstrap of A − B (every data set, task and U2).

The cases are resampled within their data set, as for one run's intervals, with the *same* case
indices for both models, so each side's resampled values equal its own :func:`aggregate_cases`
bootstrap with that seed and their differences form the paired distribution. Its intervals follow
scipy.stats.bootstrap's arithmetic like every interval in u2fast (docs/reference-metrics.md 5): the
linear quantile with scipy.stats.quantile's rounding, BCa from the paired jackknife.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy.typing as npt

from u2fast import _core

from ._aggregate import FloatArray, RunAggregate, RunIntervals, case_columns, run_aggregate, run_intervals, run_layout

__all__ = ["CaseStatistics", "PairedRunBootstrap", "paired_run_bootstrap"]


@dataclass(frozen=True)
class PairedRunBootstrap:
    """A − B of every dataset metric, task metric and U2, with intervals and p-values.

    ``a`` and ``b`` are each side's point estimates; ``intervals`` are those of the differences
    (per-dataset arrays in the order of ``dataset_task``, task arrays in :data:`TASK_CODES` order);
    p-values are two-sided by the shift method, ``(#{|d* − d̂| ≥ |d̂|} + 1) / (B + 1)``.
    """

    a: RunAggregate
    b: RunAggregate
    dataset_difference: FloatArray
    task_difference: FloatArray
    u2_difference: float
    dataset_pvalue: FloatArray
    task_pvalue: FloatArray
    u2_pvalue: float
    intervals: RunIntervals


#: One model's per-case ``(correct, error, bleu)``, as :func:`aggregate_cases` takes them.
CaseStatistics = tuple[npt.ArrayLike | None, npt.ArrayLike | None, npt.ArrayLike | None]


def paired_run_bootstrap(
    dataset_index: npt.ArrayLike,
    dataset_task: npt.ArrayLike,
    dataset_in_u2: npt.ArrayLike,
    a: CaseStatistics,
    b: CaseStatistics,
    *,
    missing_cve_is_perfect: bool = True,
    tolerance: float = 0.1,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
    return_distribution: bool = False,
) -> PairedRunBootstrap:
    """Paired bootstrap of two models on the same cases: ``a`` and ``b`` are each model's
    ``(correct, error, bleu)`` and the layout arrays are shared (row ``i`` of both is the same case);
    everything as for :func:`aggregate_cases`."""
    layout = run_layout(
        dataset_index, dataset_task, dataset_in_u2, missing_cve_is_perfect=missing_cve_is_perfect, tolerance=tolerance
    )
    resampling = _core.Resampling(n_resamples, seed, float(confidence), return_distribution)
    out = _core.paired_aggregate_bootstrap(layout, case_columns(layout, *a), case_columns(layout, *b), resampling)
    nd = layout.n_datasets
    diff, p = out["difference"], out["pvalue"]
    return PairedRunBootstrap(
        a=run_aggregate(out["a"], None),
        b=run_aggregate(out["b"], None),
        dataset_difference=diff[:nd], task_difference=diff[nd : nd + 8], u2_difference=float(diff[nd + 8]),
        dataset_pvalue=p[:nd], task_pvalue=p[nd : nd + 8], u2_pvalue=float(p[nd + 8]),
        intervals=run_intervals(out, nd, n_resamples, float(confidence), seed),
    )
