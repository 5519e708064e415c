"""Joint rank bootstrap: several models' U2-Scores resampled on the same cases."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from u2fast import _core

from ._aggregate import run_layout

__all__ = ["RankIntervals", "rank_bootstrap"]


@dataclass(frozen=True)
class RankIntervals:
    """Per model (input order): U2, its percentile interval from the joint resamples, the rank of
    the point estimates (1 = highest U2; ties share the better rank), the ``confidence`` rank
    interval (order statistics of the resampled ranks), P(rank = 1) and the mean rank."""

    n_resamples: int
    confidence: float
    seed: int
    two_stage: bool
    u2: npt.NDArray[np.float64]
    u2_interval: npt.NDArray[np.float64]
    rank: npt.NDArray[np.int64]
    rank_interval: npt.NDArray[np.int64]
    p_first: npt.NDArray[np.float64]
    mean_rank: npt.NDArray[np.float64]


def rank_bootstrap(
    dataset_index: npt.ArrayLike,
    dataset_task: npt.ArrayLike,
    dataset_in_u2: npt.ArrayLike,
    correct: npt.ArrayLike,
    error: npt.ArrayLike,
    bleu: npt.ArrayLike,
    counted: npt.ArrayLike,
    *,
    missing_cve_is_perfect: bool = True,
    two_stage: bool = False,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> RankIntervals:
    """Rank models by U2 over joint resamples of their common cases.

    ``dataset_index`` (n,) and the per-dataset ``dataset_task``/``dataset_in_u2`` are shared;
    ``correct``, ``error`` and ``counted`` are (models, n) and ``bleu`` (models, n, 10), as in
    :func:`aggregate_cases` per model; ``counted`` False leaves a case out of that model's
    denominators. Each resample draws one set of cases within each data set (and, with
    ``two_stage``, first redraws each task's data sets) and scores every model on it.
    """
    layout = run_layout(dataset_index, dataset_task, dataset_in_u2, missing_cve_is_perfect=missing_cve_is_perfect)
    out = _core.rank_bootstrap(
        layout,
        np.ascontiguousarray(correct, np.float64),
        np.ascontiguousarray(error, np.float64),
        np.ascontiguousarray(bleu, np.int64),
        np.ascontiguousarray(counted, np.bool_),
        _core.Resampling(n_resamples, seed, float(confidence), False),
        two_stage=two_stage,
    )
    return RankIntervals(
        n_resamples=n_resamples, confidence=float(confidence), seed=seed, two_stage=two_stage,
        u2=out["u2"], u2_interval=out["u2_interval"], rank=out["rank"], rank_interval=out["rank_interval"],
        p_first=out["p_first"], mean_rank=out["mean_rank"],
    )
