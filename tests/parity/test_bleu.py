"""BLEU against sacreBLEU 2.6.0 and pycocoevalcap 1.2 on the generated pairs of ``text_pairs`` (report-like and
adversarial text, the docs/reference-metrics.md edge cases): every smoothing, lowercase and tokenizer (13a, intl,
zh, char, none) with all result fields, ragged reference lists, ties in the closest reference length, effective
order, any n-gram order, 5k-token segments, the smallest corpora and the signature string."""

from __future__ import annotations

import random

import numpy as np
import pytest
import regex
import sacrebleu
from pycocoevalcap.bleu.bleu import Bleu
from sacrebleu.metrics.bleu import BLEU
from text_pairs import adversarial_pairs, sacrebleu_streams

from u2fast.scoring import bleu_stats, corpus_bleu, sentence_bleu

Pairs = list[tuple[str, list[str]]]


def _assert_same(got: object, expect: object) -> None:
    assert got.score == pytest.approx(expect.score, abs=1e-9)  # type: ignore[attr-defined]
    assert got.sys_len == expect.sys_len and got.ref_len == expect.ref_len  # type: ignore[attr-defined]
    assert list(got.counts) == list(expect.counts)  # type: ignore[attr-defined]
    assert list(got.totals) == list(expect.totals)  # type: ignore[attr-defined]
    np.testing.assert_allclose(got.precisions, expect.precisions, rtol=0, atol=1e-9)  # type: ignore[attr-defined]
    assert got.bp == pytest.approx(expect.bp, abs=1e-12)  # type: ignore[attr-defined]


SMOOTHING = [("exp", None), ("floor", None), ("floor", 0.3), ("add-k", None), ("add-k", 2), ("add-k", 3), ("none", None)]


TOKENIZERS = ["13a", "intl", "zh", "char", "none"]


def _expected_stats(pairs: Pairs, **options: object) -> np.ndarray:
    metric = BLEU(**options)  # type: ignore[arg-type]
    return np.array(metric._extract_corpus_statistics([h for h, _ in pairs], sacrebleu_streams(pairs)), dtype=np.int64)


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


def _assert_coco_equal(pairs: Pairs) -> None:
    gts = {i: refs for i, (_, refs) in enumerate(pairs)}
    res = {i: [h] for i, (h, _) in enumerate(pairs)}
    score, scores = Bleu(4).compute_score(gts, res, verbose=0)
    hyps, refs = [h for h, _ in pairs], [r for _, r in pairs]
    got = corpus_bleu(hyps, refs, flavor="coco")
    np.testing.assert_allclose(np.array(got.bleu_n) / 100, score, rtol=0, atol=1e-12)
    assert got.score == pytest.approx(100 * score[3], abs=1e-9)
    np.testing.assert_allclose(sentence_bleu(hyps, refs, flavor="coco") / 100, scores[3], rtol=0, atol=1e-12)


@pytest.mark.parametrize("which", ["single_ref_pairs", "multi_ref_pairs"])
def test_coco_corpus_and_per_segment_equal_pycocoevalcap(which: str, request: pytest.FixtureRequest) -> None:
    _assert_coco_equal(request.getfixturevalue(which))


@pytest.mark.parametrize("which", ["single_ref_pairs", "multi_ref_pairs"])
@pytest.mark.parametrize("tokenize", ["13a", "none"])
@pytest.mark.parametrize("lowercase", [False, True])
def test_corpus_bleu_equals_sacrebleu_for_every_smoothing(
    which: str, tokenize: str, lowercase: bool, request: pytest.FixtureRequest
) -> None:
    pairs: Pairs = request.getfixturevalue(which)
    hyps, refs = [h for h, _ in pairs], [r for _, r in pairs]
    streams = sacrebleu_streams(pairs)
    for smooth, value in SMOOTHING:
        expect = sacrebleu.corpus_bleu(
            hyps, streams, smooth_method=smooth, smooth_value=value, lowercase=lowercase, tokenize=tokenize
        )
        got = corpus_bleu(hyps, refs, smooth=smooth, smooth_value=value, lowercase=lowercase, tokenize=tokenize)
        _assert_same(got, expect)


@pytest.mark.parametrize("tokenize", TOKENIZERS)
@pytest.mark.parametrize("lowercase", [False, True])
def test_statistics_equal_sacrebleu(multi_ref_pairs: Pairs, tokenize: str, lowercase: bool) -> None:
    _assert_stats(multi_ref_pairs, tokenize, lowercase)


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


