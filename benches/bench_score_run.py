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
import subprocess
import sys
import time

from bench_report_runs import reference_line
from process_timing import cached_bytecode_env, time_runs, timing_line
from sample_run import CLI, add_sample_run_arguments, sample_run, work_folder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_sample_run_arguments(ap, repeat=5)
    ap.add_argument("--bootstrap", type=int, default=10_000)
    a = ap.parse_args()
    work = work_folder(a.workdir)
    run_dir = sample_run(work, a.cases, sample_options=("--size", "32"))
    env = cached_bytecode_env(work / "pycache")
    cmd = [*CLI, "score", str(run_dir), "--bootstrap", str(a.bootstrap), "--json"]
    subprocess.run(cmd, capture_output=True, check=True, env=env)  # warm: bytecode written, files cached
    walls, cpus, out = time_runs(cmd, a.repeat, env)
    assert out.stdout.strip(), "score printed nothing"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import u2fast.cli"], check=True, env=env)
    startup = time.perf_counter() - t0
    print(timing_line(f"u2fast score, {a.cases:,} cases, {a.bootstrap:,} resamples", walls, cpus, 1.5,
                      f", ~{startup:.2f} s of it importing u2fast.cli"))
    print(reference_line("the run", run_dir))
    if a.workdir is None:
        print(f"(run folder left in {work})")


if __name__ == "__main__":
    main()
