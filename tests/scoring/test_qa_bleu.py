"""QA: BLEU against sacreBLEU 2.6.0 and pycocoevalcap 1.2 on adversarial text (conftest ``qa_pairs``).

Independent of test_bleu.py: other generators, every smoothing/lowercase/tokenizer combination with all
result fields, ragged reference lists, ties in the closest reference length, effective order, other
n-gram orders, 5k-token segments and the smallest corpora.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
import sacrebleu
from pycocoevalcap.bleu.bleu import Bleu
from sacrebleu.metrics.bleu import BLEU

from u2fast.scoring import bleu_stats, corpus_bleu, sentence_bleu

Pairs = list[tuple[str, list[str]]]


def _streams(pairs: Pairs) -> list[list[str | None]]:
    """sacreBLEU's reference streams; ``None`` where a segment has fewer references."""
    width = max(len(refs) for _, refs in pairs)
    return [[refs[k] if k < len(refs) else None for _, refs in pairs] for k in range(width)]


def _assert_same(got: object, expect: object) -> None:
    assert got.score == pytest.approx(expect.score, abs=1e-9)  # type: ignore[attr-defined]
    assert got.sys_len == expect.sys_len and got.ref_len == expect.ref_len  # type: ignore[attr-defined]
    assert list(got.counts) == list(expect.counts)  # type: ignore[attr-defined]
    assert list(got.totals) == list(expect.totals)  # type: ignore[attr-defined]
    np.testing.assert_allclose(got.precisions, expect.precisions, rtol=0, atol=1e-9)  # type: ignore[attr-defined]
    assert got.bp == pytest.approx(expect.bp, abs=1e-12)  # type: ignore[attr-defined]


SMOOTHING = [("exp", None), ("floor", None), ("floor", 0.3), ("add-k", None), ("add-k", 3), ("none", None)]


@pytest.mark.parametrize("which", ["qa_single", "qa_multi"])
@pytest.mark.parametrize("tokenize", ["13a", "none"])
@pytest.mark.parametrize("lowercase", [False, True])
def test_corpus_bleu_equals_sacrebleu_for_every_smoothing(
    which: str, tokenize: str, lowercase: bool, request: pytest.FixtureRequest
) -> None:
    pairs: Pairs = request.getfixturevalue(which)
    hyps, refs = [h for h, _ in pairs], [r for _, r in pairs]
    streams = _streams(pairs)
    for smooth, value in SMOOTHING:
        expect = sacrebleu.corpus_bleu(
            hyps, streams, smooth_method=smooth, smooth_value=value, lowercase=lowercase, tokenize=tokenize
        )
        got = corpus_bleu(hyps, refs, smooth=smooth, smooth_value=value, lowercase=lowercase, tokenize=tokenize)
        _assert_same(got, expect)


@pytest.mark.parametrize("tokenize", ["13a", "none"])
@pytest.mark.parametrize("lowercase", [False, True])
def test_per_pair_statistics_equal_sacrebleu(qa_multi: Pairs, tokenize: str, lowercase: bool) -> None:
    metric = BLEU(tokenize=tokenize, lowercase=lowercase)
    pairs = qa_multi[:600]
    stats = bleu_stats([h for h, _ in pairs], [r for _, r in pairs], tokenize=tokenize, lowercase=lowercase)
    expect = [metric._extract_corpus_statistics([h], [[r] for r in refs])[0] for h, refs in pairs]
    np.testing.assert_array_equal(stats, np.array(expect, dtype=np.int64))


@pytest.mark.parametrize(("smooth", "value"), [("exp", None), ("floor", 0.2), ("add-k", 2), ("none", None)])
@pytest.mark.parametrize("effective", [True, False])
def test_sentence_bleu_equals_sacrebleu(qa_multi: Pairs, smooth: str, value: float | None, effective: bool) -> None:
    pairs = qa_multi[:800]
    got = sentence_bleu(
        [h for h, _ in pairs], [r for _, r in pairs], smooth=smooth, smooth_value=value, use_effective_order=effective
    )
    expect = [
        sacrebleu.sentence_bleu(h, refs, smooth_method=smooth, smooth_value=value, use_effective_order=effective).score
        for h, refs in pairs
    ]
    np.testing.assert_allclose(got, expect, rtol=0, atol=1e-9)


