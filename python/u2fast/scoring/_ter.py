"""TER (translation edit rate), equal to sacreBLEU 2.6.0's ``TER`` (corpus and sentence level)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from u2fast import _core
from u2fast.scoring._bleu import References, _locate_bad_text, _ref_lists, lowered
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


def ter_stats(
    hyps: Sequence[str],
    refs: References,
    *,
    normalized: bool = False,
    no_punct: bool = False,
    asian_support: bool = False,
    case_sensitive: bool = False,
) -> npt.NDArray[np.float64]:
    """Per-pair statistics ``[fewest edits over the references, average reference length]``, shape (n, 2);
    the corpus score is the summed edits over the summed lengths."""
    ref_lists = _ref_lists(hyps, refs)
    hyp_list = list(hyps)
    if not case_sensitive:
        hyp_list, ref_lists = lowered(hyp_list, ref_lists)
    try:
        return _core.ter_stats(hyp_list, ref_lists, normalized, no_punct, asian_support)
    except (TypeError, UnicodeEncodeError) as err:
        raise _locate_bad_text(hyps, ref_lists, err) from None


def _signature(refs: References, hyps: Sequence[str], normalized: bool, no_punct: bool, asian_support: bool,
               case_sensitive: bool) -> str:
    return ter_signature(nrefs_of(_ref_lists(hyps, refs)), normalized=normalized, no_punct=no_punct,
                         asian_support=asian_support, case_sensitive=case_sensitive)


def corpus_ter(
    hyps: Sequence[str],
    refs: References,
    *,
    normalized: bool = False,
    no_punct: bool = False,
    asian_support: bool = False,
    case_sensitive: bool = False,
) -> TerResult:
    """``sacrebleu.corpus_ter`` / ``TER(...).corpus_score``. ``refs[i]`` is the reference or references of
    ``hyps[i]``. Text is lowercased unless ``case_sensitive``; ``normalized`` applies Tercom's tokenization,
    ``no_punct`` removes punctuation, ``asian_support`` extends both to CJK text."""
    stats = ter_stats(hyps, refs, normalized=normalized, no_punct=no_punct, asian_support=asian_support,
                      case_sensitive=case_sensitive)
    score, edits, length = _core.ter_corpus_score(stats)
    return TerResult(score, int(edits), length,
                     _signature(refs, hyps, normalized, no_punct, asian_support, case_sensitive))


def sentence_ter(
    hyps: Sequence[str],
    refs: References,
    *,
    normalized: bool = False,
    no_punct: bool = False,
    asian_support: bool = False,
    case_sensitive: bool = False,
) -> SentenceScores:
    """One ``sacrebleu.sentence_ter`` score (0-100) per pair; ``.signature`` is sacreBLEU's for these options."""
    stats = ter_stats(hyps, refs, normalized=normalized, no_punct=no_punct, asian_support=asian_support,
                      case_sensitive=case_sensitive)
    return SentenceScores(_core.ter_scores(stats),
                          _signature(refs, hyps, normalized, no_punct, asian_support, case_sensitive))
