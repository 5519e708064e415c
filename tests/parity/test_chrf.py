"""Parity: chrF / chrF++ against sacreBLEU 2.6.0 — its own test vectors (test/test_chrf.py) and generated
pairs with the shared edge cases, corpus and sentence level, with the signature."""

from __future__ import annotations

import numpy as np
import pytest
import sacrebleu
from sacrebleu.metrics.chrf import CHRF
from text_pairs import EDGE_PAIRS, adversarial_pairs, generate_pairs, sacrebleu_streams

from u2fast.scoring import chrf_stats, corpus_chrf, sentence_chrf

Pairs = list[tuple[str, list[str]]]

RISK_HYP = ("risk assessment must be made of those who are qualified and expertise in the sector - these are the "
            "scientists .")
RISK_REF = ("risk assessment has to be undertaken by those who are qualified and expert in that area - that is the "
            "scientists .")
# sacreBLEU test_chrf.py: (hyps, refs, expected) with char_order=6, word_order=0, beta=3
EPS_CASES = [
    (["abcdefg"], ["hijklmnop"], 0.0), (["a"], ["b"], 0.0), ([""], ["b"], 0.0), ([""], ["ref"], 0.0),
    ([""], ["reference"], 0.0), (["aa"], ["ab"], 8.3333), (["a", "b"], ["a", "c"], 8.3333), (["a"], ["a"], 16.6667),
    (["a b c"], ["a b c"], 50.0), (["a b c"], ["abc"], 50.0),
    ([" " + RISK_HYP],
     [RISK_REF], 63.361730),
    ([" Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. "],
     ["Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."], 64.1302698),
    (["Niemand hat die Absicht, eine Mauer zu errichten"], ["Niemand hat die Absicht, eine Mauer zu errichten"],
     100.0),
]
EFFECTIVE_CASES = [
    (["a"], ["a"], 100.0), ([""], ["reference"], 0.0), (["a b c"], ["a b c"], 100.0), (["a b c"], ["abc"], 100.0),
    ([""], ["c"], 0.0), (["a", "b"], ["a", "c"], 50.0), (["aa"], ["ab"], 25.0),
]
WHITESPACE_CASES = [
    (["Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich."],
     ["Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."], 67.3481606),
    ([RISK_HYP],
     [RISK_REF], 65.2414427),
]
SENTENCE_CASES = [
    ("Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.",
     ["Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře."], 39.14078509),
    ("Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.",
     ["A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři."], 31.22557079),
    ("Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.",
     ["Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli."], 57.15704367),
]


@pytest.mark.parametrize(("hyps", "refs", "expected"), EPS_CASES)
def test_chrf_vectors_eps_smoothing(hyps: list[str], refs: list[str], expected: float) -> None:
    assert abs(corpus_chrf(hyps, refs, beta=3, eps_smoothing=True).score - expected) < 1e-4


@pytest.mark.parametrize(("hyps", "refs", "expected"), EFFECTIVE_CASES)
def test_chrf_vectors_effective_order(hyps: list[str], refs: list[str], expected: float) -> None:
    assert abs(corpus_chrf(hyps, refs, beta=3).score - expected) < 1e-4


@pytest.mark.parametrize(("hyps", "refs", "expected"), WHITESPACE_CASES)
def test_chrf_vectors_keep_whitespace(hyps: list[str], refs: list[str], expected: float) -> None:
    assert abs(corpus_chrf(hyps, refs, beta=3, whitespace=True).score - expected) < 1e-4


@pytest.mark.parametrize(("hyp", "refs", "expected"), SENTENCE_CASES)
def test_chrf_vectors_sentence_level(hyp: str, refs: list[str], expected: float) -> None:
    assert abs(sentence_chrf([hyp], [refs], eps_smoothing=True)[0] - expected) < 1e-4


OPTIONS = [
    {},
    {"word_order": 2},
    {"word_order": 2, "lowercase": True, "eps_smoothing": True},
    {"char_order": 4, "word_order": 1, "beta": 1, "whitespace": True},
    {"char_order": 2, "beta": 3, "lowercase": True},
]


@pytest.fixture(scope="module")
def chrf_pairs() -> Pairs:
    return ([(h, [r]) for h, r in EDGE_PAIRS] + generate_pairs(61, 1500, max_refs=3) + adversarial_pairs(62, 1500, max_refs=2)
            + [("\ua7cb liver", ["\u0264 liver"]), ("ΣΑΣ.", ["σας."])])


@pytest.mark.parametrize("options", OPTIONS)
def test_chrf_equals_sacrebleu_on_generated_pairs(chrf_pairs: Pairs, options: dict[str, object]) -> None:
    hyps, refs = [h for h, _ in chrf_pairs], [r for _, r in chrf_pairs]
    metric = CHRF(**options)  # type: ignore[arg-type]
    expect_stats = np.array(metric._extract_corpus_statistics(hyps, sacrebleu_streams(chrf_pairs)), dtype=np.int64)
    got_stats = chrf_stats(hyps, refs, **options)  # type: ignore[arg-type]
    bad = np.flatnonzero((got_stats != expect_stats).any(axis=1))
    assert len(bad) == 0, [chrf_pairs[i] for i in bad[:3]]
    got = corpus_chrf(hyps, refs, **options)  # type: ignore[arg-type]
    expect = metric.corpus_score(hyps, sacrebleu_streams(chrf_pairs))
    assert got.score == pytest.approx(expect.score, abs=1e-9)
    assert got.signature == str(metric.get_signature())
    assert got.name == expect.name
    sentence = sentence_chrf(hyps[:500], refs[:500], **options)  # type: ignore[arg-type]
    np.testing.assert_allclose(sentence, [metric.sentence_score(h, r).score for h, r in chrf_pairs[:500]],
                               rtol=0, atol=1e-9)


def test_compat_functions_agree() -> None:
    hyps, refs = ["the liver is normal.", "no lesion"], ["the liver is normal in size.", "no focal lesion"]
    assert corpus_chrf(hyps, refs, word_order=2).score == pytest.approx(
        sacrebleu.corpus_chrf(hyps, [refs], word_order=2).score, abs=1e-12)
    with pytest.raises(ValueError, match="must be positive"):
        corpus_chrf(hyps, refs, char_order=0)


@pytest.mark.parametrize("beta", [1, 2, 2.0, 0.5, 3])
@pytest.mark.parametrize("word_order", [0, 2])
def test_name_equals_sacrebleu_for_int_and_float_beta(beta: float, word_order: int) -> None:
    expect = CHRF(beta=beta, word_order=word_order).corpus_score(["a b"], [["a c"]])  # type: ignore[arg-type]
    got = corpus_chrf(["a b"], ["a c"], beta=beta, word_order=word_order)
    assert (got.name, got.score) == (expect.name, pytest.approx(expect.score, abs=1e-12))
