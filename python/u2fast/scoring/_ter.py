"""TER (translation edit rate), equal to sacreBLEU 2.6.0's ``TER`` (corpus and sentence level)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from u2fast import _core
from u2fast.scoring._options import keyword_options
from u2fast.scoring._segments import References, checked_refs, core_segments, naming_bad_text
from u2fast.scoring._signature import SentenceScores, nrefs_of, ter_signature

__all__ = ["TerResult", "corpus_ter", "sentence_ter", "ter_stats"]


@dataclass(frozen=True)
class TerResult:
    """A corpus TER (0-100; lower is better, can exceed 100), the edits and reference length it divides,
    and sacreBLEU's signature."""

    score: float
    num_edits: int
    #: Summed over pairs; with several references, each pair's average reference length.
    ref_length: float
    signature: str


@dataclass(frozen=True, kw_only=True)
class TerOptions:
    """``TER(...)``'s options, the keywords of :func:`ter_stats`, :func:`corpus_ter` and :func:`sentence_ter`."""

    normalized: bool = False
    no_punct: bool = False
    asian_support: bool = False
    case_sensitive: bool = False

    def stats(self, hyps: Sequence[str], refs: References) -> npt.NDArray[np.float64]:
        hyp_list, ref_lists = core_segments(hyps, refs, lowercase=not self.case_sensitive)
        with naming_bad_text(hyps, ref_lists):
            return _core.ter_stats(hyp_list, ref_lists, self.normalized, self.no_punct, self.asian_support)

    def signature(self, hyps: Sequence[str], refs: References) -> str:
        return ter_signature(nrefs_of(checked_refs(hyps, refs)), normalized=self.normalized, no_punct=self.no_punct,
                             asian_support=self.asian_support, case_sensitive=self.case_sensitive)


@keyword_options(TerOptions)
def ter_stats(hyps: Sequence[str], refs: References, options: TerOptions) -> npt.NDArray[np.float64]:
    """Per-pair statistics ``[fewest edits over the references, average reference length]``, shape (n, 2);
    the corpus score is the summed edits over the summed lengths."""
    return options.stats(hyps, refs)


@keyword_options(TerOptions)
def corpus_ter(hyps: Sequence[str], refs: References, options: TerOptions) -> TerResult:
    """``sacrebleu.corpus_ter`` / ``TER(...).corpus_score``. ``refs[i]`` is the reference or references of
    ``hyps[i]``. Text is lowercased unless ``case_sensitive``; ``normalized`` applies Tercom's tokenization,
    ``no_punct`` removes punctuation, ``asian_support`` extends both to CJK text."""
    stats = options.stats(hyps, refs)
    if not len(stats):
        raise ValueError("corpus TER needs at least one pair (an empty corpus has no score)")
    score, edits, length = _core.ter_corpus_score(stats)
    return TerResult(score, int(edits), length, options.signature(hyps, refs))


@keyword_options(TerOptions)
def sentence_ter(hyps: Sequence[str], refs: References, options: TerOptions) -> SentenceScores:
    """One ``sacrebleu.sentence_ter`` score (0-100) per pair; ``.signature`` is sacreBLEU's for these options."""
    return SentenceScores(_core.ter_scores(options.stats(hyps, refs)), options.signature(hyps, refs))