def test_effective_order_on_one_to_three_token_hypotheses() -> None:
    rng = random.Random(3)
    vocab = ["a", "b", "c", "a.", "1,000", "x-ray"]
    hyps = [" ".join(rng.choice(vocab) for _ in range(rng.randint(0, 3))) for _ in range(400)]
    refs = [[" ".join(rng.choice(vocab) for _ in range(rng.randint(0, 5))) for _ in range(rng.randint(1, 2))] for _ in hyps]
    got = sentence_bleu(hyps, refs)
    expect = [sacrebleu.sentence_bleu(h, r).score for h, r in zip(hyps, refs)]
    np.testing.assert_allclose(got, expect, rtol=0, atol=1e-9)
    # A perfect short match: 100 with effective order, 0 without (docs/reference-metrics.md 1.6).
    assert sentence_bleu(["a b"], ["a b"])[0] == pytest.approx(100.0)
    assert sentence_bleu(["a b"], ["a b"], use_effective_order=False)[0] == 0.0


def _tie_pairs(seed: int, n: int) -> Pairs:
    """Hypotheses of length L with references at L - d and L + d (both orders), so the closest length ties."""
    rng = random.Random(seed)
    out: Pairs = []
    for _ in range(n):
        length, d = rng.randint(1, 12), rng.randint(1, 4)
        words = [rng.choice("abcde") for _ in range(length + d)]
        hyp = " ".join(rng.choice("abcde") for _ in range(length))
        short, long = " ".join(words[: max(length - d, 0)]), " ".join(words)
        refs = [short, long] if rng.random() < 0.5 else [long, short]
        if rng.random() < 0.3:
            refs.append(" ".join(words[:length]))  # an exact-length reference beats both
        out.append((hyp, refs))
    return out


def test_closest_reference_length_ties_take_the_shorter_one() -> None:
    pairs = _tie_pairs(4, 500)
    hyps, refs = [h for h, _ in pairs], [r for _, r in pairs]
    stats = bleu_stats(hyps, refs)
    coco = bleu_stats(hyps, refs, flavor="coco")
    for (hyp, rs), row, coco_row in zip(pairs, stats, coco):
        n = len(hyp.split())
        lengths = [len(r.split()) for r in rs]
        expect = min(lengths, key=lambda length: (abs(length - n), length))
        assert row[1] == expect and coco_row[1] == expect
    _assert_same(corpus_bleu(hyps, refs), sacrebleu.corpus_bleu(hyps, _streams(pairs)))
    _assert_coco_equal(pairs)


def _assert_coco_equal(pairs: Pairs) -> None:
    gts = {i: refs for i, (_, refs) in enumerate(pairs)}
    res = {i: [h] for i, (h, _) in enumerate(pairs)}
    score, scores = Bleu(4).compute_score(gts, res, verbose=0)
    hyps, refs = [h for h, _ in pairs], [r for _, r in pairs]
    got = corpus_bleu(hyps, refs, flavor="coco")
    np.testing.assert_allclose(np.array(got.bleu_n) / 100, score, rtol=0, atol=1e-12)
    np.testing.assert_allclose(sentence_bleu(hyps, refs, flavor="coco") / 100, scores[3], rtol=0, atol=1e-12)


@pytest.mark.parametrize("which", ["qa_single", "qa_multi"])
def test_coco_bleu_equals_pycocoevalcap(which: str, request: pytest.FixtureRequest) -> None:
    _assert_coco_equal(request.getfixturevalue(which))


