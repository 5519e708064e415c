"""One phantom case per (scenario, number): the picture and the release-style cells that describe it exactly.

The ground truth is chosen first and the picture drawn from it, so it is exact by construction:

- DD: options that mean "no disease" draw no lesion; the others draw one lesion whose margin grows
  rougher (smooth oval with posterior enhancement -> spiculated, taller-than-wide, shadowing) with the
  option's rank among the disease options (listed order; Kellgren-Lawrence order for the knee set).
- VRA: option k draws a fixed pattern (1 + k mod 4 dark structures on a ring, turned by k div 4
  eighths of a turn), so every option looks different and the same option always looks alike.
- LL / OD / KD: a lesion / a walled organ / a bright point; the stored box (normalized cx, cy, w, h)
  is the bounding box of the drawn pixel mask, so the sector follows from what is drawn.
- CVE: a size in mm drawn at a stated pixel spacing (IMT band thickness; HC and AC ellipse
  perimeters), EF from end-diastolic and end-systolic ventricle areas (volume taken as area^1.5),
  liver fat as liver brightness against a fixed kidney-cortex reference.
- RG / CG: a templated report or caption that states what was drawn (organ, lesion margin, size in mm
  at the stated spacing, sector; fetal plane; number of B-lines).

A model cannot be expected to know these conventions; the phantom exists to test the pipeline end to end
with ground truth that is right by construction.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from ..types import SECTOR_LABELS
from ..u2bench.scenarios import SCENARIOS, Scenario
from ..u2bench.sectors import sector_of_point
from .phantom import Band, Blob, Mask, Scene, in_fov, render

__all__ = ["KEYPOINT_NAMES", "PhantomCase", "box_of_mask", "is_normal_option", "make_case"]

KEYPOINT_NAMES = (
    "endocardial point of the left ventricular apex",
    "bottom inner point of the aortic sinus",
    "anterior hinge point of the mitral valve",
    "top point of the interventricular septum",
    "endocardial point of the right ventricular apex",
    "top inner point of the aortic valve",
)
_NORMAL = re.compile(r"^(0|no oa|none|not-visible)$|\bnormal\b|^non|^appears normal$", re.IGNORECASE)
_BANDS = ((0.07, 0.40), (0.47, 0.53), (0.60, 0.93))
#: Disease options whose listed (alphabetical) order is not their order of severity.
_SEVERITY_ORDER = {
    "DD/28": ("Questionable OA", "Mild OA", "Moderate OA", "Severe OA", "Total joint replacement")
}
_ROWS = {"upper": 0, "middle": 1, "lower": 2}
_COLS = {"left": 0, "center": 1, "right": 2}


@dataclass
class PhantomCase:
    pixels: NDArray[np.uint8]
    cells: dict[str, str]
    #: Masks of the drawn blobs, for checking ground truth against the picture.
    masks: list[Mask] = field(default_factory=list)


def is_normal_option(option: str) -> bool:
    return bool(_NORMAL.search(option.strip()))


def box_of_mask(mask: Mask) -> list[float]:
    """The normalized ``[cx, cy, w, h]`` of a mask's bounding box, rounded to 4 decimals."""
    size = mask.shape[0]
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    x0, x1 = int(cols[0]), int(cols[-1]) + 1
    y0, y1 = int(rows[0]), int(rows[-1]) + 1
    return [
        round((x0 + x1) / 2 / size, 4),
        round((y0 + y1) / 2 / size, 4),
        round((x1 - x0) / size, 4),
        round((y1 - y0) / size, 4),
    ]


def _phases(rng: np.random.Generator) -> tuple[float, float, float]:
    a, b, c = rng.uniform(0, 2 * math.pi, 3)
    return float(a), float(b), float(c)


def _place(rng: np.random.Generator, sector: str, radius: float) -> tuple[float, float]:
    if sector == "center":
        row, col = 1, 1
    else:
        y_word, x_word = sector.split()
        row, col = _ROWS[y_word], _COLS[x_word]
    for attempt in range(400):
        r = radius * (1.0 - attempt / 500)
        cx = float(rng.uniform(*_BANDS[col]))
        cy = float(rng.uniform(*_BANDS[row]))
        if in_fov(cx, cy, r * 1.25):
            return cx, cy
    return 0.5, 0.6


