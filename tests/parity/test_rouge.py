"""ROUGE against rouge-score 0.1.2 (its tokenizer, NLTK's Porter stemmer, score_multi ties, rougeLsum with and without
``split_summaries``) and pycocoevalcap 1.2's ROUGE-L, on the generated pairs of ``text_pairs`` and on text built
for one rule each: Lsum line structure, runs of spaces for coco's split(" "), Porter-rule words, long texts,
random code points and the smallest inputs. rouge-score-rs is a second oracle."""

from __future__ import annotations

import random
import re
import string
from pathlib import Path

import nltk
import numpy as np
import pytest
from nltk.stem.porter import PorterStemmer
from nltk.tokenize.punkt import PunktSentenceTokenizer
from pycocoevalcap.rouge.rouge import Rouge
from rouge_score.rouge_scorer import RougeScorer
from rouge_score.tokenizers import DefaultTokenizer
from text_pairs import ADVERSARIAL_WORDS, adversarial_pairs, generate_pairs

from u2fast.scoring import porter_stem, rouge, rouge_tokenize

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


def _lsum_pairs(pairs: Pairs) -> Pairs:
    # Extra newlines, blank and whitespace-only lines, and repeated lines exercise the union LCS.
    rng = random.Random(3)
    out = []
    for h, refs in pairs:
        words = h.split(" ")
        for _ in range(rng.randint(0, 4)):
            k = rng.randint(0, len(words))
            words.insert(k, rng.choice(["\n", "\n\n", "\n \n", "\r\n"]))
        out.append((" ".join(words), refs))
    return out


@pytest.mark.parametrize(("which", "n"), [("single_ref_pairs", 3000), ("multi_ref_pairs", 1200)])
@pytest.mark.parametrize("stemmer", [False, True])
def test_rouge_equals_rouge_score(which: str, n: int, stemmer: bool, request: pytest.FixtureRequest) -> None:
    pairs: Pairs = request.getfixturevalue(which)
    _assert_equal_to_rouge_score(_lsum_pairs(pairs)[:n], stemmer)


@pytest.mark.parametrize("stemmer", [False, True])
def test_rouge_tokenize_equals_rouge_score(stemmer: bool) -> None:
    theirs = DefaultTokenizer(use_stemmer=stemmer)
    texts = [t for h, refs in adversarial_pairs(404, 1500, max_refs=2) for t in (h, *refs)]
    for text in texts:
        assert rouge_tokenize(text, stemmer=stemmer) == theirs.tokenize(text), text


