"""Corpus and sentence BLEU, sacreBLEU- or pycocoevalcap-exact, from per-pair statistics."""

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
from u2fast.scoring._signature import SentenceScores, bleu_signature, nrefs_of

__all__ = ["BleuResult", "bleu_stats", "corpus_bleu", "sentence_bleu"]

TOKENIZERS = ("13a", "intl", "zh", "char", "none")


@dataclass(frozen=True)
class BleuResult:
    """A corpus BLEU score (0-100) with the numbers it was computed from."""

    score: float
    #: n-gram precisions in percent.
    precisions: tuple[float, ...]
    bp: float
    sys_len: int
    ref_len: int
    counts: tuple[float, ...]
    totals: tuple[float, ...]
    #: BLEU-1..4 × 100 (flavor "coco" only; empty otherwise).
    bleu_n: tuple[float, ...] = ()
    #: sacreBLEU's reproducibility signature (``nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0``);
    #: for flavor "coco" the same keys describe pycocoevalcap's computation.
    signature: str = ""


def coco_bleu_signature(nrefs: int | str) -> str:
    """The BLEU signature's keys, describing pycocoevalcap's computation."""
    return f"nrefs:{nrefs}|case:mixed|eff:no|tok:split|smooth:coco|version:pycocoevalcap-1.2"


def check_smooth_value(value: object) -> None:
    """A smoothing value is None (the method's default) or a finite number >= 0: sacreBLEU turns the others
    into a silent 0 or NaN."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Real)
                              or not math.isfinite(value) or value < 0):
        raise ValueError(f"smooth_value must be a finite number >= 0 or None, got {value!r}")


def checked_stats(stats: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """BLEU statistics as int64 counts: one row or rows, whole numbers >= 0 (a float such as 2.5 or NaN
    would otherwise be truncated into a count)."""
    given = np.asarray(stats)
    if given.ndim not in (1, 2):
        raise ValueError(f"BLEU statistics must be one row or a 2-D array of rows, got {given.ndim} dimensions")
    if given.ndim == 2 and not len(given):
        raise ValueError("BLEU statistics have no rows (an empty corpus has no score)")
    whole = given.dtype.kind in "iu" or (
        given.dtype.kind == "f" and bool(np.all(np.isfinite(given))) and bool(np.all(given == np.round(given))))
    if not whole:
        raise ValueError("BLEU statistics must be whole counts (int64 rows from bleu_stats)")
    arr = np.ascontiguousarray(given, dtype=np.int64)
    if (arr < 0).any():
        raise ValueError("BLEU statistics must be counts >= 0")
    return arr


@dataclass(frozen=True, kw_only=True)
class BleuStatsOptions:
    """How the statistics are made (the keywords of :func:`bleu_stats`); corpus and sentence BLEU take them too."""

    flavor: str = "sacrebleu"
    tokenize: str = "13a"
    lowercase: bool = False
    max_order: int = 4

    def __post_init__(self) -> None:
        # checked here, not in the core, so a negative or non-integer order is named rather than overflowing
        if isinstance(self.max_order, bool) or not isinstance(self.max_order, numbers.Integral) or self.max_order < 1:
            raise ValueError(f"max_order must be a positive integer, got {self.max_order!r}")
        if self.flavor == "coco" and self.tokenize != "13a":
            raise ValueError(f"flavor 'coco' splits on whitespace; tokenize={self.tokenize!r} is not available")

    def stats(self, hyps: Sequence[str], refs: References) -> npt.NDArray[np.int64]:
        hyp_list, ref_lists = core_segments(hyps, refs, lowercase=self.lowercase)
        if self.lowercase and self.flavor == "coco":
            raise ValueError("flavor 'coco' is case-sensitive; lowercase is not available")
        with naming_bad_text(hyps, ref_lists):
            return _core.bleu_stats(hyp_list, ref_lists, self.flavor, tokenize=self.tokenize, max_order=self.max_order)


@dataclass(frozen=True, kw_only=True)
class SmoothedBleuOptions(BleuStatsOptions):
    """The statistics' options and the smoothing of the score, which corpus and sentence BLEU share."""

    smooth: str = "exp"
    smooth_value: float | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        check_smooth_value(self.smooth_value)
        if self.flavor == "coco" and (self.smooth != "exp" or self.smooth_value is not None):
            raise ValueError("flavor 'coco' has pycocoevalcap's own smoothing; smooth and smooth_value are not available")


@dataclass(frozen=True, kw_only=True)
class CorpusBleuOptions(SmoothedBleuOptions):
    """The keywords of :func:`corpus_bleu` (``effective_order`` is ``BLEU(effective_order=)``)."""

    effective_order: bool = False

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.flavor == "coco" and self.effective_order:
            raise ValueError("flavor 'coco' always averages the four orders; effective_order is not available")
        if self.flavor == "coco" and self.max_order != 4:
            raise ValueError(f"flavor 'coco' corpus BLEU is pycocoevalcap's Bleu(4) (BLEU-1..4 in bleu_n); "
                             f"max_order={self.max_order} is not available")


@dataclass(frozen=True, kw_only=True)
class SentenceBleuOptions(SmoothedBleuOptions):
    """The keywords of :func:`sentence_bleu` (sacreBLEU's name and default: effective order on)."""

    use_effective_order: bool = True


