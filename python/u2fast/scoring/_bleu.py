"""Corpus and sentence BLEU, sacreBLEU- or pycocoevalcap-exact, from per-pair statistics."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from u2fast import _core
from u2fast.scoring._signature import SentenceScores, bleu_signature, nrefs_of

__all__ = ["BleuResult", "bleu_stats", "corpus_bleu", "sentence_bleu"]

References = Sequence[str | Sequence[str]]

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


def lowered(hyps: Sequence[str], refs: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """Both sides through the running Python's ``str.lower()``, as the reference libraries lowercase (the
    Rust core's Unicode tables are newer and pair letters Python does not, e.g. U+A7CB and U+0264)."""
    try:
        return [h.lower() for h in hyps], [[r.lower() for r in rs] for rs in refs]
    except AttributeError as err:
        raise _locate_bad_text(hyps, refs, err) from None


def _ref_lists(hyps: Sequence[str], refs: References) -> list[list[str]]:
    if isinstance(hyps, str) or isinstance(refs, str):
        raise TypeError("hyps and refs must be sequences of segments, not one string")
    if len(hyps) != len(refs):
        raise ValueError(f"{len(hyps)} hypotheses but {len(refs)} references")
    try:
        return [[r] if isinstance(r, str) else list(r) for r in refs]
    except TypeError:
        bad = next((i for i, r in enumerate(refs) if not isinstance(r, str) and not hasattr(r, "__iter__")), None)
        if bad is None:
            raise
        raise TypeError(f"refs[{bad}] is {type(refs[bad]).__name__}, not a str or a list of str") from None


def _locate_bad_text(hyps: Sequence[str], refs: list[list[str]], err: Exception) -> Exception:
    """Name the segment behind a conversion error from the core (found only after one occurred, so the
    common path pays nothing): a non-string (e.g. sacreBLEU's ``None`` padding, a NaN response), or a
    lone surrogate from text decoded with ``errors="surrogateescape"``, which UTF-8 Rust strings cannot hold."""
    for i, hyp in enumerate(hyps):
        for name, text in [(f"hyps[{i}]", hyp)] + [(f"refs[{i}][{k}]", r) for k, r in enumerate(refs[i])]:
            if not isinstance(text, str):
                hint = "; give each hypothesis only the references it has" if text is None and "refs" in name else ""
                return TypeError(f"{name} is {type(text).__name__}, not str{hint}")
            try:
                text.encode("utf-8")
            except UnicodeEncodeError as bad:
                return ValueError(f"{name} contains a lone surrogate U+{ord(text[bad.start]):04X} at position "
                                  f"{bad.start}; decode the text with errors='replace' before scoring")
    return err


def bleu_stats(
    hyps: Sequence[str],
    refs: References,
    *,
    flavor: str = "sacrebleu",
    tokenize: str = "13a",
    lowercase: bool = False,
    max_order: int = 4,
) -> npt.NDArray[np.int64]:
    """Per-pair sufficient statistics ``[hyp_len, ref_len, correct_1..N, total_1..N]``.

    ``tokenize`` is one of sacreBLEU's "13a", "intl", "zh", "char", "none"; ``max_order`` any positive
    integer; ``lowercase`` applies the running Python's ``str.lower()`` first, as sacreBLEU does.

    Summing rows and scoring the sum gives the corpus score; resampling rows gives bootstrap
    scores without tokenizing again.
    """
    ref_lists = _ref_lists(hyps, refs)
    if lowercase and flavor == "coco":
        raise ValueError("flavor 'coco' is case-sensitive; lowercase is not available")
    hyp_list = list(hyps)
    if lowercase:
        hyp_list, ref_lists = lowered(hyp_list, ref_lists)
    try:
        return _core.bleu_stats(hyp_list, ref_lists, flavor, tokenize=tokenize, max_order=max_order)
    except (TypeError, UnicodeEncodeError) as err:
        raise _locate_bad_text(hyps, ref_lists, err) from None


def corpus_bleu(
    hyps: Sequence[str],
    refs: References,
    *,
    flavor: str = "sacrebleu",
    tokenize: str = "13a",
    smooth: str = "exp",
    smooth_value: float | None = None,
    lowercase: bool = False,
    max_order: int = 4,
    effective_order: bool = False,
) -> BleuResult:
    """Corpus BLEU. ``refs[i]`` is the reference (str) or references (list of str) of ``hyps[i]``.

    ``flavor="sacrebleu"`` equals ``sacrebleu.corpus_bleu(hyps, streams)`` with the same options
    (``max_order`` is ``BLEU(max_ngram_order=)``, ``effective_order`` its ``effective_order``);
    ``flavor="coco"`` equals pycocoevalcap ``Bleu(4)`` (whitespace tokens, 'closest' reference
    length), with ``score`` = BLEU-4 × 100.
    """
    stats = bleu_stats(hyps, refs, flavor=flavor, tokenize=tokenize, lowercase=lowercase, max_order=max_order)
    total = stats.sum(axis=0) if len(stats) else np.zeros(2 + 2 * max_order, np.int64)
    return score_bleu_stats(total, flavor=flavor, smooth=smooth, smooth_value=smooth_value,
                            effective_order=effective_order, tokenize=tokenize, lowercase=lowercase,
                            nrefs=nrefs_of(_ref_lists(hyps, refs)))


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
    arr = np.ascontiguousarray(stats, dtype=np.int64)
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


def sentence_bleu(
    hyps: Sequence[str],
    refs: References,
    *,
    flavor: str = "sacrebleu",
    tokenize: str = "13a",
    smooth: str = "exp",
    smooth_value: float | None = None,
    lowercase: bool = False,
    use_effective_order: bool = True,
    max_order: int = 4,
) -> SentenceScores:
    """One BLEU score (0-100) per pair: ``sacrebleu.sentence_bleu`` (effective order by default),
    or for ``flavor="coco"`` pycocoevalcap's per-segment BLEU-``max_order`` × 100 (1..4: the
    ``bleu_list`` entries of ``Bleu(4).compute_score``). ``.signature`` is sacreBLEU's for these options."""
    nrefs = nrefs_of(_ref_lists(hyps, refs))
    if flavor == "coco":
        if not 1 <= max_order <= 4:
            raise ValueError(f"flavor 'coco' gives BLEU-1..4; max_order={max_order}")
        stats = bleu_stats(hyps, refs, flavor=flavor, lowercase=lowercase)
        return SentenceScores(100.0 * _core.coco_sentence_scores(stats)[:, max_order - 1], coco_bleu_signature(nrefs))
    stats = bleu_stats(hyps, refs, flavor=flavor, tokenize=tokenize, lowercase=lowercase, max_order=max_order)
    signature = bleu_signature(nrefs, tokenize=tokenize, lowercase=lowercase, smooth=smooth,
                               smooth_value=smooth_value, effective_order=use_effective_order)
    return SentenceScores(_core.sacrebleu_sentence_scores(stats, smooth, smooth_value, use_effective_order), signature)
