"""chrF and chrF++, equal to sacreBLEU 2.6.0's ``CHRF`` (corpus and sentence level)."""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from u2fast import _core
from u2fast.scoring._options import keyword_options
from u2fast.scoring._segments import References, checked_refs, core_segments, naming_bad_text
from u2fast.scoring._signature import SentenceScores, chrf_signature, nrefs_of

__all__ = ["ChrfResult", "chrf_stats", "corpus_chrf", "sentence_chrf"]


@dataclass(frozen=True)
class ChrfResult:
    """A corpus chrF score (0-100), its name (``chrF2``, ``chrF2++``) and sacreBLEU's signature."""

    score: float
    name: str
    signature: str


@dataclass(frozen=True, kw_only=True)
class ChrfOptions:
    """``CHRF(...)``'s options, the keywords of :func:`chrf_stats`, :func:`corpus_chrf` and :func:`sentence_chrf`."""

    char_order: int = 6
    #: 2 is chrF++.
    word_order: int = 0
    beta: float = 2
    lowercase: bool = False
    whitespace: bool = False
    eps_smoothing: bool = False

    def __post_init__(self) -> None:
        # checked here so a negative order is named instead of overflowing in the core
        for name in ("char_order", "word_order"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
                raise ValueError(f"{name} must be an integer >= 0, got {value!r}")
        if isinstance(self.beta, bool) or not isinstance(self.beta, numbers.Real) or not math.isfinite(self.beta):
            raise ValueError(f"beta must be a finite number, got {self.beta!r}")

    def stats(self, hyps: Sequence[str], refs: References) -> npt.NDArray[np.int64]:
        hyp_list, ref_lists = core_segments(hyps, refs, lowercase=self.lowercase)
        with naming_bad_text(hyps, ref_lists):
            return _core.chrf_stats(hyp_list, ref_lists, self.char_order, self.word_order, float(self.beta),
                                    self.whitespace, self.eps_smoothing)

    def signature(self, hyps: Sequence[str], refs: References) -> str:
        return chrf_signature(nrefs_of(checked_refs(hyps, refs)), char_order=self.char_order,
                              word_order=self.word_order, lowercase=self.lowercase, whitespace=self.whitespace,
                              eps_smoothing=self.eps_smoothing)


@keyword_options(ChrfOptions)
def chrf_stats(hyps: Sequence[str], refs: References, options: ChrfOptions) -> npt.NDArray[np.int64]:
    """Per-pair statistics ``[hyp, ref, match]`` per order (character orders, then word orders), from the
    reference with the best segment chrF; summed rows give the corpus score."""
    return options.stats(hyps, refs)


@keyword_options(ChrfOptions)
def corpus_chrf(hyps: Sequence[str], refs: References, options: ChrfOptions) -> ChrfResult:
    """``sacrebleu.corpus_chrf`` / ``CHRF(...).corpus_score``: chrF over the summed statistics
    (``word_order=2`` is chrF++). ``refs[i]`` is the reference or references of ``hyps[i]``."""
    stats = options.stats(hyps, refs)
    if not len(stats):
        raise ValueError("corpus chrF needs at least one pair (an empty corpus has no score)")
    total = stats.sum(axis=0, keepdims=True)
    score = float(_core.chrf_scores(total, float(options.beta), options.eps_smoothing)[0])
    # sacreBLEU writes beta as Python prints it: chrF2 for 2, chrF2.0 for 2.0
    name = f"chrF{options.beta}" + "+" * options.word_order
    return ChrfResult(score, name, options.signature(hyps, refs))


@keyword_options(ChrfOptions)
def sentence_chrf(hyps: Sequence[str], refs: References, options: ChrfOptions) -> SentenceScores:
    """One ``sacrebleu.sentence_chrf`` score (0-100) per pair; ``.signature`` is sacreBLEU's for these options."""
    scores = _core.chrf_scores(options.stats(hyps, refs), float(options.beta), options.eps_smoothing)
    return SentenceScores(scores, options.signature(hyps, refs))
