"""ROUGE per pair: rouge-score's RougeScorer (tokenizer and NLTK Porter stemmer included) or
pycocoevalcap's ROUGE-L (β = 1.2)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from u2fast import _core
from u2fast.scoring._bleu import References, _locate_bad_text, _ref_lists

__all__ = ["RougeScores", "rouge"]

DEFAULT_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")


@dataclass(frozen=True)
class RougeScores:
    """One ROUGE type: per-pair arrays on a 0-1 scale."""

    precision: npt.NDArray[np.float64]
    recall: npt.NDArray[np.float64]
    fmeasure: npt.NDArray[np.float64]


def rouge(
    hyps: Sequence[str],
    refs: References,
    *,
    types: Sequence[str] = DEFAULT_TYPES,
    stemmer: bool = False,
    flavor: str = "rouge-score",
) -> dict[str, RougeScores]:
    """ROUGE of every pair, keyed by type.

    ``flavor="rouge-score"`` equals ``RougeScorer(types, use_stemmer=stemmer).score(ref, hyp)``
    (``score_multi`` when ``refs[i]`` is a list: the reference with the best F per type).
    ``flavor="coco"`` gives pycocoevalcap's ROUGE-L under the key "rougeL": ``fmeasure`` is its
    score and ``precision``/``recall`` the maxima over the references it combines.
    """
    ref_lists = _ref_lists(hyps, refs)
    if isinstance(types, str):
        raise TypeError("types must be a sequence of ROUGE type names, not one string")
    if flavor == "coco":
        if stemmer:
            raise ValueError("pycocoevalcap's ROUGE-L has no stemmer")
        if tuple(types) not in (DEFAULT_TYPES, ("rougeL",)):
            raise ValueError("flavor 'coco' computes rougeL only")
        try:
            out = _core.coco_rouge_l(list(hyps), ref_lists)
        except (TypeError, UnicodeEncodeError) as err:
            raise _locate_bad_text(hyps, ref_lists, err) from None
        return {"rougeL": RougeScores(out[:, 0].copy(), out[:, 1].copy(), out[:, 2].copy())}
    if flavor != "rouge-score":
        raise ValueError(f"unknown ROUGE flavor {flavor!r} (expected 'rouge-score' or 'coco')")
    names = list(types)
    try:
        scores = _core.rouge_scores(list(hyps), ref_lists, names, stemmer)
    except (TypeError, UnicodeEncodeError) as err:
        raise _locate_bad_text(hyps, ref_lists, err) from None
    return {
        name: RougeScores(scores[:, k, 0].copy(), scores[:, k, 1].copy(), scores[:, k, 2].copy())
        for k, name in enumerate(names)
    }