@keyword_options(BleuStatsOptions)
def bleu_stats(hyps: Sequence[str], refs: References, options: BleuStatsOptions) -> npt.NDArray[np.int64]:
    """Per-pair sufficient statistics ``[hyp_len, ref_len, correct_1..N, total_1..N]``.

    ``tokenize`` is one of sacreBLEU's "13a", "intl", "zh", "char", "none"; ``max_order`` any positive
    integer; ``lowercase`` applies the running Python's ``str.lower()`` first, as sacreBLEU does.

    Summing rows and scoring the sum gives the corpus score; resampling rows gives bootstrap
    scores without tokenizing again.
    """
    return options.stats(hyps, refs)


@keyword_options(CorpusBleuOptions)
def corpus_bleu(hyps: Sequence[str], refs: References, options: CorpusBleuOptions) -> BleuResult:
    """Corpus BLEU. ``refs[i]`` is the reference (str) or references (list of str) of ``hyps[i]``.

    ``flavor="sacrebleu"`` equals ``sacrebleu.corpus_bleu(hyps, streams)`` with the same options
    (``max_order`` is ``BLEU(max_ngram_order=)``, ``effective_order`` its ``effective_order``);
    ``flavor="coco"`` equals pycocoevalcap ``Bleu(4)`` (whitespace tokens, 'closest' reference
    length), with ``score`` = BLEU-4 × 100.
    """
    stats = options.stats(hyps, refs)
    if not len(stats):
        raise ValueError("corpus BLEU needs at least one pair (an empty corpus has no score)")
    return score_bleu_stats(stats.sum(axis=0), flavor=options.flavor, smooth=options.smooth, smooth_value=options.smooth_value,
                            effective_order=options.effective_order, tokenize=options.tokenize,
                            lowercase=options.lowercase, nrefs=nrefs_of(checked_refs(hyps, refs)))


def score_bleu_stats(
    stats: npt.ArrayLike,
    *,
    flavor: str = "sacrebleu",
    smooth: str = "exp",
    smooth_value: float | None = None,
    effective_order: bool = False,
    tokenize: str = "13a",
    lowercase: bool = False,
    nrefs: int | str = 1,
) -> BleuResult:
    """Corpus BLEU from statistics (one row, or many rows that are summed first).

    ``tokenize``, ``lowercase`` and ``nrefs`` say how the statistics were made; they only enter the
    signature."""
    arr = checked_stats(stats)
    check_smooth_value(smooth_value)
    total = arr.sum(axis=0) if arr.ndim == 2 else arr
    order = (total.shape[0] - 2) // 2
    counts = tuple(float(c) for c in total[2 : 2 + order])
    totals = tuple(float(t) for t in total[2 + order :])
    if flavor == "coco":
        bleu_n = tuple(100.0 * b for b in _core.coco_bleu_score(total))
        ratio = (float(total[0]) + 1e-15) / (float(total[1]) + 1e-9)
        bp = math.exp(1.0 - 1.0 / ratio) if ratio < 1.0 else 1.0
        precisions = tuple(100.0 * c / t if t else 0.0 for c, t in zip(counts, totals))
        if order != 4:
            raise ValueError(f"flavor 'coco' needs order-4 statistics, got order {order}")
        signature = coco_bleu_signature(nrefs)
        return BleuResult(bleu_n[3], precisions, bp, int(total[0]), int(total[1]), counts, totals, bleu_n,
                          signature)
    if flavor != "sacrebleu":
        raise ValueError(f"unknown BLEU flavor {flavor!r} (expected 'sacrebleu' or 'coco')")
    score, cnt, tot, prec, bp, sys_len, ref_len = _core.sacrebleu_score(
        total, smooth, smooth_value, effective_order
    )
    signature = bleu_signature(nrefs, tokenize=tokenize, lowercase=lowercase, smooth=smooth,
                               smooth_value=smooth_value, effective_order=effective_order)
    return BleuResult(score, tuple(prec), bp, sys_len, ref_len, tuple(cnt), tuple(tot), signature=signature)


@keyword_options(SentenceBleuOptions)
def sentence_bleu(hyps: Sequence[str], refs: References, options: SentenceBleuOptions) -> SentenceScores:
    """One BLEU score (0-100) per pair: ``sacrebleu.sentence_bleu`` (effective order by default),
    or for ``flavor="coco"`` pycocoevalcap's per-segment BLEU-``max_order`` × 100 (1..4: the
    ``bleu_list`` entries of ``Bleu(4).compute_score``). ``.signature`` is sacreBLEU's for these options."""
    nrefs = nrefs_of(checked_refs(hyps, refs))
    if options.flavor == "coco":
        if not 1 <= options.max_order <= 4:
            raise ValueError(f"flavor 'coco' gives BLEU-1..4; max_order={options.max_order}")
        stats = BleuStatsOptions(flavor="coco", lowercase=options.lowercase).stats(hyps, refs)
        scores = 100.0 * _core.coco_sentence_scores(stats)[:, options.max_order - 1]
        return SentenceScores(scores, coco_bleu_signature(nrefs))
    signature = bleu_signature(nrefs, tokenize=options.tokenize, lowercase=options.lowercase, smooth=options.smooth,
                               smooth_value=options.smooth_value, effective_order=options.use_effective_order)
    scores = _core.sacrebleu_sentence_scores(options.stats(hyps, refs), options.smooth, options.smooth_value,
                                             options.use_effective_order)
    return SentenceScores(scores, signature)
