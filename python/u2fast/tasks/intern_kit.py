"""Alternative parsers that behave like the second ("intern") kit's scorers (docs/u2bench.md sections 4.2, 4.3).

Offered for comparison with numbers produced by that kit (ambiguity A2), not as a recommendation:

- ``intern-keywords`` (LL, OD, KD): the first of the ten labels, in the official order, that occurs
  as a substring of the stripped, lower-cased answer; then word-pair fallbacks. Like the original it
  can never return "lower center" ("center" is checked first); that is the point of reproducing it.
- ``intern-options`` (DD, VRA): an approximation of that kit's option matcher, in its rule order:
  exact (case-insensitive) match; multi-word options as whole words; single-word options as whole
  words (not inside a matched multi-word option); plain substring (so "malignant" is found inside
  "non-malignant", as there); all of an option's words present in order; a small keyword map for
  the fetal planes (dataset 03). Nothing found gives no value. Its finer context regexes are not
  public in enough detail to copy, so numbers may differ slightly from that kit's.
- ``intern-number`` (CVE): ``null`` fails; else ``float()``; else the first ``\\d+\\.\\d+``; else the
  first ``\\d+``. Negative numbers are not recognised, as in the original.
"""

from __future__ import annotations

import math
import re

from ..types import SECTOR_LABELS, Case, Prediction
from .parsers import case_options

__all__ = ["parse_seg_intern", "parse_cve_intern", "parse_cla_intern"]

#: Dataset 03 keywords of that kit (a fact of its behaviour): word -> option.
_FETAL_KEYWORDS = {
    "cervix": "maternal cervix",
    "brain": "fetal brain",
    "abdomen": "fetal abdomen",
    "femur": "fetal femur",
    "thorax": "fetal thorax",
}

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


def _whole_word(option: str, text: str) -> re.Match[str] | None:
    return re.search(rf"(?<!\w){re.escape(option.lower())}(?!\w)", text)


def _intern_option(answer: str, options: tuple[str, ...], dataset_id: str) -> str | None:
    for option in options:
        if answer == option.lower():
            return option
    multi = sorted((o for o in options if " " in o), key=len, reverse=True)
    for option in multi:
        if _whole_word(option, answer):
            return option
    # Single words are tried only when no multi-word option matched, so none can sit inside one.
    for option in (o for o in options if " " not in o):
        if _whole_word(option, answer):
            return option
    for option in sorted(options, key=len, reverse=True):
        if option.lower() in answer:
            return option
    words = re.findall(r"\w+", answer)
    for option in multi:
        wanted, at = option.lower().split(), 0
        for word in words:
            if at < len(wanted) and word == wanted[at]:
                at += 1
        if at == len(wanted):
            return option
    if dataset_id == "03":
        for word in words:
            if word in _FETAL_KEYWORDS and _FETAL_KEYWORDS[word] in options:
                return _FETAL_KEYWORDS[word]
    return None


def parse_cla_intern(text: str, case: Case) -> Prediction:
    answer = text.strip().strip("\"'").strip().lower()
    found = _intern_option(answer, case_options(case), case.dataset_id)
    if found is None:
        return Prediction(case.case_id, None, parsed=False, reason="no option matched")
    return Prediction(case.case_id, found)
