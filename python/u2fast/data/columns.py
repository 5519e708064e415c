"""Reading the release's cell values: column-name variants, dataset ids, labels, annotations, measurements.

Every function here works on one cell and either returns a clean value or raises ValueError with a
short reason; the loader turns that into a RowError naming file, row and field.
"""

from __future__ import annotations

import ast
import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..types import TaskName
from ..u2bench.tasks import TASK_SPECS

__all__ = [
    "FOLDER_OF_TASK",
    "LABEL_COLUMNS",
    "TASK_FOLDERS",
    "TEXT_COLUMNS",
    "clean_label",
    "first_annotation",
    "first_present",
    "is_missing",
    "match_option",
    "measurement_value",
    "normalize_dataset_id",
    "parse_literal",
    "structure_names",
    "task_of",
]

#: Release folder name -> task (plus the American spelling of localisation, seen in forks).
TASK_FOLDERS: dict[str, TaskName] = {
    **{spec.folder: spec.code for spec in TASK_SPECS},
    "lesion_localization": "LL",
}
FOLDER_OF_TASK: dict[TaskName, str] = {spec.code: spec.folder for spec in TASK_SPECS}

_TASK_CODES: dict[str, TaskName] = {t.lower(): t for t in FOLDER_OF_TASK}

#: Label columns in the order the kit and the HF card use them.
LABEL_COLUMNS = ("class_label", "classes", "class")
#: Reference-text columns per task, most specific first.
TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "RG": ("report", "gt_report", "caption"),
    "CG": ("caption", "report", "gt_report"),
}

#: What pandas writes for a missing cell. "None" and "null" are not here: "None" is a VRA/53 option.
_MISSING_TEXT = frozenset({"", "nan"})


def task_of(value: object) -> TaskName | None:
    """The task named by a ``task`` cell or a folder name (``DD``, ``disease_diagnosis``...), or None."""
    if not isinstance(value, str):
        return None
    key = value.strip().lower()
    return _TASK_CODES.get(key) or TASK_FOLDERS.get(key)


