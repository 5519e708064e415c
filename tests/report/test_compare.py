"""``u2fast compare`` end to end: McNemar counts and statistics known in advance, paired bootstrap,
the prompt-ablation statement, and bad input."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest
from report_support import BOTH_RIGHT, BOTH_WRONG, CLASSIFICATION, ONLY_A, ONLY_B, Runs
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar
from statsmodels.stats.multitest import multipletests as sm_multipletests

from u2fast.cli import main
from u2fast.folder_scoring import ScoringOptions
from u2fast.report.compare import compare_runs, mcnemar_entry


def _compare_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    capsys.readouterr()
    assert main(["compare", *args, "--json", "--bootstrap", "300"]) == 0
    return json.loads(capsys.readouterr().out)


def _check_against_statsmodels(entry: dict, b: int, c: int, n11: int, n22: int) -> None:
    table = [[n11, b], [c, n22]]
    exact = sm_mcnemar(table, exact=True)
    corrected = sm_mcnemar(table, exact=False, correction=True)
    plain = sm_mcnemar(table, exact=False, correction=False)
    assert (entry["b"], entry["c"], entry["both_right"], entry["both_wrong"]) == (b, c, n11, n22)
    assert entry["exact_statistic"] == exact.statistic
    assert entry["exact_pvalue"] == pytest.approx(exact.pvalue, rel=1e-9)
    # the formula itself, as statsmodels writes it: (|b - c| - 1)^2 / (b + c), chi2 with df = 1
    assert entry["chi2_corrected"] == pytest.approx((abs(b - c) - 1) ** 2 / (b + c), rel=1e-12)
    assert entry["chi2_corrected"] == pytest.approx(corrected.statistic, rel=1e-12)
    assert entry["pvalue_corrected"] == pytest.approx(corrected.pvalue, rel=1e-9)
    assert entry["chi2_uncorrected"] == pytest.approx(plain.statistic, rel=1e-12)
    assert entry["pvalue_uncorrected"] == pytest.approx(plain.pvalue, rel=1e-9)


def test_ablation_mcnemar_pooled_and_per_task_match_the_constructed_answers(
    runs: Runs, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _compare_json(capsys, *runs.ablation)
    assert out["schema"] == "u2fast.compare/1"
    assert out["a"]["prompt_variant"] == "default" and out["b"]["prompt_variant"] == "no-anatomy"
    assert out["b"]["model"] == runs.model_b  # the ablation run's only model
    assert out["joined"] == 200 and out["only_a"] == out["only_b"] == 0
    pooled = next(e for e in out["mcnemar"] if e["task"] == "all")
    _check_against_statsmodels(pooled, ONLY_A, ONLY_B, BOTH_RIGHT, BOTH_WRONG)
    assert pooled["accuracy_a"] == pytest.approx((BOTH_RIGHT + ONLY_A) / 168)
    assert pooled["accuracy_b"] == pytest.approx((BOTH_RIGHT + ONLY_B) / 168)
    for task in CLASSIFICATION:
        pairs = [v for cid, v in runs.truth.items() if cid.startswith(task + "/")]
        b = sum(a and not bb for a, bb in pairs)
        c = sum(bb and not a for a, bb in pairs)
        n11 = sum(a and bb for a, bb in pairs)
        entry = next(e for e in out["mcnemar"] if e["task"] == task)
        if b + c:
            _check_against_statsmodels(entry, b, c, n11, len(pairs) - b - c - n11)
        else:
            assert (entry["b"], entry["c"]) == (0, 0)
    ab = out["ablation"]
    assert (ab["variant_a"], ab["variant_b"], ab["n"], ab["b"], ab["c"]) == (
        "default",
        "no-anatomy",
        168,
        22,
        5,
    )
    assert ab["chi2"] == pytest.approx(256 / 27) and ab["pvalue"] == pytest.approx(pooled["pvalue_corrected"])
    assert "correction=True" in ab["correction"]
    assert "chi2(1) = 9.48" in ab["statement"]


def test_paired_bootstrap_differences_and_intervals(runs: Runs, capsys: pytest.CaptureFixture[str]) -> None:
    out = _compare_json(capsys, *runs.ablation)
    by_name = {d["name"]: d for d in out["bootstrap"] if d["level"] != "dataset"}
    assert set(by_name) == {"U2", "DD", "VRA", "LL", "OD", "KD", "CVE", "RG", "CG"}
    # CVE answers are identical (both exact): a zero difference with a degenerate interval and p = 1
    cve = by_name["CVE"]
    assert cve["difference"] == 0 and cve["low"] == 0 and cve["high"] == 0 and cve["pvalue"] == 1
    # A reproduces the reports verbatim, B does not: BLEU-4 difference is large and significant
    assert by_name["RG"]["difference"] > 50 and by_name["RG"]["low"] > 0
    for d in out["bootstrap"]:
        assert d["difference"] == pytest.approx(d["a"] - d["b"])
        assert d["low"] <= d["difference"] + 1e-12 and d["difference"] - 1e-12 <= d["high"]
        assert 0 < d["pvalue"] <= 1
    assert by_name["U2"]["difference"] > 0 and by_name["U2"]["low"] > 0 and by_name["U2"]["pvalue"] < 0.05
    assert by_name["CVE"]["lower_is_better"] and not by_name["DD"]["lower_is_better"]


def test_identical_answers_give_zero_spread_so_resamples_are_paired(runs: Runs) -> None:
    # random:uniform answers identically in two runs; if the two sides were resampled with different
    # cases, the differences would scatter around zero instead of being exactly zero.
    c = compare_runs(
        runs.random_run, runs.default_run, model_b="random:uniform", options=ScoringOptions(n_resamples=200)
    )
    for d in c.bootstrap:
        if math.isnan(d.difference):
            continue
        assert (d.difference, d.low, d.high, d.pvalue) == (0.0, 0.0, 0.0, 1.0), d.name
    assert all(e.b == 0 and e.c == 0 for e in c.mcnemar)
    assert c.ablation is None  # same prompt variant: no ablation statement


def test_random_baseline_against_fake_model_within_one_run(
    runs: Runs, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _compare_json(
        capsys,
        str(runs.default_run),
        str(runs.default_run),
        "--model-a",
        runs.model_a,
        "--model-b",
        "random:uniform",
    )
    pooled = next(e for e in out["mcnemar"] if e["task"] == "all")
    assert pooled["n"] == 168
    assert pooled["both_right"] + pooled["b"] + pooled["c"] + pooled["both_wrong"] == 168
    assert pooled["accuracy_a"] == pytest.approx(118 / 168)
    table = [[pooled["both_right"], pooled["b"]], [pooled["c"], pooled["both_wrong"]]]
    assert pooled["pvalue_corrected"] == pytest.approx(sm_mcnemar(table, exact=False).pvalue, rel=1e-9)
    assert out["ablation"] is None


def test_terminal_output_shows_discordant_counts_and_ablation(
    runs: Runs, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["compare", *runs.ablation, "--bootstrap", "100"]) == 0
    text = " ".join(capsys.readouterr().out.split())  # rich wraps at the console width
    assert "McNemar" in text and "prompt ablation default vs no-anatomy" in text
    assert "b = 22, c = 5" in text


@pytest.mark.parametrize(
    ("b", "c"),
    [(0, 0), (1, 1), (5, 5), (7, 2), (0, 3), (64, 26), (147, 85), (3, 4000)],
)
def test_mcnemar_matches_statsmodels_including_its_quirks(b: int, c: int) -> None:
    a = np.array([1] * 4 + [1] * b + [0] * c + [0] * 2)
    bb = np.array([1] * 4 + [0] * b + [1] * c + [0] * 2)
    r = mcnemar_entry("DD", a, bb)
    table = [[4, b], [c, 2]]
    if b == c == 0:
        # statsmodels' inf / p = 0 (and NaN) would say "different" of two systems that always agree
        assert (r.chi2_corrected, r.pvalue_corrected, r.chi2_uncorrected, r.pvalue_uncorrected) == (
            None, 1.0, None, 1.0
        )
        assert r.exact_pvalue == sm_mcnemar(table, exact=True).pvalue == 1.0
        return
    with np.errstate(all="ignore"):
        for got, want in (
            ((r.exact_statistic, r.exact_pvalue), sm_mcnemar(table, exact=True)),
            ((r.chi2_corrected, r.pvalue_corrected), sm_mcnemar(table, exact=False, correction=True)),
            ((r.chi2_uncorrected, r.pvalue_uncorrected), sm_mcnemar(table, exact=False, correction=False)),
        ):
            np.testing.assert_allclose(got, (want.statistic, want.pvalue), rtol=1e-9)


def test_runs_that_agree_on_every_case_say_no_discordant_pairs_and_p_1(runs: Runs) -> None:
    # the partial run replays A's own answers: b = c = 0 on every task
    argv = [sys.executable, "-m", "u2fast.cli", "compare", str(runs.default_run), str(runs.partial_run),
            "--model-a", runs.model_a, "--bootstrap", "0"]
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    text = " ".join(proc.stdout.split())
    assert "no discordant pairs for DD, LL, all (b = c = 0)" in text and "p = 1" in text
    assert "inf" not in text
    out = json.loads(subprocess.run([*argv, "--json"], capture_output=True, text=True, check=True).stdout)
    for entry in out["mcnemar"]:
        assert entry["b"] == entry["c"] == 0
        assert (entry["chi2_corrected"], entry["pvalue_corrected"]) == (None, 1.0)
        assert (entry["chi2_uncorrected"], entry["pvalue_uncorrected"], entry["exact_pvalue"]) == (None, 1.0, 1.0)


def test_ablation_statement_without_discordant_pairs_gives_p_1() -> None:
    from u2fast.report.compare import _ablation

    pooled = mcnemar_entry("all", [1, 1, 0], [1, 1, 0])
    ablation = _ablation("default", "no-anatomy", "m", "m", pooled)
    assert "no discordant pairs on 3 paired" in ablation.statement and "p = 1" in ablation.statement
    assert ablation.chi2 is None and ablation.pvalue == 1.0


def test_bad_input_is_reported(runs: Runs, tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    # a run with two models needs --model-a
    assert main(["compare", str(runs.default_run), str(runs.ablation_run)]) == 2
    assert "--model-a" in capsys.readouterr().err
    assert main(["compare", str(runs.default_run), str(runs.ablation_run), "--model-a", "nope:x"]) == 2
    assert "no model 'nope:x'" in capsys.readouterr().err
    # not a run folder
    assert main(["compare", str(tmp_path), str(runs.ablation_run)]) == 6
    assert "manifest.json is missing" in capsys.readouterr().err
    # the same model of the same run
    assert main(["compare", str(runs.ablation_run), str(runs.ablation_run)]) == 2
    assert "with itself" in capsys.readouterr().err



@pytest.mark.parametrize("mode", ["compat", "robust"])
def test_a_model_that_answered_nothing_is_not_compared(tmp_path, mode: str) -> None:
    def u2fast(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "u2fast.cli", *args], capture_output=True, text=True, timeout=300)

    common = ["--runs-dir", str(tmp_path), "--bootstrap", "0", "--quiet", "--tasks", "DD,CVE", "--limit", "1"]
    assert u2fast("eval", "--name", "answered", "--model", "random:a", *common).returncode == 0
    ids = [json.loads(line)["case"]["case_id"] for line in (tmp_path / "answered" / "cases.jsonl").read_text().splitlines()]
    failures = tmp_path / "failures.jsonl"
    failures.write_text("".join(json.dumps({"case_id": i, "error": "HTTP 500"}) + "\n" for i in ids))
    assert u2fast("eval", "--name", "failed", "--model", f"replay:{failures}", *common).returncode == 8
    # compat pairs API errors as wrong answers: it showed U2 differences (with compat's full CVE
    # credit) for a model whose own scores are null
    proc = u2fast("compare", str(tmp_path / "answered"), str(tmp_path / "failed"), "--mode", mode, "--json")
    assert proc.returncode == 6, proc.stdout
    assert "nothing to compare" in proc.stderr and proc.stdout == ""
    # robust leaves API errors uncounted (nothing is paired); compat names the model that answered nothing
    assert ("got no answer" if mode == "compat" else "none is counted for both") in proc.stderr

def test_pvalues_are_adjusted_per_family_and_carry_the_detectable_difference(
    runs: Runs, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _compare_json(capsys, *runs.ablation)
    rows = out["bootstrap"]
    datasets = [d for d in rows if d["level"] == "dataset"]
    assert {d["name"].split("/")[0] for d in datasets} >= set(CLASSIFICATION)
    for level in ("task", "dataset"):
        family = [d for d in rows if d["level"] == level]
        p = np.array([d["pvalue"] for d in family])
        np.testing.assert_allclose([d["pvalue_holm"] for d in family], sm_multipletests(p, method="holm")[1])
        np.testing.assert_allclose([d["pvalue_bh"] for d in family], sm_multipletests(p, method="fdr_bh")[1])
    for d in rows:
        assert d["mdd"] >= 0
    per_task = [m for m in out["mcnemar"] if m["task"] != "all"]
    p = np.array([m["pvalue_corrected"] for m in per_task])
    np.testing.assert_allclose([m["pvalue_holm"] for m in per_task], sm_multipletests(p, method="holm")[1])
    pooled = out["mcnemar"][-1]
    assert pooled["task"] == "all" and pooled.get("pvalue_holm") is None
    # the paired design's MDD from the constructed discordant counts: d = +1 (ONLY_A), -1 (ONLY_B), else 0
    n = BOTH_RIGHT + ONLY_A + ONLY_B + BOTH_WRONG
    d = np.array([1.0] * ONLY_A + [-1.0] * ONLY_B + [0.0] * (BOTH_RIGHT + BOTH_WRONG))
    from scipy import stats

    expected = (stats.norm.ppf(0.975) + stats.norm.ppf(0.8)) * d.std(ddof=1) / math.sqrt(n)
    assert pooled["mdd"] == pytest.approx(expected, rel=1e-12)
    text = subprocess.run(
        [sys.executable, "-m", "u2fast.cli", "compare", *runs.ablation, "--bootstrap", "200"],
        capture_output=True, text=True, timeout=300,
    )
    assert text.returncode == 0, text.stderr
    assert "p Holm" in text.stdout and "p BH" in text.stdout and "MDD" in text.stdout


def test_compare_intervals_are_the_scoring_paired_run_bootstrap(runs: Runs) -> None:
    # compare's rows come from u2fast.scoring.paired_run_bootstrap on the paired cases, same seed
    from u2fast.report.build import load_run, score_run_models
    from u2fast.scoring import paired_run_bootstrap
    from u2fast.scoring.scores import case_statistics, dataset_keys, dataset_layout
    from u2fast.u2bench.scenarios import scenario

    options = ScoringOptions(n_resamples=400, seed=7)
    c = compare_runs(runs.default_run, runs.ablation_run, model_a=runs.model_a, options=options)
    no_intervals = ScoringOptions(n_resamples=0)
    (sa,) = [s for s in score_run_models([load_run(runs.default_run)], no_intervals) if s.model == runs.model_a]
    (sb,) = score_run_models([load_run(runs.ablation_run)], no_intervals)
    by_id = {rec.case.case_id: cs for rec, (_, cs) in zip(sb.run.records, sb.judged, strict=True)}
    pairs = [(cs, by_id[rec.case.case_id]) for rec, (_, cs) in zip(sa.run.records, sa.judged, strict=True)]
    pairs = [(a, b) for a, b in pairs if a.counted and b.counted]
    side_a, side_b = [a for a, _ in pairs], [b for _, b in pairs]
    keys = dataset_keys(side_a)
    in_u2 = {k: (sc.in_u2 if (sc := scenario(*k.split("/", 1))) else True) for k in keys}
    r = paired_run_bootstrap(*dataset_layout(side_a, keys, in_u2), case_statistics(side_a), case_statistics(side_b),
                             missing_cve_is_perfect=False, n_resamples=400, seed=7)
    rows = {d.name: d for d in c.bootstrap}
    assert (rows["U2"].low, rows["U2"].high, rows["U2"].pvalue) == (*r.intervals.u2_percentile, r.u2_pvalue)
    for t, task in enumerate(("DD", "VRA", "LL", "OD", "KD", "CVE", "RG", "CG")):
        assert (rows[task].low, rows[task].high) == tuple(r.intervals.task_percentile[t]), task
    for d, key in enumerate(keys):
        assert (rows[key].low, rows[key].high, rows[key].pvalue) == (
            *r.intervals.dataset_percentile[d], r.dataset_pvalue[d]), key
