"""ROUGE parity with rouge-score (tokenizer, NLTK Porter stemmer, Lsum tie-breaking) and
pycocoevalcap's ROUGE-L, on generated pairs and the docs/reference-metrics.md edge cases."""

from __future__ import annotations

import random
import re
from pathlib import Path

import nltk
import numpy as np
import pytest
from nltk.stem.porter import PorterStemmer
from pycocoevalcap.rouge.rouge import Rouge
from rouge_score.rouge_scorer import RougeScorer

from u2fast import _core
from u2fast.scoring import rouge

Pairs = list[tuple[str, list[str]]]
TYPES = ["rouge1", "rouge2", "rouge3", "rougeL", "rougeLsum"]


def _ref_scores(pairs: Pairs, stemmer: bool, multi: bool) -> dict[str, np.ndarray]:
    scorer = RougeScorer(TYPES, use_stemmer=stemmer)
    out = {t: np.zeros((len(pairs), 3)) for t in TYPES}
    for i, (h, refs) in enumerate(pairs):
        s = scorer.score_multi(refs, h) if multi else scorer.score(refs[0], h)
        for t in TYPES:
            out[t][i] = (s[t].precision, s[t].recall, s[t].fmeasure)
    return out


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


@pytest.mark.parametrize("stemmer", [False, True])
def test_rouge_score_parity_single_reference(single_ref_pairs: Pairs, stemmer: bool) -> None:
    pairs = _lsum_pairs(single_ref_pairs)
    expect = _ref_scores(pairs, stemmer, multi=False)
    got = rouge([h for h, _ in pairs], [r[0] for _, r in pairs], types=TYPES, stemmer=stemmer)
    for t in TYPES:
        g = np.stack([got[t].precision, got[t].recall, got[t].fmeasure], axis=1)
        bad = np.flatnonzero(np.abs(g - expect[t]).max(axis=1) > 1e-12)
        assert bad.size == 0, (t, [pairs[i] for i in bad[:2]], g[bad[:2]], expect[t][bad[:2]])


def test_rouge_score_parity_multi_reference(multi_ref_pairs: Pairs) -> None:
    pairs = multi_ref_pairs[:1200]
    expect = _ref_scores(pairs, True, multi=True)
    got = rouge([h for h, _ in pairs], [r for _, r in pairs], types=TYPES, stemmer=True)
    for t in TYPES:
        g = np.stack([got[t].precision, got[t].recall, got[t].fmeasure], axis=1)
        np.testing.assert_allclose(g, expect[t], rtol=0, atol=1e-12, err_msg=t)


def test_documented_quirks() -> None:
    s = rouge(["a b c\na b c", "KİDNEY", "5 \u212a"], ["a b c a b c", "ki dney", "5 k"], types=["rougeL", "rougeLsum", "rouge1"])
    assert s["rougeL"].fmeasure[0] == 1.0 and s["rougeLsum"].fmeasure[0] == 0.5
    assert s["rouge1"].fmeasure[1] == 1.0 and s["rouge1"].fmeasure[2] == 1.0


def test_coco_rouge_l_parity(single_ref_pairs: Pairs, multi_ref_pairs: Pairs) -> None:
    for pairs in (single_ref_pairs, multi_ref_pairs):
        scorer = Rouge()
        expect = np.array([scorer.calc_score([h], refs) for h, refs in pairs])
        got = rouge([h for h, _ in pairs], [r for _, r in pairs], flavor="coco")["rougeL"].fmeasure
        np.testing.assert_allclose(got, expect, rtol=0, atol=1e-12)
    # split(" ") keeps empty tokens: two empty strings match perfectly.
    assert rouge([""], [""], flavor="coco")["rougeL"].fmeasure[0] == 1.0


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


def test_porter_stemmer_equals_nltk() -> None:
    words = _words()
    assert len(words) > 8000
    ref = PorterStemmer()
    bad = [(w, _core.porter_stem(w), ref.stem(w)) for w in words if _core.porter_stem(w) != ref.stem(w)]
    assert not bad, bad[:10]


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="invalid ROUGE type"):
        rouge(["a"], ["a"], types=["rouge0"])
    with pytest.raises(ValueError, match="invalid ROUGE type"):
        rouge(["a"], ["a"], types=["rougeW"])
    with pytest.raises(ValueError, match="2 hypotheses but 1"):
        rouge(["a", "b"], ["a"])
    with pytest.raises(ValueError, match="rougeL only"):
        rouge(["a"], ["a"], types=["rouge1"], flavor="coco")
    with pytest.raises(TypeError):
        rouge(["a"], ["a"], types="rouge1")


def test_agrees_with_rouge_score_rs_as_a_second_oracle(single_ref_pairs: Pairs) -> None:
    rs = pytest.importorskip("rouge_score_rs")
    pairs = _lsum_pairs(single_ref_pairs)
    hyps, refs = [h for h, _ in pairs], [r[0] for _, r in pairs]
    for stemmer in (False, True):
        expect = rs.RougeScorer(TYPES, use_stemmer=stemmer).score_batch(refs, hyps)
        got = rouge(hyps, refs, types=TYPES, stemmer=stemmer)
        for t in TYPES:
            np.testing.assert_allclose(got[t].fmeasure, [e[t].fmeasure for e in expect], rtol=0, atol=1e-12)
