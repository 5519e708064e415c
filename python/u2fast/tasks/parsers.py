"""Answer parsers per task family, in the two scoring modes of docs/scoring.md.

``compat`` reproduces the official kit (docs/u2bench.md section 4):

- cla (DD, VRA): the answer lower-cased and *not* stripped is the prediction; integer-label datasets
  (44, 57) use Python ``int()``, and an answer it rejects is unparsed (the judge excludes it);
- seg (LL, OD, KD): the answer lower-cased, not stripped;
- a label pandas reads as missing (``None``, VRA/53): the kit compares pandas' NaN, which numpy turns
  into the text ``nan``, with the raw answer; so only an answer pandas also reads as missing is right
  (it becomes ``nan`` too), and any other answer is kept as written, not lower-cased;
- CVE: Python ``float()`` (" 45 " and "4.5e1" pass; "45%" and "null" do not). "nan" and "inf" pass
  too, as in the kit: the judge turns them into a non-finite error, which leaves that dataset's RMSE
  undefined (``scoring.scores``);
- RG, CG: the raw text.

``robust`` parses honestly (``extract.py``): cleaning, whole-word option and sector extraction with
synonyms and negation, first-number extraction (ranges give their midpoint), stripped text.

Every parser has the ``Parse`` signature ``(text, case) -> Prediction``.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from ..types import SECTOR_LABELS, Case, LabelTarget, Prediction, ValueTarget
from ..u2bench.scenarios import scenario
from ..u2bench.tasks import task_spec
from .aliases import EXACT_ALIASES, SEARCH_ALIASES, SECTOR_LONE_AXIS, SECTOR_SEARCH
from .base import Parse
from .extract import Phrase, cached_phrases, choose, clean_answer, extract_number, loose_key

__all__ = [
    "parse_cla_compat",
    "parse_cla_robust",
    "parse_seg_compat",
    "parse_seg_robust",
    "parse_cve_compat",
    "parse_cve_robust",
    "parse_text_compat",
    "parse_text_robust",
    "PARSERS",
    "parser_for",
    "family_of",
    "case_options",
    "is_integer_labelled",
    "PANDAS_NA_TEXT",
    "PANDAS_NA_AS_TEXT",
]

_INTEGER = re.compile(r"[+-]?\d+")

#: Cell texts pandas reads as missing by default (``read_csv`` and ``read_excel``, pandas 2.x
#: ``STR_NA_VALUES``; a test compares it with the installed pandas). Matched exactly, not stripped.
PANDAS_NA_TEXT = frozenset({
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>",
    "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
})
#: What numpy makes of pandas' NaN when the kit compares it with text.
PANDAS_NA_AS_TEXT = "nan"


def family_of(task: str) -> str:
    return task_spec(task).family


def case_options(case: Case) -> tuple[str, ...]:
    """The option list of a classification case: its target's, else its scenario's."""
    if isinstance(case.target, LabelTarget) and case.target.options:
        return case.target.options
    sc = scenario(case.task, case.dataset_id)
    return sc.options if sc else ()


def is_integer_labelled(case: Case) -> bool:
    sc = scenario(case.task, case.dataset_id)
    return bool(sc and sc.integer_labels)


# ---------------------------------------------------------------------------- compat


def parse_cla_compat(text: str, case: Case) -> Prediction:
    if isinstance(case.target, LabelTarget) and case.target.label in PANDAS_NA_TEXT:
        # The kit's ground truth is NaN here: it compares the raw answer (docs/u2bench.md 4.1 item 5).
        return Prediction(case.case_id, PANDAS_NA_AS_TEXT if text in PANDAS_NA_TEXT else text)
    if is_integer_labelled(case):
        try:
            return Prediction(case.case_id, str(int(text)))
        except ValueError:
            return Prediction(case.case_id, None, parsed=False, reason="int() rejects the answer")
    return Prediction(case.case_id, text.lower())


def parse_seg_compat(text: str, case: Case) -> Prediction:
    return Prediction(case.case_id, text.lower())


def parse_cve_compat(text: str, case: Case) -> Prediction:
    try:
        value = float(text)
    except ValueError:
        return Prediction(case.case_id, None, parsed=False, reason="float() rejects the answer")
    return Prediction(case.case_id, value)


def parse_text_compat(text: str, case: Case) -> Prediction:
    return Prediction(case.case_id, text)


# ---------------------------------------------------------------------------- robust


@lru_cache(maxsize=256)
def _option_tables(dataset_id: str, options: tuple[str, ...]) -> tuple[tuple[Phrase, ...], dict[str, str]]:
    """Search phrases and the exact (loose-key) lookup for one dataset's options."""
    entries = [(opt, opt, 0) for opt in options]
    exact = {loose_key(opt): opt for opt in options}
    for opt, aliases in SEARCH_ALIASES.get(dataset_id, {}).items():
        if opt in options:
            entries += [(opt, alias, 0) for alias in aliases]
            for alias in aliases:
                exact.setdefault(loose_key(alias), opt)
    for opt, aliases in EXACT_ALIASES.get(dataset_id, {}).items():
        if opt in options:
            for alias in aliases:
                exact.setdefault(loose_key(alias), opt)
    return cached_phrases(tuple(entries)), exact


