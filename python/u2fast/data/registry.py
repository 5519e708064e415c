"""Named dataset sources (``--data NAME``) registered through ``u2fast_register_datasets``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Callable

from ..errors import RowError
from ..types import Case

__all__ = ["DatasetSource", "LoadOptions", "LoadResult"]


@dataclass(frozen=True)
class LoadOptions:
    strict: bool = False
    #: "auto", "cxcywh-norm", "xyxy-norm", "xywh-px", "xyxy-px", "cxcywh-px"
    bbox_format: str = "auto"
    #: Keep only these tasks / datasets (empty: all).
    tasks: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    limit: int | None = None


@dataclass
class LoadResult:
    cases: list[Case]
    #: Rows skipped (non-strict mode), each a RowError naming file, row and field.
    skipped: list[RowError] = field(default_factory=list)
    #: What the source says about itself: a fingerprint and the bbox layout used per dataset.
    fingerprint: str = ""
    bbox_format: dict[str, str] = field(default_factory=dict)
    description: str = ""


@dataclass(frozen=True)
class DatasetSource:
    name: str
    load: Callable[[LoadOptions], LoadResult]
    description: str = ""
    aliases: Sequence[str] = ()
