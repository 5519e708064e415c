"""``u2fast compare`` checked from the outside: the discordant table is rebuilt here from the two
journals (which answer was the right one, which was an API error) and fed to statsmodels; runs over
different case sets pair only the common ids and say how many were dropped; runs with no common case
are an error."""

from __future__ import annotations

import json
import math
import shutil
import warnings
from pathlib import Path
from typing import Any

import pytest
from report_support import CLASSIFICATION, Runs, right_answer
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar

from u2fast.cli import main
from u2fast.exit_codes import ExitCode
from u2fast.runfolder import read_cases


def _compare(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    capsys.readouterr()
    assert main(["compare", *argv, "--bootstrap", "200", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _right_or_wrong(run: Path, model: str) -> dict[str, tuple[str, bool]]:
    """case id -> (task, answer right) for the classification and sector cases the model answered."""
    journal = {}
    for line in (run / "journal.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        journal[record["key"]] = record
    out = {}
    for rec in read_cases(run):
        record = journal.get(rec.keys.get(model, ""))
        if rec.case.task not in CLASSIFICATION or record is None or record.get("error") is not None:
            continue
        out[rec.case.case_id] = (rec.case.task, record["text"].strip() == right_answer(rec))
    return out


def _close(ours: float | None, theirs: float) -> bool:
    if ours is None:  # no discordant pair: statsmodels' inf or NaN
        return math.isinf(theirs) or math.isnan(theirs)
    return math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-300)


def _close_p(entry: dict, field: str, theirs: float) -> bool:
    if entry["b"] == entry["c"] == 0:  # statsmodels' p = 0 (or NaN) for b = c = 0 is reported as 1
        return entry[field] == 1.0
    return _close(entry[field], theirs)


def test_mcnemar_equals_statsmodels_on_the_table_built_from_the_journals(
    runs: Runs, capsys: pytest.CaptureFixture[str]
) -> None:
    # A (default prompt) against B (no-anatomy prompt): the ablation pair
    out = _compare(capsys, *runs.ablation)
    a = _right_or_wrong(runs.default_run, runs.model_a)
    b = _right_or_wrong(runs.ablation_run, runs.model_b)
    common = set(a) & set(b)
    assert {e["task"] for e in out["mcnemar"]} == {*CLASSIFICATION, "all"}
    for entry in out["mcnemar"]:
        ids = [i for i in common if entry["task"] in ("all", a[i][0])]
        both = sum(a[i][1] and b[i][1] for i in ids)
        only_a = sum(a[i][1] and not b[i][1] for i in ids)
        only_b = sum(b[i][1] and not a[i][1] for i in ids)
        table = [[both, only_a], [only_b, len(ids) - both - only_a - only_b]]
        assert (entry["n"], entry["both_right"], entry["b"], entry["c"], entry["both_wrong"]) == (
            len(ids),
            *table[0],
            *table[1],
        ), entry["task"]
        with warnings.catch_warnings():  # statsmodels divides by zero when b = c = 0
            warnings.simplefilter("ignore", RuntimeWarning)
            exact = sm_mcnemar(table, exact=True)
            corrected = sm_mcnemar(table, exact=False, correction=True)
            plain = sm_mcnemar(table, exact=False, correction=False)
        assert entry["exact_statistic"] == exact.statistic and _close(entry["exact_pvalue"], exact.pvalue)
        assert _close(entry["chi2_corrected"], corrected.statistic)
        assert _close_p(entry, "pvalue_corrected", corrected.pvalue)
        assert _close(entry["chi2_uncorrected"], plain.statistic)
        assert _close_p(entry, "pvalue_uncorrected", plain.pvalue)
    # the ablation line is the pooled row, stated as the paper does
    pooled = next(e for e in out["mcnemar"] if e["task"] == "all")
    ablation = out["ablation"]
    assert (ablation["b"], ablation["c"], ablation["n"]) == (pooled["b"], pooled["c"], pooled["n"])
    assert ablation["chi2"] == pooled["chi2_corrected"]
    assert f"chi2(1) = {pooled['chi2_corrected']:.2f}" in ablation["statement"]
    assert f"on {pooled['n']} paired" in ablation["statement"]
    # every paired-bootstrap interval contains its point difference
    for row in out["bootstrap"]:
        assert row["low"] <= row["difference"] <= row["high"], row


def test_api_errors_leave_cases_out_of_the_pairing(runs: Runs, capsys: pytest.CaptureFixture[str]) -> None:
    out = _compare(capsys, str(runs.default_run), str(runs.errors_run), "--model-a", runs.model_a)
    a = _right_or_wrong(runs.default_run, runs.model_a)
    e = _right_or_wrong(runs.errors_run, runs.model_errors)
    pooled = next(x for x in out["mcnemar"] if x["task"] == "all")
    assert pooled["n"] == len(set(a) & set(e)) < len(a)
    # the answers that did arrive are A's own: no discordant pair at all
    assert pooled["b"] == pooled["c"] == 0 and pooled["chi2_corrected"] is None
    assert out["joined"] == 200 and out["paired"] < 200
    assert any(f"{200 - out['paired']} joined cases are left out" in note for note in out["notes"])
    assert out["ablation"] is None  # same prompt variant: no ablation statement


def test_different_case_sets_pair_the_common_ids_and_say_how_many_were_dropped(
    runs: Runs, capsys: pytest.CaptureFixture[str]
) -> None:
    partial = len(read_cases(runs.partial_run))
    out = _compare(capsys, str(runs.default_run), str(runs.partial_run), "--model-a", runs.model_a)
    assert (out["joined"], out["only_a"], out["only_b"]) == (partial, 200 - partial, 0)
    assert {row["name"] for row in out["bootstrap"] if row["level"] != "dataset"} == {"U2", "DD", "LL"}
    capsys.readouterr()
    assert main(["compare", str(runs.default_run), str(runs.partial_run), "--model-a", runs.model_a]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert f"{partial} cases joined by id ({200 - partial} only in A, 0 only in B)" in text


def test_runs_without_a_common_case_are_an_error(
    runs: Runs, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "renamed"
    shutil.copytree(runs.ablation_run, other)
    for name in ("cases.jsonl", "journal.jsonl"):
        path = other / name
        path.write_text(path.read_text(encoding="utf-8").replace('"case_id":"', '"case_id":"x-'), encoding="utf-8")
    capsys.readouterr()
    assert main(["compare", str(runs.default_run), str(other), "--model-a", runs.model_a]) != 0
    err = capsys.readouterr().err
    assert "no case id in common" in err and str(other) in err


def test_no_case_counted_for_both_models_is_an_error(
    runs: Runs, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    failing = tmp_path / "failing.jsonl"
    failing.write_text(
        "".join(
            json.dumps({"case_id": rec.case.case_id, "error": "quota exceeded"}) + "\n"
            for rec in read_cases(runs.random_run)
        ),
        encoding="utf-8",
    )
    argv = ["eval", "--quiet", "--runs-dir", str(tmp_path), "--name", "failing", "--bootstrap", "0"]
    assert main([*argv, "--model", f"replay:{failing}"]) == ExitCode.NOTHING_ANSWERED
    capsys.readouterr()
    assert main(["compare", str(tmp_path / "failing"), str(runs.ablation_run), "--bootstrap", "0"]) == 6
    err = capsys.readouterr().err
    assert "share 200 cases but none is counted for both models" in err and "(0 for replay:" in err
