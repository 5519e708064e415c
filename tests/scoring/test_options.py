"""Text metrics' keyword options, declared once per metric (u2fast.scoring._options): every public function
keeps its keyword signature, and a wrong option is refused in the name of the function that was called."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from u2fast.scoring import (
    bleu_stats,
    chrf_stats,
    corpus_bleu,
    corpus_chrf,
    corpus_ter,
    sentence_bleu,
    sentence_chrf,
    sentence_ter,
    ter_stats,
)
from u2fast.scoring._options import keyword_options
from u2fast.scoring._segments import References

_BLEU_STATS = {"flavor": "sacrebleu", "tokenize": "13a", "lowercase": False, "max_order": 4}
_BLEU_SMOOTH = {"smooth": "exp", "smooth_value": None}
_CHRF = {"char_order": 6, "word_order": 0, "beta": 2, "lowercase": False, "whitespace": False, "eps_smoothing": False}
_TER = {"normalized": False, "no_punct": False, "asian_support": False, "case_sensitive": False}

#: The public keyword options and their defaults, as the functions were written out before.
KEYWORDS: list[tuple[Callable[..., Any], dict[str, Any]]] = [
    (bleu_stats, _BLEU_STATS),
    (corpus_bleu, _BLEU_STATS | _BLEU_SMOOTH | {"effective_order": False}),
    (sentence_bleu, _BLEU_STATS | _BLEU_SMOOTH | {"use_effective_order": True}),
    (chrf_stats, _CHRF),
    (corpus_chrf, _CHRF),
    (sentence_chrf, _CHRF),
    (ter_stats, _TER),
    (corpus_ter, _TER),
    (sentence_ter, _TER),
]


@pytest.mark.parametrize(("function", "keywords"), KEYWORDS, ids=lambda v: getattr(v, "__name__", ""))
def test_each_text_metric_shows_its_keyword_options(function: Callable[..., Any], keywords: dict[str, Any]) -> None:
    params = list(inspect.signature(function).parameters.values())
    texts = inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert [(p.name, p.kind) for p in params[:2]] == [("hyps", texts), ("refs", texts)]
    assert {p.name: p.default for p in params[2:]} == keywords
    assert {p.kind for p in params[2:]} == {inspect.Parameter.KEYWORD_ONLY}
    hints = typing.get_type_hints(function)
    assert set(hints) == {"hyps", "refs", *keywords, "return"}
    assert function.__doc__ and function.__name__ in repr(function)


def test_a_wrong_option_is_refused_naming_the_function_called() -> None:
    with pytest.raises(TypeError, match=r"^corpus_chrf\(\) got an unexpected keyword argument 'betta'$"):
        corpus_chrf(["a"], ["a"], betta=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^sentence_ter\(\) too many positional arguments$"):
        sentence_ter(["a"], ["a"], True)  # type: ignore[call-arg]
    # sacreBLEU's sentence keyword is not corpus_bleu's
    with pytest.raises(TypeError, match=r"^corpus_bleu\(\) got an unexpected keyword argument 'use_effective_order'$"):
        corpus_bleu(["a"], ["a"], use_effective_order=True)  # type: ignore[call-arg]


def test_options_reach_the_function_and_texts_may_be_named() -> None:
    assert corpus_chrf(hyps=["a b c"], refs=["a b c"], word_order=2).name == "chrF2++"
    assert corpus_ter(["A b"], ["a b"], case_sensitive=True).score == 50.0
    assert corpus_ter(["A b"], ["a b"]).score == 0.0


@dataclass(frozen=True, kw_only=True)
class _Scale:
    factor: float = 1.0

    def __post_init__(self) -> None:
        if not isinstance(self.factor, (int, float)):
            raise TypeError(f"factor must be a number, not {type(self.factor).__name__}")


@keyword_options(_Scale)
def _lengths(hyps: Sequence[str], refs: References, options: _Scale) -> list[float]:
    """Each hypothesis's length, scaled."""
    return [options.factor * len(h) for h in hyps]


def test_keyword_options_builds_the_signature_from_the_options_type() -> None:
    assert _lengths(["ab", "c"], ["x", "y"], factor=2.0) == [4.0, 2.0]
    assert _lengths(["ab"], ["x"]) == [2.0]
    assert str(inspect.signature(_lengths)) == (
        "(hyps: 'Sequence[str]', refs: 'References', *, factor: 'float' = 1.0) -> 'list[float]'"
    )
    assert _lengths.__name__ == "_lengths" and _lengths.__doc__ == "Each hypothesis's length, scaled."
    # a TypeError of the options type's own checks is its own, not turned into a signature error
    with pytest.raises(TypeError, match=r"^factor must be a number, not str$"):
        _lengths(["a"], ["a"], factor="2")  # type: ignore[arg-type]
