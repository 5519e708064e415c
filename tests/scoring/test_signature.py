"""Sentence scores carry sacreBLEU's signature: the same string sacreBLEU's metric reports after scoring those
sentences, for BLEU, chrF and TER, and the array behaves as the plain score array it was before."""

from __future__ import annotations

import numpy as np
import pytest
from sacrebleu.metrics.bleu import BLEU
from sacrebleu.metrics.chrf import CHRF

from u2fast.scoring import SentenceScores, sentence_bleu, sentence_chrf, sentence_ter

HYPS = ["the liver is normal .", "No focal lesion"]


@pytest.mark.parametrize(("options", "nrefs"), [
    ({}, 1), ({"tokenize": "intl", "lowercase": True, "smooth": "floor"}, 2),
    ({"smooth": "add-k", "smooth_value": 2, "use_effective_order": False, "tokenize": "char"}, 3),
])
def test_sentence_bleu_signature_is_sacrebleus(options: dict[str, object], nrefs: int) -> None:
    refs = [[f"{h} ref {k}" for k in range(nrefs)] for h in HYPS]
    got = sentence_bleu(HYPS, refs, **options)  # type: ignore[arg-type]
    names = {"smooth": "smooth_method", "use_effective_order": "effective_order"}
    metric = BLEU(**{names.get(k, k): v for k, v in {"use_effective_order": True, **options}.items()})  # type: ignore[arg-type]
    assert got.tolist() == [metric.sentence_score(h, r).score for h, r in zip(HYPS, refs)]
    assert got.signature == str(metric.get_signature())


@pytest.mark.parametrize("options", [{}, {"word_order": 2, "lowercase": True, "whitespace": True},
                                     {"char_order": 4, "eps_smoothing": True}])
def test_sentence_chrf_signature_is_sacrebleus(options: dict[str, object]) -> None:
    refs = [[h + " x", h.upper()] for h in HYPS]
    got = sentence_chrf(HYPS, refs, **options)  # type: ignore[arg-type]
    metric = CHRF(**options)  # type: ignore[arg-type]
    np.testing.assert_allclose(got, [metric.sentence_score(h, r).score for h, r in zip(HYPS, refs)], atol=1e-9)
    assert got.signature == str(metric.get_signature())


def test_coco_sentence_bleu_and_a_varying_reference_count() -> None:
    assert sentence_bleu(HYPS, ["a", "b"], flavor="coco").signature.startswith("nrefs:1|case:mixed|eff:no|tok:split")
    assert sentence_ter(HYPS, [["a"], ["b", "c"]]).signature.startswith("nrefs:var|case:lc|tok:tercom")
    assert sentence_chrf([], []).signature.startswith("nrefs:1|")


def test_scores_stay_a_float_array_and_arithmetic_drops_the_signature() -> None:
    scores = sentence_bleu(HYPS, HYPS)
    assert isinstance(scores, np.ndarray) and isinstance(scores, SentenceScores)
    assert scores.dtype == np.float64 and scores.shape == (2,)
    assert scores[1:].signature == scores.signature and scores[0] == pytest.approx(100.0)
    scaled = scores / 100
    assert type(scaled) is np.ndarray and not hasattr(scaled, "signature")
    assert type(scores.mean()) is np.float64
    assert SentenceScores([1.0], "x").signature == "x"
