"""`u2fast data sample --cases 7241`: wall and CPU time of the real command against the 5 s goal.

Usage: python benches/bench_data_sample.py [--cases 7241] [--repeat 3]
The command runs in a fresh process each time (as a user runs it, bytecode cached as installed); CPU
counts its worker processes.
Before phantom speckle windows, level-1 PNGs and worker processes it took ~40 s on this machine; the
load average is printed beside the figure because the machine is shared and wall time follows it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from process_timing import cached_bytecode_env, time_runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=7241)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "s"
        cmd = [sys.executable, "-m", "u2fast.cli", "data", "sample", "--cases", str(args.cases), "--out", str(out)]
        env = cached_bytecode_env(Path(tmp) / "pycache")
        warm = [*cmd[:-4], "--cases", "60", "--out", str(Path(tmp) / "warm")]
        subprocess.run(warm, capture_output=True, check=True, env=env)  # bytecode written, untimed
        walls, cpus, _ = time_runs(cmd, args.repeat, env, before_each=lambda: shutil.rmtree(out, ignore_errors=True))
    wall = statistics.median(walls)
    verdict = ("OK" if wall <= 5.0 else "MISSED") if args.cases == 7241 else "applies to 7,241 cases"
    print(f"u2fast data sample --cases {args.cases}: median wall {wall:.2f} s over {args.repeat} runs "
          f"(CPU {statistics.median(cpus):.2f} s, all processes); goal <= 5 s: {verdict}; "
          f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
