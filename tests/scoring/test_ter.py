"""TER's own rules: input checks naming the bad segment, case handling, empty corpora and text (its equality
with sacreBLEU is tests/parity/test_ter.py)."""

from __future__ import annotations

import pytest

from u2fast.scoring import corpus_ter, sentence_ter, ter_stats


def test_bad_input_is_named() -> None:
    with pytest.raises(TypeError, match=r"refs\[1\]\[0\] is NoneType"):
        corpus_ter(["a", "b"], [["a"], [None]])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="pair 0 has no reference"):
        sentence_ter(["a"], [[]])
    with pytest.raises(ValueError, match="2 hypotheses but 1 references"):
        ter_stats(["a", "b"], ["a"])
    with pytest.raises(TypeError, match="not one string"):
        corpus_ter("a b", "a b")


def test_case_is_ignored_unless_asked() -> None:
    assert sentence_ter(["The LIVER"], ["the liver"]).tolist() == [0.0]
    assert sentence_ter(["The LIVER"], ["the liver"], case_sensitive=True).tolist() == [100.0]


def test_empty_corpus_and_empty_text() -> None:
    # An empty corpus has no TER (sacreBLEU fails on it too): an error, never a score of 0.
    with pytest.raises(ValueError, match="corpus TER needs at least one pair"):
        corpus_ter([], [])
    assert sentence_ter([], []).signature.startswith("nrefs:1|")
    # No reference words: 100 when the hypothesis has words, 0 when it has none.
    assert sentence_ter(["a b", ""], ["", " "]).tolist() == [100.0, 0.0]
    assert ter_stats(["a b"], [["", "x y z"]]).tolist() == [[2.0, 1.5]]
