"""The run the score and report benches time: the generated sample in the release layout, evaluated
by the random baseline through ``u2fast eval``, built once in a work folder that ``--workdir`` keeps.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["add_sample_run_arguments", "sample_run", "work_folder"]

CLI = [sys.executable, "-m", "u2fast.cli"]


def add_sample_run_arguments(ap: argparse.ArgumentParser, repeat: int) -> None:
    """``--cases`` (the full benchmark's 7,241 by default), ``--repeat`` and ``--workdir``."""
    ap.add_argument("--cases", type=int, default=7241)
    ap.add_argument("--repeat", type=int, default=repeat)
    ap.add_argument("--workdir", type=Path, default=None, help="reuse or keep the data and run here")


def work_folder(workdir: Path | None) -> Path:
    """``--workdir``, or a new temporary folder (left in place: its path is printed at the end)."""
    return workdir or Path(tempfile.mkdtemp(prefix="u2fast-bench-"))


def _run(cmd: list[str]) -> None:
    subprocess.run(cmd, capture_output=True, text=True, check=True)


def sample_run(work: Path, cases: int, suffix: str = "", sample_options: tuple[str, ...] = ()) -> Path:
    """The run folder ``work/runs<suffix>/bench`` over the sample ``work/data<suffix>`` of ``cases``
    cases (``sample_options``: more ``u2fast data sample`` flags), each made only when missing."""
    data, runs = work / f"data{suffix}", work / f"runs{suffix}"
    if not data.exists():
        t0 = time.perf_counter()
        _run([*CLI, "data", "sample", "--cases", str(cases), "--out", str(data), *sample_options, "--no-pydicom-data"])
        print(f"sample data: {cases:,} cases in {time.perf_counter() - t0:.1f} s")
    run_dir = runs / "bench"
    if not run_dir.exists():
        t0 = time.perf_counter()
        _run([*CLI, "eval", "--data", str(data), "--runs-dir", str(runs), "--name", "bench", "--quiet"])
        print(f"random-baseline run: {time.perf_counter() - t0:.1f} s")
    return run_dir
