"""The U2-Score from a mapping of task metrics (docs/u2bench.md 6)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from u2fast import _core
from u2fast.scoring._aggregate import TASK_CODES

__all__ = ["U2_WEIGHTS", "u2_score"]

#: Published weights, in TASK_CODES order.
U2_WEIGHTS: dict[str, float] = dict(zip(TASK_CODES, _core.U2_WEIGHTS))


def u2_score(
    task_metrics: Mapping[str, float],
    weights: Mapping[str, float] | Sequence[float] | None = None,
    *,
    missing_cve_is_perfect: bool = True,
) -> float:
    """U2 from raw task metrics: DD, VRA, LL, OD, KD accuracy in [0, 1]; CVE RMSE on normalized
    values (scored 1 − RMSE); RG, CG BLEU-4 in percent. Each score is clipped to [0, 1]; a missing
    or NaN task contributes 0, except CVE, which counts as perfect when ``missing_cve_is_perfect``
    (the official script's behaviour; pass False for the robust reading). ``weights``: 8 values in
    :data:`TASK_CODES` order, or a mapping in which a task left out weighs 0. Not rounded.
    """
    unknown = sorted(set(task_metrics) - set(TASK_CODES))
    if unknown:
        raise ValueError(f"unknown task(s) {unknown}; expected keys among {list(TASK_CODES)}")
    metrics = [float(task_metrics.get(t, float("nan"))) for t in TASK_CODES]
    if weights is None:
        w = list(_core.U2_WEIGHTS)
    elif isinstance(weights, Mapping):
        bad = sorted(set(weights) - set(TASK_CODES))
        if bad:
            raise ValueError(f"unknown task(s) in weights {bad}")
        w = [float(weights.get(t, 0.0)) for t in TASK_CODES]
    else:
        w = [float(x) for x in weights]
        if len(w) != 8:
            raise ValueError(f"weights must have 8 values in {list(TASK_CODES)} order, got {len(w)}")
    return float(_core.u2_score(metrics, w, missing_cve_is_perfect))
