"""Size and wall time of `u2fast report --max-cases 0 --html` of one 7,241-case run.

    python benches/bench_report_size.py [--workdir DIR] [--cases 7241] [--repeat 3]

Builds the data once (the generated sample in the release layout at its default 128-px images,
which is what the thumbnails are made from) and the random-baseline run over it, then times the
report as a fresh process and prints the median wall time, the HTML size and how it divides
between thumbnails, case data and the rest. Targets: <= 15 MB and <= 2 s (before: 47.8 MB, 4-5 s).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, check=True)


def split_sizes(html: str) -> tuple[int, int, int]:
    """(thumbnail bytes, case data bytes, everything else) of a report."""
    found = re.search(r'<script type="application/json" id="u2-data">(.*?)</script>', html, re.S)
    if found is None:
        raise SystemExit("the report has no case data")
    payload = json.loads(found.group(1))
    images = sum(len(v) for v in payload.pop("images").values())
    data = len(found.group(1).encode()) - images
    return images, data, len(html.encode()) - len(found.group(1).encode())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=7241)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workdir", type=Path, default=None, help="reuse or keep the data and run here")
    a = ap.parse_args()
    work = a.workdir or Path(tempfile.mkdtemp(prefix="u2fast-bench-"))
    data, runs = work / "data128", work / "runs128"
    if not data.exists():
        t0 = time.perf_counter()
        run(["u2fast", "data", "sample", "--cases", str(a.cases), "--out", str(data), "--no-pydicom-data"])
        print(f"sample data: {a.cases:,} cases in {time.perf_counter() - t0:.1f} s")
    run_dir = runs / "bench"
    if not run_dir.exists():
        t0 = time.perf_counter()
        run(["u2fast", "eval", "--data", str(data), "--runs-dir", str(runs), "--name", "bench", "--quiet"])
        print(f"random-baseline run: {time.perf_counter() - t0:.1f} s")
    out = work / "report-all.html"
    walls = []
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        run(["u2fast", "report", str(run_dir), "--max-cases", "0", "--html", str(out), "--format", "json"])
        walls.append(time.perf_counter() - t0)
    wall = statistics.median(walls)
    html = out.read_text(encoding="utf-8")
    images, cases, rest = split_sizes(html)
    size = len(html.encode())
    mb = 1e6
    verdict = "OK" if size <= 15 * mb and wall <= 2 else "MISSED"
    print(f"u2fast report --max-cases 0, {a.cases:,} cases: {size / mb:.1f} MB (thumbnails {images / mb:.1f} MB, "
          f"case data {cases / mb:.1f} MB, rest {rest / mb:.2f} MB), median wall {wall:.2f} s of {a.repeat}; "
          f"target <= 15 MB and <= 2 s (before: 47.8 MB, 4-5 s): {verdict}")
    if a.workdir is None:
        print(f"(run folder left in {work})")


if __name__ == "__main__":
    main()
