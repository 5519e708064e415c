"""Keyword options declared once per family of functions (u2fast.scoring._options): the text metrics, the
bootstrap intervals and the run aggregations keep their keyword signatures, and a wrong option is refused in the
name of the function that was called. The ``type: ignore`` comments say what the type checker refuses:
``mypy tests/scoring/test_options.py`` (strict) fails on an ignore that is not needed, so each wrong call below
must also be a type error."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from u2fast.scoring import (
    aggregate_cases,
    bleu_stats,
    bootstrap_ci,
    chrf_stats,
    corpus_bleu,
    corpus_chrf,
    corpus_ter,
    paired_bootstrap,
    paired_run_bootstrap,
    sentence_bleu,
    sentence_chrf,
    sentence_ter,
    ter_stats,
    two_stage_bootstrap,
)
from u2fast.scoring._options import keyword_options, options_as_keywords
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


_RESAMPLED = {"method": "bca", "confidence": 0.95, "n_resamples": 10_000, "seed": 0, "strata": None, "smooth": "exp",
              "smooth_value": None, "return_distribution": False}
_RUN = ("dataset_index", "dataset_task", "dataset_in_u2")
_RUN_RESAMPLING = {"missing_cve_is_perfect": True, "n_resamples": 1000, "confidence": 0.95, "seed": 0}
_STRATIFIED = _RUN_RESAMPLING | {"tolerance": 0.1, "return_distribution": False}

#: The statistics' positional parameters and keyword options with their defaults, as written out before.
STATISTICS_KEYWORDS: list[tuple[Callable[..., Any], tuple[str, ...], dict[str, Any]]] = [
    (bootstrap_ci, ("data",), _RESAMPLED | {"statistic": "mean", "denominator": None}),
    (paired_bootstrap, ("a", "b"), _RESAMPLED | {"statistic": "accuracy"}),
    (aggregate_cases, (*_RUN, "correct", "error", "bleu"), _STRATIFIED | {"n_resamples": 0}),
    (two_stage_bootstrap, (*_RUN, "correct", "error", "bleu"), _RUN_RESAMPLING | {"stratified": None}),
    (paired_run_bootstrap, (*_RUN, "a", "b"), _STRATIFIED),
]


@pytest.mark.parametrize(("function", "positional", "keywords"), STATISTICS_KEYWORDS,
                         ids=lambda v: getattr(v, "__name__", ""))
def test_each_statistic_shows_its_positional_parameters_and_keyword_options(
    function: Callable[..., Any], positional: tuple[str, ...], keywords: dict[str, Any]
) -> None:
    params = list(inspect.signature(function).parameters.values())
    n = len(positional)
    assert [(p.name, p.kind, p.default) for p in params[:n]] == [
        (name, inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.empty) for name in positional
    ]
    assert {p.name: p.default for p in params[n:]} == keywords
    assert len(params) == n + len(keywords)
    assert {p.kind for p in params[n:]} == {inspect.Parameter.KEYWORD_ONLY}
    assert set(typing.get_type_hints(function)) == {*positional, *keywords, "return"}
    assert function.__doc__ and function.__name__ in repr(function)


def test_a_wrong_statistic_keyword_is_refused_naming_the_function_called() -> None:
    with pytest.raises(TypeError, match=r"^bootstrap_ci\(\) got an unexpected keyword argument 'resamples'$"):
        bootstrap_ci([1.0, 0.0], resamples=10)  # type: ignore[call-arg]
    # the one-sample keyword is not the paired one's
    with pytest.raises(TypeError, match=r"^paired_bootstrap\(\) got an unexpected keyword argument 'denominator'$"):
        paired_bootstrap([1.0], [0.0], denominator=[1.0])  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^paired_bootstrap\(\) too many positional arguments$"):
        paired_bootstrap([1.0], [0.0], "mean")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^two_stage_bootstrap\(\) got an unexpected keyword argument 'tolerance'$"):
        two_stage_bootstrap([0], [0], [True], [1.0], None, None, tolerance=0.2)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^aggregate_cases\(\) got an unexpected keyword argument 'stratified'$"):
        aggregate_cases([0], [0], [True], [1.0], None, None, stratified=None)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^paired_run_bootstrap\(\) missing a required argument: 'b'$"):
        paired_run_bootstrap([0], [0], [True], ([1.0], None, None))  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^paired_run_bootstrap\(\) got an unexpected keyword argument 'n'$"):
        paired_run_bootstrap([0], [0], [True], ([1.0], None, None), ([0.0], None, None), n=5)  # type: ignore[call-arg]


def test_statistic_options_reach_the_function_and_arrays_may_be_named() -> None:
    ones = [1.0, 1.0, 0.0, 1.0]
    # the arrays keep their names at run time; type checkers read them as positional-only (Concatenate)
    by_name = bootstrap_ci(data=ones, method="percentile", n_resamples=200, seed=3, confidence=0.9)  # type: ignore[call-arg]
    assert (by_name.method, by_name.n_resamples, by_name.confidence) == ("percentile", 200, 0.9)
    assert by_name == bootstrap_ci(ones, method="percentile", n_resamples=200, seed=3, confidence=0.9)
    ratio = bootstrap_ci([1.0, 2.0], statistic="ratio", denominator=[2.0, 2.0], n_resamples=50)
    assert ratio.estimate == 0.75
    # a bad method is refused before the data are read, as before (the data here are not 1-D)
    with pytest.raises(ValueError, match=r"^method must be 'percentile' or 'bca', got 'basic'$"):
        paired_bootstrap([[1.0]], [[0.0]], method="basic")
    run = aggregate_cases([0, 0], [0], [True], [1.0, 0.0], None, None)
    assert run.intervals is None and run.task_metric[0] == 0.5
    with_intervals = aggregate_cases([0, 0], [0], [True], [1.0, 0.0], None, None, n_resamples=20, seed=4)
    assert with_intervals.intervals is not None and with_intervals.intervals.seed == 4
    paired = paired_run_bootstrap([0, 0], [0], [True], ([1.0, 1.0], None, None), ([1.0, 0.0], None, None),
                                  n_resamples=30, confidence=0.8)
    assert paired.task_difference[0] == 0.5 and paired.intervals.confidence == 0.8
    two = two_stage_bootstrap([0, 0], [0], [True], np.array([1.0, 0.0]), None, None, n_resamples=40, seed=1)
    assert (two.n_resamples, two.seed) == (40, 1)


@dataclass(frozen=True, kw_only=True)
class _Offset:
    by: int = 0


@options_as_keywords(_Offset)
def _shifted(a: list[int], b: list[int], options: _Offset) -> list[int]:
    """Pairwise sums, shifted."""
    return [x + y + options.by for x, y in zip(a, b, strict=True)]


def test_options_as_keywords_keeps_any_positional_parameters() -> None:
    assert _shifted([1], [2], by=3) == [6]
    assert _shifted(b=[2], a=[1]) == [3]  # type: ignore[call-arg]
    assert str(inspect.signature(_shifted)) == "(a: 'list[int]', b: 'list[int]', *, by: 'int' = 0) -> 'list[int]'"
    with pytest.raises(TypeError, match=r"^_shifted\(\) missing a required argument: 'b'$"):
        _shifted([1])  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^_shifted\(\) got an unexpected keyword argument 'byy'$"):
        _shifted([1], [2], byy=1)  # type: ignore[call-arg]


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
