"""The target of a row, read from its cells: a label (DD, VRA), a measurement (CVE), or the
structure and box of a sector task (LL, OD, KD), whose layout is decided per dataset later.

Each reader raises what ``bad(field, reason)`` makes (a RowError naming the row and field).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..errors import RowError
from ..types import ImageRef, LabelTarget, ValueTarget
from ..u2bench.scenarios import Scenario
from . import columns as col
from .bbox import Annotation

__all__ = ["Bad", "label_target", "sector_annotation", "value_target"]

#: Makes the error of a bad cell: ``bad(field, reason)``.
Bad = Callable[[str, str], RowError]


def label_target(cells: Mapping[str, Any], sc: Scenario, bad: Bad) -> LabelTarget:
    """The option a DD/VRA row is labelled with, matched against the scenario's options."""
    found = col.first_present(cells, col.LABEL_COLUMNS)
    if found is None:
        raise bad(col.LABEL_COLUMNS[0], "missing field: no class_label/classes/class value")
    column, raw_label = found
    try:
        label = col.clean_label(raw_label)
    except ValueError as exc:
        raise bad(column, str(exc)) from None
    option = col.match_option(label, sc.options)
    if option is None:
        raise bad(column, f"unknown label {label!r}; {sc.key} options: {', '.join(sc.options)}")
    return LabelTarget(option, sc.options)


def value_target(cells: Mapping[str, Any], sc: Scenario, bad: Bad) -> ValueTarget:
    """The measured value of a CVE row, with the scenario's range and unit."""
    raw_value = cells.get("measurement")
    if col.is_missing(raw_value):
        raise bad("measurement", "missing field: no measurement value")
    try:
        value = col.measurement_value(raw_value, sc.measurement_key)
    except ValueError as exc:
        raise bad("measurement", str(exc)) from None
    return ValueTarget(value, sc.low, sc.high, sc.unit)


def sector_annotation(
    cells: Mapping[str, Any], task: str, sc: Scenario, image: ImageRef
) -> tuple[str | None, Annotation | None, bool]:
    """The structure asked about, its box or point (layout decided later, per dataset), and whether
    it came from ``keypoints``."""
    order = ("keypoints", "gt_bbox") if task == "KD" else ("gt_bbox", "keypoints")
    found = col.first_present(cells, order)
    name, numbers = col.first_annotation(found[1]) if found else (None, None)
    if task == "LL":
        structure = None
    elif task == "OD":
        # The structure asked about is the one whose box is scored (the first gt_bbox entry) when
        # seg_channel_name lists it, else the first listed name.
        names = col.structure_names(cells.get("seg_channel_name"))
        structure = name if name in names else (names[0] if names else name or sc.subject)
    else:
        structure = name or sc.subject
    annotation = Annotation(tuple(numbers), image.width, image.height) if numbers else None
    return structure, annotation, bool(found and found[0] == "keypoints")