def _words() -> list[str]:
    # Real English words from NLTK's own sources and docstrings, plus generated suffix stacks.
    root = Path(nltk.__file__).parent
    words: set[str] = set()
    for path in sorted(root.rglob("*.py"))[:400]:
        words.update(re.findall(r"[a-z]+", path.read_text(errors="ignore").lower()))
    rng = random.Random(0)
    suffixes = ["ational", "tional", "enci", "anci", "izer", "bli", "alli", "entli", "eli", "ousli", "ization", "ation", "ator", "alism", "iveness", "fulness", "ousness", "aliti", "iviti", "biliti", "fulli", "logi", "icate", "ative", "alize", "iciti", "ical", "ful", "ness", "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "sion", "tion", "ou", "ism", "ate", "iti", "ous", "ive", "ize", "e", "ll", "sses", "ies", "ss", "s", "eed", "ed", "ing", "ied", "y", "at", "bl", "iz", "yy"]
    stems = ["".join(rng.choice("bcdfghjklmnprstvwxyzaeiouy") for _ in range(rng.randint(1, 6))) for _ in range(3000)]
    for st in stems:
        words.add(st + rng.choice(suffixes) + (rng.choice(suffixes) if rng.random() < 0.4 else ""))
    words.update(["sky", "skies", "dying", "lying", "tying", "news", "innings", "outings", "cannings", "howe",
                  "proceed", "exceed", "succeed", "y", "yy", "syzygy", "a1b2", "12mm", "crying", "flies", "ied"])
    return sorted(words)


def _porter_words() -> list[str]:
    """NLTK's own words (``_words``), the words around each Porter rule with suffixes stacked on, random stems with
    one suffix, the generated report words, upper-case copies and the shortest words."""
    rng = random.Random(8)
    words = _words() + PORTER_WORDS + list(ADVERSARIAL_WORDS)
    words += [w + s for w in PORTER_WORDS[:40]
              for s in ["", "s", "es", "ies", "ing", "ed", "ly", "ness", "ational", "izer", "ization", "iveness", "alli", "ousli"]]
    words += ["".join(rng.choice("aeiouybcdlmnrstzg") for _ in range(rng.randint(1, 12))) for _ in range(5000)]
    words += [w for h, _ in generate_pairs(3, 300) for w in h.split() if w.isascii()]
    suffixes = ["ational", "tional", "enci", "anci", "izer", "bli", "alli", "entli", "eli", "ousli", "ization", "ation",
                "ator", "alism", "iveness", "fulness", "ousness", "aliti", "iviti", "biliti", "logi", "icate", "ative",
                "alize", "iciti", "ical", "ful", "ness", "ement", "ment", "ent", "ion", "ou", "ism", "ate", "iti", "ous",
                "ive", "ize", "sses", "ies", "ss", "s", "eed", "ed", "ing", "y", "e", "ll", "at", "bl", "iz"]
    for _ in range(20_000):
        stem = "".join(rng.choice(string.ascii_lowercase[:8] + "aeiouy") for _ in range(rng.randint(0, 7)))
        words.append(stem + rng.choice(suffixes))
    return words + [w.upper() for w in words[:500]] + ["", "a", "ab", "sky", "dying", "news", "howe"]


def test_porter_stem_equals_nltk() -> None:
    words = _porter_words()
    assert len(words) > 8000
    nltk_stemmer = PorterStemmer()
    bad = [w for w in words if porter_stem(w) != nltk_stemmer.stem(w)]
    assert bad == []


def test_stemming_through_rouge_equals_rouge_score() -> None:
    # Only tokens longer than 3 characters are stemmed.
    stem = PorterStemmer().stem
    rng = random.Random(8)
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


@pytest.mark.parametrize("which", ["single_ref_pairs", "multi_ref_pairs", "spacey"])
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


def test_smallest_inputs_equal_rouge_score() -> None:
    _assert_equal_to_rouge_score([("", [""]), ("a", [""]), ("", ["a"]), ("\n\n", ["\n"])], stemmer=True)


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


def test_agrees_with_rouge_score_rs_as_a_second_oracle(single_ref_pairs: Pairs) -> None:
    rs = pytest.importorskip("rouge_score_rs")
    pairs = _lsum_pairs(single_ref_pairs)
    hyps, refs = [h for h, _ in pairs], [r[0] for _, r in pairs]
    for stemmer in (False, True):
        expect = rs.RougeScorer(TYPES, use_stemmer=stemmer).score_batch(refs, hyps)
        got = rouge(hyps, refs, types=TYPES, stemmer=stemmer)
        for t in TYPES:
            np.testing.assert_allclose(got[t].fmeasure, [e[t].fmeasure for e in expect], rtol=0, atol=1e-12)


@pytest.fixture()
def punkt_without_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """nltk's sentence splitter with Punkt's untrained defaults, for both libraries (the trained
    ``punkt_tab`` model is a download this offline test run cannot make)."""
    monkeypatch.setattr(nltk, "sent_tokenize", PunktSentenceTokenizer().tokenize)


@pytest.mark.usefixtures("punkt_without_data")
@pytest.mark.parametrize("stemmer", [False, True])
def test_split_summaries_equals_rouge_score(stemmer: bool) -> None:
    rng = random.Random(5)
    sentences = ["The liver is normal.", "No focal lesion is seen!", "Dr. Smith reviewed it at 3 p.m. today.",
                 "Is the gallbladder distended?", "Mild hydronephrosis\nof the right kidney.", "Follow up in 6 months."]
    pairs = []
    for _ in range(600):
        ref = " ".join(rng.choice(sentences) for _ in range(rng.randint(0, 5)))
        hyp = " ".join(rng.choice(sentences) for _ in range(rng.randint(0, 5)))
        pairs.append((hyp, [ref, ref[::-1]] if rng.random() < 0.2 else [ref]))
    types = ["rouge1", "rougeLsum", "rougeL"]
    got = rouge([h for h, _ in pairs], [r for _, r in pairs], types=types, stemmer=stemmer, split_summaries=True)
    scorer = RougeScorer(types, use_stemmer=stemmer, split_summaries=True)
    expect = [scorer.score_multi(refs, hyp) for hyp, refs in pairs]
    for t in types:
        for field in ("precision", "recall", "fmeasure"):
            np.testing.assert_allclose(getattr(got[t], field), [getattr(e[t], field) for e in expect],
                                       rtol=0, atol=1e-12, err_msg=f"{t} {field}")
    unsplit = rouge([h for h, _ in pairs], [r for _, r in pairs], types=["rougeLsum"], stemmer=stemmer)
    assert not np.array_equal(unsplit["rougeLsum"].fmeasure, got["rougeLsum"].fmeasure)
