"""compat reproduces two places where the official kit's scorers behave as pandas makes them
(issue 9, item 16), checked against pandas, numpy and scikit-learn themselves:

- VRA/53's label ``None`` is read by ``pandas.read_csv`` as missing (NaN); the kit's scorer then
  compares that NaN with the raw answer (numpy turns NaN into the text ``nan``), so only an answer
  pandas also reads as missing is right, and other answers become classes of their own in macro-F1;
- a CVE answer ``nan`` or ``inf`` passes ``float()`` and leaves its dataset's RMSE non-finite; the
  aggregation drops non-finite values, so that dataset leaves the RMSE mean but not the tolerance mean.

The reference below runs the kit's steps in pandas (the answers read as its xlsx path reads them,
with pandas' default missing-value rules); it is written for this test, not copied.
"""

from __future__ import annotations

import io
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import f1_score

from u2fast.data import load
from u2fast.types import LabelTarget, ValueTarget

_CVE = ("18", "27", "50", "57")
_RANGE = {"18": (10.0, 75.0), "27": (0.3, 1.5), "50": (100.0, 400.0), "57": (0.0, 85.0)}


def _through_pandas(column: str, cells: list[str]) -> list[Any]:
    """The cells as pandas reads them back from a tab-separated file (its default NA rules)."""
    text = pd.DataFrame({column: cells}).to_csv(sep="\t", index=False)
    return list(pd.read_csv(io.StringIO(text), sep="\t", dtype=object)[column])


def _kit_cla(labels: list[str], answers: list[str]) -> tuple[float, float]:
    truth, pred = [], []
    for gt, answer in zip(_through_pandas("classes", labels), _through_pandas("prediction", answers)):
        if isinstance(gt, str):
            truth.append(gt.replace("[", "").replace("]", "").replace("'", "").lower())
            pred.append(answer.lower())
        else:  # pandas' NaN: compared as it is, with the answer as it is
            truth.append(gt)
            pred.append(answer)
    accuracy = float(np.sum(np.array(truth) == np.array(pred)) / len(truth))
    return accuracy, float(f1_score(truth, pred, average="macro"))


def _kit_cve(dataset: str, truths: list[float], answers: list[str]) -> dict[str, float]:
    low, high = _RANGE[dataset]
    y, p = [], []
    for t, a in zip(truths, answers):
        try:
            p.append(float(a))
        except ValueError:
            continue
        y.append(t)
    with np.errstate(all="ignore"):
        e = (np.array(y) - low) / (high - low) - (np.array(p) - low) / (high - low)
        return {"rmse": float(np.sqrt(np.mean(e**2))), "tol": float(np.mean(np.abs(e) <= 0.1) * 100)}


def _kit_task_mean(values: list[float]) -> float:
    return float(pd.Series(values).replace([np.inf, -np.inf], np.nan).dropna().mean())


MODELS = {
    # VRA/53: the None-labelled case answered "None" (missing to pandas too: right); CVE/18: one "nan"
    "a": {"none_answer": "None", "other": "OnlyFetalHead", "poison": ("18", "nan")},
    # "none" is not missing to pandas (wrong); CVE/27: one "inf"
    "b": {"none_answer": "none", "other": "SymphysisPubis+FetalHead", "poison": ("27", "inf")},
}


def test_compat_matches_the_kit_run_by_pandas(tmp_path: Path) -> None:
    cases = [
        c for c in load("sample").cases
        if (c.task, c.dataset_id) == ("VRA", "53") or (c.task == "CVE" and c.dataset_id in _CVE)
    ]
    argv = [sys.executable, "-m", "u2fast.cli", "eval", "--quiet", "--runs-dir", str(tmp_path), "--name", "k",
            "--tasks", "VRA,CVE", "--datasets", "53," + ",".join(_CVE), "--mode", "compat", "--bootstrap", "0"]
    expected: dict[str, dict[str, Any]] = {}
    for name, spec in MODELS.items():
        rows, labels, answers = [], [], []
        cve: dict[str, tuple[list[float], list[str]]] = {ds: ([], []) for ds in _CVE}
        for i, case in enumerate(cases):
            if isinstance(case.target, LabelTarget):
                text = spec["none_answer"] if case.target.label == "None" else spec["other"]
                labels.append(case.target.label)
                answers.append(text)
            else:
                assert isinstance(case.target, ValueTarget)
                ds = case.dataset_id
                text = f"{case.target.value * (1.0 + 0.03 * (i % 5)):.3f}"
                if (ds, case.case_id.endswith("/1")) == (spec["poison"][0], True):
                    text = spec["poison"][1]
                cve[ds][0].append(case.target.value)
                cve[ds][1].append(text)
            rows.append(json.dumps({"case_id": case.case_id, "text": text}))
        path = tmp_path / f"{name}.jsonl"
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        argv += ["--model", f"replay:{path}"]
        per_ds = {ds: _kit_cve(ds, *cve[ds]) for ds in _CVE}
        accuracy, f1 = _kit_cla(labels, answers)
        expected[name] = {"accuracy": accuracy, "f1": f1, "cve": per_ds}
    assert subprocess.run(argv, capture_output=True, text=True, check=False).returncode == 0
    proc = subprocess.run([sys.executable, "-m", "u2fast.cli", "score", str(tmp_path / "k"), "--mode", "compat",
                           "--json", "--bootstrap", "0"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    models = json.loads(proc.stdout)["models"]
    for name, want in expected.items():
        got = next(m for model, m in models.items() if model.endswith(f"{name}.jsonl") or model.endswith(name))
        vra = got["datasets"]["VRA/53"]
        assert vra["value"]["value"] == pytest.approx(want["accuracy"], abs=1e-12), name
        assert vra["extra"]["f1"] == pytest.approx(want["f1"], abs=1e-12), name
        for ds, kit in want["cve"].items():
            mine = got["datasets"][f"CVE/{ds}"]
            if math.isfinite(kit["rmse"]):
                assert mine["value"]["value"] == pytest.approx(kit["rmse"], abs=1e-12), (name, ds)
            else:  # the kit's NaN or inf: undefined here
                assert mine["value"]["value"] is None, (name, ds)
            assert mine["extra"]["within_tolerance"] == pytest.approx(kit["tol"], abs=1e-12), (name, ds)
        task = got["tasks"]["CVE"]
        assert task["value"]["value"] == pytest.approx(_kit_task_mean([k["rmse"] for k in want["cve"].values()]))
        assert task["extra"]["within_tolerance"] == pytest.approx(
            _kit_task_mean([k["tol"] for k in want["cve"].values()])
        )
    # the case that makes the difference: "None" is right for a, "none" wrong for b
    assert expected["a"]["accuracy"] > expected["b"]["accuracy"]
