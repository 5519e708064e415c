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

from ._aggregate import FloatArray, RunAggregate, RunIntervals, StratifiedResampling, case_columns, run_aggregate
from ._options import options_as_keywords

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


@options_as_keywords(StratifiedResampling)
def paired_run_bootstrap(
    dataset_index: npt.ArrayLike,
    dataset_task: npt.ArrayLike,
    dataset_in_u2: npt.ArrayLike,
    a: CaseStatistics,
    b: CaseStatistics,
    options: StratifiedResampling,
) -> PairedRunBootstrap:
    """Paired bootstrap of two models on the same cases: ``a`` and ``b`` are each model's
    ``(correct, error, bleu)`` and the layout arrays are shared (row ``i`` of both is the same case);
    everything as for :func:`aggregate_cases`."""
    layout = options.layout(dataset_index, dataset_task, dataset_in_u2)
    out = _core.paired_aggregate_bootstrap(
        layout, case_columns(layout, *a), case_columns(layout, *b), options.resampling()
    )
    nd = layout.n_datasets
    diff, p = out["difference"], out["pvalue"]
    return PairedRunBootstrap(
        a=run_aggregate(out["a"], None),
        b=run_aggregate(out["b"], None),
        dataset_difference=diff[:nd], task_difference=diff[nd : nd + 8], u2_difference=float(diff[nd + 8]),
        dataset_pvalue=p[:nd], task_pvalue=p[nd : nd + 8], u2_pvalue=float(p[nd + 8]),
        intervals=options.intervals(out, nd),
    )
