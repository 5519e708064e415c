"""What every dataset loader takes and gives back (LoadOptions, LoadResult), and a named source
(``--data NAME``, DatasetSource) that plugins register through ``u2fast_register_datasets``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..errors import RowError
from ..types import Case

__all__ = ["DatasetSource", "LoadOptions", "LoadResult"]


@dataclass(frozen=True)
class LoadOptions:
    strict: bool = False
    #: "auto", "cxcywh-norm", "xyxy-norm", "xywh-px", "xyxy-px", "cxcywh-px"
    bbox_format: str = "auto"
    #: Keep only these tasks / datasets (empty: all). A dataset is named by its id (``21``) or its
    #: scenario key (``DD/21``).
    tasks: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    #: At most this many cases per scenario (the first ones in file order); rows past the limit are
    #: not read further, so a quick run does not pay for validating every image.
    limit: int | None = None


@dataclass
class LoadResult:
    cases: list[Case]
    #: Rows skipped (non-strict mode), each a RowError naming file, row and field.
    skipped: list[RowError] = field(default_factory=list)
    #: A stable hash of the cases (ids, targets, image sha256); see ``u2fast.data.fingerprint``.
    fingerprint: str = ""
    #: Box layout used per scenario key (``LL/04`` -> ``cxcywh-norm``); KD keypoints read ``point-norm``.
    bbox_format: dict[str, str] = field(default_factory=dict)
    description: str = ""
    #: Things a user should know that are not bad rows (e.g. an ambiguous box layout).
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DatasetSource:
    name: str
    load: Callable[[LoadOptions], LoadResult]
    description: str = ""
    aliases: Sequence[str] = ()
