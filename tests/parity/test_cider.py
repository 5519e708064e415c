"""Parity: CIDEr-D against pycocoevalcap 1.2 ``Cider`` on generated pairs with the shared edge cases."""

from __future__ import annotations

import numpy as np
import pytest
from pycocoevalcap.cider.cider import Cider
from text_pairs import EDGE_PAIRS, adversarial_pairs, generate_pairs

from u2fast.scoring import cider, sentence_bleu

Pairs = list[tuple[str, list[str]]]


def _reference(pairs: Pairs, sigma: float = 6.0) -> tuple[float, np.ndarray]:
    gts = {i: refs for i, (_, refs) in enumerate(pairs)}
    res = {i: [hyp] for i, (hyp, _) in enumerate(pairs)}
    score, scores = Cider(sigma=sigma).compute_score(gts, res)
    return float(score), np.asarray(scores)


def _assert_equal(pairs: Pairs, sigma: float = 6.0) -> None:
    got = cider([h for h, _ in pairs], [r for _, r in pairs], sigma=sigma)
    score, scores = _reference(pairs, sigma)
    np.testing.assert_allclose(got.scores, scores, rtol=1e-12, atol=1e-12)
    assert got.score == pytest.approx(score, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("max_refs", [1, 3, 5])
def test_cider_equals_pycocoevalcap_on_generated_pairs(max_refs: int) -> None:
    pairs = [(h, [r]) for h, r in EDGE_PAIRS] + generate_pairs(40 + max_refs, 2000, max_refs=max_refs)
    _assert_equal(pairs)


def test_cider_equals_pycocoevalcap_on_adversarial_unicode_text() -> None:
    _assert_equal(adversarial_pairs(303, 2000, max_refs=4))


@pytest.mark.parametrize("sigma", [0.5, 3.0, 10.0])
def test_other_length_penalty_widths(sigma: float) -> None:
    _assert_equal(generate_pairs(9, 500, max_refs=2), sigma)


def test_small_corpora() -> None:
    # One segment: ln(1) = 0 makes every weight 0; repeated captions make idf 0 for shared n-grams.
    _assert_equal([("a cat", ["a cat"])])
    _assert_equal([("a cat", ["a cat"]), ("a cat", ["a cat", "a dog"])])
    _assert_equal([("", ["x"]), ("x", [""])])


def test_references_without_words_are_refused() -> None:
    with pytest.raises(ValueError, match="no reference has any word"):
        cider(["a b", "c"], [" ", ["", "\n"]])
    with pytest.raises(ValueError, match="at least one pair"):
        cider([], [])


def test_per_image_bleu_one_to_four_equal_pycocoevalcap() -> None:
    from pycocoevalcap.bleu.bleu import Bleu

    pairs = generate_pairs(12, 800, max_refs=3)
    hyps, refs = [h for h, _ in pairs], [r for _, r in pairs]
    _, per_image = Bleu(4).compute_score(dict(enumerate(refs)), {i: [h] for i, h in enumerate(hyps)},
                                         verbose=0)
    for order in range(1, 5):
        got = sentence_bleu(hyps, refs, flavor="coco", max_order=order)
        np.testing.assert_allclose(got / 100, per_image[order - 1], rtol=0, atol=1e-12)
    with pytest.raises(ValueError, match="BLEU-1..4"):
        sentence_bleu(hyps, refs, flavor="coco", max_order=5)