#: Robust extraction reads at most this much of an answer: its start (where a direct answer is) and
#: its end (where a reasoning model states its conclusion). A 10 MB answer would otherwise take
#: seconds to scan, for nothing.
_HEAD, _TAIL = 12_000, 4_000


def bounded(text: str) -> str:
    """The part of a very long answer that robust parsing reads."""
    if len(text) <= _HEAD + _TAIL:
        return text
    return text[:_HEAD] + "\n" + text[-_TAIL:]


def parse_cla_robust(text: str, case: Case) -> Prediction:
    text = bounded(text)
    options = case_options(case)
    if not options:
        return Prediction(case.case_id, None, parsed=False, reason="case has no option list")
    phrases, exact = _option_tables(case.dataset_id, options)
    cleaned = clean_answer(text)
    if not cleaned:
        return Prediction(case.case_id, None, parsed=False, reason="empty answer")
    hit = exact.get(loose_key(cleaned))
    if hit is None and is_integer_labelled(case) and _INTEGER.fullmatch(cleaned):
        # Whatever int() accepts in compat ("01", "+1") must parse in robust too.
        hit = str(int(cleaned)) if str(int(cleaned)) in options else None
    if hit is not None:
        return Prediction(case.case_id, hit)
    label, how = choose(cleaned, phrases, options)
    if label is None:
        return Prediction(case.case_id, None, parsed=False, reason=how)
    return Prediction(case.case_id, label)


def _sector_entries() -> tuple[tuple[str, str, int], ...]:
    entries: list[tuple[str, str, int]] = []
    for label, phrases in SECTOR_SEARCH.items():
        for phrase in (label, *phrases):
            # Two-axis phrases and the exact "not visible" are the most specific (tier 0); a lone
            # centre word or another "nothing there" phrase comes next (tier 1).
            two_axis = label not in ("center", "not visible")
            tier = 0 if two_axis or phrase == "not visible" else 1
            entries.append((label, phrase, tier))
    for label, words in SECTOR_LONE_AXIS.items():
        entries += [(label, w, 2) for w in words]
    return tuple(dict.fromkeys(entries))


def _sector_phrases() -> tuple[Phrase, ...]:
    # Compiled on first use, not at import: the ~300 patterns cost a few tenths of a second, which
    # every ``u2fast`` process would pay even when no sector answer is parsed.
    return cached_phrases(_sector_entries())


_SECTOR_EXACT = {loose_key(phrase): label for label, phrase, _ in reversed(_sector_entries())}
_SECTOR_EXACT.update({loose_key(label): label for label in SECTOR_LABELS})


def parse_seg_robust(text: str, case: Case) -> Prediction:
    cleaned = clean_answer(bounded(text))
    if not cleaned:
        return Prediction(case.case_id, None, parsed=False, reason="empty answer")
    hit = _SECTOR_EXACT.get(loose_key(cleaned))
    if hit is not None:
        return Prediction(case.case_id, hit)
    label, how = choose(cleaned, _sector_phrases(), SECTOR_LABELS)
    if label is None:
        return Prediction(case.case_id, None, parsed=False, reason=how.replace("option", "location"))
    return Prediction(case.case_id, label)


def _unit_of(case: Case) -> str:
    sc = scenario(case.task, case.dataset_id)
    if sc is not None:
        return sc.unit
    return case.target.unit if isinstance(case.target, ValueTarget) else ""


def parse_cve_robust(text: str, case: Case) -> Prediction:
    result = extract_number(bounded(text), _unit_of(case))
    if result.value is None or not math.isfinite(result.value):
        return Prediction(case.case_id, None, parsed=False, reason=result.reason)
    return Prediction(case.case_id, result.value)


def parse_text_robust(text: str, case: Case) -> Prediction:
    stripped = text.strip()
    if not stripped:
        return Prediction(case.case_id, "", parsed=False, reason="empty answer")
    return Prediction(case.case_id, stripped)


#: family -> mode -> parser
PARSERS: dict[str, dict[str, Parse]] = {
    "cla": {"compat": parse_cla_compat, "robust": parse_cla_robust},
    "seg": {"compat": parse_seg_compat, "robust": parse_seg_robust},
    "measurement": {"compat": parse_cve_compat, "robust": parse_cve_robust},
    "report": {"compat": parse_text_compat, "robust": parse_text_robust},
}


def parser_for(task: str, mode: str) -> Parse:
    """The built-in parser of a task in a scoring mode."""
    return PARSERS[family_of(task)][mode]
