"""The clinical summaries of ``u2fast.scoring.clinical`` and, through the real command, ``u2fast score``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from u2fast.scoring.clinical import classification_summary, measurement_summary


def test_classification_summary_keeps_unparsed_answers_and_unknown_truths() -> None:
    s = classification_summary(["a", "a", "b", "z"], ["a", None, "refused", "a"], ["a", "b"])
    assert s.labels == ["a", "b", "z"]  # a truth outside the options joins the list
    assert s.counts == [[1, 0, 0, 1], [0, 0, 0, 1], [1, 0, 0, 0]]
    assert s.classes[0].sensitivity.value == 0.5 and s.classes[0].ppv.value == 0.5
    assert np.isnan(s.classes[1].ppv.value)  # never predicted: undefined, not 0
    assert s.quadratic_kappa is None and s.ordinal_labels == []


def test_tolerance_only_when_given() -> None:
    est, truth = [50.0, 60.0, 41.0], [55.0, 58.0, 40.0]
    none = measurement_summary(est, truth, unit="%", tolerance=None, tolerance_source="")
    assert none.within_tolerance is None and none.tolerance is None
    some = measurement_summary(est, truth, unit="%", tolerance=2.0, tolerance_source="user")
    assert some.within_tolerance is not None and some.within_tolerance.value == pytest.approx(2 / 3)
    assert some.bias == pytest.approx(-2 / 3) and some.n == 3
    empty = measurement_summary([], [], unit="mm", tolerance=1.0, tolerance_source="user")
    assert empty.n == 0 and np.isnan(empty.mae) and empty.within_tolerance is not None
    assert np.isnan(empty.within_tolerance.value)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "u2fast.cli", *args], capture_output=True, text=True, timeout=300)


def test_score_writes_and_prints_the_clinical_statistics(tmp_path: Path) -> None:
    r = _cli("eval", "--quiet", "--runs-dir", str(tmp_path), "--name", "run", "--bootstrap", "0",
             "--model", "random:a", "--tasks", "DD,CVE")
    assert r.returncode == 0, r.stderr
    run = tmp_path / "run"
    r = _cli("score", str(run), "--json", "--bootstrap", "200", "--tolerance", "CVE/27=0.1")
    assert r.returncode == 0, r.stderr
    scores = json.loads(r.stdout)
    assert scores["interval_design"] == "stratified"
    m = scores["models"]["random:a"]
    low, high = m["u2_two_stage"]["low"], m["u2_two_stage"]["high"]
    assert low <= m["u2"]["value"] <= high
    c = m["clinical"]
    birads = c["classification"]["DD/40"]
    assert birads["ordinal_labels"] == ["2", "3", "4A", "4B", "4C", "5"] and "quadratic_kappa" in birads
    assert sum(map(sum, birads["counts"])) == m["datasets"]["DD/40"]["counted"]
    assert all(len(row) == len(birads["labels"]) + 1 for row in birads["counts"])
    meas = c["measurements"]
    assert meas["CVE/27"]["tolerance_source"] == "user" and meas["CVE/27"]["tolerance"] == 0.1
    assert "Plana" in meas["CVE/18"]["tolerance_source"]
    assert "within_tolerance" not in meas["CVE/50"]  # no published tolerance, none given
    assert "DD" in c["heterogeneity"] and any(w["by"] == "anatomy" for w in c["worst_groups"])
    # Cochran's Q with binomial variances is for accuracies: CVE has several U2 data sets here, yet none
    cve_sets = [k for k, d in m["datasets"].items() if k.startswith("CVE/") and k != "CVE/31" and d["counted"]]
    assert len(cve_sets) >= 2 and set(c["heterogeneity"]) <= {"DD", "VRA", "LL", "OD", "KD"}
    assert json.loads((run / "scores.json").read_text())["models"]["random:a"]["clinical"] == c

    text = _cli("score", str(run), "--bootstrap", "100")
    assert text.returncode == 0, text.stderr
    assert "U2 two-stage CI" in text.stdout and "Clinical statistics" in text.stdout
    assert "Cochran's Q" in text.stdout and "stratified bootstrap" in text.stdout

    bad = _cli("score", str(run), "--tolerance", "DD/40=1")
    assert bad.returncode == 2 and "--tolerance" in bad.stderr and "CVE scenario" in bad.stderr


def test_no_heterogeneity_line_when_no_two_data_sets_have_a_variance(tmp_path: Path) -> None:
    r = _cli("eval", "--quiet", "--runs-dir", str(tmp_path), "--name", "cases", "--bootstrap", "0",
             "--model", "random:a", "--tasks", "DD", "--limit", "1")
    assert r.returncode == 0, r.stderr
    ids = [json.loads(line)["case"]["case_id"] for line in (tmp_path / "cases" / "cases.jsonl").read_text().splitlines()]
    answers = tmp_path / "answers.jsonl"
    answers.write_text("".join(json.dumps({"case_id": i, "text": "no idea"}) + "\n" for i in ids))
    r = _cli("eval", "--quiet", "--runs-dir", str(tmp_path), "--name", "wrong", "--bootstrap", "0",
             "--model", f"replay:{answers}", "--tasks", "DD", "--limit", "1")
    assert r.returncode == 0, r.stderr
    r = _cli("score", str(tmp_path / "wrong"), "--bootstrap", "0", "--json")
    assert r.returncode == 0, r.stderr
    m = next(iter(json.loads(r.stdout)["models"].values()))
    # every data set answered all wrong: no variance, so Cochran's Q has nothing to test ("on nan df")
    assert m["answered"] == len(ids) and m["tasks"]["DD"]["value"]["value"] == 0.0
    assert "heterogeneity" not in m["clinical"] and len(m["clinical"]["classification"]) >= 2
    text = _cli("score", str(tmp_path / "wrong"), "--bootstrap", "0")
    assert text.returncode == 0, text.stderr
    assert "Cochran" not in text.stdout and "nan" not in text.stdout
