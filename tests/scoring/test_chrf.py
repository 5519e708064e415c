"""chrF's own rules: options checked and named, the metric's name written as sacreBLEU writes it, and no
score for an empty corpus (its equality with sacreBLEU is tests/parity/test_chrf.py)."""

from __future__ import annotations

import pytest

from u2fast.scoring import chrf_stats, corpus_chrf, sentence_chrf


@pytest.mark.parametrize(("beta", "name"), [(2, "chrF2"), (2.0, "chrF2.0"), (0.5, "chrF0.5"), (3, "chrF3")])
def test_name_writes_beta_as_python_prints_it(beta: float, name: str) -> None:
    # sacreBLEU names the metric f"chrF{beta}": CHRF(beta=2.0) is "chrF2.0", CHRF(beta=2) "chrF2"
    assert corpus_chrf(["a b"], ["a c"], beta=beta).name == name
    assert corpus_chrf(["a b"], ["a c"], beta=beta, word_order=2).name == name + "++"


@pytest.mark.parametrize("option", ["char_order", "word_order"])
@pytest.mark.parametrize("value", [-1, 1.5, True])
def test_an_order_that_is_not_a_count_is_named(option: str, value: object) -> None:
    # a negative order once overflowed inside the core instead of naming the option
    with pytest.raises(ValueError, match=f"{option} must be an integer >= 0, got"):
        corpus_chrf(["a"], ["a"], **{option: value})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=f"{option} must be an integer >= 0, got"):
        chrf_stats(["a"], ["a"], **{option: value})  # type: ignore[arg-type]


@pytest.mark.parametrize("beta", ["2", None, float("nan")])
def test_beta_that_is_not_a_number_is_named(beta: object) -> None:
    with pytest.raises(ValueError, match="beta must be a finite number, got"):
        sentence_chrf(["a"], ["a"], beta=beta)  # type: ignore[arg-type]


def test_an_empty_corpus_has_no_score() -> None:
    with pytest.raises(ValueError, match="corpus chrF needs at least one pair"):
        corpus_chrf([], [])
    assert sentence_chrf([], []).shape == (0,)
