"""Coverage of U2's stratified and two-stage bootstrap intervals, by simulation (not run in CI).

    python benches/bench_coverage.py [--benchmarks 2000] [--cases 60] [--resamples 300] [--tau 0 0.15]

Estimand: U2 over *data sets as sampled*, i.e. over the population of data sets a task's data sets
are drawn from: θ = Σ_t w_t μ_t with μ_t the population mean accuracy of task t's data sets (the
five accuracy tasks; the other terms are absent, so they contribute 0 in robust scoring).

Design of one simulated benchmark: U2-Bench's data-set counts (DD 13, VRA 10, LL 5, OD 13, KD 1);
each data set's true accuracy p_d ~ Beta with mean μ_t and between-data-set SD τ (the variance
component that the stratified bootstrap holds fixed); ``--cases`` cases per data set, each right
with probability p_d (the within-data-set binomial component). Both intervals are 95% percentile
intervals from ``--resamples`` resamples; coverage is the share of benchmarks whose interval holds θ.

What to expect: with τ = 0 both designs cover about 95% (the two-stage one a little more); with
τ > 0 the stratified interval misses the between-data-set variance and under-covers, while the
two-stage interval stays near 95% except for what one data set (KD) cannot show.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from u2fast.scoring import TASK_CODES, U2_WEIGHTS, aggregate_cases, two_stage_bootstrap

DATASETS = {0: 13, 1: 10, 2: 5, 3: 13, 4: 1}  # task code -> data sets (DD, VRA, LL, OD, KD)
MEANS = {0: 0.55, 1: 0.45, 2: 0.30, 3: 0.25, 4: 0.20}


def _beta(rng: np.random.Generator, mean: float, sd: float, size: int) -> np.ndarray:
    if sd == 0:
        return np.full(size, mean)
    common = mean * (1 - mean) / sd**2 - 1
    return rng.beta(mean * common, (1 - mean) * common, size)


def simulate(rng: np.random.Generator, tau: float, cases: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    tasks = np.concatenate([[t] * k for t, k in DATASETS.items()]).astype(np.int8)
    truth = np.concatenate([_beta(rng, MEANS[t], tau, k) for t, k in DATASETS.items()])
    index = np.repeat(np.arange(len(tasks), dtype=np.int32), cases)
    correct = (rng.random(len(index)) < truth[index]).astype(float)
    return tasks, index, correct


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--benchmarks", type=int, default=2000)
    ap.add_argument("--cases", type=int, default=60)
    ap.add_argument("--resamples", type=int, default=300)
    ap.add_argument("--tau", type=float, nargs="+", default=[0.0, 0.15])
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    theta = sum(U2_WEIGHTS[TASK_CODES[t]] * MEANS[t] for t in DATASETS)
    print(f"estimand θ = {theta:.4f}; {a.benchmarks} benchmarks per τ, {a.cases} cases per data set, "
          f"{a.resamples} resamples, 95% percentile intervals")
    print(f"{'τ':>6} {'stratified':>11} {'two-stage':>10} {'mean width s/2s':>17} {'seconds':>8}")
    rng = np.random.default_rng(a.seed)
    for tau in a.tau:
        hit_s = hit_t = 0
        width_s = width_t = 0.0
        t0 = time.perf_counter()
        for b in range(a.benchmarks):
            tasks, index, correct = simulate(rng, tau, a.cases)
            in_u2 = np.ones(len(tasks), bool)
            args = (index, tasks, in_u2, correct, None, None)
            strat = aggregate_cases(*args, missing_cve_is_perfect=False, n_resamples=a.resamples, seed=b)
            two = two_stage_bootstrap(*args, missing_cve_is_perfect=False, n_resamples=a.resamples, seed=b)
            assert strat.intervals is not None
            lo, hi = strat.intervals.u2_percentile
            hit_s += lo <= theta <= hi
            width_s += hi - lo
            lo, hi = two.u2_percentile
            hit_t += lo <= theta <= hi
            width_t += hi - lo
        n = a.benchmarks
        print(f"{tau:>6.2f} {hit_s / n:>11.3f} {hit_t / n:>10.3f} {width_s / n:>8.4f}/{width_t / n:<8.4f} "
              f"{time.perf_counter() - t0:>8.1f}")


if __name__ == "__main__":
    main()
