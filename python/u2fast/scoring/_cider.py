"""CIDEr-D, the caption metric of the COCO evaluation, exactly as pycocoevalcap 1.2 ``Cider`` computes it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from u2fast import _core
from u2fast.scoring._segments import References, checked_refs, naming_bad_text

__all__ = ["CiderResult", "cider"]


@dataclass(frozen=True)
class CiderResult:
    """Corpus CIDEr-D (the mean of ``scores``) and the per-segment scores, on pycocoevalcap's ×10 scale."""

    score: float
    scores: npt.NDArray[np.float64]


def cider(hyps: Sequence[str], refs: References, *, sigma: float = 6.0) -> CiderResult:
    """CIDEr-D of every pair and of the corpus: ``Cider().compute_score(gts, res)`` with ``gts[i] = refs[i]``
    and ``res[i] = [hyps[i]]``.

    Tokens are Python ``split()`` words (COCO runs its PTB tokenizer and lowercases before; do the same
    for comparable numbers). Document frequencies come from this corpus, so a pair's score depends on
    the others; idf = ln(len(hyps)) − ln(max(1, df)). n-grams are orders 1-4, as pycocoevalcap always
    extracts them; ``sigma`` is the length penalty's Gaussian width.
    """
    ref_lists = checked_refs(hyps, refs)
    if isinstance(sigma, bool) or not isinstance(sigma, (int, float)) or not math.isfinite(sigma) or sigma <= 0:
        raise ValueError(f"sigma must be a finite number > 0, got {sigma!r}")
    if not len(hyps):
        raise ValueError("CIDEr-D needs at least one pair")
    with naming_bad_text(hyps, ref_lists):
        scores = _core.cider_d(list(hyps), ref_lists, sigma)
    return CiderResult(float(np.mean(scores)), scores)