def _lesion(rng: np.random.Generator, cx: float, cy: float, radius: float, severity: float) -> Blob:
    """severity 0: smooth oval with posterior enhancement; 1: spiculated, taller than wide, shadowing."""
    wide = 1.25 - 0.5 * severity
    return Blob(
        cx,
        cy,
        radius * wide,
        radius / wide,
        level=0.08 + 0.1 * (1 - severity),
        angle=float(rng.uniform(-0.3, 0.3)),
        roughness=severity,
        shadow=0.45 * severity,
        enhancement=0.35 * (1 - severity),
        phases=_phases(rng),
    )


def _dd(sc: Scenario, k: int, rng: np.random.Generator, size: int) -> PhantomCase:
    option = sc.options[k % len(sc.options)]
    disease = list(_SEVERITY_ORDER.get(sc.key, [o for o in sc.options if not is_normal_option(o)]))
    blobs: tuple[Blob, ...] = ()
    if not is_normal_option(option):
        rank = disease.index(option)
        severity = rank / (len(disease) - 1) if len(disease) > 1 else 1.0
        radius = float(rng.uniform(0.08, 0.12))
        sector = SECTOR_LABELS[int(rng.integers(0, 9))]
        blobs = (_lesion(rng, *_place(rng, sector, radius * 1.3), radius, severity),)
    pixels, masks = render(Scene(float(rng.uniform(0.45, 0.6)), blobs, size=size), rng)
    label = f"['{option}']" if sc.dataset_id == "40" else option
    return PhantomCase(pixels, {"class_label": label, "anatomy_location": sc.anatomy}, masks)