@pytest.mark.parametrize("order", [1, 2, 3])
def test_other_max_orders_equal_sacrebleu(qa_multi: Pairs, order: int) -> None:
    hyps, refs = [h for h, _ in qa_multi], [r for _, r in qa_multi]
    expect = BLEU(max_ngram_order=order).corpus_score(hyps, _streams(qa_multi))
    got = corpus_bleu(hyps, refs, max_order=order)
    _assert_same(got, expect)


def test_five_thousand_token_segments() -> None:
    rng = random.Random(5)
    vocab = ["liver", "normal", "1,000.5-2", "a.,b", "&amp;lt;", "ü", "x\u001cy", "cm.", "5-10"]
    pairs: Pairs = []
    for _ in range(4):
        ref = " ".join(rng.choice(vocab) for _ in range(5000))
        hyp = " ".join(w for w in ref.split(" ") if rng.random() < 0.9)
        pairs.append((hyp, [ref, " ".join(rng.choice(vocab) for _ in range(4800))]))
    hyps, refs = [h for h, _ in pairs], [r for _, r in pairs]
    _assert_same(corpus_bleu(hyps, refs), sacrebleu.corpus_bleu(hyps, _streams(pairs)))
    np.testing.assert_allclose(
        sentence_bleu(hyps, refs), [sacrebleu.sentence_bleu(h, r).score for h, r in pairs], rtol=0, atol=1e-9
    )
    _assert_coco_equal(pairs)


def test_single_pair_and_empty_corpus() -> None:
    one = [("the liver &amp;lt; 3.5.", ["the liver < 3.5 ."])]
    _assert_same(corpus_bleu(["the liver &amp;lt; 3.5."], ["the liver < 3.5 ."]), sacrebleu.corpus_bleu(
        ["the liver &amp;lt; 3.5."], [["the liver < 3.5 ."]]))
    _assert_coco_equal(one)
    # sacreBLEU raises IndexError on an empty corpus; ours scores it 0 with empty lengths.
    empty = corpus_bleu([], [])
    assert (empty.score, empty.sys_len, empty.ref_len) == (0.0, 0, 0)
    assert sentence_bleu([], []).shape == (0,)
    assert bleu_stats([], [], flavor="coco").shape == (0, 10)


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


def _code_points() -> list[str]:
    return [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]


def test_every_cased_code_point_and_random_code_points() -> None:
    """Lowercasing must be Python's str.lower (Unicode version, final sigma, İ) and whitespace Python's
    str.split set, for every character Python considers cased or whitespace, and for random ones."""
    points = _code_points()
    cased = [c for c in points if c.lower() != c or c.upper() != c]
    spaces = [c for c in points if c.isspace()]
    hyps = ["a " + c + " b" + c + "c " + c + c for c in cased]
    hyps += ["ΣΑΣ", "ΑΣ Β", "aΣ.", "aΣ\u0301 b", "a'Σ", "a\u00adΣ", "aΣ1"]
    hyps += ["a" + s + "b" + s for s in spaces] + [s + "a.-" + s + "\n" for s in spaces] + ["a-\n" + s + "b" for s in spaces]
    rng = random.Random(12)
    pool = rng.sample(points, 3000) + spaces + list(".,-&;<>\n") + cased[:200]
    hyps += ["".join(rng.choice(pool) for _ in range(rng.randint(0, 20))) for _ in range(3000)]
    refs = [h.lower() if i % 2 else "".join(rng.choice(pool) for _ in range(rng.randint(0, 20)))
            for i, h in enumerate(hyps)]
    for tokenize in ("13a", "none"):
        for lowercase in (False, True):
            metric = BLEU(tokenize=tokenize, lowercase=lowercase)
            expect = np.array(metric._extract_corpus_statistics(hyps, [refs]), dtype=np.int64)
            got = bleu_stats(hyps, refs, tokenize=tokenize, lowercase=lowercase)
            bad = np.flatnonzero((got != expect).any(axis=1))
            assert len(bad) == 0, (tokenize, lowercase, [hyps[i] for i in bad[:3]])
