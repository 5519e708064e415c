"""Sentence scores (``SentenceScores``): the float64 score array they were before, plus the signature of the
options that made them (equal to sacreBLEU's: tests/parity/test_signature.py and test_ter.py)."""

from __future__ import annotations

import numpy as np
import pytest

from u2fast.scoring import SentenceScores, sentence_bleu, sentence_chrf, sentence_ter

HYPS = ["the liver is normal .", "No focal lesion"]


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