def _pattern(k: int, rng: np.random.Generator) -> tuple[Blob, ...]:
    count, turn = 1 + k % 4, (k // 4) * math.pi / 4
    blobs = []
    for i in range(count):
        a = turn + 2 * math.pi * i / count
        ring = 0.0 if count == 1 else 0.2
        blobs.append(
            Blob(
                0.5 + ring * math.sin(a),
                0.56 + 0.8 * ring * math.cos(a),
                0.09,
                0.05,
                level=0.15,
                angle=turn,
                rim=1.3 if k % 2 else 0.0,
                phases=_phases(rng),
            )
        )
    return tuple(blobs)


def _vra(sc: Scenario, k: int, rng: np.random.Generator, size: int) -> PhantomCase:
    index = k % len(sc.options)
    option = sc.options[index]
    pixels, masks = render(Scene(float(rng.uniform(0.45, 0.6)), _pattern(index, rng), size=size), rng)
    label = f"{{'Anatomy': '{option}'}}" if sc.dataset_id == "anatomy" else option
    return PhantomCase(pixels, {"class_label": label, "anatomy_location": sc.anatomy}, masks)


def _sector_case(sc: Scenario, k: int, rng: np.random.Generator, size: int) -> PhantomCase:
    sector = SECTOR_LABELS[int(rng.integers(0, 10))]
    tissue = float(rng.uniform(0.45, 0.6))
    visible = sector != "not visible"
    cells = {"anatomy_location": "nan" if sc.dataset_id == "64" else sc.anatomy}
    if sc.task == "KD":
        name = KEYPOINT_NAMES[int(rng.integers(0, len(KEYPOINT_NAMES)))]
        chambers = tuple(
            Blob(0.5 + dx, 0.58 + dy, 0.1, 0.13, level=0.12, phases=_phases(rng))
            for dx in (-0.12, 0.12)
            for dy in (-0.14, 0.14)
        )
        blobs = chambers
        if visible:
            cx, cy = _place(rng, sector, 0.03)
            blobs = chambers + (Blob(cx, cy, 0.022, 0.022, level=2.6, phases=_phases(rng)),)
        pixels, masks = render(Scene(tissue, blobs, size=size), rng)
        if visible:
            cells["keypoints"] = f"{{'{name}': [{round(cx, 4)}, {round(cy, 4)}]}}"
        else:
            cells["keypoints"] = "nan"
        return PhantomCase(pixels, cells, masks[len(chambers) :])
    radius = float(rng.uniform(0.07, 0.11))
    blobs = ()
    if visible:
        cx, cy = _place(rng, sector, radius * 1.35)
        if sc.task == "LL":
            blobs = (_lesion(rng, cx, cy, radius, float(rng.uniform(0, 1))),)
        else:
            blobs = (
                Blob(
                    cx,
                    cy,
                    radius * 1.2,
                    radius * 0.85,
                    level=0.22,
                    angle=float(rng.uniform(-0.5, 0.5)),
                    rim=1.6,
                    phases=_phases(rng),
                ),
            )
    pixels, masks = render(Scene(tissue, blobs, size=size), rng)
    name = "lesion" if sc.task == "LL" else sc.subject
    cells["gt_bbox"] = f"{{'{name}': {box_of_mask(masks[0])}}}" if visible else "nan"
    if sc.task == "OD":
        cells["seg_channel_name"] = f"['{sc.subject}']"
    return PhantomCase(pixels, cells, masks)


def _ellipse_for_perimeter(perimeter_px: float, ratio: float) -> tuple[float, float]:
    """Semi-axes (a, b = ratio * a) whose Ramanujan perimeter is ``perimeter_px``."""
    h = ((1 - ratio) / (1 + ratio)) ** 2
    unit = math.pi * (1 + ratio) * (1 + 3 * h / (10 + math.sqrt(4 - 3 * h)))
    a = perimeter_px / unit
    return a, ratio * a


def _cve(sc: Scenario, k: int, rng: np.random.Generator, size: int) -> PhantomCase:
    tissue = float(rng.uniform(0.45, 0.6))
    scale = 128 / size  # keep physical sizes the same at any image size
    blobs: tuple[Blob, ...] = ()
    bands: tuple[Band, ...] = ()
    if sc.dataset_id == "27":
        spacing = 0.1 * scale
        px = int(rng.integers(4, 15))
        value = round(px * spacing, 4)
        top = size // 3
        lumen = size // 5
        bands = (Band(top - lumen, lumen, 0.05), Band(top, px, 1.5), Band(top + px, 3, 2.4))
        hint = (
            f"Pixel spacing {spacing:.4f} mm per pixel; the intima-media layer is the band below the lumen."
        )
        measurement = f"{{'IMT': [{value}]}}"
    elif sc.dataset_id in ("31", "50"):
        spacing = 1.5 * scale
        value = round(float(rng.uniform(120.0, 340.0 if sc.dataset_id == "31" else 380.0)), 1)
        a, b = _ellipse_for_perimeter(value / spacing, 0.8)
        blobs = (Blob(0.5, 0.56, a / size, b / size, level=tissue * 0.8, rim=2.2, phases=_phases(rng)),)
        hint = (
            f"Pixel spacing {spacing:.4f} mm per pixel; the circumference is the bright elliptical outline."
        )
        measurement = f"{{'{sc.measurement_key}': {value}}}"
    elif sc.dataset_id == "18":
        value = round(float(rng.uniform(20.0, 70.0)), 1)
        shrink = math.sqrt((1 - value / 100) ** (2 / 3))
        blobs = (
            Blob(0.3, 0.56, 0.12, 0.2, level=0.1, phases=_phases(rng)),
            Blob(0.7, 0.56, 0.12 * shrink, 0.2 * shrink, level=0.1, phases=_phases(rng)),
        )
        hint = "Left: end-diastolic left ventricle; right: end-systolic; volume taken as area^1.5."
        measurement = f"{{'EF': {value}}}"
    else:  # 57: liver fat, integer scale
        fat = int(rng.integers(0, 86))
        value = float(fat)
        tissue = 0.3 + 0.008 * fat
        blobs = (Blob(0.5, 0.8, 0.22, 0.09, level=0.5, phases=_phases(rng)),)
        hint = "Liver brightness against the kidney cortex (lower ellipse) grows with the fat value."
        measurement = f"{{'fat value': {fat}}}"
    pixels, masks = render(Scene(tissue, blobs, bands, size=size), rng)
    cells = {"measurement": measurement, "hint": hint, "anatomy_location": sc.anatomy}
    return PhantomCase(pixels, cells, masks)


def _report(sc: Scenario, k: int, rng: np.random.Generator, size: int) -> PhantomCase:
    organ = ("Liver", "Mammary", "Thyroid")[k % 3]
    word = {"Liver": "liver", "Mammary": "breast", "Thyroid": "thyroid gland"}[organ]
    spacing = 0.25 * 128 / size
    tissue = float(rng.uniform(0.45, 0.6))
    text = f"The {word} shows a homogeneous echotexture."
    blobs: tuple[Blob, ...] = ()
    if rng.uniform() < 0.65:
        severity = float(rng.integers(0, 2))
        radius = float(rng.uniform(0.08, 0.12))
        sector = SECTOR_LABELS[int(rng.integers(0, 9))]
        blobs = (_lesion(rng, *_place(rng, sector, radius * 1.3), radius, severity),)
    pixels, masks = render(Scene(tissue, blobs, size=size), rng)
    if blobs:
        cx, cy, w, h = box_of_mask(masks[0])
        where = sector_of_point(cx, cy)
        kind = (
            "an irregular hypoechoic nodule with spiculated margins"
            if severity
            else "an oval hypoechoic nodule with circumscribed margins"
        )
        after = "posterior acoustic shadowing" if severity else "posterior acoustic enhancement"
        text += (
            f" There is {kind} in the {where} of the image, measuring {w * size * spacing:.1f} x "
            f"{h * size * spacing:.1f} mm, with {after}. Impression: "
            f"{'suspicious lesion, biopsy advised' if severity else 'probably benign lesion'}."
        )
    else:
        text += " No focal lesion is identified. Impression: normal study."
    hint = f"Pixel spacing {spacing:.4f} mm per pixel."
    return PhantomCase(pixels, {"report": text, "anatomy_location": organ, "hint": hint}, masks)


def _caption(sc: Scenario, k: int, rng: np.random.Generator, size: int) -> PhantomCase:
    tissue = float(rng.uniform(0.45, 0.6))
    if sc.dataset_id == "44":
        lines = k % 4
        xs = [0.3 + 0.4 * i / max(1, lines - 1) for i in range(lines)] if lines > 1 else [0.5] * lines
        top = int(size * 0.3)
        scene = Scene(
            tissue * 0.6,
            bands=(Band(top, 3, 2.4), Band(top * 2, 2, 1.2)),
            vlines=tuple((x, top, 2.0) for x in xs),
            size=size,
        )
        caption = (
            "Smooth pleural line with A-lines and no B-lines."
            if lines == 0
            else f"Pleural line with {lines} B-line{'s' if lines > 1 else ''} below it."
        )
        pixels, masks = render(scene, rng)
        return PhantomCase(pixels, {"caption": caption, "anatomy_location": sc.anatomy}, masks)
    plane = ("AC", "BPD", "FL")[k % 3]
    blobs: tuple[Blob, ...]
    if plane == "AC":
        blobs = (
            Blob(0.5, 0.56, 0.3, 0.26, level=tissue, rim=2.0, phases=_phases(rng)),
            Blob(0.42, 0.52, 0.06, 0.045, level=0.08, phases=_phases(rng)),
        )
        caption = "Fetal phantom, abdominal circumference plane: round abdomen with the stomach bubble."
    elif plane == "BPD":
        blobs = (
            Blob(0.5, 0.56, 0.32, 0.25, level=tissue, rim=2.2, phases=_phases(rng)),
            Blob(0.5, 0.56, 0.2, 0.012, level=2.0, phases=_phases(rng)),
        )
        caption = "Fetal phantom, biparietal diameter plane: oval skull with the midline echo."
    else:
        blobs = (Blob(0.5, 0.5, 0.28, 0.03, level=2.6, angle=0.25, shadow=0.7, phases=_phases(rng)),)
        caption = "Fetal phantom, femur length plane: bright straight femur with acoustic shadow."
    pixels, masks = render(Scene(tissue, blobs, size=size), rng)
    return PhantomCase(pixels, {"caption": caption, "anatomy_location": sc.anatomy}, masks)


_BUILDERS = {
    "DD": _dd,
    "VRA": _vra,
    "LL": _sector_case,
    "OD": _sector_case,
    "KD": _sector_case,
    "CVE": _cve,
    "RG": _report,
    "CG": _caption,
}
_SCENARIO_NUMBER = {s.key: i for i, s in enumerate(SCENARIOS)}


def make_case(sc: Scenario, number: int, seed: int = 0, size: int = 128) -> PhantomCase:
    """The ``number``-th phantom case of scenario ``sc``; the same arguments always give the same case."""
    rng = np.random.default_rng([seed, _SCENARIO_NUMBER[sc.key], number])
    return _BUILDERS[sc.task](sc, number, rng, size)
