"""`u2fast data sample --cases 7241`: wall and CPU time of the real command against the 5 s goal.

Usage: python benches/bench_data_sample.py [--cases 7241] [--repeat 3]
The command runs in a fresh process each time (as a user runs it); CPU counts its worker processes.
Before phantom speckle windows, level-1 PNGs and worker processes it took ~40 s on this machine; the
load average is printed beside the figure because the machine is shared and wall time follows it.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=7241)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    walls, cpus = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "u2fast.cli", "data", "sample", "--cases", str(args.cases),
                 "--out", str(Path(tmp) / "s")],
                check=True, capture_output=True,
            )
            walls.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    wall = statistics.median(walls)
    verdict = "OK" if wall <= 5.0 else "MISSED"
    print(f"u2fast data sample --cases {args.cases}: median wall {wall:.2f} s over {args.repeat} runs "
          f"(CPU {statistics.median(cpus):.2f} s, all processes); goal <= 5 s: {verdict}; "
          f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")


if __name__ == "__main__":
    main()
