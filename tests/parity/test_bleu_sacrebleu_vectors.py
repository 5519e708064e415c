"""Parity: sacreBLEU 2.x's own BLEU test vectors (its test/test_bleu.py and test/test_sentence_bleu.py),
all 45 run through u2fast.scoring; none is refused.

The inputs and expected numbers are sacreBLEU's; each case also runs sacreBLEU itself, so a vector that
drifted in a later release shows up as a disagreement with the installed reference, not a silent pass.
"""

from __future__ import annotations

import numpy as np
import pytest
import sacrebleu

from u2fast.scoring import corpus_bleu, score_bleu_stats, sentence_bleu

_REF_STREAMS = [
    ["The dog bit the man.", "It was not unexpected.", "The man bit him first."],
    ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."],
]
_HYPS = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."]


def _per_segment(streams: list[list[str]]) -> list[list[str]]:
    return [list(refs) for refs in zip(*streams)]


def _raw(hyps: list[str], refs: list[str], floor: float | None = 0.01) -> float:
    """sacreBLEU's ``raw_corpus_bleu``: no tokenization, floor smoothing, effective order."""
    return corpus_bleu(hyps, refs, tokenize="none", smooth="floor", smooth_value=floor, effective_order=True).score


# (hyps, refs, expected BLEU / 100)
RAW = [
    (["this is a test", "another test"], ["ref1", "ref2"], 0.0),  # no match at all is 0 since sacreBLEU #141
    (["this is a test"], ["this is a test"], 1.0),
    (["this is a fest"], ["this is a test"], 0.223606797749979),
]
EFFECTIVE = [
    (["test"], ["a test"], 0.3678794411714425),
    (["a test"], ["a test"], 1.0),
    (["a little test"], ["a test"], 0.03218297948685433),
]
CORPUS = [
    (_HYPS, {}, 48.530827),
    (["", "", ""], {}, 0.0),
    (_HYPS, {"tokenize": "none"}, 49.1919566),
    (_HYPS, {"tokenize": "13a"}, 48.530827),
    (_HYPS, {"tokenize": "intl"}, 43.91623493),
    (_HYPS, {"smooth_method": "none"}, 48.530827),
]
# ((correct, total), sys_len, ref_len), floor value, expected
DEGENERATE = [
    ((([0, 0, 0, 0], [4, 4, 2, 1]), 0, 1), 0.0, 0.0),
    ((([0, 0, 0, 0], [10, 11, 12, 0]), 14, 10), 0.0, 0.0),
    ((([0, 0, 0, 0], [0, 0, 0, 0]), 0, 0), 0.0, 0.0),
    ((([6, 5, 4, 0], [6, 5, 4, 3]), 6, 6), 0.0, 0.0),
    ((([0, 0, 0, 0], [0, 0, 0, 0]), 0, 0), 0.1, 0.0),
    ((([0, 0, 0, 0], [0, 0, 0, 0]), 1, 5), 0.01, 0.0),
]
# (max_ngram_order, expected BLEU printed with 2 decimals)
MAX_ORDER = [(1, "77.65"), (2, "60.50"), (3, "53.93"), (4, "48.53"), (5, "46.14"), (6, "43.28")]
# test_sentence_bleu.py: issue #98's pair; (smooth, value, lowercase, tokenize, expected)
SENT_REF = "producţia de zahăr brut se exprimă în zahăr alb;"
SENT_SYS = "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;"
SENTENCE = [
    ("exp", None, False, "13a", 8.493),
    ("none", None, False, "13a", 0.0),
    ("floor", None, False, "13a", 4.51688),
    ("floor", 0.1, False, "13a", 4.51688),
    ("floor", 0.5, False, "13a", 10.10),
    ("add-k", None, False, "13a", 14.882),
    ("add-k", 1, False, "13a", 14.882),
    ("add-k", 2, False, "13a", 21.389),
    ("exp", None, False, "none", 7.347),
    ("exp", None, False, "intl", 8.493),
    ("exp", None, False, "char", 40.8759),
    ("exp", None, True, "char", 42.0267),
]
# issue #141's pair: no match at all gives 0 whatever the smoothing
ZERO = [("exp", None), ("none", None), ("floor", None), ("floor", 0.1), ("add-k", None), ("add-k", 1)]


