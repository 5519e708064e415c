"""A function's keyword options, declared once as a frozen dataclass for every function that takes them.

sacreBLEU builds a metric from its options (``CHRF(word_order=2)``) and scores with it; u2fast keeps the
functional face (``corpus_chrf(hyps, refs, word_order=2)``, ``sentence_chrf``, ``chrf_stats``). Each metric
declares its options as one frozen keyword-only dataclass (names, types, defaults), and
:func:`keyword_options` gives a function ``f(hyps, refs, options)`` those keywords: type checkers read them
from the dataclass (a ParamSpec), ``help()`` and ``inspect.signature`` show them, and an unknown or
positional option is refused with the function's name, as a written-out signature would refuse it.
:class:`options_as_keywords` does the same for any leading positional parameters (the bootstrap and run
aggregation functions, whose resampling keywords are shared the same way).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Any, Concatenate, Generic, ParamSpec, Protocol, TypeVar, overload

from ._segments import References

__all__ = ["TextScorer", "keyword_options", "options_as_keywords"]

_P = ParamSpec("_P")
_O = TypeVar("_O")
_R = TypeVar("_R")
_R_co = TypeVar("_R_co", covariant=True)
_A = TypeVar("_A")
_B = TypeVar("_B")
_C = TypeVar("_C")
_D = TypeVar("_D")
_E = TypeVar("_E")
_F = TypeVar("_F")


class TextScorer(Protocol[_P, _R_co]):
    """``f(hyps, refs, **options)``, the options being those of one options dataclass."""

    __name__: str
    __qualname__: str

    def __call__(self, hyps: Sequence[str], refs: References, *args: _P.args, **kwargs: _P.kwargs) -> _R_co: ...


def _with_keywords(options: Callable[..., Any], function: Callable[..., _R]) -> Callable[..., _R]:
    """``function(positional..., options)`` as ``function(positional..., *, <the fields of options>)``."""
    own = inspect.signature(function)
    *positional, _ = own.parameters.values()
    option_params = [
        p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in inspect.signature(options).parameters.values()
    ]
    signature = own.replace(parameters=[*positional, *option_params])
    names = [p.name for p in positional]

    @functools.wraps(function)
    def with_keywords(*args: Any, **kwargs: Any) -> _R:
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as err:  # a generic wrapper's error would not say which function was called
            raise TypeError(f"{function.__name__}() {err}") from None
        given = bound.arguments
        # the options type's own TypeError (a check of its values) is its own: it is not caught here
        chosen = options(**{k: v for k, v in given.items() if k not in names})
        return function(*(given[n] for n in names), chosen)

    annotations: dict[str, Any] = {p.name: p.annotation for p in signature.parameters.values()}
    with_keywords.__signature__ = signature  # type: ignore[attr-defined]
    with_keywords.__annotations__ = annotations | {"return": own.return_annotation}
    return with_keywords


def keyword_options(
    options: Callable[_P, _O],
) -> Callable[[Callable[[Sequence[str], References, _O], _R]], TextScorer[_P, _R]]:
    """Decorate ``score(hyps, refs, options)`` into ``score(hyps, refs, *, <the fields of options>)``."""

    def decorate(score: Callable[[Sequence[str], References, _O], _R]) -> TextScorer[_P, _R]:
        scorer: TextScorer[_P, _R] = _with_keywords(options, score)
        return scorer

    return decorate


class options_as_keywords(Generic[_P, _O]):
    """Decorate ``f(a, ..., options)`` into ``f(a, ..., *, <the fields of options>)``.

    Type checkers see the positional parameters as positional-only (their names still work at run time)
    and check the keywords against the options dataclass.
    """

    def __init__(self, options: Callable[_P, _O]) -> None:
        self.options = options

    @overload
    def __call__(self, function: Callable[[_A, _O], _R]) -> Callable[Concatenate[_A, _P], _R]: ...
    @overload
    def __call__(self, function: Callable[[_A, _B, _O], _R]) -> Callable[Concatenate[_A, _B, _P], _R]: ...
    @overload
    def __call__(
        self, function: Callable[[_A, _B, _C, _D, _E, _O], _R]
    ) -> Callable[Concatenate[_A, _B, _C, _D, _E, _P], _R]: ...
    @overload
    def __call__(
        self, function: Callable[[_A, _B, _C, _D, _E, _F, _O], _R]
    ) -> Callable[Concatenate[_A, _B, _C, _D, _E, _F, _P], _R]: ...
    def __call__(self, function: Callable[..., _R]) -> Callable[..., _R]:
        return _with_keywords(self.options, function)
