"""The two scoring modes: ``compat`` (the official kit's rules) and ``robust`` (honest parsing).

One type, validated once where a value enters (CLI flag, library argument, scores.json), so that
deeper layers never compare free strings.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["ScoringMode", "SCORING_MODES", "scoring_mode"]

ScoringMode = Literal["compat", "robust"]
SCORING_MODES: tuple[ScoringMode, ...] = ("compat", "robust")


def scoring_mode(value: str) -> ScoringMode:
    """``value`` as a scoring mode; ``ValueError`` naming the valid modes otherwise."""
    for mode in SCORING_MODES:
        if value == mode:
            return mode
    raise ValueError(f"unknown scoring mode {value!r}; modes: {', '.join(SCORING_MODES)}")
