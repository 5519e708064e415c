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


@pytest.mark.parametrize("max_order", [-1, 2.5, "4", True])
def test_any_order_that_is_not_a_positive_integer_is_named(max_order: object) -> None:
    # a negative order once overflowed inside the core (OverflowError) instead of naming the option
    with pytest.raises(ValueError, match=r"max_order must be a positive integer, got"):
        corpus_bleu(["a"], ["a"], max_order=max_order)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"max_order must be a positive integer, got"):
        sentence_bleu(["a"], ["a"], max_order=max_order)  # type: ignore[arg-type]
    assert corpus_bleu(["a b"], ["a b"], max_order=np.int64(2)).score == pytest.approx(100.0)


@pytest.mark.parametrize("value", [-1.0, float("nan"), float("inf")])
def test_a_smoothing_value_that_gives_no_meaningful_score_is_refused(value: float) -> None:
    # sacreBLEU returns 0 or NaN for these; a silent 0 would read as a real score
    with pytest.raises(ValueError, match="smooth_value must be a finite number >= 0"):
        corpus_bleu(["a b"], ["a c"], smooth="add-k", smooth_value=value)
    with pytest.raises(ValueError, match="smooth_value must be a finite number >= 0"):
        sentence_bleu(["a b"], ["a c"], smooth="floor", smooth_value=value)
    assert corpus_bleu(["a b"], ["a c"], smooth="floor", smooth_value=0).score == 0.0


def test_options_flavor_coco_does_not_use_are_refused_not_ignored() -> None:
    with pytest.raises(ValueError, match="tokenize='intl' is not available"):
        corpus_bleu(["a"], ["a"], flavor="coco", tokenize="intl")
    with pytest.raises(ValueError, match="tokenize='char' is not available"):
        bleu_stats(["a"], ["a"], flavor="coco", tokenize="char")
    with pytest.raises(ValueError, match="smooth and smooth_value are not available"):
        corpus_bleu(["a"], ["a"], flavor="coco", smooth="floor")
    with pytest.raises(ValueError, match="smooth and smooth_value are not available"):
        sentence_bleu(["a"], ["a"], flavor="coco", smooth_value=0.5)
    with pytest.raises(ValueError, match="effective_order is not available"):
        corpus_bleu(["a"], ["a"], flavor="coco", effective_order=True)
    with pytest.raises(ValueError, match="max_order=2 is not available"):
        corpus_bleu(["a"], ["a"], flavor="coco", max_order=2)


def test_no_pairs_and_negative_statistics_have_no_score() -> None:
    with pytest.raises(ValueError, match="corpus BLEU needs at least one pair"):
        corpus_bleu([], [], flavor="coco")
    with pytest.raises(ValueError, match="no rows"):
        score_bleu_stats(np.zeros((0, 10), np.int64))
    with pytest.raises(ValueError, match="counts >= 0"):
        score_bleu_stats([1, 1, -1, 1])
    # one all-zero row is sacreBLEU's degenerate case (empty hypothesis and reference): 0, as it says
    assert score_bleu_stats(np.zeros(10, np.int64)).score == 0.0


@pytest.mark.parametrize("given", [None, 3, iter(["a"])])
def test_hyps_or_refs_that_are_not_sequences_are_named(given: object) -> None:
    with pytest.raises(TypeError, match=r"hyps is \w+, not a sequence of segments"):
        corpus_bleu(given, ["a"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"refs is \w+, not a sequence of segments"):
        sentence_bleu(["a"], given)  # type: ignore[arg-type]


@pytest.mark.parametrize("row", [[3.0, 3, 2.5, 1, 0, 0, 3, 2, 1, 0], [3.0, 3, float("nan"), 1, 0, 0, 3, 2, 1, 0],
                                 ["3"] * 10])
def test_statistics_that_are_not_whole_counts_are_refused_not_truncated(row: list[object]) -> None:
    # 2.5 matches used to become 2 silently (and NaN a huge negative count)
    with pytest.raises(ValueError, match="must be whole counts"):
        score_bleu_stats(np.array(row))
    whole = score_bleu_stats(np.array([4.0, 4, 4, 3, 2, 1, 4, 3, 2, 1]))
    assert whole.score == score_bleu_stats(np.array([4, 4, 4, 3, 2, 1, 4, 3, 2, 1])).score == pytest.approx(100.0)


def test_statistics_of_more_than_two_dimensions_and_a_bad_smooth_value_are_refused() -> None:
    with pytest.raises(ValueError, match="got 3 dimensions"):
        score_bleu_stats(np.zeros((2, 3, 10), np.int64))
    with pytest.raises(ValueError, match="smooth_value must be a finite number >= 0"):
        score_bleu_stats([2, 2, 1, 0, 2, 1], smooth="add-k", smooth_value=-1)
