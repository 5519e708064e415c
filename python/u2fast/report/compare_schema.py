"""The ``u2fast.compare/1`` layout: what ``u2fast compare --json`` prints (docs/reports.md)."""

from __future__ import annotations

import msgspec

__all__ = ["COMPARE_SCHEMA", "Ablation", "Comparison", "McNemarEntry", "PairedDifference", "Side"]

COMPARE_SCHEMA = "u2fast.compare/1"


class Side(msgspec.Struct):
    run: str
    path: str
    model: str
    prompt_variant: str


class PairedDifference(msgspec.Struct):
    """metric(A) − metric(B) on the paired cases; ``lower_is_better`` for CVE RMSE."""

    name: str
    metric: str
    a: float
    b: float
    difference: float
    low: float | None
    high: float | None
    pvalue: float | None
    n: int
    lower_is_better: bool
    #: "u2", "task" or "dataset"; p-values are adjusted within each level's family
    level: str = "task"
    #: Holm (family-wise) and Benjamini–Hochberg (false discovery rate) adjusted p-values
    pvalue_holm: float | None = None
    pvalue_bh: float | None = None
    #: minimal detectable difference of this paired design (α 0.05, power 0.8):
    #: (z₀.₉₇₅ + z₀.₈) × the standard deviation of the paired bootstrap differences
    mdd: float | None = None


class McNemarEntry(msgspec.Struct):
    """McNemar on one task (or ``"all"`` classification and sector tasks pooled)."""

    task: str
    n: int
    both_right: int
    b: int
    c: int
    both_wrong: int
    accuracy_a: float
    accuracy_b: float
    exact_statistic: int
    exact_pvalue: float
    chi2_corrected: float | None
    pvalue_corrected: float
    chi2_uncorrected: float | None
    pvalue_uncorrected: float
    #: ``pvalue_corrected`` adjusted over the per-task entries (None for the pooled "all" row)
    pvalue_holm: float | None = None
    pvalue_bh: float | None = None
    #: minimal detectable accuracy difference, (z₀.₉₇₅ + z₀.₈)·sd(d)/√n with d = right_A − right_B per case
    mdd: float | None = None


class Ablation(msgspec.Struct):
    """The paper's prompt-ablation statement (A's variant vs B's variant)."""

    variant_a: str
    variant_b: str
    n: int
    b: int
    c: int
    chi2: float | None
    pvalue: float
    correction: str
    chi2_uncorrected: float | None
    pvalue_uncorrected: float
    exact_pvalue: float
    statement: str


class Comparison(msgspec.Struct):
    schema: str
    mode: str
    confidence: float
    n_resamples: int
    seed: int
    a: Side
    b: Side
    #: case ids present in both runs, only in A, only in B
    joined: int
    only_a: int
    only_b: int
    #: joined cases counted (scored) for both models: the paired set
    paired: int
    bootstrap: list[PairedDifference]
    mcnemar: list[McNemarEntry]
    ablation: Ablation | None
    notes: list[str]
