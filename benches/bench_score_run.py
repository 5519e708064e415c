"""Wall time of `u2fast score` on a 7,241-case run with 10,000-resample intervals.

    python benches/bench_score_run.py [--cases 7241] [--bootstrap 10000] [--workdir DIR]

Builds the run once (the generated sample in the release layout, scored by the random baseline
through `u2fast eval`), then times `u2fast score RUN --bootstrap N` as a fresh process, Python
start-up included, which is what a user waits for. The target is 1.5 s.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=7241)
    ap.add_argument("--bootstrap", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workdir", type=Path, default=None, help="reuse or keep the data and run here")
    a = ap.parse_args()
    work = a.workdir or Path(tempfile.mkdtemp(prefix="u2fast-bench-"))
    data, runs = work / "data", work / "runs"
    cli = ["u2fast"]
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
    best = float("inf")
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        out = run([*cli, "score", str(run_dir), "--bootstrap", str(a.bootstrap), "--json"])
        best = min(best, time.perf_counter() - t0)
    assert out.stdout.strip(), "score printed nothing"
    t0 = time.perf_counter()
    run([sys.executable, "-c", "import u2fast.cli"])
    startup = time.perf_counter() - t0
    verdict = "OK" if best <= 1.5 else "MISSED"
    print(f"u2fast score, {a.cases:,} cases, {a.bootstrap:,} resamples: {best:.2f} s wall "
          f"(of which ~{startup:.2f} s importing u2fast.cli); target <= 1.5 s: {verdict}")
    if a.workdir is None:
        print(f"(run folder left in {work})")


if __name__ == "__main__":
    main()
