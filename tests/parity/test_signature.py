"""Parity: sentence scores carry the signature sacreBLEU 2.6.0's metric reports after scoring those sentences
with the same options, for BLEU and chrF (TER's in test_ter.py)."""

from __future__ import annotations

import numpy as np
import pytest
from sacrebleu.metrics.bleu import BLEU
from sacrebleu.metrics.chrf import CHRF

from u2fast.scoring import sentence_bleu, sentence_chrf

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
