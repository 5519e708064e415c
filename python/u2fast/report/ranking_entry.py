"""A model's place in the joint rank bootstrap (kept apart from the computation so the report schema
can name it without importing the scorer)."""

from __future__ import annotations

import msgspec

__all__ = ["RankEntry"]


class RankEntry(msgspec.Struct):
    """One model's place among the models it was ranked with (``group``: the data fingerprint)."""

    group: str
    models: int
    cases: int
    rank: int
    #: 95% (the report's confidence) interval of the resampled ranks
    low: int
    high: int
    p_first: float
    mean_rank: float
