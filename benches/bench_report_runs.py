"""Wall time of `u2fast report` over ten 7,241-case runs with joint rank intervals, and the clinical
statistics of one run beside the same statistics from scikit-learn, statsmodels and pingouin.

    python benches/bench_report_runs.py --workdir DIR [--runs 10] [--bootstrap 10000]

DIR is the work folder of benches/bench_score_run.py (its runs/bench is the 7,241-case run); the run
is copied ``--runs`` times, each copy with the run's ``scores.cache`` (what ``u2fast score`` stored), as
ten scored runs are. The target for the report is 5 s; the median of ``--repeat`` runs is printed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from process_timing import cached_bytecode_env, time_runs, timing_line


def reference_seconds(run_dir: Path) -> tuple[float, float]:
    """(u2fast clinical summary, reference libraries) seconds for the same statistics of one model."""
    import pandas as pd
    import pingouin as pg
    from sklearn.metrics import (
        balanced_accuracy_score,
        cohen_kappa_score,
        confusion_matrix,
        precision_recall_fscore_support,
    )
    from statsmodels.stats.proportion import proportion_confint

    from u2fast.folder_clinical import clinical_summary
    from u2fast.folder_scoring import ScoringOptions, score_records
    from u2fast.runfolder import completions_for, read_cases, read_manifest
    from u2fast.runner import read_journal
    from u2fast.types import ValueTarget

    records = read_cases(run_dir)
    model = read_manifest(run_dir).models[0]
    completions = completions_for(records, model, read_journal(run_dir / "journal.jsonl"))
    scores, judged = score_records(model, records, completions, ScoringOptions(n_resamples=0))
    t0 = time.perf_counter()
    clinical_summary(records, judged, scores, compat=False, tolerances={}, confidence=0.95)
    ours = time.perf_counter() - t0
    labelled: dict[str, list[tuple[str, str]]] = {}
    measured: dict[str, list[tuple[float, float]]] = {}
    for rec, (pred, cs) in zip(records, judged, strict=True):
        key = f"{cs.task}/{cs.dataset_id}"
        if cs.counted and cs.truth is not None:
            labelled.setdefault(key, []).append((cs.truth, cs.answer or "<unparsed>"))
        elif cs.counted and cs.task == "CVE" and isinstance(pred.value, (int, float)) and isinstance(rec.case.target, ValueTarget):
            measured.setdefault(key, []).append((float(pred.value), rec.case.target.value))
    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    for pairs in labelled.values():
        t, a = [x for x, _ in pairs], [y for _, y in pairs]
        labels = sorted(set(t))
        cm = confusion_matrix(t, a, labels=[*labels, "<unparsed>"])
        precision_recall_fscore_support(t, a, labels=labels, zero_division=np.nan)
        balanced_accuracy_score(t, a)
        cohen_kappa_score(t, a)
        tp = np.diag(cm)[: len(labels)]
        proportion_confint(tp, np.maximum(cm[: len(labels)].sum(axis=1), 1), method="wilson")
    for values in measured.values():
        m, r = np.array(values).T
        n = len(m)
        long = pd.DataFrame({"case": np.r_[np.arange(n), np.arange(n)], "rater": ["m"] * n + ["t"] * n, "v": np.r_[m, r]})
        pg.intraclass_corr(long, "case", "rater", "v")
    reference = time.perf_counter() - t0
    return ours, reference


def reference_line(which: str, run_dir: Path) -> str:
    """The :func:`reference_seconds` of ``run_dir`` as the benches print them."""
    ours, reference = reference_seconds(run_dir)
    return (f"clinical statistics of {which} (confusion, class statistics, Wilson, kappa, ICC): u2fast {ours:.3f} s, "
            f"scikit-learn + statsmodels + pingouin {reference:.3f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--bootstrap", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    source = a.workdir / "runs" / "bench"
    if not source.exists():
        raise SystemExit(f"{source} is missing: run benches/bench_score_run.py --workdir {a.workdir} first")
    copies = a.workdir / "report-runs"
    for i in range(a.runs):
        target = copies / f"run{i}"
        if not target.exists():
            shutil.copytree(source, target)
    paths = [str(copies / f"run{i}") for i in range(a.runs)]
    # bytecode cached as in an installed package (PYTHONDONTWRITEBYTECODE recompiles every module)
    env = cached_bytecode_env(a.workdir / "pycache")
    cmd = [sys.executable, "-m", "u2fast.cli", "report", *paths, "--bootstrap", str(a.bootstrap), "--format", "json"]
    walls, cpus, out = time_runs(cmd, a.repeat, env)
    assert '"ranking"' in out.stdout
    what = f"u2fast report, {a.runs} runs x 7,241 cases, {a.bootstrap:,} resamples with joint ranks"
    print(timing_line(what, walls, cpus, 5))
    print(reference_line("one run", source))


if __name__ == "__main__":
    main()
