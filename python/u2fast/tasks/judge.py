"""Judge one case: parse its completion and turn it into per-case sufficient statistics.

Rules per mode (docs/scoring.md, docs/u2bench.md section 4):

compat (the official kit)
    - an API error is what the kit would make of its stored error text: string labels and LL/OD/KD
      count it wrong; integer labels (44, 57) and CVE exclude it (int()/float() reject it); RG/CG
      score an empty hypothesis (the kit scored the error text itself; u2fast does not keep it);
    - no answer at all (no completion, a replayed kit output without that row, a request never
      sent because the run was cancelled or over budget) is excluded everywhere: the kit scores
      the rows its output holds, so a question it dropped is in no denominator;
    - a parse failure is excluded (integer labels, CVE), and cannot happen for string labels, sectors
      and text (a third-party parser that reports one is excluded too, except string labels: wrong).
robust (honest)
    - an unusable answer is kept out of every denominator (``api_error=True, counted=False``);
    - a parse failure is wrong everywhere; for CVE it gets the worst error inside the range (the
      prediction at the range end farthest from the truth), so "nothing parses" earns no credit.

CVE errors are ``truth_n - pred_n`` on the min-max normalized scale, not clipped; in compat a "nan"
or "inf" answer gives a non-finite error, as in the kit (``scoring.scores`` then leaves that dataset's
RMSE undefined). RG/CG leave
``bleu`` empty: the scoring layer computes BLEU statistics for all hypotheses in one batch.
"""

from __future__ import annotations

import re
from functools import lru_cache

import msgspec

from ..errors import ConfigError, DataError
from ..types import (
    Case,
    CaseScore,
    Completion,
    LabelTarget,
    Prediction,
    SectorTarget,
    TextTarget,
    ValueTarget,
)
from ..u2bench.modes import SCORING_MODES
from ..u2bench.sectors import sector_of_point
from .base import Parse
from .coords import IMPOSSIBLE
from .extract import loose_key
from .parsers import (
    PANDAS_NA_AS_TEXT,
    PANDAS_NA_TEXT,
    case_options,
    family_of,
    is_integer_labelled,
    parser_for,
)

__all__ = ["judge", "compat_label", "robust_label", "normalized"]

#: Error kinds that mean the question has no answer row at all (never asked, or dropped by the kit).
_NO_ANSWER_ROW = frozenset({"missing_answer", "cancelled", "budget_exceeded"})


def compat_label(label: str) -> str:
    """The kit's ground-truth cleaning: drop ``[``, ``]`` and ``'``, lower-case.

    A label pandas reads as missing (``None``) is NaN in the kit, compared as the text ``nan``.
    """
    if label in PANDAS_NA_TEXT:
        return PANDAS_NA_AS_TEXT
    return label.replace("[", "").replace("]", "").replace("'", "").lower()


def robust_label(case: Case) -> str:
    """The ground truth as the canonical option it names (``4a`` -> ``4A``), else as given.

    A dict-shaped label such as ``{'Anatomy': 'liver'}`` (the raw ``anatomy`` set, docs/u2bench.md 4.1 defect)
    names its value. The loader already reads release cells that way (``data.columns.clean_label``),
    so compat scores ``anatomy`` with the intern kit's 27 May fix, not the official script's always-0
    comparison of the whole dict string (docs/u2bench.md 4.1 item 7, A3).
    """
    assert isinstance(case.target, LabelTarget)
    return _canonical_label(case.target.label, tuple(case_options(case)))


@lru_cache(maxsize=4096)
def _canonical_label(label: str, options: tuple[str, ...]) -> str:
    # memoized: a run asks every case of a scenario with the same labels and options, and the
    # loose comparison with each option was ~20% of judging a run
    candidates = [label]
    shaped = re.fullmatch(r"\s*\{\s*['\"]?[^:'\"]+['\"]?\s*:\s*['\"]?([^'\"}]*)['\"]?\s*\}\s*", label)
    if shaped:
        candidates.append(shaped.group(1))
    for candidate in candidates:
        key = loose_key(candidate.replace("[", "").replace("]", "").replace("'", ""))
        found = next((opt for opt in options if loose_key(opt) == key), None)
        if found is not None:
            return found
    return label


def normalized(value: float, low: float, high: float) -> float:
    return (value - low) / (high - low)


def _base(case: Case, **fields: object) -> CaseScore:
    return CaseScore(case_id=case.case_id, dataset_id=case.dataset_id, task=case.task, **fields)  # type: ignore[arg-type]


def _truth(case: Case, compat: bool) -> str | None:
    target = case.target
    if isinstance(target, LabelTarget):
        return compat_label(target.label) if compat else robust_label(case)
    if isinstance(target, SectorTarget):
        return target.sector.lower()
    return None


