"""Parity with sacreBLEU 2.6.0 for what its BLEU offers beyond 13a: the intl, zh and char tokenizers, any
n-gram order, effective order at corpus level, Python's lowercasing and the signature string."""

from __future__ import annotations

import random

import numpy as np
import pytest
import regex
import sacrebleu
from sacrebleu.metrics.bleu import BLEU

from u2fast.scoring import bleu_stats, corpus_bleu, sentence_bleu

from .conftest import qa_pairs

Pairs = list[tuple[str, list[str]]]
TOKENIZERS = ["13a", "intl", "zh", "char", "none"]


def _streams(pairs: Pairs) -> list[list[str | None]]:
    width = max(len(refs) for _, refs in pairs)
    return [[refs[k] if k < len(refs) else None for _, refs in pairs] for k in range(width)]


def _expected_stats(pairs: Pairs, **options: object) -> np.ndarray:
    metric = BLEU(**options)  # type: ignore[arg-type]
    return np.array(metric._extract_corpus_statistics([h for h, _ in pairs], _streams(pairs)), dtype=np.int64)


def _assert_stats(pairs: Pairs, tokenize: str, lowercase: bool = False, max_order: int = 4) -> None:
    expect = _expected_stats(pairs, tokenize=tokenize, lowercase=lowercase, max_ngram_order=max_order)
    got = bleu_stats([h for h, _ in pairs], [r for _, r in pairs], tokenize=tokenize, lowercase=lowercase,
                     max_order=max_order)
    bad = np.flatnonzero((got != expect).any(axis=1))
    assert len(bad) == 0, (tokenize, lowercase, [pairs[i] for i in bad[:3]])


@pytest.fixture(scope="module")
def cjk_pairs() -> Pairs:
    """Chinese, Japanese and full-width text mixed with the 13a punctuation and digit rules."""
    rng = random.Random(31)
    atoms = ["美众院", "公布", "对特朗普", "的", "弹劾", "调查", "。", "，", "“", "”", "（", "）", "ＡＢＣ", "１２３",
             "りの", "拳銃", "を持", "☃", "✂", "㈱", "㎝", "3.5", "1,000", "a.b", "-", "5-10", "x", " ", "  ", "\t",
             "\u2010", "\u2a6d", "\u2a6e", "\u2f80", "\u2f81", "\U00020000", "\u3400", "\u9fbb", "\ufe10", "."]
    out: Pairs = []
    for _ in range(1500):
        ref = "".join(rng.choice(atoms) for _ in range(rng.randint(0, 25)))
        hyp = "".join(a for a in ref if rng.random() < 0.85) if rng.random() < 0.7 else "".join(
            rng.choice(atoms) for _ in range(rng.randint(0, 25)))
        out.append((hyp, [ref]))
    return out


@pytest.mark.parametrize("tokenize", TOKENIZERS)
@pytest.mark.parametrize("lowercase", [False, True])
def test_statistics_equal_sacrebleu_on_adversarial_text(qa_multi: Pairs, tokenize: str, lowercase: bool) -> None:
    _assert_stats(qa_multi, tokenize, lowercase)


@pytest.mark.parametrize("tokenize", TOKENIZERS)
def test_statistics_equal_sacrebleu_on_cjk_text(cjk_pairs: Pairs, tokenize: str) -> None:
    _assert_stats(cjk_pairs, tokenize)


def _segments(points: list[int], width: int = 12) -> list[str]:
    """Each code point between a letter and a digit, so the intl rules' both sides are exercised."""
    rng = random.Random(len(points))
    glue = ["a", "1", " ", ".", ",", "-", "$"]
    text = [rng.choice(glue) + chr(c) for c in points]
    return ["".join(text[i: i + width]) for i in range(0, len(text), width)]


