"""BLEU parity with sacreBLEU and pycocoevalcap on generated pairs and docs/reference-metrics.md edge cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sacrebleu
from pycocoevalcap.bleu.bleu import Bleu
from sacrebleu.metrics.bleu import BLEU

from u2fast.scoring import bleu_stats, corpus_bleu, score_bleu_stats, sentence_bleu

Pairs = list[tuple[str, list[str]]]


def _streams(pairs: Pairs) -> list[list[str | None]]:
    width = max(len(r) for _, r in pairs)
    return [[r[k] if k < len(r) else None for _, r in pairs] for k in range(width)]


def _coco(pairs: Pairs) -> tuple[list[float], list[list[float]]]:
    gts = {i: refs for i, (_, refs) in enumerate(pairs)}
    res = {i: [h] for i, (h, _) in enumerate(pairs)}
    score, scores = Bleu(4).compute_score(gts, res, verbose=0)
    return score, scores


@pytest.mark.parametrize("which", ["single_ref_pairs", "multi_ref_pairs"])
def test_coco_corpus_and_per_segment_equal_pycocoevalcap(which: str, request: pytest.FixtureRequest) -> None:
    pairs: Pairs = request.getfixturevalue(which)
    hyps = [h for h, _ in pairs]
    refs = [r for _, r in pairs]
    ref_score, ref_scores = _coco(pairs)
    ours = corpus_bleu(hyps, refs, flavor="coco")
    np.testing.assert_allclose(np.array(ours.bleu_n) / 100, ref_score, rtol=0, atol=1e-12)
    assert ours.score == pytest.approx(100 * ref_score[3], abs=1e-9)
    per_pair = sentence_bleu(hyps, refs, flavor="coco")
    np.testing.assert_allclose(per_pair / 100, ref_scores[3], rtol=0, atol=1e-12)


@pytest.mark.parametrize("which", ["single_ref_pairs", "multi_ref_pairs"])
@pytest.mark.parametrize(
    ("smooth", "value", "lowercase", "tokenize"),
    [("exp", None, False, "13a"), ("floor", None, True, "13a"), ("add-k", 2, False, "13a"),
     ("none", None, False, "none"), ("floor", 0.3, True, "none")],
)
def test_sacrebleu_corpus_equal(
    which: str, smooth: str, value: float | None, lowercase: bool, tokenize: str, request: pytest.FixtureRequest
) -> None:
    pairs: Pairs = request.getfixturevalue(which)
    hyps = [h for h, _ in pairs]
    refs = [r for _, r in pairs]
    expect = sacrebleu.corpus_bleu(
        hyps, _streams(pairs), smooth_method=smooth, smooth_value=value, lowercase=lowercase, tokenize=tokenize
    )
    got = corpus_bleu(hyps, refs, smooth=smooth, smooth_value=value, lowercase=lowercase, tokenize=tokenize)
    assert got.score == pytest.approx(expect.score, abs=1e-9)
    assert got.sys_len == expect.sys_len and got.ref_len == expect.ref_len
    assert list(got.counts) == pytest.approx(expect.counts, abs=1e-9)
    assert list(got.totals) == pytest.approx(expect.totals, abs=1e-9)
    assert list(got.precisions) == pytest.approx(expect.precisions, abs=1e-9)
    assert got.bp == pytest.approx(expect.bp, abs=1e-12)


def test_sacrebleu_per_pair_statistics_equal(multi_ref_pairs: Pairs) -> None:
    pairs = multi_ref_pairs
    metric = BLEU()
    expect = np.array(metric._extract_corpus_statistics([h for h, _ in pairs], _streams(pairs)), dtype=np.int64)
    got = bleu_stats([h for h, _ in pairs], [r for _, r in pairs])
    mismatch = np.flatnonzero((got != expect).any(axis=1))
    assert mismatch.size == 0, [pairs[i] for i in mismatch[:3]]


@pytest.mark.parametrize(("smooth", "value"), [("exp", None), ("floor", 0.2), ("add-k", 1), ("none", None)])
def test_sentence_bleu_equal(single_ref_pairs: Pairs, smooth: str, value: float | None) -> None:
    pairs = single_ref_pairs[:1500]
    expect = [sacrebleu.sentence_bleu(h, r, smooth_method=smooth, smooth_value=value).score for h, r in pairs]
    got = sentence_bleu([h for h, _ in pairs], [r for _, r in pairs], smooth=smooth, smooth_value=value)
    np.testing.assert_allclose(got, expect, rtol=0, atol=1e-9)


def test_sentence_bleu_without_effective_order(single_ref_pairs: Pairs) -> None:
    pairs = single_ref_pairs[:500]
    expect = [sacrebleu.sentence_bleu(h, r, use_effective_order=False).score for h, r in pairs]
    got = sentence_bleu([h for h, _ in pairs], [r for _, r in pairs], use_effective_order=False)
    np.testing.assert_allclose(got, expect, rtol=0, atol=1e-9)


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


@pytest.mark.parametrize("lowercase", [False, True])
def test_13a_on_character_soup_equals_sacrebleu(lowercase: bool) -> None:
    # Random strings dense in the characters the 13a rules look at (., - digits, entities, symbols).
    import random

    rng = random.Random(13)
    alphabet = list("aAb1.,-.,-09 \n\t&;<>()[]{}/\\'\"é×µ–\u00a0\u001cİΣ\u212a") + ["&amp;", "&lt;", "&quot;", "<skipped>", "-\n"]

    def soup() -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))

    hyps = [soup() for _ in range(3000)]
    refs = [soup() for _ in range(3000)]
    expect = np.array(BLEU(lowercase=lowercase)._extract_corpus_statistics(hyps, [refs]), dtype=np.int64)
    got = bleu_stats(hyps, refs, lowercase=lowercase)
    bad = np.flatnonzero((got != expect).any(axis=1))
    assert bad.size == 0, [(hyps[i], refs[i]) for i in bad[:3]]
