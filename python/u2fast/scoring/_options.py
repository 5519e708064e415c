"""A text metric's options, declared once for all of its functions.

sacreBLEU builds a metric from its options (``CHRF(word_order=2)``) and scores with it; u2fast keeps the
functional face (``corpus_chrf(hyps, refs, word_order=2)``, ``sentence_chrf``, ``chrf_stats``). Each metric
declares its options as one frozen keyword-only dataclass (names, types, defaults), and
:func:`keyword_options` gives a function ``f(hyps, refs, options)`` those keywords: type checkers read them
from the dataclass (a ParamSpec), ``help()`` and ``inspect.signature`` show them, and an unknown or
positional option is refused with the function's name, as a written-out signature would refuse it.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec, Protocol, TypeVar

from ._segments import References

__all__ = ["TextScorer", "keyword_options"]

_P = ParamSpec("_P")
_O = TypeVar("_O")
_R = TypeVar("_R")
_R_co = TypeVar("_R_co", covariant=True)


class TextScorer(Protocol[_P, _R_co]):
    """``f(hyps, refs, **options)``, the options being those of one options dataclass."""

    __name__: str
    __qualname__: str

    def __call__(self, hyps: Sequence[str], refs: References, *args: _P.args, **kwargs: _P.kwargs) -> _R_co: ...


def keyword_options(
    options: Callable[_P, _O],
) -> Callable[[Callable[[Sequence[str], References, _O], _R]], TextScorer[_P, _R]]:
    """Decorate ``score(hyps, refs, options)`` into ``score(hyps, refs, *, <the fields of options>)``."""
    option_params = [
        p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in inspect.signature(options).parameters.values()
    ]

    def decorate(score: Callable[[Sequence[str], References, _O], _R]) -> TextScorer[_P, _R]:
        own = inspect.signature(score)
        *texts, _ = own.parameters.values()
        signature = own.replace(parameters=[*texts, *option_params])
        option_signature = inspect.Signature(option_params)

        @functools.wraps(score)
        def scorer(hyps: Sequence[str], refs: References, *args: _P.args, **kwargs: _P.kwargs) -> _R:
            try:
                chosen = options(*args, **kwargs)
            except TypeError:
                try:  # the dataclass would name itself: name the function that was called
                    option_signature.bind(*args, **kwargs)
                except TypeError as err:
                    raise TypeError(f"{score.__name__}() {err}") from None
                raise
            return score(hyps, refs, chosen)

        annotations: dict[str, Any] = {p.name: p.annotation for p in signature.parameters.values()}
        scorer.__signature__ = signature  # type: ignore[attr-defined]
        scorer.__annotations__ = annotations | {"return": own.return_annotation}
        return scorer

    return decorate
