"""``u2fast score RUN --mode compat --json`` against the official kit's rules, on replayed kit outputs.

The reference (``official_ref``) is written from docs/u2bench.md 4.1-4.4 and 6 alone; the kit output rows
are shuffled and some are missing, so only a join by id can agree.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from u2fast.folder_scoring import ScoringOptions, score_records
from u2fast.runfolder import completions_for, read_cases
from u2fast.runner import read_journal
from u2fast.types import CaseScore

from .conftest import KitRun, eval_replay, score_json
from .official_ref import U2_LISTS, dataset_metrics, u2_from
from .release_kit import FAILURES

_EXTRA = {"mae": "mae", "std": "std", "within_tolerance": "within_tolerance"}


def _model(scores: dict[str, Any], name: str) -> dict[str, Any]:
    model: dict[str, Any] = scores["models"][name]
    return model


def _num(value: float | None) -> float:
    """JSON has no NaN: u2fast writes an undefined metric as null."""
    return math.nan if value is None else value


def _close(a: float | None, b: float) -> bool:
    a = _num(a)
    return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= 1e-9 * max(1.0, abs(b))


def _mismatches(scores: dict[str, Any], reference: dict[str, dict[str, float]]) -> list[tuple[Any, ...]]:
    bad: list[tuple[Any, ...]] = []
    for key, ref in sorted(reference.items()):
        got = scores["datasets"][key]
        metric = got["metric"]
        if not _close(got["value"]["value"], ref[metric]):
            bad.append((key, metric, got["value"]["value"], ref[metric]))
        if got["counted"] != ref["counted"]:
            bad.append((key, "counted", got["counted"], ref["counted"]))
        for name in ("mae", "std", "within_tolerance", "bleu1", "f1"):
            if name in ref and not _close(got["extra"][name], ref[name]):
                bad.append((key, name, got["extra"][name], ref[name]))
    return bad


@pytest.mark.parametrize("model", ["gpt", "mute"])
def test_every_dataset_metric_matches_the_kit(kit: KitRun, model: str) -> None:
    rows = getattr(kit, model).rows
    reference = dataset_metrics(kit.release.truths, rows)
    scores = _model(kit.scores["compat"], getattr(kit, model).spec)
    assert _mismatches(scores, reference) == []


@pytest.mark.parametrize("model", ["gpt", "mute"])
def test_task_metrics_and_u2_match_the_kit(kit: KitRun, model: str) -> None:
    rows = getattr(kit, model).rows
    u2, task_values = u2_from(dataset_metrics(kit.release.truths, rows))
    scores = _model(kit.scores["compat"], getattr(kit, model).spec)
    for task, value in task_values.items():
        got = _num(scores["tasks"][task]["value"]["value"])
        if math.isnan(got):  # the kit writes 0.0 for a task with no value; u2fast says "undefined"
            assert value == 0.0, task
            continue
        assert got == pytest.approx(value, rel=1e-12, abs=1e-12), task
    assert scores["u2"]["value"] == pytest.approx(u2, rel=1e-12, abs=1e-12)


def test_nothing_parses_gives_full_cve_credit_in_compat_only(kit: KitRun) -> None:
    compat = _model(kit.scores["compat"], kit.mute.spec)["tasks"]["CVE"]
    assert math.isnan(_num(compat["value"]["value"]))
    assert compat["u2_term"] == 1.0  # docs/u2bench.md 6.2: 1 - 0
    robust = _model(kit.scores["robust"], kit.mute.spec)["tasks"]["CVE"]
    assert robust["u2_term"] < 0.7  # "null" is the worst in-range guess, not a free point
    # every CVE dataset is NaN in compat (no parsed value), so each is left out of the mean
    for key in ("CVE/18", "CVE/27", "CVE/50", "CVE/57"):
        assert _model(kit.scores["compat"], kit.mute.spec)["datasets"][key]["counted"] == 0


def test_hc_and_lung_captions_are_reported_but_not_in_u2(kit: KitRun) -> None:
    scores = _model(kit.scores["compat"], kit.gpt.spec)
    ds = scores["datasets"]
    assert ds["CVE/31"]["in_u2"] is False and ds["CG/44"]["in_u2"] is False
    assert ds["CG/44"]["counted"] > 0
    cve = [ds[f"CVE/{d}"]["value"]["value"] for d in sorted(U2_LISTS["CVE"])]
    assert scores["tasks"]["CVE"]["value"]["value"] == pytest.approx(sum(cve) / 4)
    assert scores["tasks"]["CG"]["value"]["value"] == pytest.approx(ds["CG/10"]["value"]["value"])
    assert scores["tasks"]["CVE"]["datasets"] == 4 and scores["tasks"]["CG"]["datasets"] == 1


# ---------------------------------------------------------------------------- answer forms, case by case


@pytest.fixture(scope="module")
def judged(kit: KitRun) -> dict[str, dict[str, CaseScore]]:
    records = read_cases(kit.run)
    journal = read_journal(kit.run / "journal.jsonl")
    out: dict[str, dict[str, CaseScore]] = {}
    for mode in ("compat", "robust"):
        _, pairs = score_records(
            kit.gpt.spec,
            records,
            completions_for(records, kit.gpt.spec, journal),
            ScoringOptions(mode=mode, n_resamples=0),
        )
        out[mode] = {cs.case_id: cs for _, cs in pairs}
    return out


def _cases_answered(kit: KitRun, predicate: Any) -> list[str]:
    found = [cid for cid, r in kit.gpt.rows.items() if predicate(cid, r)]
    assert found, "the generator no longer produces this answer form"
    return found


def test_compat_answer_forms_follow_the_kit(kit: KitRun, judged: dict[str, dict[str, CaseScore]]) -> None:
    compat = judged["compat"]
    integer = ("DD/44/", "DD/57/")
    strings = ("DD/40/", "DD/74is_normal/", "VRA/")

    def target(cid: str) -> str:
        return str(kit.truth(cid).target)

    for cid in _cases_answered(kit, lambda c, r: c.startswith(strings) and r == target(c) + " "):
        assert (compat[cid].counted, compat[cid].correct) == (True, False), cid  # "benign " is wrong
    for cid in _cases_answered(
        kit, lambda c, r: c.startswith(strings) and r == target(c).upper() and r != target(c)
    ):
        assert compat[cid].correct is True, cid  # case is folded
    for cid in _cases_answered(kit, lambda c, r: c.startswith(integer) and r == f" {target(c)}\n"):
        assert (compat[cid].counted, compat[cid].correct) == (True, True), cid  # int(" 1\n") == 1
    for cid in _cases_answered(kit, lambda c, r: c.startswith(integer) and r == f"{target(c)}."):
        assert compat[cid].counted is False, cid  # int("1.") fails: excluded
    for cid in _cases_answered(kit, lambda c, r: c.startswith(integer) and r in FAILURES):
        assert compat[cid].counted is False, cid
    for cid in _cases_answered(
        kit, lambda c, r: c.startswith(strings + ("LL/", "OD/", "KD/")) and r in FAILURES
    ):
        assert (compat[cid].counted, compat[cid].correct, compat[cid].api_error) == (True, False, True), cid
    for cid in _cases_answered(kit, lambda c, r: c.startswith(("LL/", "OD/", "KD/")) and r is None):
        assert compat[cid].counted is False, cid  # not a string: a failed item
    for cid in _cases_answered(
        kit, lambda c, r: c.startswith("CVE/") and isinstance(r, str) and r.endswith("%")
    ):
        assert compat[cid].counted is False, cid  # float("45%") fails
    for cid in _cases_answered(kit, lambda c, r: c.startswith("CVE/") and isinstance(r, str) and "e1" in r):
        assert compat[cid].counted is True and compat[cid].error is not None, cid  # float("4.5e1")


def test_missing_rows_are_in_no_denominator(kit: KitRun, judged: dict[str, dict[str, CaseScore]]) -> None:
    missing = [
        t.case_id for t in kit.release.truths if t.target is not None and t.case_id not in kit.gpt.rows
    ]
    assert len(missing) >= 20
    assert {m.split("/")[0] for m in missing} >= {"DD", "VRA", "LL", "OD", "KD", "CVE", "RG", "CG"}
    for cid in missing:
        assert judged["compat"][cid].counted is False, cid
        assert judged["robust"][cid].counted is False, cid
    errors = _model(kit.scores["compat"], kit.gpt.spec)["errors_by_kind"]
    assert errors["missing_answer"] == len(missing) + sum(
        1 for t in kit.release.truths if t.family == "seg" and kit.gpt.rows.get(t.case_id, 0) is None
    )


def test_anatomy_labels_are_read_with_the_intern_fix(kit: KitRun) -> None:
    """docs/u2bench.md 4.1 item 7 / A3: the official script compares ``{anatomy: liver}`` and scores 0; u2fast
    compat reads the dict's value (the 27 May fix, probably what the leaderboard used)."""
    rows = kit.gpt.rows
    fixed = dataset_metrics(kit.release.truths, rows, anatomy_fix=True)["VRA/anatomy"]["accuracy"]
    literal = dataset_metrics(kit.release.truths, rows, anatomy_fix=False)["VRA/anatomy"]["accuracy"]
    got = kit.scores["compat"]["models"][kit.gpt.spec]["datasets"]["VRA/anatomy"]["value"]["value"]
    assert literal == 0.0 and fixed > 0.0
    assert got == pytest.approx(fixed)


def test_a_subset_of_tasks_scores_as_the_kit_would(kit: KitRun, tmp_path: Path) -> None:
    """Tasks with no case count 0, except CVE: 1 - 0 = full credit in compat (docs/u2bench.md 6.2), none in robust."""
    out = kit.run.parent.parent / "gpt"
    run = eval_replay(
        kit.release.root, tmp_path, "subset", out, extra=("--max-attempts", "1", "--tasks", "DD,LL")
    )
    truths = [t for t in kit.release.truths if t.task in ("DD", "LL")]
    u2, _ = u2_from(dataset_metrics(truths, kit.gpt.rows))
    compat = score_json(run, "compat")["models"][kit.gpt.spec]
    assert compat["u2"]["value"] == pytest.approx(u2, rel=1e-12)
    assert compat["tasks"]["CVE"]["u2_term"] == 1.0 and compat["tasks"]["OD"]["u2_term"] == 0.0
    robust = score_json(run, "robust")["models"][kit.gpt.spec]
    assert robust["tasks"]["CVE"]["u2_term"] == 0.0
