"""Coordinate answers (``--answer-format box|point``): read the numbers a model wrote, then place them.

Reading is independent of conventions: :func:`read_coordinates` finds a box (4 numbers) or a point
(2 numbers) in JSON (``{"bbox_2d": [...]}``, ``{"box_2d": ...}``, ``{"point": ...}``, a list of such
objects, a bare list), in prose (``[12, 40, 88, 120]``, ``(30, 41)``, ``from (1, 2) to (3, 4)``,
``x1=..., y1=...``), or a "not visible" statement. Placing is :func:`place`: the numbers are read
under the model's declared convention (a layout of ``u2fast.data.bbox``) and the size of the image
as sent; numbers impossible under it are reported, never re-read under another convention.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..data.bbox import LAYOUTS, box_to_xyxy, check_layout, impossible_values, point_to_xy
from ..prompt_ids import answer_kind
from ..types import Case, CaseScore, Prediction, SectorTarget
from .aliases import NOT_VISIBLE_PHRASES
from .extract import Phrase, cached_phrases, find_mentions

__all__ = [
    "ANSWER_FORMATS",
    "Reading",
    "read_coordinates",
    "place",
    "sent_size",
    "coordinate_parser",
    "choose_convention",
    "spatial_inputs",
    "CALIBRATION_CASES",
    "IMPOSSIBLE",
]

#: ``sector`` is the benchmark's own format (and the only one in compat).
ANSWER_FORMATS = ("sector", "box", "point")
#: How a Prediction's reason starts when the numbers are impossible under the declared convention.
IMPOSSIBLE = "impossible under the declared convention"

_BOX_KEYS = ("bbox_2d", "box_2d", "bbox", "box", "bounding_box")
_POINT_KEYS = ("point_2d", "point", "keypoint", "coordinates", "coordinate")
#: Named prose coordinates, in the canonical (x, y) order they are returned in.
_BOX_NAMES = (("x1", "y1", "x2", "y2"), ("xmin", "ymin", "xmax", "ymax"), ("left", "top", "right", "bottom"))
_POINT_NAMES = (("x", "y"),)
_NUM = r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"
_GROUP = re.compile(rf"[\[(]\s*({_NUM}(?:\s*,\s*{_NUM})*)\s*[\])]")


def _not_visible() -> tuple[Phrase, ...]:
    # Compiled on first use (see parsers._sector_phrases): importing costs no regex compilation.
    return cached_phrases(tuple(("not visible", p, 0) for p in NOT_VISIBLE_PHRASES))


@dataclass(frozen=True)
class Reading:
    """What an answer says: ``values`` as written (``order`` "xy" when named ``x1=..``), or not visible."""

    values: tuple[float, ...] | None = None
    not_visible: bool = False
    reason: str = ""
    #: "xy" when the answer named its coordinates (the names fix the axis order, not the scale)
    order: str | None = None


def _numbers(value: object, n: int) -> tuple[float, ...] | None:
    if isinstance(value, list) and value and isinstance(value[0], list):
        value = value[0]  # [[x1, y1, x2, y2]]: the first
    if isinstance(value, list) and len(value) == n and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in value
    ):
        return tuple(float(v) for v in value)
    return None


def _from_json(doc: object, n: int) -> Reading | None:
    keys = _BOX_KEYS if n == 4 else _POINT_KEYS
    if isinstance(doc, list) and doc and all(isinstance(d, dict) for d in doc):
        doc = doc[0]  # [{"bbox_2d": [...], "label": "..."}]: the first object
    if isinstance(doc, dict):
        lowered = {str(k).lower(): v for k, v in doc.items()}
        for key in keys:
            if key in lowered:
                if lowered[key] is None or lowered[key] == []:
                    return Reading(not_visible=True, reason=f"JSON {key} is empty")
                found = _numbers(lowered[key], n)
                if found is not None:
                    return Reading(found, reason=f"JSON {key}")
                return Reading(reason=f"JSON {key} does not hold {n} numbers")
        if lowered.get("visible") is False:
            return Reading(not_visible=True, reason="JSON visible: false")
        return None
    found = _numbers(doc, n)
    return Reading(found, reason="JSON list") if found is not None else None


def _json_candidates(text: str) -> list[str]:
    fenced = re.findall(r"```(?:json)?\s*(.*?)```", text, re.S)
    out = [f.strip() for f in fenced]
    for opener, closer in (("{", "}"), ("[", "]")):
        start, end = text.find(opener), text.rfind(closer)
        if 0 <= start < end:
            out.append(text[start : end + 1])
    return out


def _named(text: str, n: int) -> Reading | None:
    for names in _BOX_NAMES if n == 4 else _POINT_NAMES:
        values = []
        for name in names:
            m = re.search(rf"\b{name}\s*[:=]\s*({_NUM})", text, re.I)
            if m is None:
                break
            values.append(float(m.group(1)))
        else:
            return Reading(tuple(values), reason="named coordinates", order="xy")
    return None


def read_coordinates(text: str, kind: str) -> Reading:
    """The box (``kind`` "box") or point ("point") an answer gives, or why there is none."""
    n = 4 if kind == "box" else 2
    for candidate in _json_candidates(text):
        try:
            doc = json.loads(candidate)
        except ValueError:
            continue
        found = _from_json(doc, n)
        if found is not None:
            return found
    named = _named(text, n)
    if named is not None:
        return named
    groups = [tuple(float(v) for v in g.split(",")) for g in _GROUP.findall(text)]
    exact = next((g for g in groups if len(g) == n), None)
    if exact is not None:
        return Reading(exact, reason="coordinates in the text")
    pairs = [g for g in groups if len(g) == 2]
    if n == 4 and len(pairs) >= 2:  # "from (x1, y1) to (x2, y2)"
        return Reading(pairs[0] + pairs[1], reason="two corner points in the text")
    if any(not m.negated for m in find_mentions(text.lower(), _not_visible())):
        return Reading(not_visible=True, reason="says not visible")
    return Reading(reason=f"no {kind} found")


def sent_size(case: Case, max_side: int | None) -> tuple[float, float]:
    """Width and height of the image as the model saw it (after ``--max-side`` downscaling)."""
    from ..data.images import scaled_size  # late: the image module loads PIL, which scoring rarely needs

    w, h = scaled_size(case.image.width or 0, case.image.height or 0, max_side)
    return float(w), float(h)


def place(reading: Reading, kind: str, convention: str, width: float, height: float) -> tuple[tuple[float, ...] | None, str | None]:
    """``(normalized box (x1, y1, x2, y2) or point (x, y), None)``, or ``(None, why it is impossible)``."""
    assert reading.values is not None
    values = reading.values
    if reading.order == "xy" and convention.startswith("yx"):
        # named x/y values: the names fix the order; the convention still gives the scale
        values = (values[1], values[0], values[3], values[2]) if kind == "box" else (values[1], values[0])
    problem = impossible_values(values, convention, width, height)
    if problem is not None:
        return None, problem
    if kind == "box":
        return box_to_xyxy(values, convention, width, height), None
    return point_to_xy(values, convention, width, height), None


def coordinate_parser(kind: str, convention: str, max_side: int | None) -> Callable[[str, Case], Prediction]:
    """A ``Parse`` for coordinate answers of one model: value = normalized box/point or "not visible"."""
    check_layout(convention)

    def parse(text: str, case: Case) -> Prediction:
        reading = read_coordinates(text, kind)
        if reading.not_visible:
            return Prediction(case.case_id, "not visible")
        if reading.values is None:
            return Prediction(case.case_id, None, parsed=False, reason=reading.reason)
        w, h = sent_size(case, max_side)
        placed, problem = place(reading, kind, convention, w, h)
        if placed is None:
            return Prediction(case.case_id, None, parsed=False, reason=f"{IMPOSSIBLE}: {problem}")
        return Prediction(case.case_id, placed)

    return parse


def spatial_inputs(
    cases: Sequence[Case], scores: Sequence[CaseScore], answer_format: str
) -> dict[str, tuple[tuple[str, ...], np.ndarray]]:
    """Per scenario key: the coordinate metric names and per-case values ``(cases, metrics)``.

    Only counted cases with a visible ground truth have values. An answer that gave no coordinate
    (not visible, unparsed, impossible) scores 0 on IoU, hit, centre-in-box and PCK; its distances
    are undefined (NaN) and so left out of the distance means.
    """
    from ..scoring import BOX_METRICS, POINT_METRICS, spatial_scores

    rows: dict[str, list[tuple[Case, CaseScore]]] = {}
    for case, score in zip(cases, scores):
        if isinstance(case.target, SectorTarget) and score.counted:
            rows.setdefault(case.scenario, []).append((case, score))
    out: dict[str, tuple[tuple[str, ...], np.ndarray]] = {}
    for key, group in rows.items():
        kind = answer_kind(group[0][0].task, answer_format)
        n = 4 if kind == "box" else 2
        names = BOX_METRICS if kind == "box" else POINT_METRICS
        truth = np.full((len(group), n), np.nan)
        pred = np.full((len(group), n), np.nan)
        for i, (case, score) in enumerate(group):
            target = case.target
            assert isinstance(target, SectorTarget)
            if kind == "box" and case.box is not None:
                truth[i] = case.box
            elif kind == "point" and target.cx is not None and target.cy is not None:
                truth[i] = (target.cx, target.cy)
            if score.coords is not None and len(score.coords) == n:
                pred[i] = score.coords
        width = np.array([float(c.image.width or 0) for c, _ in group])
        height = np.array([float(c.image.height or 0) for c, _ in group])
        values = spatial_scores(pred, truth, width, height)
        no_answer = ~np.isnan(truth).any(axis=1) & np.isnan(pred).any(axis=1)
        shares = [j for j, name in enumerate(names) if "distance" not in name]
        values[np.ix_(no_answer, shares)] = 0.0
        out[key] = (names, values)
    return out


#: ``--coords auto``: how many answered cases with a visible target pick a model's convention.
CALIBRATION_CASES = 12


def choose_convention(samples: Sequence[tuple[Case, str]], kind_of: Callable[[Case], str]) -> tuple[str | None, int]:
    """``--coords auto``: the one layout under which a model's first answers fit their targets best.

    ``samples`` are (case, answer text) in run order; the first :data:`CALIBRATION_CASES` whose
    target is visible and whose answer holds coordinates are read under every layout, scoring each
    case's IoU (boxes) or 1 - distance (points; an impossible reading scores 0). The best mean wins,
    ties going to the earlier layout. Returns (layout or None when nothing could calibrate, cases
    used). The choice then holds for every answer of the model: no answer is read twice.
    """
    from ..scoring import spatial_scores

    used: list[tuple[Case, Reading, str]] = []
    for case, text in samples:
        target = case.target
        if not isinstance(target, SectorTarget) or target.cx is None or target.cy is None:
            continue
        kind = kind_of(case)
        if kind == "box" and case.box is None:
            continue
        reading = read_coordinates(text, kind)
        if reading.values is not None:
            used.append((case, reading, kind))
        if len(used) == CALIBRATION_CASES:
            break
    if not used:
        return None, 0
    best, best_score = None, -1.0
    for layout in LAYOUTS:
        total = 0.0
        for case, reading, kind in used:
            target = case.target
            assert isinstance(target, SectorTarget)
            w, h = float(case.image.width or 0), float(case.image.height or 0)
            placed, _ = place(reading, kind, layout, w, h)
            if placed is None:
                continue
            assert target.cx is not None and target.cy is not None
            truth: tuple[float, ...] = (case.box or ()) if kind == "box" else (target.cx, target.cy)
            score = spatial_scores([placed], [truth], [w], [h])[0]
            total += float(score[0]) if kind == "box" else max(0.0, 1.0 - float(score[0]))
        if total / len(used) > best_score:
            best, best_score = layout, total / len(used)
    return best, len(used)
