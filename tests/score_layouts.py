"""A run layout shared by the unit and parity tests of the run-level intervals (``aggregate_cases``): ten
data sets over seven tasks, one outside U2, one with a single case, none for KD."""

from __future__ import annotations

from typing import Any

import numpy as np
from text_pairs import generate_pairs

from u2fast.scoring import bleu_stats


def interval_run(seed: int = 0) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    tasks = np.array([0, 0, 1, 3, 3, 5, 5, 6, 7, 2], dtype=np.int8)
    in_u2 = np.array([True, False, True, True, True, True, True, True, True, True])
    sizes = np.array([40, 25, 30, 35, 20, 30, 25, 30, 25, 1])
    idx = rng.permutation(np.repeat(np.arange(len(tasks), dtype=np.int32), sizes))
    n = len(idx)
    pairs = generate_pairs(seed + 100, n)
    return {
        "idx": idx, "tasks": tasks, "in_u2": in_u2,
        "correct": (rng.random(n) < 0.45).astype(np.float64),
        "error": rng.normal(0.05, 0.25, n),
        "bleu": bleu_stats([h for h, _ in pairs], [r for _, r in pairs], flavor="coco"),
    }
