"""A point value with its interval: the unit every score, summary and report field is made of."""

from __future__ import annotations

import msgspec

__all__ = ["Estimate"]


class Estimate(msgspec.Struct, frozen=True, omit_defaults=True):
    """A point value with an optional confidence interval (NaN when undefined)."""

    value: float
    low: float | None = None
    high: float | None = None
