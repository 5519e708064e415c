"""Parity with rouge-score 0.1.2 and NLTK for the public tokenizer, the Porter stemmer and
``split_summaries=True`` (rougeLsum over nltk's sentences)."""

from __future__ import annotations

import random
import string

import nltk
import numpy as np
import pytest
from nltk.stem.porter import PorterStemmer
from nltk.tokenize.punkt import PunktSentenceTokenizer
from rouge_score.rouge_scorer import RougeScorer
from rouge_score.tokenizers import DefaultTokenizer

from u2fast.scoring import porter_stem, rouge, rouge_tokenize

from .conftest import QA_WORDS, generate_pairs, qa_pairs


@pytest.mark.parametrize("stemmer", [False, True])
def test_rouge_tokenize_equals_rouge_score(stemmer: bool) -> None:
    theirs = DefaultTokenizer(use_stemmer=stemmer)
    texts = [t for h, refs in qa_pairs(404, 1500, max_refs=2) for t in (h, *refs)]
    for text in texts:
        assert rouge_tokenize(text, stemmer=stemmer) == theirs.tokenize(text), text


def test_porter_stem_equals_nltk() -> None:
    rng = random.Random(8)
    words = list(QA_WORDS) + [w for h, _ in generate_pairs(3, 300) for w in h.split() if w.isascii()]
    suffixes = ["ational", "tional", "enci", "anci", "izer", "bli", "alli", "entli", "eli", "ousli", "ization", "ation",
                "ator", "alism", "iveness", "fulness", "ousness", "aliti", "iviti", "biliti", "logi", "icate", "ative",
                "alize", "iciti", "ical", "ful", "ness", "ement", "ment", "ent", "ion", "ou", "ism", "ate", "iti", "ous",
                "ive", "ize", "sses", "ies", "ss", "s", "eed", "ed", "ing", "y", "e", "ll", "at", "bl", "iz"]
    for _ in range(20_000):
        stem = "".join(rng.choice(string.ascii_lowercase[:8] + "aeiouy") for _ in range(rng.randint(0, 7)))
        words.append(stem + rng.choice(suffixes))
    words += [w.upper() for w in words[:500]] + ["", "a", "ab", "sky", "dying", "news", "howe"]
    nltk_stemmer = PorterStemmer()
    bad = [w for w in words if porter_stem(w) != nltk_stemmer.stem(w)]
    assert bad == []


def test_porter_stem_refuses_what_it_does_not_cover() -> None:
    with pytest.raises(ValueError, match="covers ASCII words"):
        porter_stem("cafés")
    with pytest.raises(TypeError, match="word is int"):
        porter_stem(3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="text is NoneType"):
        rouge_tokenize(None)  # type: ignore[arg-type]


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


def test_split_summaries_without_the_sentence_model_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(text: str) -> list[str]:
        raise LookupError("Resource punkt_tab not found.")

    monkeypatch.setattr(nltk, "sent_tokenize", missing)
    with pytest.raises(LookupError, match="python -m nltk.downloader punkt_tab"):
        rouge(["a. b."], ["a. b."], types=["rougeLsum"], split_summaries=True)
    with pytest.raises(ValueError, match="not flavor 'coco'"):
        rouge(["a"], ["a"], flavor="coco", split_summaries=True)
