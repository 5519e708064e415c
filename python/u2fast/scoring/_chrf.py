"""chrF and chrF++, equal to sacreBLEU 2.6.0's ``CHRF`` (corpus and sentence level)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from u2fast import _core
from u2fast.scoring._bleu import References, _locate_bad_text, _ref_lists, lowered
from u2fast.scoring._signature import SentenceScores, chrf_signature, nrefs_of

__all__ = ["ChrfResult", "chrf_stats", "corpus_chrf", "sentence_chrf"]


@dataclass(frozen=True)
class ChrfResult:
    """A corpus chrF score (0-100), its name (``chrF2``, ``chrF2++``) and sacreBLEU's signature."""

    score: float
    name: str
    signature: str


def chrf_stats(
    hyps: Sequence[str],
    refs: References,
    *,
    char_order: int = 6,
    word_order: int = 0,
    beta: float = 2,
    lowercase: bool = False,
    whitespace: bool = False,
    eps_smoothing: bool = False,
) -> npt.NDArray[np.int64]:
    """Per-pair statistics ``[hyp, ref, match]`` per order (character orders, then word orders), from the
    reference with the best segment chrF; summed rows give the corpus score."""
    ref_lists = _ref_lists(hyps, refs)
    hyp_list = list(hyps)
    if lowercase:
        hyp_list, ref_lists = lowered(hyp_list, ref_lists)
    try:
        return _core.chrf_stats(hyp_list, ref_lists, char_order, word_order, float(beta), whitespace, eps_smoothing)
    except (TypeError, UnicodeEncodeError) as err:
        raise _locate_bad_text(hyps, ref_lists, err) from None


def _signature(hyps: Sequence[str], refs: References, char_order: int, word_order: int, lowercase: bool,
               whitespace: bool, eps_smoothing: bool) -> str:
    return chrf_signature(nrefs_of(_ref_lists(hyps, refs)), char_order=char_order, word_order=word_order,
                          lowercase=lowercase, whitespace=whitespace, eps_smoothing=eps_smoothing)


def corpus_chrf(
    hyps: Sequence[str],
    refs: References,
    *,
    char_order: int = 6,
    word_order: int = 0,
    beta: float = 2,
    lowercase: bool = False,
    whitespace: bool = False,
    eps_smoothing: bool = False,
) -> ChrfResult:
    """``sacrebleu.corpus_chrf`` / ``CHRF(...).corpus_score``: chrF over the summed statistics
    (``word_order=2`` is chrF++). ``refs[i]`` is the reference or references of ``hyps[i]``."""
    stats = chrf_stats(hyps, refs, char_order=char_order, word_order=word_order, beta=beta, lowercase=lowercase,
                       whitespace=whitespace, eps_smoothing=eps_smoothing)
    total = stats.sum(axis=0, keepdims=True) if len(stats) else np.zeros((1, stats.shape[1]), np.int64)
    score = float(_core.chrf_scores(total, float(beta), eps_smoothing)[0])
    signature = _signature(hyps, refs, char_order, word_order, lowercase, whitespace, eps_smoothing)
    return ChrfResult(score, f"chrF{beta:g}" + "+" * word_order, signature)


def sentence_chrf(
    hyps: Sequence[str],
    refs: References,
    *,
    char_order: int = 6,
    word_order: int = 0,
    beta: float = 2,
    lowercase: bool = False,
    whitespace: bool = False,
    eps_smoothing: bool = False,
) -> SentenceScores:
    """One ``sacrebleu.sentence_chrf`` score (0-100) per pair; ``.signature`` is sacreBLEU's for these options."""
    stats = chrf_stats(hyps, refs, char_order=char_order, word_order=word_order, beta=beta, lowercase=lowercase,
                       whitespace=whitespace, eps_smoothing=eps_smoothing)
    signature = _signature(hyps, refs, char_order, word_order, lowercase, whitespace, eps_smoothing)
    return SentenceScores(_core.chrf_scores(stats, float(beta), eps_smoothing), signature)