@pytest.mark.parametrize(("smooth", "value"), [("exp", None), ("floor", 0.2), ("add-k", 1), ("add-k", 2), ("none", None)])
@pytest.mark.parametrize("effective", [True, False])
@pytest.mark.parametrize("which", ["single_ref_pairs", "multi_ref_pairs"])
def test_sentence_bleu_equals_sacrebleu(
    which: str, smooth: str, value: float | None, effective: bool, request: pytest.FixtureRequest
) -> None:
    pairs: Pairs = request.getfixturevalue(which)[:800]
    got = sentence_bleu(
        [h for h, _ in pairs], [r for _, r in pairs], smooth=smooth, smooth_value=value, use_effective_order=effective
    )
    expect = [
        sacrebleu.sentence_bleu(h, refs, smooth_method=smooth, smooth_value=value, use_effective_order=effective).score
        for h, refs in pairs
    ]
    np.testing.assert_allclose(got, expect, rtol=0, atol=1e-9)


@pytest.mark.parametrize("tokenize", TOKENIZERS)
def test_sentence_bleu_with_every_tokenizer(single_ref_pairs: Pairs, tokenize: str) -> None:
    pairs = single_ref_pairs[:400]
    got = sentence_bleu([h for h, _ in pairs], [r for _, r in pairs], tokenize=tokenize)
    expect = [sacrebleu.sentence_bleu(h, r, tokenize=tokenize).score for h, r in pairs]
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


def test_effective_order_on_corpus_bleu_equals_sacrebleu() -> None:
    pairs = adversarial_pairs(77, 40)
    hyps, refs = [h for h, _ in pairs], [r for _, r in pairs]
    for k in range(1, 6):
        for smooth in ("exp", "floor", "add-k", "none"):
            got = corpus_bleu(hyps[:k], refs[:k], effective_order=True, smooth=smooth)
            expect = BLEU(effective_order=True, smooth_method=smooth).corpus_score(hyps[:k], sacrebleu_streams(pairs[:k]))
            assert got.score == pytest.approx(expect.score, abs=1e-9), (k, smooth)


@pytest.mark.parametrize("order", [1, 2, 3, 5, 6, 9])
def test_any_max_order_equals_sacrebleu(multi_ref_pairs: Pairs, order: int) -> None:
    _assert_stats(multi_ref_pairs, "13a", max_order=order)
    hyps, refs = [h for h, _ in multi_ref_pairs], [r for _, r in multi_ref_pairs]
    for effective in (False, True):
        got = corpus_bleu(hyps, refs, max_order=order, effective_order=effective)
        expect = BLEU(max_ngram_order=order, effective_order=effective).corpus_score(hyps, sacrebleu_streams(multi_ref_pairs))
        assert got.score == pytest.approx(expect.score, abs=1e-9)
        np.testing.assert_allclose(got.precisions, expect.precisions, rtol=0, atol=1e-9)
        if not effective:
            _assert_same(got, expect)


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
    _assert_same(corpus_bleu(hyps, refs), sacrebleu.corpus_bleu(hyps, sacrebleu_streams(pairs)))
    _assert_coco_equal(pairs)


def test_five_thousand_token_segments() -> None:
    rng = random.Random(5)
    vocab = ["liver", "normal", "1,000.5-2", "a.,b", "&amp;lt;", "ü", "x\u001cy", "cm.", "5-10"]
    pairs: Pairs = []
    for _ in range(4):
        ref = " ".join(rng.choice(vocab) for _ in range(5000))
        hyp = " ".join(w for w in ref.split(" ") if rng.random() < 0.9)
        pairs.append((hyp, [ref, " ".join(rng.choice(vocab) for _ in range(4800))]))
    hyps, refs = [h for h, _ in pairs], [r for _, r in pairs]
    _assert_same(corpus_bleu(hyps, refs), sacrebleu.corpus_bleu(hyps, sacrebleu_streams(pairs)))
    np.testing.assert_allclose(
        sentence_bleu(hyps, refs), [sacrebleu.sentence_bleu(h, r).score for h, r in pairs], rtol=0, atol=1e-9
    )
    _assert_coco_equal(pairs)


def test_single_pair_and_empty_corpus() -> None:
    one = [("the liver &amp;lt; 3.5.", ["the liver < 3.5 ."])]
    _assert_same(corpus_bleu(["the liver &amp;lt; 3.5."], ["the liver < 3.5 ."]), sacrebleu.corpus_bleu(
        ["the liver &amp;lt; 3.5."], [["the liver < 3.5 ."]]))
    _assert_coco_equal(one)
    # sacreBLEU raises IndexError on an empty corpus; ours says why there is no score (never 0).
    with pytest.raises(IndexError):
        sacrebleu.corpus_bleu([], [[]])
    with pytest.raises(ValueError, match="at least one pair"):
        corpus_bleu([], [])
    assert sentence_bleu([], []).shape == (0,)
    assert bleu_stats([], [], flavor="coco").shape == (0, 10)


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
    metric.corpus_score(hyps, sacrebleu_streams([(h, r) for h, r in zip(hyps, refs)]))
    assert got.signature == str(metric.get_signature())
