"""sacreBLEU's reproducibility signatures (BLEU, chrF, TER), and sentence scores that carry one."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["SACREBLEU_VERSION", "SentenceScores", "bleu_signature", "chrf_signature", "nrefs_of", "ter_signature"]

#: The sacreBLEU release whose numbers the sacreBLEU metrics reproduce (its signatures' version).
SACREBLEU_VERSION = "2.6.0"
_SMOOTH_DEFAULTS: dict[str, float | None] = {"none": None, "floor": 0.1, "add-k": 1.0, "exp": None}


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def nrefs_of(refs: list[list[str]]) -> int | str:
    """The signature's reference count: the common count, "var" when segments differ, 1 for no segments."""
    counts = {len(r) for r in refs}
    if not counts:
        return 1
    return counts.pop() if len(counts) == 1 else "var"


def bleu_signature(
    nrefs: int | str, *, tokenize: str, lowercase: bool, smooth: str, smooth_value: float | None, effective_order: bool
) -> str:
    """sacreBLEU's ``BLEU(...).get_signature()`` for these options."""
    default = _SMOOTH_DEFAULTS.get(smooth)
    smooth_str = smooth if default is None else f"{smooth}[{(default if smooth_value is None else smooth_value):.2f}]"
    return (f"nrefs:{nrefs}|case:{'lc' if lowercase else 'mixed'}|eff:{_yes(effective_order)}"
            f"|tok:{tokenize}|smooth:{smooth_str}|version:{SACREBLEU_VERSION}")


def chrf_signature(
    nrefs: int | str, *, char_order: int, word_order: int, lowercase: bool, whitespace: bool, eps_smoothing: bool
) -> str:
    """sacreBLEU's ``CHRF(...).get_signature()`` for these options."""
    return (f"nrefs:{nrefs}|case:{'lc' if lowercase else 'mixed'}|eff:{_yes(not eps_smoothing)}"
            f"|nc:{char_order}|nw:{word_order}|space:{_yes(whitespace)}|version:{SACREBLEU_VERSION}")


def ter_signature(
    nrefs: int | str, *, normalized: bool, no_punct: bool, asian_support: bool, case_sensitive: bool
) -> str:
    """sacreBLEU's ``TER(...).get_signature()`` for these options (``punct:yes`` means punctuation is kept)."""
    return (f"nrefs:{nrefs}|case:{'mixed' if case_sensitive else 'lc'}|tok:tercom|norm:{_yes(normalized)}"
            f"|punct:{_yes(not no_punct)}|asian:{_yes(asian_support)}|version:{SACREBLEU_VERSION}")


class SentenceScores(np.ndarray[tuple[int], np.dtype[np.float64]]):
    """One score per pair: a float64 array that also carries ``signature``, the signature sacreBLEU gives
    each of these sentence scores (``nrefs:var`` when pairs have different numbers of references).

    Slices keep the signature; arithmetic on the scores gives plain arrays, which no longer are those scores.
    """

    signature: str

    def __new__(cls, scores: npt.ArrayLike, signature: str) -> SentenceScores:
        obj = np.asarray(scores, dtype=np.float64).view(cls)
        obj.signature = signature
        return obj

    def __array_finalize__(self, obj: npt.NDArray[Any] | None, /) -> None:
        self.signature = getattr(obj, "signature", "")

    def __array_wrap__(
        self, array: npt.NDArray[Any], context: Any = None, return_scalar: bool = False, /
    ) -> Any:
        plain = array.view(np.ndarray)
        return plain[()] if return_scalar else plain
