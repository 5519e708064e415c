"""Robust mode's documented differences from compat (docs/scoring.md), on the same replayed kit outputs.

robust: answers are stripped and case-folded, a phrase such as "The answer is X" names its option,
numbers are extracted ("EF: 45", "45%"), API failures and missing rows are in no denominator, a parse
failure is wrong (CVE: the worst in-range guess), and nothing-parses earns no CVE credit.
The reference below states those rules for the answer forms the generator writes.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pytest
from pycocoevalcap.bleu.bleu import Bleu

from .conftest import KitRun
from .official_ref import CVE_RANGES
from .release_kit import FAILURES, Truth

_WORD_NUMBERS = {"zero": 0, "one": 1, "two": 2, "three": 3}


def _option(answer: str, truth: Truth) -> str | None:
    text = answer.strip().rstrip(".").strip().lower()
    text = re.sub(r"^the answer is\s+", "", text)
    if isinstance(truth.kit_gt, (int, np.integer)):
        if text in _WORD_NUMBERS:
            return str(_WORD_NUMBERS[text])
        return str(int(text)) if re.fullmatch(r"[+-]?\d+", text) else None
    return text


def _robust_metrics(truths: list[Truth], rows: dict[str, Any]) -> dict[str, float]:
    by_key: dict[str, list[Truth]] = {}
    for t in truths:
        if t.target is not None and not (t.task == "CVE" and t.dataset_id == "31"):
            by_key.setdefault(f"{t.task}/{t.dataset_id}", []).append(t)
    out: dict[str, float] = {}
    for key, group in by_key.items():
        answered = [
            (t, rows[t.case_id])
            for t in group
            if isinstance(rows.get(t.case_id), str) and rows[t.case_id] not in FAILURES
        ]
        family = group[0].family
        if family in ("cla", "seg"):
            hits = [_option(a, t) == str(t.target).lower() for t, a in answered]
            out[key] = sum(hits) / len(hits)
        elif family == "measurement":
            low, high = CVE_RANGES[group[0].dataset_id]
            errors = []
            for t, a in answered:
                y = (float(t.target) - low) / (high - low)
                found = re.search(r"[-+]?\d+(?:\.\d+)?(?:e\d+)?", a)
                p = 0.0 if y >= 0.5 else 1.0  # nothing parsed: the range end farthest from the truth
                if found:
                    p = (float(found.group()) - low) / (high - low)
                errors.append(y - p)
            out[key] = float(np.sqrt(np.mean(np.square(errors))))
        else:
            refs = {t.kit_id: [t.target] for t, _ in answered}
            hyps = {t.kit_id: [a.strip()] for t, a in answered}
            out[key] = 100 * Bleu(4).compute_score(refs, hyps, verbose=0)[0][3]
    return out


def test_robust_dataset_metrics_follow_the_documented_rules(kit: KitRun) -> None:
    reference = _robust_metrics(kit.release.truths, kit.gpt.rows)
    got = kit.scores["robust"]["models"][kit.gpt.spec]["datasets"]
    bad = [
        (k, got[k]["value"]["value"], v)
        for k, v in sorted(reference.items())
        if not math.isclose(got[k]["value"]["value"], v, rel_tol=1e-9, abs_tol=1e-12)
    ]
    assert bad == []


def test_robust_keeps_failures_out_of_every_denominator(kit: KitRun) -> None:
    datasets = kit.scores["robust"]["models"][kit.gpt.spec]["datasets"]
    for key, d in datasets.items():
        group = [t for t in kit.release.truths if f"{t.task}/{t.dataset_id}" == key and t.target is not None]
        answered = [
            t
            for t in group
            if isinstance(kit.gpt.rows.get(t.case_id), str) and kit.gpt.rows[t.case_id] not in FAILURES
        ]
        assert d["counted"] == len(answered), key
        failures = sum(kit.gpt.rows.get(t.case_id) in FAILURES for t in group)
        assert d["errors"] >= failures, key


def test_robust_differs_from_compat_where_documented(kit: KitRun) -> None:
    compat = kit.scores["compat"]["models"][kit.gpt.spec]["datasets"]
    robust = kit.scores["robust"]["models"][kit.gpt.spec]["datasets"]
    # string labels: "benign " and "The answer is benign" are right in robust, wrong in compat
    for key in ("DD/40", "DD/74is_normal", "VRA/28_class", "VRA/anatomy", "LL/04", "OD/13"):
        assert robust[key]["value"]["value"] > compat[key]["value"]["value"], key
    # CVE: "EF: 45" and "45%" parse in robust, so more rows count
    for key in ("CVE/18", "CVE/50"):
        assert robust[key]["counted"] > compat[key]["counted"], key


def test_robust_gives_no_cve_credit_when_nothing_parses(kit: KitRun) -> None:
    mute = kit.scores["robust"]["models"][kit.mute.spec]
    expected = []
    for ds, (low, high) in CVE_RANGES.items():
        ys = [
            (float(t.target) - low) / (high - low)
            for t in kit.release.truths
            if t.task == "CVE" and t.dataset_id == ds and t.target is not None
        ]
        expected.append(math.sqrt(sum(max(y, 1 - y) ** 2 for y in ys) / len(ys)))
    assert mute["tasks"]["CVE"]["value"]["value"] == pytest.approx(sum(expected) / 4)
    assert mute["tasks"]["CVE"]["u2_term"] == pytest.approx(1 - sum(expected) / 4)
