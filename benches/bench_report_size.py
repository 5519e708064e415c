"""Size and wall time of `u2fast report --max-cases 0 --html` of one 7,241-case run.

    python benches/bench_report_size.py [--workdir DIR] [--cases 7241] [--repeat 3]

Builds the data once (the generated sample in the release layout at its default 128-px images,
which is what the thumbnails are made from) and the random-baseline run over it, then times the
report as a fresh process and prints the median wall time, the HTML size and how it divides
between thumbnails, case data and the rest. Targets: <= 15 MB and <= 2 s (before: 47.8 MB, 4-5 s).
Beside it, the reference in the same run: CPU per thumbnail of the extension's path and of Pillow's
(the path every image took before, and other images still take) on the same images.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
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
    thumbs = payload.pop("images")
    images = sum(len(v) for v in (thumbs.values() if isinstance(thumbs, dict) else thumbs))
    data = len(found.group(1).encode()) - images
    return images, data, len(html.encode()) - len(found.group(1).encode())


def thumbnail_cpu(run_dir: Path, images: int = 1500) -> tuple[float, float]:
    """CPU microseconds per thumbnail (72 px) of the extension's path and of Pillow's, on the same
    ``images`` images of the run, each read and hash-checked as the report reads them."""
    from u2fast.data.images import read_image_bytes
    from u2fast.report.build import load_run
    from u2fast.report.cases import _pillow_thumbnail, _thumbnail

    cases = list({r.case.image.sha256: r.case for r in load_run(run_dir).records}.values())[:images]
    t0 = time.process_time()
    for case in cases:
        _thumbnail(case, 72)
    ours = time.process_time() - t0
    t0 = time.process_time()
    for case in cases:
        _pillow_thumbnail(read_image_bytes(case.image), 72)
    pillows = time.process_time() - t0
    return ours / len(cases) * 1e6, pillows / len(cases) * 1e6


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
    # bytecode cached as in an installed package (PYTHONDONTWRITEBYTECODE recompiles every module)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    cmd = [sys.executable, "-m", "u2fast.cli", "report", str(run_dir), "--max-cases", "0", "--html", str(out),
           "--format", "json"]
    walls, cpus = [], []
    for _ in range(a.repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, text=True, check=True, env=env)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    wall = statistics.median(walls)
    html = out.read_text(encoding="utf-8")
    images, cases, rest = split_sizes(html)
    load = os.getloadavg()[0]
    size = len(html.encode())
    mb = 1e6
    verdict = "OK" if size <= 15 * mb and wall <= 2 else "MISSED"
    print(f"u2fast report --max-cases 0, {a.cases:,} cases: {size / mb:.1f} MB (thumbnails {images / mb:.1f} MB, "
          f"case data {cases / mb:.1f} MB, rest {rest / mb:.2f} MB), median {wall:.2f} s wall (best {min(walls):.2f} s, "
          f"{statistics.median(cpus):.2f} s CPU, all processes) over {a.repeat} runs; target <= 15 MB and <= 2 s "
          f"(main before: 48.1 MB, 6.3 s): {verdict}; load average {load:.1f} on {os.cpu_count()} cores")
    ours, pillows = thumbnail_cpu(run_dir)
    print(f"CPU per thumbnail, same images, this run: extension {ours:.0f} us, Pillow {pillows:.0f} us "
          f"({pillows / ours:.1f}x)")
    if a.workdir is None:
        print(f"(run folder left in {work})")


if __name__ == "__main__":
    main()