def is_missing(value: object) -> bool:
    """True for None, NaN and the empty or ``nan``-like strings pandas writes for missing cells."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return value.strip().lower() in _MISSING_TEXT
    return False


def first_present(fields: Mapping[str, Any], names: Sequence[str]) -> tuple[str, Any] | None:
    """The first of ``names`` that has a non-missing value, as ``(column, value)``."""
    for name in names:
        if name in fields and not is_missing(fields[name]):
            return name, fields[name]
    return None


def parse_literal(text: str) -> Any:
    """Parse the JSON-ish cells of the release (Python reprs with single quotes, ``nan``)."""
    text = text.strip()
    try:
        return json.loads(text.replace("'", '"'))
    except ValueError:
        pass
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        pass
    # Python reprs of NaN (``[nan, 0.5]``) are neither JSON nor literals.
    try:
        return json.loads(re.sub(r"\bnan\b", "NaN", text.replace("'", '"')))
    except ValueError:
        raise ValueError(f"cannot parse {text[:60]!r}") from None


# --------------------------------------------------------------------------- dataset ids

_NAMED_IDS = {
    "anatomy": "anatomy",
    "74is_normal": "74is_normal",
    "74is_visible": "74is_visible",
    "28_class": "28_class",
}
_LEADING_NUMBER = re.compile(r"\s*(\d+)(.*)", re.DOTALL)


def normalize_dataset_id(name: str, task: str) -> str | None:
    """The kit's dataset id for a ``dataset_name`` value or file stem, or None when none can be read.

    ``3_FETAL_Planes_US`` -> ``03``; ``18_1.Ultrasound_Heart...`` -> ``18``; ``39_translated`` -> ``39``;
    ``74_is_normal`` -> ``74is_normal``. The knee files (docs/u2bench.md A1): the view set (``28.Knee_Classification``)
    is ``28_class`` and the KL-grade set (``28_1.Knee_Grading...``) is ``28``; a bare ``28`` is read by task.
    """
    text = name.strip()
    low = text.lower()
    if low in _NAMED_IDS:
        return _NAMED_IDS[low]
    match = _LEADING_NUMBER.fullmatch(text)
    if match is None:
        return None
    number = int(match.group(1))
    rest = match.group(2).lower()
    if number == 74:
        if "visible" in rest:
            return "74is_visible"
        if "normal" in rest:
            return "74is_normal"
        return {"DD": "74is_normal", "VRA": "74is_visible"}.get(task, "74")
    if number == 28:
        if "class" in rest:
            return "28_class"
        if "grad" in rest or task == "DD":
            return "28"
        return "28_class" if task == "VRA" else "28"
    return f"{number:02d}"


# --------------------------------------------------------------------------- labels


def clean_label(raw: object) -> str:
    """A label cell as plain text: ``"['4A']"`` -> ``4A``, ``"{'Anatomy': 'liver'}"`` -> ``liver``, ``1.0`` -> ``1``."""
    if isinstance(raw, bool):
        raise ValueError(f"label {raw!r} is not text or a number")
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and math.isnan(raw):
            raise ValueError("NaN target")
        return str(int(raw)) if float(raw).is_integer() else str(raw)
    if isinstance(raw, Mapping):
        if not raw:
            raise ValueError("empty label mapping")
        return clean_label(next(iter(raw.values())))
    if isinstance(raw, (list, tuple)):
        if len(raw) != 1:
            raise ValueError(f"label list {list(raw)!r} does not hold exactly one label")
        return clean_label(raw[0])
    if not isinstance(raw, str):
        raise ValueError(f"label {raw!r} is not text")
    text = raw.strip()
    if text.startswith("{"):
        try:
            parsed = parse_literal(text)
        except ValueError:
            parsed = None
        if isinstance(parsed, Mapping):
            return clean_label(parsed)
    if text.startswith("["):
        # The official scorer strips brackets and quotes rather than parsing the list.
        text = re.sub(r"[\[\]'\"]", "", text).strip()
    text = text.strip("'\"").strip()
    if re.fullmatch(r"-?\d+\.0+", text):
        text = text.split(".")[0]
    if is_missing(text):
        raise ValueError("NaN target")
    return text


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def match_option(label: str, options: Sequence[str]) -> str | None:
    """The option ``label`` names, compared case-insensitively and whitespace-insensitively."""
    wanted = _fold(label)
    for option in options:
        if _fold(option) == wanted:
            return option
    return None


# --------------------------------------------------------------------------- annotations


def _numbers(value: object) -> list[float] | None:
    if not isinstance(value, (list, tuple)) or len(value) < 2:
        return None
    if isinstance(value[0], (list, tuple)):  # several boxes: the first one counts
        return _numbers(value[0])
    out: list[float] = []
    for v in value:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return None
        if math.isnan(v) or math.isinf(v):
            return None
        out.append(float(v))
    return out


def first_annotation(raw: object) -> tuple[str | None, list[float] | None]:
    """``(name, numbers)`` of the first structure of a ``gt_bbox`` or ``keypoints`` cell (docs/u2bench.md section 5).

    A dict gives its first item, a list of dicts the first item of the first dict, and a bare list
    the numbers themselves. Anything unparseable, empty or NaN gives ``(name or None, None)``:
    the structure is "not visible".
    """
    value: object = raw
    if isinstance(raw, str):
        if is_missing(raw):
            return None, None
        try:
            value = parse_literal(raw)
        except ValueError:
            return None, None
    if value is None:
        return None, None
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], Mapping):
        value = value[0]
    if isinstance(value, Mapping):
        if not value:
            return None, None
        name, inner = next(iter(value.items()))
        return str(name), _numbers(inner)
    return None, _numbers(value)


def measurement_value(raw: object, key: str) -> float:
    """The CVE ground truth: ``key`` of a measurement dict (a list value gives its first element)."""
    value: object = raw
    if isinstance(raw, str):
        text = raw.strip()
        if is_missing(text):
            raise ValueError("NaN target")
        try:
            value = float(text)
        except ValueError:
            value = parse_literal(text)
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], Mapping):
        value = value[0]
    if isinstance(value, Mapping):
        if key in value:
            value = value[key]
        else:
            folded = {str(k).casefold(): v for k, v in value.items()}
            if key.casefold() not in folded:
                raise ValueError(f"measurement has no {key!r} key (keys: {', '.join(map(str, value))})")
            value = folded[key.casefold()]
    if isinstance(value, (list, tuple)):
        if not value:
            raise ValueError("empty measurement list")
        value = value[0]
    if value is None:
        raise ValueError("NaN target (null measurement)")
    if isinstance(value, bool):
        raise ValueError(f"measurement {value!r} is not a number")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"measurement {value!r} is not a number") from None
    if math.isnan(number) or math.isinf(number):
        raise ValueError("NaN target")
    return number


def structure_names(raw: object) -> list[str]:
    """The names of a ``seg_channel_name`` cell such as ``"['cortex_R1']"`` (empty when missing)."""
    if is_missing(raw):
        return []
    value: object = raw
    if isinstance(raw, str):
        text = raw.strip()
        if not text.startswith("["):
            return [text]
        try:
            value = parse_literal(text)
        except ValueError:
            value = re.sub(r"[\[\]'\"]", "", text).split(",")
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value)]
