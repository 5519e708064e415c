"""The official kit's scoring rules (docs/u2bench.md 4.1-4.4 and 6), re-written from the text for tests only.

Input: the ground truth as ``release_kit.Truth`` and the kit's output rows (``case_id -> response``,
rows joined by id; a case without a row is simply absent, as in the kit's outputs). Output: the
per-dataset metrics and U2 the kit's scripts would print. Nothing here imports u2fast.

Two readings are parameters, because docs/u2bench.md leaves them open and u2fast picked one:
- ``anatomy_fix``: the intern kit's 27 May fix (docs/u2bench.md 4.1 item 7, A3) reads ``{'Anatomy': 'liver'}``
  as ``liver``; the official script compares the whole dict string and scores 0.
- pixel boxes (A10): the sector of a pixel box is taken from its centre divided by the image size
  (``Truth.target``), not from the first two numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from pycocoevalcap.bleu.bleu import Bleu

from .release_kit import Truth

__all__ = ["CVE_RANGES", "U2_LISTS", "WEIGHTS", "dataset_metrics", "u2_from"]

CVE_RANGES = {"18": (10.0, 75.0), "27": (0.3, 1.5), "50": (100.0, 400.0), "57": (0.0, 85.0)}
#: Datasets whose metrics enter each task's mean (31 and CG/44 are out).
U2_LISTS = {
    "DD": {"21", "23", "25", "28", "32", "40", "42", "44", "57", "66", "70", "74is_normal", "75"},
    "VRA": {"03", "10", "18", "28_class", "37", "50", "53", "69", "74is_visible", "anatomy"},
    "LL": {"04", "17", "23", "32", "64"},
    "OD": {"09", "13", "16", "18", "31", "37", "38", "47", "49", "50", "52", "53", "67"},
    "KD": {"48"},
    "CVE": {"18", "27", "50", "57"},
    "RG": {"39"},
    "CG": {"10"},
}
WEIGHTS = {"DD": 0.20, "VRA": 0.20, "LL": 0.07, "OD": 0.27, "KD": 0.07, "CVE": 0.07, "RG": 0.08, "CG": 0.04}


def macro_f1(truth: list[Any], pred: list[Any]) -> float:
    """sklearn ``f1_score(average='macro')`` with no ``labels=``: the union of both, zero_division 0."""
    scores = []
    for label in set(truth) | set(pred):
        tp = sum(t == label and p == label for t, p in zip(truth, pred))
        fp = sum(t != label and p == label for t, p in zip(truth, pred))
        fn = sum(t == label and p != label for t, p in zip(truth, pred))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return float(np.mean(scores)) if scores else math.nan


def _cla(truths: list[Truth], responses: Mapping[str, Any], anatomy_fix: bool) -> dict[str, float]:
    correct = failed = total = 0
    y_true: list[Any] = []
    y_pred: list[Any] = []
    for t in truths:
        if t.case_id not in responses:
            continue
        total += 1
        pred, gt = responses[t.case_id], t.kit_gt
        if isinstance(gt, (int, np.integer)) and not isinstance(gt, bool):
            try:
                value = int(pred)
            except (TypeError, ValueError):
                failed += 1
                continue
            correct += value == int(gt)
            y_true.append(int(gt))
            y_pred.append(value)
            continue
        gt_text = str(gt)
        if anatomy_fix and gt_text.startswith("{"):
            gt_text = gt_text.split(":", 1)[1].strip(" }")
        gt_text = gt_text.replace("[", "").replace("]", "").replace("'", "").lower()
        correct += str(pred).lower() == gt_text
        y_true.append(gt_text)
        y_pred.append(str(pred).lower())
    counted = total - failed
    return {
        "accuracy": correct / counted if counted else math.nan,
        "counted": counted,
        "f1": macro_f1(y_true, y_pred),
    }


def _seg(truths: list[Truth], responses: Mapping[str, Any]) -> dict[str, float]:
    correct = counted = 0
    for t in truths:
        if t.case_id not in responses:
            continue
        pred = responses[t.case_id]
        if not isinstance(pred, str):
            continue  # None / NaN: a failed item
        counted += 1
        correct += pred.lower() == t.target
    return {"accuracy": correct / counted if counted else math.nan, "counted": counted}


def _cve(truths: list[Truth], responses: Mapping[str, Any]) -> dict[str, float]:
    errors = []
    for t in truths:
        if t.case_id not in responses or t.target is None:
            continue  # no row, or a NaN ground truth: skipped
        try:
            pred = float(responses[t.case_id])
        except (TypeError, ValueError):
            continue  # failed item
        low, high = CVE_RANGES[t.dataset_id]
        errors.append((float(t.target) - low) / (high - low) - (pred - low) / (high - low))
    if not errors:
        return {"rmse": math.nan, "mae": math.nan, "within_tolerance": math.nan, "counted": 0}
    e = np.asarray(errors)
    return {
        "rmse": float(np.sqrt(np.mean(e**2))),
        "mae": float(np.mean(np.abs(e))),
        "std": float(np.std(e)),
        "within_tolerance": float(100 * np.mean(np.abs(e) <= 0.1)),
        "counted": len(errors),
    }


def _bleu(truths: list[Truth], responses: Mapping[str, Any]) -> dict[str, float]:
    refs = {t.kit_id: [t.target] for t in truths if t.case_id in responses}
    hyps = {t.kit_id: [responses[t.case_id]] for t in truths if t.case_id in responses}
    if not refs:
        return {"bleu4": math.nan, "counted": 0}
    scores, _ = Bleu(4).compute_score(refs, hyps, verbose=0)
    return {"bleu4": 100 * scores[3], "bleu1": 100 * scores[0], "counted": len(refs)}


def dataset_metrics(
    truths: list[Truth], responses: Mapping[str, Any], *, anatomy_fix: bool = True
) -> dict[str, dict[str, float]]:
    """``TASK/dataset -> metrics`` as the kit's scripts compute them (31 is not scored)."""
    groups: dict[str, list[Truth]] = {}
    for t in truths:
        groups.setdefault(f"{t.task}/{t.dataset_id}", []).append(t)
    out: dict[str, dict[str, float]] = {}
    for key, group in groups.items():
        family = group[0].family
        if family == "cla":
            out[key] = _cla(group, responses, anatomy_fix)
        elif family == "seg":
            out[key] = _seg(group, responses)
        elif family == "measurement":
            if group[0].dataset_id != "31":
                out[key] = _cve(group, responses)
        else:
            out[key] = _bleu(group, responses)
    return out


def u2_from(per_dataset: Mapping[str, Mapping[str, float]]) -> tuple[float, dict[str, float]]:
    """docs/u2bench.md 6: unweighted means over the task's listed datasets (NaN dropped; none left -> 0.0),
    CVE as 1 - RMSE, text as BLEU-4 / 100, each clipped to [0, 1], weighted."""
    metric = {"CVE": "rmse", "RG": "bleu4", "CG": "bleu4"}
    task_values: dict[str, float] = {}
    for task, members in U2_LISTS.items():
        values = [
            m[metric.get(task, "accuracy")]
            for key, m in per_dataset.items()
            if key.split("/", 1)[0] == task and key.split("/", 1)[1] in members
        ]
        values = [v for v in values if not math.isnan(v)]
        task_values[task] = float(np.mean(values)) if values else 0.0
    total = 0.0
    for task, value in task_values.items():
        term = 1 - value if task == "CVE" else value / 100 if task in ("RG", "CG") else value
        total += WEIGHTS[task] * min(1.0, max(0.0, term))
    return total, task_values
