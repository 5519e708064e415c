"""Alternative parsers that behave like the second ("intern") kit's scorers (SPEC.md sections 4.2, 4.3).

Offered for comparison with numbers produced by that kit (ambiguity A2), not as a recommendation:

- ``intern-keywords`` (LL, OD, KD): the first of the ten labels, in the official order, that occurs
  as a substring of the stripped, lower-cased answer; then word-pair fallbacks. Like the original it
  can never return "lower center" ("center" is checked first); that is the point of reproducing it.
- ``intern-number`` (CVE): ``null`` fails; else ``float()``; else the first ``\\d+\\.\\d+``; else the
  first ``\\d+``. Negative numbers are not recognised, as in the original.
"""

from __future__ import annotations

import math
import re

from ..types import SECTOR_LABELS, Case, Prediction

__all__ = ["parse_seg_intern", "parse_cve_intern"]

_PAIRS = tuple(
    (row, col, "center" if (row, col) == ("middle", "center") else f"{row} {col}")
    for row in ("upper", "middle", "lower")
    for col in ("left", "center", "right")
)


def parse_seg_intern(text: str, case: Case) -> Prediction:
    answer = text.strip().lower()
    for label in SECTOR_LABELS:
        if label in answer:
            return Prediction(case.case_id, label)
    words = set(re.findall(r"[a-z]+", answer))
    for row, col, label in _PAIRS:
        if row in words and col in words:
            return Prediction(case.case_id, label)
    if "central" in words:
        return Prediction(case.case_id, "center")
    if "not" in words and "visible" in words:
        return Prediction(case.case_id, "not visible")
    return Prediction(case.case_id, answer)  # kept as is, scored wrong


def parse_cve_intern(text: str, case: Case) -> Prediction:
    if text.strip().lower() == "null":
        return Prediction(case.case_id, None, parsed=False, reason="null answer")
    try:
        value = float(text)
        if math.isfinite(value):
            return Prediction(case.case_id, value)
    except ValueError:
        pass
    for pattern in (r"(\d+\.\d+)", r"(\d+)"):
        m = re.search(pattern, text)
        if m:
            return Prediction(case.case_id, float(m.group(1)))
    return Prediction(case.case_id, None, parsed=False, reason="no number found")