@pytest.mark.parametrize(("hyps", "refs", "expected"), RAW)
def test_raw_corpus_bleu(hyps: list[str], refs: list[str], expected: float) -> None:
    assert abs(_raw(hyps, refs) / 100 - expected) < 1e-8
    assert _raw(hyps, refs) == pytest.approx(sacrebleu.raw_corpus_bleu(hyps, [refs], 0.01).score, abs=1e-12)


@pytest.mark.parametrize(("hyps", "refs", "expected"), EFFECTIVE)
def test_effective_order(hyps: list[str], refs: list[str], expected: float) -> None:
    assert abs(_raw(hyps, refs) / 100 - expected) < 1e-8


@pytest.mark.parametrize(("hyps", "kwargs", "expected"), CORPUS)
def test_corpus_bleu(hyps: list[str], kwargs: dict[str, str], expected: float) -> None:
    ours = {"tokenize": kwargs.get("tokenize", "13a"), "smooth": kwargs.get("smooth_method", "exp")}
    got = corpus_bleu(hyps, _per_segment(_REF_STREAMS), **ours)  # type: ignore[arg-type]
    assert abs(got.score - expected) < 1e-8
    ref = sacrebleu.corpus_bleu(hyps, _REF_STREAMS, **kwargs)  # type: ignore[arg-type]
    assert got.score == pytest.approx(ref.score, abs=1e-12)


@pytest.mark.parametrize(("order", "expected"), MAX_ORDER)
def test_max_ngram_order(order: int, expected: str) -> None:
    got = corpus_bleu(_HYPS, _per_segment(_REF_STREAMS), max_order=order)
    assert f"{got.score:.2f}" == expected
    ref = sacrebleu.metrics.BLEU(max_ngram_order=order).corpus_score(_HYPS, _REF_STREAMS)
    assert got.score == pytest.approx(ref.score, abs=1e-12)


def test_statistics() -> None:
    got = corpus_bleu(["am I am a character sequence"], ["I am a symbol string sequence a a"], tokenize="none",
                      smooth="floor", smooth_value=0.01, effective_order=True)
    assert (got.counts, got.totals) == ((4, 2, 1, 0), (6, 5, 4, 3))


def test_scoring_from_statistics() -> None:
    got = score_bleu_stats(np.array([11, 11, 9, 7, 5, 3, 10, 8, 6, 4]), smooth="none")
    assert abs(got.score / 100 - 0.8375922397) < 1e-8


def test_offset() -> None:
    hyp, ref = ["am I am a character sequence"], ["I am a symbol string sequence a a"]
    assert abs(_raw(hyp, ref, 0.0)) < 1e-8
    assert abs(_raw(hyp, ref, None) / 100 - 0.1555722182) < 1e-8
    assert abs(_raw(hyp, ref, 0.1) / 100 - 0.1555722182) < 1e-8


@pytest.mark.parametrize(("stats", "offset", "expected"), DEGENERATE)
def test_degenerate_statistics(stats: tuple[tuple[list[int], list[int]], int, int], offset: float,
                               expected: float) -> None:
    (correct, total), sys_len, ref_len = stats
    row = np.array([sys_len, ref_len, *correct, *total])
    assert score_bleu_stats(row, smooth="floor", smooth_value=offset).score / 100 == expected


@pytest.mark.parametrize(("smooth", "value", "lowercase", "tokenize", "expected"), SENTENCE)
def test_sentence_bleu(smooth: str, value: float | None, lowercase: bool, tokenize: str, expected: float) -> None:
    got = sentence_bleu([SENT_SYS], [SENT_REF], smooth=smooth, smooth_value=value, lowercase=lowercase,
                        tokenize=tokenize)[0]
    assert abs(got - expected) < 1e-3
    ref = sacrebleu.sentence_bleu(SENT_SYS, [SENT_REF], smooth_method=smooth, smooth_value=value,
                                  lowercase=lowercase, tokenize=tokenize)
    assert got == pytest.approx(ref.score, abs=1e-12)


@pytest.mark.parametrize(("smooth", "value"), ZERO)
def test_sentence_bleu_zero(smooth: str, value: float | None) -> None:
    got = sentence_bleu(["this is a cat"], ["okay thanks"], smooth=smooth, smooth_value=value)[0]
    assert abs(got) < 1e-3
