"""QA: ROUGE against rouge-score 0.1.2 (NLTK Porter stemmer included) and pycocoevalcap 1.2's ROUGE-L on
adversarial text: scripts, lowercasing oddities, Porter-rule words, Lsum line structure, score_multi ties,
runs of spaces for coco's split(" "), long texts and the smallest inputs."""

from __future__ import annotations

import random

import numpy as np
import pytest
from nltk.stem.porter import PorterStemmer
from pycocoevalcap.rouge.rouge import Rouge
from rouge_score.rouge_scorer import RougeScorer

from u2fast import _core
from u2fast.scoring import rouge

Pairs = list[tuple[str, list[str]]]
TYPES = ["rouge1", "rouge2", "rouge3", "rouge9", "rougeL", "rougeLsum"]

PORTER_WORDS = [
    "generalizations", "oscillators", "happy", "dying", "skies", "feed", "agreed", "conditional", "rational",
    "valency", "hesitanci", "digitizer", "sensibility", "running", "caresses", "ponies", "ties", "abilities",
    "formaliti", "electriciti", "hopeful", "goodness", "adjustment", "ization", "yes", "sky", "news", "proceed",
    "exceed", "succeed", "howe", "innings", "dies", "lies", "tied", "bled", "agreeing", "hoping", "filing",
    "sized", "controlling", "rolling", "allied", "alli", "logi", "fulli", "bli", "entli", "eli", "ousli",
    "alism", "iveness", "fulness", "ousness", "aliti", "iviti", "biliti", "icate", "ative", "alize", "iciti",
    "ical", "ement", "ment", "ent", "sion", "tion", "ou", "ism", "ate", "iti", "ous", "ive", "ize", "ll",
    "mississippi", "xyzzy", "eeee", "hissing", "fizzed", "ied", "eied", "bey", "cry", "enjoy", "ay", "yy",
]


def _assert_equal_to_rouge_score(pairs: Pairs, stemmer: bool, types: list[str] = TYPES) -> None:
    scorer = RougeScorer(types, use_stemmer=stemmer)
    got = rouge([h for h, _ in pairs], [r for _, r in pairs], types=types, stemmer=stemmer)
    for t in types:
        expect = np.array([
            tuple((scorer.score_multi(refs, h) if len(refs) > 1 else scorer.score(refs[0], h))[t])
            for h, refs in pairs
        ])
        np.testing.assert_allclose(got[t].precision, expect[:, 0], rtol=0, atol=1e-12, err_msg=t)
        np.testing.assert_allclose(got[t].recall, expect[:, 1], rtol=0, atol=1e-12, err_msg=t)
        np.testing.assert_allclose(got[t].fmeasure, expect[:, 2], rtol=0, atol=1e-12, err_msg=t)


@pytest.mark.parametrize("which", ["qa_single", "qa_multi"])
@pytest.mark.parametrize("stemmer", [False, True])
def test_rouge_equals_rouge_score(which: str, stemmer: bool, request: pytest.FixtureRequest) -> None:
    pairs: Pairs = request.getfixturevalue(which)
    _assert_equal_to_rouge_score(pairs[:700], stemmer)


def test_porter_stems_equal_nltk() -> None:
    stem = PorterStemmer().stem
    rng = random.Random(8)
    suffixes = ["", "s", "es", "ies", "ing", "ed", "ly", "ness", "ational", "izer", "ization", "iveness", "alli", "ousli"]
    words = PORTER_WORDS + [w + s for w in PORTER_WORDS[:40] for s in suffixes]
    words += ["".join(rng.choice("aeiouybcdlmnrstzg") for _ in range(rng.randint(1, 12))) for _ in range(5000)]
    assert [_core.porter_stem(w) for w in words] == [stem(w) for w in words]
    # Through rouge: only tokens longer than 3 characters are stemmed.
    pairs = [(" ".join(rng.sample(PORTER_WORDS, 8)), [" ".join(rng.sample(PORTER_WORDS, 8))]) for _ in range(300)]
    pairs += [(w, [stem(w)]) for w in PORTER_WORDS]
    _assert_equal_to_rouge_score(pairs, stemmer=True)


def _line_pairs(seed: int, n: int) -> Pairs:
    """Texts made of lines, repeated ones, blank and whitespace-only ones and \\r\\n endings."""
    rng = random.Random(seed)
    lines = ["a b c", "a b c", "c b a", "", " ", "\t", "the liver is normal", "liver normal", "x", "a\r", "b a",
             "running skies", "run sky", "ΣΊΣΥΦΟΣ a", "a  b", "\u2028a"]
    def text() -> str:
        return "\n".join(rng.choice(lines) for _ in range(rng.randint(0, 7)))
    return [(text(), [text() for _ in range(rng.randint(1, 2))]) for _ in range(n)]


@pytest.mark.parametrize("stemmer", [False, True])
def test_lsum_with_repeated_and_blank_lines(stemmer: bool) -> None:
    _assert_equal_to_rouge_score(_line_pairs(6, 1500), stemmer, ["rougeL", "rougeLsum"])
    # docs/reference-metrics.md 3.5: Lsum below L when both hypothesis lines trace the same reference tokens.
    r = rouge(["a b c\na b c"], ["a b c a b c"], types=["rougeL", "rougeLsum"])
    assert r["rougeL"].fmeasure[0] == 1.0 and r["rougeLsum"].fmeasure[0] == 0.5


