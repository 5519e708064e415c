"""Scores of coordinate answers (boxes and points), computed in the Rust core."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from u2fast import _core

__all__ = ["BOX_METRICS", "POINT_METRICS", "spatial_scores"]

#: Column names of :func:`spatial_scores` for boxes and for points.
BOX_METRICS = ("iou", "hit@0.5", "centre_in_box", "centre_distance")
POINT_METRICS = ("distance", "pck@0.05", "pck@0.1")


def spatial_scores(
    pred: npt.ArrayLike, truth: npt.ArrayLike, width: npt.ArrayLike, height: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Per-case scores of predicted boxes ``(n, 4)`` or points ``(n, 2)``, normalized ``x, y`` order.

    Boxes (``x1, y1, x2, y2``) give the columns of :data:`BOX_METRICS`: IoU, hit@0.5 (IoU ≥ 0.5),
    whether the predicted centre lies in the true box, and the distance between the centres over
    the image diagonal. Points give :data:`POINT_METRICS`: distance over the diagonal and PCK at
    0.05 and 0.1 of it. ``width``/``height`` (pixels; 0 when unknown) set the diagonal. A row with a
    NaN in its prediction or truth gives NaN scores (no answer, or nothing to compare with).
    """
    p = np.ascontiguousarray(pred, dtype=np.float64)
    t = np.ascontiguousarray(truth, dtype=np.float64)
    if p.ndim != 2:
        raise ValueError(f"pred must be a 2-D array of boxes or points, got shape {p.shape}")
    w = np.ascontiguousarray(width, dtype=np.float64).reshape(-1)
    h = np.ascontiguousarray(height, dtype=np.float64).reshape(-1)
    return _core.spatial_scores(p, t, w, h)