def test_intl_classes_match_the_regex_module_on_every_classified_code_point() -> None:
    every = [c for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    text = "".join(map(chr, every))
    classified = sorted({ord(m.group()) for m in regex.finditer(r"[\p{P}\p{S}\p{N}]", text)})
    rng = random.Random(3)
    points = classified + rng.sample(every, 20_000)
    hyps = _segments(points)
    refs = _segments(list(reversed(points)))[: len(hyps)]
    pairs = [(h, [r]) for h, r in zip(hyps, refs)] + [(h, [h]) for h in hyps]
    _assert_stats(pairs, "intl")


def test_zh_character_ranges_match_sacrebleu_on_the_first_three_planes() -> None:
    points = [c for c in range(0x30000) if not 0xD800 <= c < 0xE000]
    hyps = _segments(points, width=40)
    _assert_stats([(h, [h[::-1]]) for h in hyps], "zh")


def test_lowercase_is_pythons_str_lower() -> None:
    # U+A7CB (capital ramshorn) lowercases to U+0264 in Rust's newer Unicode tables but not in Python 3.11.
    hyps = ["\ua7cb liver \ua7cb", "ΣΑΣ \ua7cb", "KİDNEY \u212a"]
    refs = ["\u0264 liver \u0264", "σας \u0264", "ki̇dney k"]
    for tokenize in TOKENIZERS:
        got = corpus_bleu(hyps, refs, tokenize=tokenize, lowercase=True)
        expect = sacrebleu.corpus_bleu(hyps, [refs], tokenize=tokenize, lowercase=True)
        assert got.score == pytest.approx(expect.score, abs=1e-12), tokenize
        assert list(got.counts) == list(expect.counts), tokenize


@pytest.mark.parametrize("order", [1, 5, 6, 9])
def test_any_max_order_equals_sacrebleu(qa_multi: Pairs, order: int) -> None:
    _assert_stats(qa_multi, "13a", max_order=order)
    hyps, refs = [h for h, _ in qa_multi], [r for _, r in qa_multi]
    for effective in (False, True):
        got = corpus_bleu(hyps, refs, max_order=order, effective_order=effective)
        expect = BLEU(max_ngram_order=order, effective_order=effective).corpus_score(hyps, _streams(qa_multi))
        assert got.score == pytest.approx(expect.score, abs=1e-9)
        np.testing.assert_allclose(got.precisions, expect.precisions, rtol=0, atol=1e-9)


def test_effective_order_on_corpus_bleu_equals_sacrebleu() -> None:
    pairs = qa_pairs(77, 40)
    hyps, refs = [h for h, _ in pairs], [r for _, r in pairs]
    for k in range(1, 6):
        for smooth in ("exp", "floor", "add-k", "none"):
            got = corpus_bleu(hyps[:k], refs[:k], effective_order=True, smooth=smooth)
            expect = BLEU(effective_order=True, smooth_method=smooth).corpus_score(hyps[:k], _streams(pairs[:k]))
            assert got.score == pytest.approx(expect.score, abs=1e-9), (k, smooth)


@pytest.mark.parametrize("tokenize", TOKENIZERS)
def test_sentence_bleu_with_every_tokenizer(qa_single: Pairs, tokenize: str) -> None:
    pairs = qa_single[:400]
    got = sentence_bleu([h for h, _ in pairs], [r for _, r in pairs], tokenize=tokenize)
    expect = [sacrebleu.sentence_bleu(h, r, tokenize=tokenize).score for h, r in pairs]
    np.testing.assert_allclose(got, expect, rtol=0, atol=1e-9)


@pytest.mark.parametrize(
    ("options", "refs"),
    [
        ({}, [["a b c"], ["d e"]]),
        ({"tokenize": "intl", "lowercase": True}, [["a b", "a c"], ["d", "e f"]]),
        ({"tokenize": "zh", "smooth": "floor"}, [["a"], ["b", "c"]]),
        ({"tokenize": "char", "smooth": "add-k", "smooth_value": 2}, [["a b", "x", "y"], ["c", "d", "e"]]),
        ({"tokenize": "none", "smooth": "floor", "smooth_value": 0.25, "effective_order": True}, [["a"], ["b"]]),
        ({"smooth": "none", "max_order": 6}, [["a b c"], ["d e"]]),
    ],
)
def test_signature_equals_sacrebleus(options: dict[str, object], refs: list[list[str]]) -> None:
    hyps = ["a b c", "d e"]
    got = corpus_bleu(hyps, refs, **options)  # type: ignore[arg-type]
    names = {"smooth": "smooth_method", "max_order": "max_ngram_order"}
    metric = BLEU(**{names.get(k, k): v for k, v in options.items()})  # type: ignore[arg-type]
    metric.corpus_score(hyps, _streams([(h, r) for h, r in zip(hyps, refs)]))
    assert got.signature == str(metric.get_signature())


def test_unknown_tokenizer_and_order_zero_are_refused() -> None:
    with pytest.raises(ValueError, match='tokenize "ja-mecab" is not available'):
        corpus_bleu(["a"], ["a"], tokenize="ja-mecab")
    with pytest.raises(ValueError, match="max_order must be a positive integer"):
        corpus_bleu(["a"], ["a"], max_order=0)