def _unusable(case: Case, completion: Completion | None, compat: bool) -> tuple[Prediction, CaseScore]:
    if completion is None:  # never sent: no answer and no API error either
        return Prediction(case.case_id, None, parsed=False, reason="not sent"), _base(
            case, counted=False, parsed=False, sent=False, truth=_truth(case, compat)
        )
    if completion is not None and completion.error is not None:
        reason = f"api error: {completion.error.kind}"
    elif completion is None:
        reason = "no completion"
    else:
        reason = "completion has no text"
    family = family_of(case.task)
    text_task = family == "report"
    truth = _truth(case, compat)
    no_row = completion is None or completion.error is None or completion.error.kind in _NO_ANSWER_ROW
    if not compat or no_row:
        pred = Prediction(case.case_id, None, parsed=False, reason=reason)
        return pred, _base(case, counted=False, parsed=False, api_error=True, truth=truth)
    pred = Prediction(case.case_id, "" if text_task else None, parsed=False, reason=reason)
    if text_task:
        return pred, _base(case, counted=True, parsed=False, api_error=True)
    counted = family == "seg" or (family == "cla" and not is_integer_labelled(case))
    if counted:
        return pred, _base(
            case, counted=True, parsed=False, api_error=True, correct=False, truth=truth, answer=""
        )
    return pred, _base(case, counted=False, parsed=False, api_error=True, truth=truth)


def _score_label(case: Case, pred: Prediction, compat: bool) -> CaseScore:
    truth = _truth(case, compat)
    assert truth is not None
    if isinstance(pred.value, tuple) and isinstance(case.target, SectorTarget):
        return _score_coordinates(case, pred.value, truth)
    answer = None if pred.value is None else str(pred.value)
    if not pred.parsed or answer is None:
        if compat and (is_integer_labelled(case) or isinstance(case.target, SectorTarget)):
            return _base(case, counted=False, parsed=False, truth=truth)
        impossible = (pred.reason or "").startswith(IMPOSSIBLE)
        return _base(case, parsed=False, correct=False, truth=truth, answer="", impossible=impossible)
    if compat and is_integer_labelled(case):
        try:
            correct = int(answer) == int(truth)
        except ValueError:  # a ground truth that is not an integer: compare as text
            correct = answer == truth
        return _base(case, correct=correct, truth=truth, answer=answer)
    if compat:
        return _base(case, correct=answer == truth, truth=truth, answer=answer)
    return _base(case, correct=answer.lower() == truth.lower(), truth=truth, answer=answer)


def _score_coordinates(case: Case, coords: tuple[float, ...], truth: str) -> CaseScore:
    """A box or point answer: right when the sector of its centre (the 0.45/0.55 rule) is the truth's."""
    if len(coords) == 4:
        cx, cy = (coords[0] + coords[2]) / 2, (coords[1] + coords[3]) / 2
    else:
        cx, cy = coords[0], coords[1]
    derived = sector_of_point(cx, cy)
    return _base(case, correct=derived == truth, truth=truth, answer=derived, coords=coords)


def _score_value(case: Case, target: ValueTarget, pred: Prediction, compat: bool) -> CaseScore:
    if target.high == target.low:
        raise DataError(f"{case.source}: row {case.row}: case {case.case_id}: CVE range has zero width")
    truth_n = normalized(target.value, target.low, target.high)
    if pred.parsed and isinstance(pred.value, (int, float)):
        return _base(case, error=truth_n - normalized(float(pred.value), target.low, target.high))
    if compat:
        return _base(case, counted=False, parsed=False)
    worst_pred_n = 0.0 if truth_n >= 0.5 else 1.0  # the range end farthest from the truth
    return _base(case, parsed=False, error=truth_n - worst_pred_n)


def judge(
    case: Case, completion: Completion | None, mode: str, parse: Parse | None = None
) -> tuple[Prediction, CaseScore]:
    """Parse a case's completion (``parse`` overrides the mode's built-in parser) and score it."""
    if mode not in SCORING_MODES:
        raise ConfigError(f"unknown scoring mode {mode!r}; choose compat or robust")
    compat = mode == "compat"
    if compat and completion is not None and completion.error is not None and completion.error.kind == "replayed_error":
        # The kit stored its failure message as the answer and scored it as text; compat does the
        # same (wrong for string labels, a class of its own in macro-F1, a BLEU hypothesis), while the
        # case still counts as an API error in the error rate.
        pred, score = _judge_text(case, completion.error.message, mode, parse)
        return pred, msgspec.structs.replace(score, api_error=True)
    if completion is None or not completion.ok:
        return _unusable(case, completion, compat)
    assert completion.text is not None
    return _judge_text(case, completion.text, mode, parse)


def _judge_text(case: Case, text: str, mode: str, parse: Parse | None) -> tuple[Prediction, CaseScore]:
    compat = mode == "compat"
    pred = (parse or parser_for(case.task, mode))(text, case)
    target = case.target
    if isinstance(target, (LabelTarget, SectorTarget)):
        return pred, _score_label(case, pred, compat)
    if isinstance(target, ValueTarget):
        return pred, _score_value(case, target, pred, compat)
    if isinstance(target, TextTarget):
        hypothesis = pred.value if isinstance(pred.value, str) else ""
        if hypothesis != pred.value:
            pred = Prediction(case.case_id, hypothesis, parsed=False, reason=pred.reason or "no text")
        return pred, _base(case, parsed=pred.parsed)
    raise DataError(
        f"{case.source}: row {case.row}: case {case.case_id}: unknown target type {type(target).__name__}"
    )
