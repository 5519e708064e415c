"""Compare two models on the same cases: paired bootstrap of U2 and each task, McNemar per task.

Cases are joined by case id. The paired bootstrap is the scoring core's
(:func:`u2fast.scoring.paired_run_bootstrap`): cases resampled within their dataset (as the
run-level intervals are) with the *same* indices for both models, so the differences of their
resampled U2, task and dataset metrics form the paired distribution. The interval is its percentile
interval, with scipy's quantile arithmetic like every interval in u2fast; the two-sided p-value uses
the shift method, ``(#{|d* − d̂| ≥ |d̂|} + 1) / (B + 1)``.

Between a default run and a prompt-ablation run (different ``prompt_variant`` in the manifests) the
comparison also states the paper's test: McNemar's chi-square (df = 1) over every paired counted case
of the classification and sector tasks (DD, VRA, LL, OD, KD).

Many p-values at once (one per task, one per data set) are adjusted within each family by Holm and
by Benjamini–Hochberg, both shown; each difference carries the minimal detectable difference of
this paired design (α = 0.05, power 0.8), so "not significant" can be read as "too small to see".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import NormalDist

import msgspec
import numpy as np

from ..errors import ConfigError, RunError
from ..folder_scoring import ScoringOptions
from ..scoring import (
    PairedRunBootstrap,
    aggregate_cases,
    mcnemar,
    minimal_detectable_difference,
    multipletests,
    paired_run_bootstrap,
)
from ..scoring.scores import case_statistics, dataset_keys, dataset_layout, undefined_cve_datasets
from ..types import TASKS, CaseScore
from ..u2bench.scenarios import scenario
from ..u2bench.tasks import CLASSIFICATION_TASKS, task_spec
from .build import LoadedRun, load_run, score_run_models
from .compare_schema import COMPARE_SCHEMA, Ablation, Comparison, McNemarEntry, PairedDifference, Side
from .terminal import UNANSWERED

__all__ = [
    "COMPARE_SCHEMA",
    "Ablation",
    "Comparison",
    "McNemarEntry",
    "PairedDifference",
    "Side",
    "compare_runs",
    "mcnemar_entry",
    "pick_model",
]


def pick_model(run: LoadedRun, wanted: str | None, fallback: str | None, flag: str) -> str:
    models = run.manifest.models
    if wanted is not None:
        if wanted not in models:
            raise ConfigError(
                f"{run.path}: no model {wanted!r} in this run; it has: {', '.join(models) or 'none'}"
            )
        return wanted
    if len(models) == 1:
        return models[0]
    if fallback is not None and fallback in models:
        return fallback
    raise ConfigError(
        f"{run.path}: the run has {len(models)} models ({', '.join(models)}); choose one with {flag}"
    )


def mcnemar_entry(task: str, a_correct: Sequence[bool], b_correct: Sequence[bool]) -> McNemarEntry:
    """McNemar's test on the paired correctness of A and B: the discordant counts, the exact and both
    chi-square forms (:func:`u2fast.scoring.mcnemar`, statsmodels' semantics).

    One quirk is not passed on to a reader of ``compare``: with no discordant pair (b = c = 0)
    statsmodels gives an infinite corrected statistic with p = 0 and NaN without correction, which
    reads as "certainly different" for two systems that agree on every case. Both chi-square
    statistics are then absent (``None``) and both p-values 1, as the exact test already gives.
    """
    a, b = np.asarray(a_correct, dtype=bool), np.asarray(b_correct, dtype=bool)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(f"paired outcomes must be two 1-D vectors of one length, got {a.shape} and {b.shape}")
    n11, nb, nc, n22 = (int(np.sum(x & y)) for x, y in ((a, b), (a, ~b), (~a, b), (~a, ~b)))
    n = a.size
    exact = mcnemar(nb, nc, exact=True)
    entry = McNemarEntry(
        task=task, n=n, both_right=n11, b=nb, c=nc, both_wrong=n22,
        accuracy_a=(n11 + nb) / n if n else float("nan"), accuracy_b=(n11 + nc) / n if n else float("nan"),
        exact_statistic=min(nb, nc), exact_pvalue=float(exact.pvalue),
        chi2_corrected=None, pvalue_corrected=1.0, chi2_uncorrected=None, pvalue_uncorrected=1.0,
    )
    if nb + nc:
        corrected = mcnemar(nb, nc, exact=False, correction=True)
        plain = mcnemar(nb, nc, exact=False, correction=False)
        entry.chi2_corrected, entry.pvalue_corrected = float(corrected.statistic), float(corrected.pvalue)
        entry.chi2_uncorrected, entry.pvalue_uncorrected = float(plain.statistic), float(plain.pvalue)
    return entry


#: (z_{1−α/2} + z_power) for α = 0.05 and power 0.8: the multiplier of a standard error that gives the
#: minimal detectable difference of a two-sided test.
_MDD_FACTOR = float(NormalDist().inv_cdf(0.975) + NormalDist().inv_cdf(0.8))


@dataclass(frozen=True)
class _Columns:
    """The paired bootstrap's columns ``[datasets..., 8 tasks, U2]``: interval ends, standard errors,
    p-values (all NaN without a bootstrap)."""

    low: np.ndarray
    high: np.ndarray
    standard_error: np.ndarray
    pvalue: np.ndarray

    @classmethod
    def of(cls, boot: PairedRunBootstrap | None, width: int) -> _Columns:
        if boot is None:
            nan = np.full(width, np.nan)
            return cls(nan, nan, nan, nan)
        iv = boot.intervals
        pct = np.concatenate([iv.dataset_percentile, iv.task_percentile, [iv.u2_percentile]])
        return cls(
            low=pct[:, 0], high=pct[:, 1],
            standard_error=np.concatenate([iv.dataset_standard_error, iv.task_standard_error, [iv.u2_standard_error]]),
            pvalue=np.concatenate([boot.dataset_pvalue, boot.task_pvalue, [boot.u2_pvalue]]),
        )

    def row(self, name: str, metric: str, a: float, b: float, n: int, level: str, column: int) -> PairedDifference:
        d = float(a) - float(b)
        low = high = pvalue = mdd = None
        # NaN: no bootstrap, an undefined difference, or a resample that left the metric undefined
        if not (np.isnan(d) or np.isnan(self.low[column]) or np.isnan(self.high[column])):
            low, high, pvalue = float(self.low[column]), float(self.high[column]), float(self.pvalue[column])
            se = float(self.standard_error[column])
            mdd = None if np.isnan(se) else _MDD_FACTOR * se
        return PairedDifference(
            name=name, metric=metric, a=float(a), b=float(b), difference=d, low=low, high=high, pvalue=pvalue,
            n=n, lower_is_better=metric == "rmse", level=level, mdd=mdd,
        )


def _ablation(variant_a: str, variant_b: str, model_a: str, model_b: str, pooled: McNemarEntry) -> Ablation:
    who = model_a if model_a == model_b else f"{model_a} vs {model_b}"
    if pooled.chi2_corrected is None or pooled.chi2_uncorrected is None:
        statement = (
            f"prompt ablation {variant_a} vs {variant_b} ({who}): no discordant pairs on {pooled.n} paired "
            "classification/sector cases (b = c = 0: every case right for both or wrong for both), "
            "McNemar p = 1"
        )
    else:
        statement = (
            f"prompt ablation {variant_a} vs {variant_b} ({who}): McNemar chi2(1) = {pooled.chi2_corrected:.2f}, "
            f"p = {pooled.pvalue_corrected:.2g} on {pooled.n} paired classification/sector cases "
            f"(b = {pooled.b}, c = {pooled.c}; Edwards continuity correction, statsmodels' default "
            f"correction=True); without correction chi2(1) = {pooled.chi2_uncorrected:.2f}, "
            f"p = {pooled.pvalue_uncorrected:.2g}; exact binomial p = {pooled.exact_pvalue:.2g}"
        )
    return Ablation(
        variant_a=variant_a,
        variant_b=variant_b,
        n=pooled.n,
        b=pooled.b,
        c=pooled.c,
        chi2=pooled.chi2_corrected,
        pvalue=pooled.pvalue_corrected,
        correction="edwards (|b-c|-1)^2/(b+c), statsmodels correction=True",
        chi2_uncorrected=pooled.chi2_uncorrected,
        pvalue_uncorrected=pooled.pvalue_uncorrected,
        exact_pvalue=pooled.exact_pvalue,
        statement=statement,
    )


def compare_runs(
    path_a: Path,
    path_b: Path,
    *,
    model_a: str | None = None,
    model_b: str | None = None,
    options: ScoringOptions | None = None,
) -> Comparison:
    """Compare model A of run A with model B of run B on the cases both runs contain."""
    options = options or ScoringOptions()
    run_a = load_run(path_a)
    run_b = run_a if path_b.resolve() == path_a.resolve() else load_run(path_b)
    ma = pick_model(run_a, model_a, model_b, "--model-a")
    mb = pick_model(run_b, model_b, ma, "--model-b")
    if run_a is run_b and ma == mb:
        raise ConfigError(f"comparing {ma} of {path_a} with itself; give two runs or two models")
    scoring = msgspec.structs.replace(options, n_resamples=0)  # intervals come from the paired bootstrap
    sa, sb = (
        next(s for s in score_run_models([run], scoring) if s.model == m)
        for run, m in ((run_a, ma), (run_b, mb))
    )
    notes: list[str] = []
    for scored in (sa, sb):
        s = scored.scores
        if s.not_sent:
            notes.append(
                f"{scored.model} of {scored.run.path} is a partial run ({s.answered}/{s.n} answered, {s.not_sent} "
                f"with {UNANSWERED}): its figures cover only the cases it answered"
            )
    if run_a.manifest.dataset_fingerprint != run_b.manifest.dataset_fingerprint:
        notes.append(
            "the runs used different data (dataset fingerprints differ); only cases with the same id are paired"
        )

    pos_b = {rec.case.case_id: i for i, rec in enumerate(run_b.records)}
    pairs: list[tuple[int, int]] = []
    for i, rec in enumerate(run_a.records):
        j = pos_b.get(rec.case.case_id)
        if j is None:
            continue
        other = run_b.records[j].case
        if (other.task, other.dataset_id, other.target) != (
            rec.case.task,
            rec.case.dataset_id,
            rec.case.target,
        ):
            raise RunError(
                f"case {rec.case.case_id!r} differs between {path_a} and {path_b} (task, dataset or "
                "ground truth); these runs cannot be paired"
            )
        pairs.append((i, j))
    if not pairs:
        raise RunError(f"{path_a} and {path_b} have no case id in common")
    paired = [
        (sa.judged[i][1], sb.judged[j][1])
        for i, j in pairs
        if sa.judged[i][1].counted and sb.judged[j][1].counted
    ]
    if not paired:
        counted_a = sum(sa.judged[i][1].counted for i, _ in pairs)
        counted_b = sum(sb.judged[j][1].counted for _, j in pairs)
        raise RunError(
            f"{path_a} and {path_b} share {len(pairs)} cases but none is counted for both models "
            f"({counted_a} for {ma}, {counted_b} for {mb}; API errors and compat-mode exclusions are "
            "not counted): there is nothing to compare"
        )
    for scored in (sa, sb):
        if scored.scores.answered == 0:
            # its scores are null; compat counts API errors, so they would be paired as wrong answers
            # (with compat's full CVE credit), showing differences of a model that answered nothing
            raise RunError(
                f"{scored.model} of {scored.run.path} got no answer ({scored.scores.n} cases: every request failed "
                "or was never sent): its scores are null and there is nothing to compare"
            )
    if len(paired) < len(pairs):
        notes.append(
            f"{len(pairs) - len(paired)} joined cases are left out: not counted for one of the models "
            "(API error, or a compat-mode exclusion)"
        )
    bootstrap = _paired_bootstrap(paired, options, notes)
    mcn = _mcnemar_entries(paired)
    agreeing = [m.task for m in mcn if m.b == m.c == 0]
    if agreeing:
        notes.append(
            f"no discordant pairs for {', '.join(agreeing)} (b = c = 0): the two agree on every paired case, "
            "so McNemar's chi-square is undefined and p = 1"
        )
    ablation = None
    va, vb = run_a.manifest.prompt_variant, run_b.manifest.prompt_variant
    if va != vb and mcn and mcn[-1].task == "all":
        ablation = _ablation(va, vb, ma, mb, mcn[-1])
    return Comparison(
        schema=COMPARE_SCHEMA,
        mode=options.mode,
        confidence=options.confidence,
        n_resamples=options.n_resamples,
        seed=options.seed,
        a=_side(run_a, ma),
        b=_side(run_b, mb),
        joined=len(pairs),
        only_a=len(run_a.records) - len(pairs),
        only_b=len(run_b.records) - len(pairs),
        paired=len(paired),
        bootstrap=bootstrap,
        mcnemar=mcn,
        ablation=ablation,
        notes=notes,
    )


def _side(run: LoadedRun, model: str) -> Side:
    return Side(
        run=run.manifest.name, path=str(run.path), model=model, prompt_variant=run.manifest.prompt_variant
    )


def _paired_bootstrap(
    paired: list[tuple[CaseScore, CaseScore]], options: ScoringOptions, notes: list[str]
) -> list[PairedDifference]:
    if not paired:
        return []
    undefined = undefined_cve_datasets([a for a, _ in paired] + [b for _, b in paired])
    if undefined:
        # compat only: a "nan"/"inf" answer leaves the dataset's RMSE undefined for that side
        paired = [(a, b) for a, b in paired if f"{a.task}/{a.dataset_id}" not in undefined]
        notes.append(
            f"{', '.join(sorted(undefined))}: left out of the paired bootstrap, the RMSE of one side is "
            "undefined (a non-finite answer, as the official kit reads it)"
        )
        if not paired:
            return []
    side_a, side_b = [a for a, _ in paired], [b for _, b in paired]
    keys = dataset_keys(side_a)
    in_u2 = {k: (sc.in_u2 if (sc := scenario(*k.split("/", 1))) else True) for k in keys}
    layout = dataset_layout(side_a, keys, in_u2)
    compat = options.mode == "compat"
    boot: PairedRunBootstrap | None = None
    if options.n_resamples:
        boot = paired_run_bootstrap(
            *layout, case_statistics(side_a), case_statistics(side_b), missing_cve_is_perfect=compat,
            n_resamples=options.n_resamples, confidence=options.confidence, seed=options.seed,
        )
        agg_a, agg_b = boot.a, boot.b
    else:
        agg_a, agg_b = (aggregate_cases(*layout, *case_statistics(side), missing_cve_is_perfect=compat)
                        for side in (side_a, side_b))
    nd = len(keys)
    columns = _Columns.of(boot, nd + 9)
    counts = {t: sum(1 for a in side_a if a.task == t) for t in TASKS}
    out = [columns.row("U2", "u2", agg_a.u2, agg_b.u2, len(paired), "u2", nd + 8)]
    for t, task in enumerate(TASKS):
        if counts[task]:
            out.append(columns.row(task, task_spec(task).metric, agg_a.task_metric[t], agg_b.task_metric[t],
                                   counts[task], "task", nd + t))
    per_dataset = Counter(f"{a.task}/{a.dataset_id}" for a in side_a)
    for d, key in enumerate(keys):
        out.append(columns.row(key, task_spec(key.split("/")[0]).metric, agg_a.dataset_metric[d],
                               agg_b.dataset_metric[d], per_dataset[key], "dataset", d))
    _adjust(out)
    missing = [t for t in TASKS if counts[t] == 0]
    if missing:
        notes.append(
            f"no paired cases for {', '.join(missing)}: U2 treats those tasks as the scorer does for a run "
            "without them"
        )
    return out


def _adjust(rows: list[PairedDifference]) -> None:
    """Holm and BH within each level's family of p-values (tasks, data sets; U2 is a family of one)."""
    for level in ("u2", "task", "dataset"):
        family = [r for r in rows if r.level == level and r.pvalue is not None]
        if not family:
            continue
        p = np.array([r.pvalue for r in family], float)
        for r, holm, bh in zip(family, multipletests(p, "holm"), multipletests(p, "fdr_bh"), strict=True):
            r.pvalue_holm, r.pvalue_bh = float(holm), float(bh)


def _mcnemar_entries(paired: list[tuple[CaseScore, CaseScore]]) -> list[McNemarEntry]:
    rows = [
        (a, b)
        for a, b in paired
        if a.task in CLASSIFICATION_TASKS and a.correct is not None and b.correct is not None
    ]

    def entry(task: str, sel: list[tuple[CaseScore, CaseScore]]) -> McNemarEntry:
        right_a, right_b = [bool(a.correct) for a, _ in sel], [bool(b.correct) for _, b in sel]
        e = mcnemar_entry(task, right_a, right_b)
        e.mdd = minimal_detectable_difference([float(x) - float(y) for x, y in zip(right_a, right_b, strict=True)])
        return e

    out = [entry(task, sel) for task in CLASSIFICATION_TASKS if (sel := [r for r in rows if r[0].task == task])]
    if out:
        p = np.array([e.pvalue_corrected for e in out], float)
        for e, holm, bh in zip(out, multipletests(p, "holm"), multipletests(p, "fdr_bh"), strict=True):
            e.pvalue_holm, e.pvalue_bh = float(holm), float(bh)
    if rows:
        out.append(entry("all", rows))
    return out
