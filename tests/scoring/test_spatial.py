"""Coordinate-answer scores from the Rust core against a numpy reference written here, on generated
boxes and points (IoU as torchvision's ``box_iou`` defines it: intersection area over union area)."""

from __future__ import annotations

import numpy as np
import pytest

from u2fast.scoring import BOX_METRICS, POINT_METRICS, spatial_scores


def _reference_boxes(p: np.ndarray, t: np.ndarray, w: np.ndarray, h: np.ndarray) -> np.ndarray:
    lt = np.maximum(p[:, :2], t[:, :2])
    rb = np.minimum(p[:, 2:], t[:, 2:])
    wh = np.clip(rb - lt, 0, None)
    inter = wh[:, 0] * wh[:, 1]
    area = lambda b: np.clip(b[:, 2] - b[:, 0], 0, None) * np.clip(b[:, 3] - b[:, 1], 0, None)  # noqa: E731
    union = area(p) + area(t) - inter
    iou = np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)
    pc = (p[:, :2] + p[:, 2:]) / 2
    tc = (t[:, :2] + t[:, 2:]) / 2
    inside = (pc[:, 0] >= t[:, 0]) & (pc[:, 0] <= t[:, 2]) & (pc[:, 1] >= t[:, 1]) & (pc[:, 1] <= t[:, 3])
    dist = np.hypot((pc[:, 0] - tc[:, 0]) * w, (pc[:, 1] - tc[:, 1]) * h) / np.hypot(w, h)
    return np.column_stack([iou, iou >= 0.5, inside, dist]).astype(float)


def _boxes(rng: np.random.Generator, n: int) -> np.ndarray:
    xy = rng.uniform(0, 0.8, (n, 2))
    return np.column_stack([xy, xy + rng.uniform(0.005, 0.4, (n, 2))])


def test_box_scores_equal_the_reference_on_generated_boxes() -> None:
    rng = np.random.default_rng(14)
    n = 5000
    truth = _boxes(rng, n)
    pred = np.where(rng.random((n, 1)) < 0.5, truth + rng.normal(0, 0.05, (n, 4)), _boxes(rng, n))
    w, h = rng.integers(32, 2048, n).astype(float), rng.integers(32, 2048, n).astype(float)
    got = spatial_scores(pred, truth, w, h)
    assert got.shape == (n, len(BOX_METRICS))
    np.testing.assert_allclose(got, _reference_boxes(pred, truth, w, h), rtol=1e-12, atol=1e-15)
    assert 0 < got[:, 1].mean() < 1  # both hits and misses were generated


def test_point_scores_equal_the_reference() -> None:
    rng = np.random.default_rng(15)
    n = 4000
    truth = rng.uniform(0, 1, (n, 2))
    pred = truth + rng.normal(0, 0.06, (n, 2))
    w, h = rng.integers(32, 2048, n).astype(float), rng.integers(32, 2048, n).astype(float)
    dist = np.hypot((pred[:, 0] - truth[:, 0]) * w, (pred[:, 1] - truth[:, 1]) * h) / np.hypot(w, h)
    got = spatial_scores(pred, truth, w, h)
    assert got.shape == (n, len(POINT_METRICS))
    np.testing.assert_allclose(got[:, 0], dist, rtol=1e-12)
    np.testing.assert_array_equal(got[:, 1], dist <= 0.05)
    np.testing.assert_array_equal(got[:, 2], dist <= 0.1)


def test_missing_rows_are_nan_and_shapes_are_checked() -> None:
    got = spatial_scores([[np.nan] * 4, [0.1, 0.1, 0.2, 0.2]], [[0.1, 0.1, 0.2, 0.2]] * 2, [10, 10], [10, 10])
    assert np.isnan(got[0]).all() and got[1, 0] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="same cases"):
        spatial_scores([[0.1, 0.1, 0.2, 0.2]], [[0.1, 0.1]], [1], [1])
    with pytest.raises(ValueError, match="columns"):
        spatial_scores([[0.1, 0.1, 0.2]], [[0.1, 0.1, 0.2]], [1], [1])
