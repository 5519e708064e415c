"""Wall time of `u2fast score` on a 7,241-case run with 10,000-resample intervals.

    python benches/bench_score_run.py [--cases 7241] [--bootstrap 10000] [--repeat 5] [--workdir DIR]

Builds the run once (the generated sample in the release layout, scored by the random baseline
through `u2fast eval`), then times `u2fast score RUN --bootstrap N --json` as a fresh process,
Python start-up included, which is what a user waits for. The target is 1.5 s. Printed: the median
and best wall time, the CPU time (all threads), the load average (the machine is shared), and the
same clinical statistics from scikit-learn, statsmodels and pingouin beside u2fast's.

The timed processes run with bytecode caching on (in a temporary PYTHONPYCACHEPREFIX), as an
installed package does: with PYTHONDONTWRITEBYTECODE every start compiles ~100 modules again.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_report_runs import reference_seconds
from process_timing import cached_bytecode_env, time_runs


def run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=7241)
    ap.add_argument("--bootstrap", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--workdir", type=Path, default=None, help="reuse or keep the data and run here")
    a = ap.parse_args()
    work = a.workdir or Path(tempfile.mkdtemp(prefix="u2fast-bench-"))
    data, runs = work / "data", work / "runs"
    cli = [sys.executable, "-m", "u2fast.cli"]
    if not data.exists():
        t0 = time.perf_counter()
        run([*cli, "data", "sample", "--cases", str(a.cases), "--out", str(data), "--size", "32",
             "--no-pydicom-data"])
        print(f"sample data: {a.cases:,} cases in {time.perf_counter() - t0:.1f} s")
    run_dir = runs / "bench"
    if not run_dir.exists():
        t0 = time.perf_counter()
        run([*cli, "eval", "--data", str(data), "--runs-dir", str(runs), "--name", "bench", "--quiet"])
        print(f"random-baseline run: {time.perf_counter() - t0:.1f} s")
    env = cached_bytecode_env(work / "pycache")
    cmd = [*cli, "score", str(run_dir), "--bootstrap", str(a.bootstrap), "--json"]
    subprocess.run(cmd, capture_output=True, check=True, env=env)  # warm: bytecode written, files cached
    walls, cpus, out = time_runs(cmd, a.repeat, env)
    assert out.stdout.strip(), "score printed nothing"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import u2fast.cli"], check=True, env=env)
    startup = time.perf_counter() - t0
    wall = statistics.median(walls)
    verdict = "OK" if wall <= 1.5 else "MISSED"
    print(f"u2fast score, {a.cases:,} cases, {a.bootstrap:,} resamples: median {wall:.2f} s wall (best {min(walls):.2f} s, "
          f"{statistics.median(cpus):.2f} s CPU, ~{startup:.2f} s of it importing u2fast.cli) over {a.repeat} runs; "
          f"target <= 1.5 s: {verdict}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    ours, reference = reference_seconds(run_dir)
    print(f"clinical statistics of the run (confusion, class statistics, Wilson, kappa, ICC): u2fast {ours:.3f} s, "
          f"scikit-learn + statsmodels + pingouin {reference:.3f} s")
    if a.workdir is None:
        print(f"(run folder left in {work})")


if __name__ == "__main__":
    main()