def test_score_multi_keeps_the_first_best_f_on_ties() -> None:
    short, long = "a b", "a b c d e f g h"  # against "a b c d": P/R = 0.5/1 and 1/0.5, the same F
    for refs in ([short, long], [long, short], [long, long, short], ["zzz", short, long]):
        _assert_equal_to_rouge_score([("a b c d", refs)], stemmer=False, types=["rouge1", "rougeL", "rougeLsum"])
    got = rouge(["a b c d"], [[short, long]], types=["rouge1"])["rouge1"]
    assert (got.precision[0], got.recall[0]) == (0.5, 1.0)  # the first reference


def _spacey_pairs(seed: int, n: int) -> Pairs:
    """coco ROUGE-L tokenizes with split(" "): runs of spaces, tabs and newlines make odd tokens."""
    rng = random.Random(seed)
    pieces = ["a", "b", "c", "liver", "", " ", "\t", "\n", "é", "a.", "&amp;"]
    def text(k: int) -> str:
        return rng.choice([" ", "  ", "   "]).join(rng.choice(pieces) for _ in range(rng.randint(0, k)))
    return [(text(15), [text(12) for _ in range(rng.randint(1, 3))]) for _ in range(n)]


@pytest.mark.parametrize("which", ["qa_single", "qa_multi", "spacey"])
def test_coco_rouge_l_equals_pycocoevalcap(which: str, request: pytest.FixtureRequest) -> None:
    pairs: Pairs = _spacey_pairs(7, 800) if which == "spacey" else request.getfixturevalue(which)
    scorer = Rouge()
    got = rouge([h for h, _ in pairs], [r for _, r in pairs], flavor="coco")["rougeL"]
    expect = np.array([scorer.calc_score([h], refs) for h, refs in pairs])
    np.testing.assert_allclose(got.fmeasure, expect, rtol=0, atol=1e-12)
    mean, _ = scorer.compute_score({i: r for i, (_, r) in enumerate(pairs)}, {i: [h] for i, (h, _) in enumerate(pairs)})
    assert got.fmeasure.mean() == pytest.approx(mean, abs=1e-12)


def test_long_texts() -> None:
    rng = random.Random(9)
    vocab = ["liver", "normal", "running", "skies", "a", "b", "x-ray", "1,000.5"]
    pairs: Pairs = []
    for _ in range(2):
        ref = " ".join(rng.choice(vocab) for _ in range(900))
        hyp = "\n".join(" ".join(rng.choice(vocab) for _ in range(30)) for _ in range(30))
        pairs.append((hyp, [ref]))
    _assert_equal_to_rouge_score(pairs, stemmer=True, types=["rouge1", "rouge2", "rougeL", "rougeLsum"])
    got = rouge([h for h, _ in pairs], [r for _, r in pairs], flavor="coco")["rougeL"].fmeasure
    np.testing.assert_allclose(got, [Rouge().calc_score([h], r) for h, r in pairs], rtol=0, atol=1e-12)


def test_small_and_bad_inputs() -> None:
    empty = rouge([], [])
    assert set(empty) == {"rouge1", "rouge2", "rougeL", "rougeLsum"} and empty["rouge1"].fmeasure.shape == (0,)
    assert rouge([], [], flavor="coco")["rougeL"].fmeasure.shape == (0,)
    _assert_equal_to_rouge_score([("", [""]), ("a", [""]), ("", ["a"]), ("\n\n", ["\n"])], stemmer=True)
    with pytest.raises(ValueError, match="no stemmer"):
        rouge(["a"], ["a"], flavor="coco", stemmer=True)
    with pytest.raises(ValueError, match="rougeL only"):
        rouge(["a"], ["a"], flavor="coco", types=["rouge1"])
    with pytest.raises(ValueError, match="invalid ROUGE type"):
        rouge(["a"], ["a"], types=["rougeW"])
    with pytest.raises(TypeError, match="not one string"):
        rouge(["a"], ["a"], types="rouge1")
    with pytest.raises(ValueError, match="no reference"):
        rouge(["a"], [[]])
    with pytest.raises(TypeError, match=r"hyps\[0\] is float, not str"):
        rouge([float("nan")], ["a"], flavor="coco")  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"refs\[0\]\[0\] is NoneType"):
        rouge(["a"], [[None]])  # type: ignore[list-item]


def test_lone_surrogates_are_named() -> None:
    with pytest.raises(ValueError, match=r"hyps\[1\] contains a lone surrogate"):
        rouge(["a", "b\ud800"], ["a", "b"])
    with pytest.raises(ValueError, match=r"refs\[0\]\[0\] contains a lone surrogate"):
        rouge(["a"], ["\udc80"], flavor="coco")


def test_random_code_points() -> None:
    rng = random.Random(4)
    points = [c for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    pool = [chr(c) for c in rng.sample(points, 4000)] + list("abcdefg0123456789 \n\t") * 30 + ["running", "KİD", "\u212a"]
    def text() -> str:
        return "".join(rng.choice(pool) for _ in range(rng.randint(0, 40)))
    pairs = [(text(), [text()]) for _ in range(1500)]
    _assert_equal_to_rouge_score(pairs, stemmer=True, types=["rouge1", "rouge2", "rougeL", "rougeLsum"])
    got = rouge([h for h, _ in pairs], [r for _, r in pairs], flavor="coco")["rougeL"].fmeasure
    np.testing.assert_allclose(got, [Rouge().calc_score([h], r) for h, r in pairs], rtol=0, atol=1e-12)
