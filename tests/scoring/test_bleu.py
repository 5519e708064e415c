"""BLEU's own rules, without a reference library: scores from summed statistics, the short-corpus and coco
brevity cases, and errors that name the offending argument (parity: tests/parity/test_bleu.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from u2fast.scoring import bleu_stats, corpus_bleu, score_bleu_stats, sentence_bleu

Pairs = list[tuple[str, list[str]]]


def test_short_only_corpus_scores_zero_and_equal_lengths_get_coco_bp() -> None:
    assert corpus_bleu(["a b", "c"], ["a b", "c"]).score == 0.0
    coco = corpus_bleu(["a b c d"], ["a b c d"], flavor="coco")
    assert coco.bp < 1.0
    assert coco.bp == math.exp(1 - (4 + 1e-9) / (4 + 1e-15))
    assert 100 * (1 - 1e-9) < coco.score < 100


def test_score_from_summed_stats_equals_corpus_score(single_ref_pairs: Pairs) -> None:
    hyps = [h for h, _ in single_ref_pairs]
    refs = [r[0] for _, r in single_ref_pairs]
    stats = bleu_stats(hyps, refs, flavor="coco")
    assert stats.shape == (len(hyps), 10) and stats.dtype == np.int64
    assert score_bleu_stats(stats, flavor="coco").score == corpus_bleu(hyps, refs, flavor="coco").score


def test_bad_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="2 hypotheses but 1"):
        corpus_bleu(["a", "b"], ["a"])
    with pytest.raises(ValueError, match="flavor"):
        corpus_bleu(["a"], ["a"], flavor="nltk")
    with pytest.raises(ValueError, match="smoothing"):
        corpus_bleu(["a"], ["a"], smooth="laplace")
    with pytest.raises(ValueError, match="no reference"):
        corpus_bleu(["a"], [[]])
    with pytest.raises(TypeError):
        corpus_bleu("a b", "a b")


def test_bad_references_are_rejected_clearly() -> None:
    with pytest.raises(ValueError, match="no reference"):
        corpus_bleu(["a b"], [[]])
    # sacreBLEU pads streams with None; here each hypothesis lists only its references, and a stray
    # None or NaN (an unanswered case) is named.
    with pytest.raises(TypeError, match=r"refs\[0\]\[1\] is NoneType, not str; give each hypothesis only"):
        corpus_bleu(["a b"], [["a b", None]])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"refs\[1\] is float, not a str or a list of str"):
        corpus_bleu(["a", "b"], ["a", float("nan")])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"hyps\[1\] is NoneType, not str$"):
        sentence_bleu(["a", None], ["a", "b"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="2 hypotheses but 1 references"):
        corpus_bleu(["a", "b"], ["a"])
    with pytest.raises(TypeError, match="not one string"):
        corpus_bleu("a b", "a b")


def test_lone_surrogates_are_named() -> None:
    # sacreBLEU scores text decoded with errors="surrogateescape"; UTF-8 Rust strings cannot hold it,
    # so the error names the segment instead of a bare codec position.
    with pytest.raises(ValueError, match=r"refs\[1\]\[1\] contains a lone surrogate U\+DCFF"):
        corpus_bleu(["a", "b"], [["a"], ["x", "y\udcff"]])
    with pytest.raises(ValueError, match=r"hyps\[0\] contains a lone surrogate U\+D800"):
        sentence_bleu(["\ud800"], ["a"], flavor="coco")


def test_unknown_tokenizer_and_order_zero_are_refused() -> None:
    with pytest.raises(ValueError, match='tokenize "ja-mecab" is not available'):
        corpus_bleu(["a"], ["a"], tokenize="ja-mecab")
    with pytest.raises(ValueError, match="max_order must be a positive integer"):
        corpus_bleu(["a"], ["a"], max_order=0)
