"""Scorer speed against the reference libraries, measured side by side in one run.

    python benches/bench_scoring.py [--pairs 100000] [--ref-pairs 100000] [--rouge-ref-pairs 5000]
                                    [--ter-ref-pairs 1000] [--only bleu ter rouge bootstrap]

Prints, for 100k report-like pairs: corpus BLEU vs sacreBLEU and vs pycocoevalcap (process CPU, all
threads counted) and the sacreBLEU flavour against the coco flavour on the same corpus; corpus TER vs
sacreBLEU's TER (process CPU, sacreBLEU on a prefix: --ter-ref-pairs); ROUGE
1/2/L/Lsum vs rouge-score and vs rouge-score-rs (both sides single-threaded, in a child process
with RAYON_NUM_THREADS=1); and 10,000-resample stratified BCa intervals for U2 and the eight task
metrics over 7,241 cases vs scipy.stats.bootstrap on the U2 statistic. Slow references can run
on a prefix of the pairs (--ref-pairs, --rouge-ref-pairs); ratios then compare time per pair
and say so. Every comparison also checks that the numbers agree.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

SENTENCES = [
    "The liver is {adj} in size and echotexture.",
    "No focal hepatic lesion is identified.",
    "The gallbladder is distended with a {n} mm calculus in the neck.",
    "The right kidney measures {a}.{b} x {c}.{d} cm with no hydronephrosis.",
    "A {echo} nodule measuring {n} x {m} mm is seen in the {side} lobe of the thyroid.",
    "There is {adj} {finding} of the common bile duct, measuring {n} mm.",
    "Findings are consistent with BI-RADS {birads}.",
    "The fetal heart rate is {hr} bpm; head circumference {hc} mm.",
    "Doppler shows {adj} flow in the portal vein (velocity {v} cm/s).",
    "Impression: {adj} {finding}, follow-up in {n} months is recommended.",
    "The spleen is not enlarged; no free fluid in the pelvis.",
    "Left ventricular ejection fraction is estimated at {ef}%.",
]
WORDS = {
    "adj": ["normal", "mild", "moderate", "marked", "heterogeneous", "unremarkable", "increased", "reduced"],
    "echo": ["hypoechoic", "hyperechoic", "isoechoic", "anechoic", "mixed-echogenicity"],
    "side": ["left", "right"],
    "finding": ["dilatation", "thickening", "steatosis", "calcification", "effusion", "hyperemia"],
}
SYNONYMS = {"normal": "unremarkable", "measuring": "of", "identified": "seen", "nodule": "lesion",
            "consistent": "compatible", "recommended": "advised", "mild": "slight"}


def _fill(rng: random.Random, template: str) -> str:
    values: dict[str, object] = {k: rng.choice(v) for k, v in WORDS.items()}
    values |= {k: rng.randint(1, 40) for k in ("n", "m", "a", "b", "c", "d")}
    values |= {"birads": rng.choice(["2", "3", "4a", "4b", "5"]), "hr": rng.randint(110, 170),
               "hc": rng.randint(150, 340), "v": rng.randint(10, 40), "ef": rng.randint(25, 70)}
    return template.format(**values)


def report_pairs(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """Reference reports of 4-8 sentences and hypotheses that paraphrase, drop and change them."""
    rng = random.Random(seed)
    hyps, refs = [], []
    for _ in range(n):
        sents = [_fill(rng, rng.choice(SENTENCES)) for _ in range(rng.randint(4, 8))]
        hyp_sents = []
        for s in sents:
            r = rng.random()
            if r < 0.15:
                continue
            if r < 0.35:
                s = _fill(rng, rng.choice(SENTENCES))
            words = [SYNONYMS.get(w, w) if rng.random() < 0.3 else w for w in s.split(" ")]
            hyp_sents.append(" ".join(words))
        refs.append(("\n" if rng.random() < 0.5 else " ").join(sents))
        hyps.append(("\n" if rng.random() < 0.5 else " ").join(hyp_sents))
    return hyps, refs


def timed(fn: Callable[[], Any], repeat: int = 1, clock: Callable[[], float] = time.perf_counter) -> tuple[float, Any]:
    """Best wall time (or ``clock``'s) over ``repeat`` runs, and the last result."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = clock()
        out = fn()
        best = min(best, clock() - t0)
    return best, out


def line(name: str, ours: float, ref: float, ref_name: str, per_pair: tuple[int, int] | None = None,
         target: float | None = None) -> None:
    if per_pair is not None:
        n_ours, n_ref = per_pair
        ratio = (ref / n_ref) / (ours / n_ours)
        note = f" (reference on {n_ref:,} pairs, ratio per pair)" if n_ref != n_ours else ""
    else:
        ratio, note = ref / ours, ""
    goal = f"  target >= {target:g}x: {'OK' if ratio >= target else 'MISSED'}" if target else ""
    print(f"  {name:<44} ours {ours:8.3f} s   {ref_name} {ref:8.3f} s   x{ratio:7.1f}{note}{goal}")


def cpu_timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Best process CPU time (all threads of this process together) over ``repeat`` runs."""
    return timed(fn, repeat, time.process_time)


def bench_bleu(hyps: list[str], refs: list[str], ref_pairs: int) -> None:
    import sacrebleu
    from pycocoevalcap.bleu.bleu import Bleu

    from u2fast.scoring import corpus_bleu

    print(f"corpus BLEU, {len(hyps):,} pairs (rayon threads: {os.environ.get('RAYON_NUM_THREADS', 'all')})")
    h, r = hyps[:ref_pairs], refs[:ref_pairs]
    pairs = (len(hyps), ref_pairs)
    t_ours, ours = timed(lambda: corpus_bleu(hyps, refs), repeat=3)
    c_ours, _ = cpu_timed(lambda: corpus_bleu(hyps, refs), repeat=5)
    c_ref, ref = cpu_timed(lambda: sacrebleu.corpus_bleu(h, [r]))
    if ref_pairs == len(hyps):
        assert abs(ours.score - ref.score) < 1e-9, (ours.score, ref.score)
        assert ours.signature == ref_signature(h, r), ours.signature
    line("sacreBLEU corpus_bleu (13a, exp), process CPU", c_ours, c_ref, "sacrebleu", pairs, 40)
    t_coco, coco = timed(lambda: corpus_bleu(hyps, refs, flavor="coco"), repeat=3)
    c_coco, _ = cpu_timed(lambda: corpus_bleu(hyps, refs, flavor="coco"), repeat=5)
    gts = {i: [x] for i, x in enumerate(r)}
    res = {i: [x] for i, x in enumerate(h)}
    c_pyc, (pyc, _) = cpu_timed(lambda: Bleu(4).compute_score(gts, res, verbose=0))
    if ref_pairs == len(hyps):
        assert abs(coco.score - 100 * pyc[3]) < 1e-9, (coco.score, pyc[3])
    line("pycocoevalcap Bleu(4), process CPU", c_coco, c_pyc, "pycocoevalcap", pairs, 30)
    ratio = c_ours / c_coco
    print(f"  {'sacreBLEU flavour / coco flavour, CPU':<44} sacreBLEU {c_ours:8.3f} s   coco {c_coco:8.3f} s   "
          f"x{ratio:7.2f}  target <= 1.5x: {'OK' if ratio <= 1.5 else 'MISSED'}")
    print(f"  {'wall clock (all threads)':<44} sacreBLEU {t_ours:8.3f} s   coco {t_coco:8.3f} s")
    single = json.loads(_child(["--bleu-child", "--pairs", str(len(hyps))]))
    line("sacreBLEU, ours single-threaded", single["sacrebleu"], c_ref, "sacrebleu", pairs)
    line("pycocoevalcap, ours single-threaded", single["coco"], c_pyc, "pycocoevalcap", pairs)


def bench_ter(hyps: list[str], refs: list[str], ref_pairs: int) -> None:
    from sacrebleu.metrics.ter import TER

    from u2fast.scoring import corpus_ter, ter_stats

    print(f"corpus TER, {len(hyps):,} pairs (default options: lowercased, no normalization)")
    h, r = hyps[:ref_pairs], refs[:ref_pairs]
    c_ours, ours = cpu_timed(lambda: corpus_ter(hyps, refs), repeat=3)
    metric = TER()
    c_ref, ref_stats = cpu_timed(lambda: metric._extract_corpus_statistics(h, [r]))
    # Every pair's statistics equal sacreBLEU's, and so does the corpus score of the pairs both scored.
    assert ter_stats(h, r).tolist() == [[float(e), float(n)] for e, n in ref_stats]
    assert corpus_ter(h, r).score == metric._aggregate_and_compute(ref_stats).score
    print(f"  TER = {ours.score:.4f} ({ours.signature})")
    line("sacreBLEU TER, process CPU", c_ours, c_ref, "sacrebleu", (len(hyps), ref_pairs))


def ref_signature(hyps: list[str], refs: list[str]) -> str:
    """sacreBLEU's own signature string after scoring (it needs the reference count)."""
    from sacrebleu.metrics.bleu import BLEU

    metric = BLEU()
    metric.corpus_score(hyps[:1], [refs[:1]])
    return str(metric.get_signature())


def bench_bleu_child(n: int) -> None:
    from u2fast.scoring import corpus_bleu

    hyps, refs = report_pairs(n)
    t_sacre, _ = timed(lambda: corpus_bleu(hyps, refs), repeat=3)
    t_coco, _ = timed(lambda: corpus_bleu(hyps, refs, flavor="coco"), repeat=3)
    print(json.dumps({"sacrebleu": t_sacre, "coco": t_coco}))


def _child(args: list[str]) -> str:
    """Run this script with `args` in a child process limited to one rayon thread."""
    env = {**os.environ, "RAYON_NUM_THREADS": "1"}
    child = subprocess.run([sys.executable, __file__, *args], env=env, capture_output=True, text=True, check=False)
    if child.returncode != 0:
        print(child.stderr)
        raise SystemExit(f"child {args[0]} failed")
    return child.stdout.strip().splitlines()[-1]


def bench_rouge_child(n: int, rouge_ref_pairs: int) -> None:
    """Runs in a child with RAYON_NUM_THREADS=1 so that every side is single-threaded."""
    from rouge_score.rouge_scorer import RougeScorer as PyScorer
    from rouge_score_rs import RougeScorer as RsScorer

    from u2fast.scoring import rouge

    hyps, refs = report_pairs(n)
    types = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
    out: dict[str, Any] = {"n": n, "ref_n": rouge_ref_pairs}
    k = rouge_ref_pairs
    for stem in (False, True):
        t_ours, ours = timed(lambda stem=stem: rouge(hyps, refs, types=types, stemmer=stem), repeat=2)
        rs = RsScorer(types, use_stemmer=stem)
        t_rs, rs_scores = timed(lambda rs=rs: rs.score_batch(refs, hyps))
        py = PyScorer(types, use_stemmer=stem)
        t_py, py_scores = timed(lambda py=py: [py.score(refs[i], hyps[i]) for i in range(k)])
        for t in types:
            f_ours = ours[t].fmeasure
            assert np.allclose(f_ours, [s[t].fmeasure for s in rs_scores], rtol=0, atol=1e-12), t
            assert np.allclose(f_ours[:k], [s[t].fmeasure for s in py_scores], rtol=0, atol=1e-12), t
        out[f"stem={stem}"] = {"ours": t_ours, "rouge_score_rs": t_rs, "rouge_score": t_py}
    print(json.dumps(out))


def bench_rouge(n: int, rouge_ref_pairs: int) -> None:
    res = json.loads(_child(["--rouge-child", "--pairs", str(n), "--rouge-ref-pairs", str(rouge_ref_pairs)]))
    print(f"ROUGE 1/2/L/Lsum, {n:,} pairs, single-threaded (RAYON_NUM_THREADS=1)")
    for key in ("stem=False", "stem=True"):
        r = res[key]
        line(f"vs rouge-score ({key})", r["ours"], r["rouge_score"], "rouge-score", (n, res["ref_n"]), 50)
        line(f"vs rouge-score-rs score_batch ({key})", r["ours"], r["rouge_score_rs"], "rouge-score-rs",
             target=2)


def u2bench_cases(seed: int = 0) -> dict[str, Any]:
    """7,241 cases laid out like U2-Bench: the 50 scenarios with their official sizes."""
    from u2fast.scoring import bleu_stats
    from u2fast.u2bench.scenarios import SCENARIOS

    rng = np.random.default_rng(seed)
    task_code = {t: i for i, t in enumerate(("DD", "VRA", "LL", "OD", "KD", "CVE", "RG", "CG"))}
    sizes = np.array([s.official_n for s in SCENARIOS])
    sizes[0] += 7241 - sizes.sum()
    tasks = np.array([task_code[s.task] for s in SCENARIOS], np.int8)
    in_u2 = np.array([s.in_u2 for s in SCENARIOS])
    idx = np.repeat(np.arange(len(SCENARIOS), dtype=np.int32), sizes)
    n = len(idx)
    p = rng.uniform(0.1, 0.7, len(SCENARIOS))[idx]
    hyps, refs = report_pairs(n, seed=7)
    return {
        "idx": idx, "tasks": tasks, "in_u2": in_u2,
        "correct": (rng.random(n) < p).astype(np.float64),
        "error": rng.normal(0.05, 0.3, n),
        "bleu": bleu_stats(hyps, refs, flavor="coco"),
    }


def _u2_numpy(run: dict[str, Any]) -> Callable[..., np.ndarray]:
    """U2 of index resamples (rows of case indices), vectorised with bincount, for scipy."""
    tasks, in_u2 = run["tasks"], run["in_u2"]
    nd = len(tasks)
    ds, correct, err2 = run["idx"], run["correct"], run["error"] ** 2
    bleu = run["bleu"].astype(np.float64)
    weights = np.array([0.20, 0.20, 0.07, 0.27, 0.07, 0.07, 0.08, 0.04])

    def statistic(i: np.ndarray, axis: int = -1) -> np.ndarray:
        i = np.moveaxis(i, axis, -1)
        shape, m = i.shape[:-1], i.shape[-1]
        rows = i.reshape(-1, m)
        r = rows.shape[0]
        flat = (np.arange(r)[:, None] * nd + ds[rows]).ravel()

        def per_dataset(w: np.ndarray | None) -> np.ndarray:
            return np.bincount(flat, weights=None if w is None else w[rows].ravel(), minlength=r * nd).reshape(r, nd)

        cnt = per_dataset(None)
        with np.errstate(all="ignore"):
            acc = per_dataset(correct) / cnt
            rmse = np.sqrt(per_dataset(err2) / cnt)
            s = [per_dataset(bleu[:, j]) for j in range(10)]
            b = np.ones((r, nd))
            for k in range(4):
                b = b * (s[2 + k] + 1e-15) / (s[6 + k] + 1e-9)
            b4 = b**0.25
            ratio = (s[0] + 1e-15) / (s[1] + 1e-9)
            b4 = 100 * np.where(ratio < 1, b4 * np.exp(1 - 1 / ratio), b4)
        metric = np.where(tasks < 5, acc, np.where(tasks == 5, rmse, b4))
        metric = np.where(cnt > 0, metric, np.nan)
        u2 = np.zeros(r)
        for t in range(8):
            cols = np.flatnonzero((tasks == t) & in_u2)
            vals = metric[:, cols]
            good = ~np.isnan(vals)
            with np.errstate(all="ignore"):
                tm = np.where(good.any(axis=1), np.nansum(vals, axis=1) / good.sum(axis=1), np.nan)
            score = {5: 1 - tm, 6: tm / 100, 7: tm / 100}.get(t, tm)
            if t == 5:
                score = np.where(np.isnan(tm), 1.0, score)
            u2 += weights[t] * np.where(np.isnan(score), 0.0, np.clip(score, 0, 1))
        return u2.reshape(shape)

    return statistic


def bench_bootstrap(skip_scipy: bool) -> None:
    from scipy import stats

    from u2fast.scoring import aggregate_cases

    run = u2bench_cases()
    args = (run["idx"], run["tasks"], run["in_u2"], run["correct"], run["error"], run["bleu"])
    n = len(run["idx"])
    print(f"stratified bootstrap, 10,000 resamples, {n:,} cases, percentile + BCa for 50 datasets, 8 tasks, U2")
    t_ours, agg = timed(lambda: aggregate_cases(*args, n_resamples=10_000, seed=1), repeat=3)
    assert agg.intervals is not None
    stat = _u2_numpy(run)
    assert abs(float(stat(np.arange(n)[None])[0]) - agg.u2) < 1e-12
    print(f"  U2 = {agg.u2:.4f}  BCa {agg.intervals.u2_bca[0]:.4f}..{agg.intervals.u2_bca[1]:.4f}  "
          f"({t_ours:.3f} s; target <= 0.3 s: {'OK' if t_ours <= 0.3 else 'MISSED'})")
    if skip_scipy:
        return
    t_sp, res = timed(lambda: stats.bootstrap((np.arange(n),), stat, n_resamples=10_000, method="BCa", batch=250,
                                              rng=np.random.default_rng(1)))
    lo, hi = res.confidence_interval
    print(f"  scipy (unstratified, U2 only) BCa {lo:.4f}..{hi:.4f}")
    line("U2 + tasks + datasets vs scipy U2 alone", t_ours, t_sp, "scipy.stats.bootstrap", target=15)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=int, default=100_000)
    ap.add_argument("--ref-pairs", type=int, default=None, help="pairs for sacreBLEU/pycocoevalcap (default all)")
    ap.add_argument("--rouge-ref-pairs", type=int, default=5_000, help="pairs for pure-Python rouge-score")
    ap.add_argument("--ter-ref-pairs", type=int, default=1_000, help="pairs for sacreBLEU's pure-Python TER")
    ap.add_argument("--skip-scipy", action="store_true")
    ap.add_argument("--only", nargs="+", choices=["bleu", "ter", "rouge", "bootstrap"], default=None,
                    help="run only these parts (default all)")
    ap.add_argument("--rouge-child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--bleu-child", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.rouge_child:
        bench_rouge_child(a.pairs, a.rouge_ref_pairs)
        return
    if a.bleu_child:
        bench_bleu_child(a.pairs)
        return
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    if a.only is None or "bleu" in a.only:
        hyps, refs = report_pairs(a.pairs)
        bench_bleu(hyps, refs, a.ref_pairs or a.pairs)
    if a.only is None or "ter" in a.only:
        hyps, refs = report_pairs(a.pairs)
        bench_ter(hyps, refs, min(a.ter_ref_pairs, a.pairs))
    if a.only is None or "rouge" in a.only:
        bench_rouge(a.pairs, min(a.rouge_ref_pairs, a.pairs))
    if a.only is None or "bootstrap" in a.only:
        bench_bootstrap(a.skip_scipy)


if __name__ == "__main__":
    main()
