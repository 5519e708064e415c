"""ROUGE's own rules, without a reference library: the documented quirks (docs/reference-metrics.md 3) and errors
that name the offending argument (parity: tests/parity/test_rouge.py)."""

from __future__ import annotations

import nltk
import pytest

from u2fast.scoring import porter_stem, rouge, rouge_tokenize


def test_documented_quirks() -> None:
    s = rouge(["a b c\na b c", "KİDNEY", "5 \u212a"], ["a b c a b c", "ki dney", "5 k"], types=["rougeL", "rougeLsum", "rouge1"])
    assert s["rougeL"].fmeasure[0] == 1.0 and s["rougeLsum"].fmeasure[0] == 0.5
    assert s["rouge1"].fmeasure[1] == 1.0 and s["rouge1"].fmeasure[2] == 1.0
    # coco's split(" ") keeps empty tokens: two empty strings match perfectly.
    assert rouge([""], [""], flavor="coco")["rougeL"].fmeasure[0] == 1.0


def test_empty_input_and_bad_input() -> None:
    empty = rouge([], [])
    assert set(empty) == {"rouge1", "rouge2", "rougeL", "rougeLsum"} and empty["rouge1"].fmeasure.shape == (0,)
    assert rouge([], [], flavor="coco")["rougeL"].fmeasure.shape == (0,)
    with pytest.raises(ValueError, match="invalid ROUGE type"):
        rouge(["a"], ["a"], types=["rouge0"])
    with pytest.raises(ValueError, match="invalid ROUGE type"):
        rouge(["a"], ["a"], types=["rougeW"])
    with pytest.raises(ValueError, match="2 hypotheses but 1"):
        rouge(["a", "b"], ["a"])
    with pytest.raises(ValueError, match="no stemmer"):
        rouge(["a"], ["a"], flavor="coco", stemmer=True)
    with pytest.raises(ValueError, match="rougeL only"):
        rouge(["a"], ["a"], types=["rouge1"], flavor="coco")
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


def test_porter_stem_refuses_what_it_does_not_cover() -> None:
    with pytest.raises(ValueError, match="covers ASCII words"):
        porter_stem("cafés")
    with pytest.raises(TypeError, match="word is int"):
        porter_stem(3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="text is NoneType"):
        rouge_tokenize(None)  # type: ignore[arg-type]


def test_split_summaries_without_the_sentence_model_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(text: str) -> list[str]:
        raise LookupError("Resource punkt_tab not found.")

    monkeypatch.setattr(nltk, "sent_tokenize", missing)
    with pytest.raises(LookupError, match="python -m nltk.downloader punkt_tab"):
        rouge(["a. b."], ["a. b."], types=["rougeLsum"], split_summaries=True)
    with pytest.raises(ValueError, match="not flavor 'coco'"):
        rouge(["a"], ["a"], flavor="coco", split_summaries=True)
