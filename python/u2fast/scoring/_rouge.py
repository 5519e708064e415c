"""ROUGE per pair: rouge-score's RougeScorer (tokenizer and NLTK Porter stemmer included) or
pycocoevalcap's ROUGE-L (β = 1.2)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from u2fast import _core
from u2fast.scoring._segments import References, checked_refs, naming_bad_text

__all__ = ["RougeScores", "porter_stem", "rouge", "rouge_tokenize"]

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
    split_summaries: bool = False,
) -> dict[str, RougeScores]:
    """ROUGE of every pair, keyed by type.

    ``flavor="rouge-score"`` equals ``RougeScorer(types, use_stemmer=stemmer).score(ref, hyp)``
    (``score_multi`` when ``refs[i]`` is a list: the reference with the best F per type).
    ``flavor="coco"`` gives pycocoevalcap's ROUGE-L under the key "rougeL": ``fmeasure`` is its
    score and ``precision``/``recall`` the maxima over the references it combines.

    ``split_summaries=True`` is rouge-score's option of that name: for rougeLsum the sentences are
    ``nltk.sent_tokenize``'s (nltk and its ``punkt_tab`` data are needed then, and only then) instead
    of the lines of the text. nltk itself is called, so the split is always the installed nltk's.
    """
    ref_lists = checked_refs(hyps, refs)
    if isinstance(types, str):
        raise TypeError("types must be a sequence of ROUGE type names, not one string")
    if flavor == "coco":
        if split_summaries:
            raise ValueError("split_summaries applies to rouge-score's rougeLsum, not flavor 'coco'")
        if stemmer:
            raise ValueError("pycocoevalcap's ROUGE-L has no stemmer")
        if tuple(types) not in (DEFAULT_TYPES, ("rougeL",)):
            raise ValueError("flavor 'coco' computes rougeL only")
        with naming_bad_text(hyps, ref_lists):
            out = _core.coco_rouge_l(list(hyps), ref_lists)
        return {"rougeL": RougeScores(out[:, 0].copy(), out[:, 1].copy(), out[:, 2].copy())}
    if flavor != "rouge-score":
        raise ValueError(f"unknown ROUGE flavor {flavor!r} (expected 'rouge-score' or 'coco')")
    names = list(types)
    split = split_summaries and "rougeLsum" in names
    with naming_bad_text(hyps, ref_lists):
        scores = _core.rouge_scores(list(hyps), ref_lists, names, stemmer)
        if split:
            hyp_lines, ref_lines = _sentence_lines(hyps), [_sentence_lines(rs) for rs in ref_lists]
            k = names.index("rougeLsum")
            scores[:, k, :] = _core.rouge_scores(hyp_lines, ref_lines, ["rougeLsum"], stemmer)[:, 0, :]
    return {
        name: RougeScores(scores[:, k, 0].copy(), scores[:, k, 1].copy(), scores[:, k, 2].copy())
        for k, name in enumerate(names)
    }


def _sentence_lines(texts: Sequence[str]) -> list[str]:
    """Each text as nltk's sentences, one per line. A newline inside a sentence becomes a space: the
    rouge tokenizer treats both as separators, so the sentence's tokens do not change."""
    try:
        import nltk  # type: ignore[import-untyped]
    except ImportError:
        raise ImportError("rouge(..., split_summaries=True) needs nltk: pip install nltk") from None
    try:
        return ["\n".join(s.replace("\n", " ") for s in nltk.sent_tokenize(t)) for t in texts]
    except LookupError:
        raise LookupError(
            "rouge(..., split_summaries=True) needs nltk's 'punkt_tab' sentence model: "
            "python -m nltk.downloader punkt_tab"
        ) from None


def rouge_tokenize(text: str, *, stemmer: bool = False) -> list[str]:
    """rouge-score's tokens of ``text`` (``DefaultTokenizer(use_stemmer=stemmer).tokenize``): lowercased
    runs of ``[a-z0-9]``, each longer than 3 characters Porter-stemmed when ``stemmer``."""
    if not isinstance(text, str):
        raise TypeError(f"text is {type(text).__name__}, not str")
    return _core.rouge_tokens(text, stemmer)


def porter_stem(word: str) -> str:
    """NLTK ``PorterStemmer().stem(word)`` (NLTK_EXTENSIONS mode, lowercasing first) for ASCII words, the
    only ones rouge-score's tokenizer produces."""
    if not isinstance(word, str):
        raise TypeError(f"word is {type(word).__name__}, not str")
    if not word.isascii():
        raise ValueError(f"porter_stem covers ASCII words; {word!r} has other characters")
    return _core.porter_stem(word)
